// Encodes YAML values as JSON that Python's json.loads reads back with the types pat would see:
// an integral YAML float (YamlFloat) stays a float (`60.0`), big integers (bigint) stay exact
// integers, NaN/Infinity become Python floats (json.loads accepts NaN, Infinity, -Infinity).
import { YamlFloat } from '../load/yaml';

export function toPythonJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return numberText(value, false);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'undefined':
      return 'null';
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof YamlFloat) return numberText(value.value, true);
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i) out += ',';
          out += toPythonJson(value[i]);
        }
        return out + ']';
      }
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      let out = '{';
      let first = true;
      for (const key of Object.keys(value)) {
        if (!first) out += ',';
        first = false;
        out += JSON.stringify(key) + ':' + toPythonJson((value as Record<string, unknown>)[key]);
      }
      return out + '}';
    }
    default:
      return 'null';
  }
}

function numberText(n: number, float: boolean): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (!float) return String(n);
  if (Object.is(n, -0)) return '-0.0';
  const s = String(n);
  return /[.eE]/.test(s) ? s : s + '.0';
}
