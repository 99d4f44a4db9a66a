// Test Logs whose mapping keys a JavaScript object cannot carry faithfully.
//
// The loader turns every mapping into a plain object, so a key loses its YAML type (`200: x` is an
// integer key for pat's Python, `true: x` a boolean one, `~: x` None) and JavaScript moves
// integer-like keys to the front. Python rules can see both (`event.get(200)`, `list(event)`). For
// the rare Log that has such a key, the Log is rebuilt here from the YAML source, with typed keys
// in PyYAML's order, and encoded as JSON that the worker turns back into dicts with those keys.
import { getScalarValue, parseEvents } from 'js-yaml';
import type { Item } from '../core/types';
import { EV_ALIAS, EV_MAPPING, EV_POP, EV_SCALAR, EV_SEQUENCE, STYLE_PLAIN, indentFlowClosers, resolvePlainScalar, YamlFloat } from '../load/yaml';
import { toPythonJson } from './encode';

/** A mapping as PyYAML builds it: keys in first-insertion order, the last value of a repeated key. */
class PyMap {
  readonly keys: unknown[] = [];
  readonly values: unknown[] = [];
  private readonly index = new Map<string, number>();
  private nan = 0;

  set(key: unknown, value: unknown): void {
    const id = keyIdentity(key, () => ++this.nan);
    const at = this.index.get(id);
    if (at !== undefined) this.values[at] = value;
    else {
      this.index.set(id, this.keys.length);
      this.keys.push(key);
      this.values.push(value);
    }
  }

  get(key: string): unknown {
    const at = this.index.get(keyIdentity(key, () => 0));
    return at === undefined ? undefined : this.values[at];
  }
}

/** Python dict key equality: 1 == 1.0 == True share one slot, every NaN is its own key. */
function keyIdentity(key: unknown, nanId: () => number): string {
  if (key === null || key === undefined) return 'none';
  if (typeof key === 'string') return 's:' + key;
  if (typeof key === 'boolean') return 'n:' + (key ? '1' : '0');
  if (typeof key === 'bigint') return 'n:' + key.toString();
  const n = key instanceof YamlFloat ? key.value : typeof key === 'number' ? key : NaN;
  if (Number.isNaN(n)) return 'nan:' + nanId();
  if (Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER) return 'n:' + String(n);
  return 'f:' + String(n);
}

/** Marker of a mapping with non-string keys: {MARK: [[key, value], ...]} (see rulegate_worker.py). */
export const TYPED_KEYS_MARK = '\u0000rulegate:typed-keys';

/** True when some mapping key in `value` may not survive a trip through a JSON object. */
export function needsTypedKeys(value: unknown, depth = 0): boolean {
  if (depth > 256 || value === null || typeof value !== 'object' || value instanceof YamlFloat) return false;
  if (Array.isArray(value)) {
    for (const v of value) if (needsTypedKeys(v, depth + 1)) return true;
    return false;
  }
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (k === 'None' || k === 'True' || k === 'False' || resolvePlainScalar(k) !== k) return true;
    if (needsTypedKeys(obj[k], depth + 1)) return true;
  }
  return false;
}


const cache = new WeakMap<Item, unknown>();

/** The whole document of an item rebuilt with PyYAML's key types and order (undefined if it cannot be). */
function pythonDocument(item: Item): unknown {
  if (cache.has(item)) return cache.get(item);
  let doc: unknown;
  try {
    doc = build(item.source);
  } catch {
    doc = undefined;
  }
  cache.set(item, doc);
  return doc;
}

function build(source: string): unknown {
  let text = source;
  let events: any[];
  try {
    events = parseEvents(text, { maxDepth: 200 }) as any[];
  } catch (e) {
    const relaxed = /deficient indentation/.test(String((e as Error)?.message)) ? indentFlowClosers(text) : text;
    if (relaxed === text) throw e;
    events = parseEvents(relaxed, { maxDepth: 200 }) as any[];
    text = relaxed;
  }
  const anchors = new Map<string, unknown>();
  let i = 1; // events[0] is the document
  const slice = (a: number, b: number) => (a >= 0 ? text.slice(a, b) : undefined);

  const node = (): unknown => {
    const ev = events[i++];
    const anchor = slice(ev.anchorStart, ev.anchorEnd);
    let value: unknown;
    switch (ev.type) {
      case EV_SCALAR: {
        const raw = ev.fast ? text.slice(ev.valueStart, ev.valueEnd) : ev.valueStart < 0 ? '' : getScalarValue(text, ev);
        const tag = slice(ev.tagStart, ev.tagEnd);
        value = tag ? tagged(tag, raw) : ev.style === STYLE_PLAIN ? resolvePlainScalar(raw) : raw;
        break;
      }
      case EV_ALIAS:
        return anchors.get(text.slice(ev.anchorStart, ev.anchorEnd));
      case EV_SEQUENCE: {
        const list: unknown[] = [];
        if (anchor) anchors.set(anchor, list);
        while (events[i].type !== EV_POP) list.push(node());
        i++;
        return list;
      }
      case EV_MAPPING: {
        const map = new PyMap();
        if (anchor) anchors.set(anchor, map);
        // PyYAML: the pairs of merged mappings (<<) come first, later merge sources before earlier
        // ones, then the mapping's own pairs; a repeated key keeps its first place and last value.
        const merged: Array<[unknown, unknown]> = [];
        const own: Array<[unknown, unknown]> = [];
        while (events[i].type !== EV_POP) {
          const keyEv = events[i];
          const key = node();
          const val = node();
          const isMerge = keyEv.type === EV_SCALAR && keyEv.style === STYLE_PLAIN && key === '<<' && keyEv.tagStart < 0;
          if (isMerge && (val instanceof PyMap || Array.isArray(val))) {
            const sources = val instanceof PyMap ? [val] : [...(val as unknown[])].reverse();
            for (const src of sources) if (src instanceof PyMap) src.keys.forEach((k, n) => merged.push([k, src.values[n]]));
          } else own.push([key, val]);
        }
        i++;
        for (const [k, v] of merged) map.set(k, v);
        for (const [k, v] of own) map.set(k, v);
        return map;
      }
      default:
        throw new Error('unexpected YAML event');
    }
    if (anchor) anchors.set(anchor, value);
    return value;
  };
  return node();
}

/** Explicitly tagged scalars: !!str and the non-specific ! are text; the typed tags are rare
 * enough in Logs that such a document is left to the loader's value (no typed keys then). */
function tagged(tag: string, raw: string): unknown {
  if (tag === '!' || tag === '!!str' || tag === 'tag:yaml.org,2002:str') return raw;
  throw new Error(`tag ${tag}`);
}

function encode(value: unknown, depth = 0): string {
  if (depth > 512) throw new Error('too deep');
  if (value instanceof PyMap) {
    const allStrings = value.keys.every((k) => typeof k === 'string');
    if (allStrings) {
      const parts = value.keys.map((k, n) => `${JSON.stringify(k)}:${encode(value.values[n], depth + 1)}`);
      return `{${parts.join(',')}}`;
    }
    const pairs = value.keys.map((k, n) => `[${toPythonJson(k)},${encode(value.values[n], depth + 1)}]`);
    return `{${JSON.stringify(TYPED_KEYS_MARK)}:[${pairs.join(',')}]}`;
  }
  if (Array.isArray(value)) return `[${value.map((v) => encode(v, depth + 1)).join(',')}]`;
  return toPythonJson(value);
}

/**
 * Python-JSON of `Tests[index].<entryKey>` of the item, rebuilt from its YAML source with typed,
 * ordered keys; `typed` tells whether the worker must restore non-string keys. Undefined when the
 * source cannot be read the same way (the caller then keeps the loader's value).
 */
export function typedEntryJson(item: Item, index: number, entryKey: string): { json: string; typed: boolean } | undefined {
  const doc = pythonDocument(item);
  if (!(doc instanceof PyMap)) return undefined;
  const tests = doc.get('Tests');
  if (!Array.isArray(tests)) return undefined;
  const test = tests[index];
  if (!(test instanceof PyMap)) return undefined;
  const entry = test.get(entryKey);
  try {
    const json = encode(entry);
    return { json, typed: json.includes(JSON.stringify(TYPED_KEYS_MARK)) };
  } catch {
    return undefined;
  }
}
