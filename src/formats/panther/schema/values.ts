// Value predicates with pat's strict Python types (spec §4.2) and plain-words descriptions of values.
import { YamlFloat } from '../../../load/yaml';

/** A YAML int: a safe integer or a bigint. Never a boolean, never an integral float such as `60.0`. */
export function isInt(v: unknown): v is number | bigint {
  return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
}

/** JSON Schema's "integer" as pat's jsonschema validator sees it: integral floats (`60.0`) count too. */
export function isJsonInt(v: unknown): boolean {
  return isInt(v) || (v instanceof YamlFloat && Number.isFinite(v.value));
}

/** JSON Schema's "number": ints and floats, never booleans. */
export function isJsonNumber(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof YamlFloat;
}

/** A YAML mapping as the loader builds it (not a list, not null, not a YamlFloat). */
export function isMapping(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function hasKey(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Python truthiness of a loaded YAML value (pat: `if spec.get("BaseDetection")`). */
export function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false) return false;
  if (typeof v === 'number') return v !== 0; // NaN is truthy in Python too
  if (typeof v === 'bigint') return v !== 0n;
  if (v instanceof YamlFloat) return v.value !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isMapping(v)) return Object.keys(v).length > 0;
  return true;
}

/** Numeric value of an int or integral float (for range checks). */
export function toNumber(v: unknown): number {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof YamlFloat) return v.value;
  return Number(v);
}

const MAX_SHOWN = 60;

/** Shows a string value quoted and shortened, as it would appear in a message. */
export function quote(s: string): string {
  const short = s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s;
  return JSON.stringify(short);
}

/** "the string \"yes\"", "the number 5", "a list", … */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'empty (null)';
  if (typeof v === 'string') return v === '' ? 'an empty string' : `the string ${quote(v)}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  if (typeof v === 'bigint') return `the number ${v}`;
  if (v instanceof YamlFloat) return `the decimal number ${v.value.toFixed(1)}`;
  if (typeof v === 'number') return Number.isInteger(v) ? `the number ${v}` : `the decimal number ${v}`;
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : 'a list';
  if (isMapping(v)) return 'a mapping';
  return 'a value of another type';
}

/** The value written back as YAML text, for "write X: …" hints. */
export function yamlText(v: unknown): string {
  if (v instanceof YamlFloat) return v.value.toFixed(1);
  if (typeof v === 'string') return v;
  return String(v);
}
