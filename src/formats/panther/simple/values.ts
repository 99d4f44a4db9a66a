// Shared value semantics of the simple-detection language (spec simple-detections.md §5):
// Python-style equality and ordering, contains / icontains, membership, emptiness, and the
// rendering of event values into titles and dedup strings (§13).
//
// Event values come from src/load/yaml.ts (pat's scalar rules) or JSON: null, boolean, number,
// bigint (integers beyond 2^53), YamlFloat (an integral float such as 60.0), string, array,
// plain object. `undefined` stands for "missing" (a key that is not there) throughout this folder;
// unless a condition says otherwise, missing behaves exactly like null (§2).
import { YamlFloat } from '../../../load/yaml';

export type Num = number | bigint;

/** The numeric value of a number-like event value (booleans count as 1/0, as in Python), else undefined. */
export function toNum(x: unknown): Num | undefined {
  switch (typeof x) {
    case 'number':
    case 'bigint':
      return x;
    case 'boolean':
      return x ? 1 : 0;
    case 'object':
      return x instanceof YamlFloat ? x.value : undefined;
    default:
      return undefined;
  }
}

/** True for a JSON-style object (not an array, not a YamlFloat). */
export function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof YamlFloat);
}

const hasOwn = Object.prototype.hasOwnProperty;
export function own(o: Record<string, unknown>, k: string): boolean {
  return hasOwn.call(o, k);
}

/** Exact numeric comparison of two numbers, either of which may be a bigint: -1, 0, 1, or NaN when unordered. */
export function cmpNum(a: Num, b: Num): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  // one bigint, one float: compare exactly, as Python does for int vs float
  if (typeof a === 'number') return -cmpBigFloat(b as bigint, a);
  return cmpBigFloat(a, b as number);
}

function cmpBigFloat(big: bigint, f: number): number {
  if (Number.isNaN(f)) return NaN;
  if (f === Infinity) return -1;
  if (f === -Infinity) return 1;
  const floor = Math.floor(f);
  const fb = BigInt(floor);
  if (big < fb) return -1;
  if (big > fb) return 1;
  return floor === f ? 0 : -1; // big == floor(f) < f
}

/** Python-style equality (§5 eq). Missing and null are equal to each other. */
export function eq(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null) return b == null;
  if (b == null) return false;
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'string' || tb === 'string') return false;
  const na = toNum(a);
  if (na !== undefined) {
    const nb = toNum(b);
    return nb !== undefined && cmpNum(na, nb) === 0;
  }
  if (toNum(b) !== undefined) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!eq(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (!own(b, k) || !eq(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** Compares strings by Unicode code point (Python order), not by UTF-16 code unit. */
export function cmpCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixup(x) < fixup(y) ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
// Surrogates (astral code points) must sort after U+E000–U+FFFF.
function fixup(c: number): number {
  return c >= 0xe000 ? c - 0x800 : c >= 0xd800 ? c + 0x2000 : c;
}

/** §5 order: -1/0/1 when t and v are both numeric or both strings; NaN when the comparison does not apply. */
export function order(t: unknown, v: unknown): number {
  if (t == null || v == null) return NaN;
  if (typeof t === 'string') return typeof v === 'string' ? cmpCodePoints(t, v) : NaN;
  if (typeof v === 'string') return NaN;
  const nt = toNum(t);
  if (nt === undefined) return NaN;
  const nv = toNum(v);
  if (nv === undefined) return NaN;
  return cmpNum(nt, nv);
}

/** Python str.lower (close enough: JavaScript applies the same Unicode default case mapping). */
export function lower(s: string): string {
  return s.toLowerCase();
}

/** §5 contains(t, v). */
export function contains(t: unknown, v: unknown): boolean {
  if (t == null) return false;
  if (typeof t === 'string') return typeof v === 'string' && t.includes(v);
  if (Array.isArray(t)) {
    for (const el of t) if (eq(el, v)) return true;
    if (typeof v === 'string') for (const el of t) if (typeof el === 'string' && el.includes(v)) return true;
    return false;
  }
  if (isObject(t)) return typeof v === 'string' && own(t, v);
  return false;
}

/** §5 icontains(t, v): string-to-string tests on lower-cased forms; other tests exact. */
export function icontains(t: unknown, v: unknown): boolean {
  if (t == null) return false;
  if (typeof t === 'string') return typeof v === 'string' && lower(t).includes(lower(v));
  if (Array.isArray(t)) {
    if (typeof v === 'string') {
      const lv = lower(v);
      for (const el of t) if (typeof el === 'string' && lower(el).includes(lv)) return true;
      return false;
    }
    for (const el of t) if (eq(el, v)) return true;
    return false;
  }
  if (isObject(t)) return typeof v === 'string' && own(t, v);
  return false;
}

/** IEquals: both strings → equal after lower-casing; otherwise eq. */
export function ieq(t: unknown, v: unknown): boolean {
  if (typeof t === 'string' && typeof v === 'string') return t === v || lower(t) === lower(v);
  return eq(t, v);
}

/** §5 membership: overlap for an array target, else eq to some item. Missing/null are never members. */
export function isIn(t: unknown, values: readonly unknown[]): boolean {
  if (t == null) return false;
  if (Array.isArray(t)) {
    for (const el of t) for (const v of values) if (eq(el, v)) return true;
    return false;
  }
  for (const v of values) if (eq(t, v)) return true;
  return false;
}

/** §5 empty(t): missing, null, "", [], {}. */
export function isEmpty(t: unknown): boolean {
  if (t == null || t === '') return true;
  if (Array.isArray(t)) return t.length === 0;
  if (isObject(t)) {
    for (const k in t) if (own(t, k)) return false;
    return true;
  }
  return false;
}

/** Python repr of a float, as json.dumps writes it. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  const abs = Math.abs(x);
  if (abs !== 0 && (abs >= 1e16 || abs < 1e-4)) {
    const [mant, exp] = x.toExponential().split('e');
    const sign = exp[0] === '-' ? '-' : '+';
    const digits = exp.replace(/^[-+]/, '');
    return `${mant}e${sign}${digits.length < 2 ? '0' + digits : digits}`;
  }
  const s = String(x);
  return Number.isInteger(x) ? `${s}.0` : s;
}

/** Compact JSON of an event value (bigint exact, integral floats as 60.0). */
export function toJson(x: unknown): string {
  if (x === undefined || x === null) return 'null';
  switch (typeof x) {
    case 'string':
      return JSON.stringify(x);
    case 'boolean':
      return x ? 'true' : 'false';
    case 'bigint':
      return x.toString();
    case 'number':
      return Number.isInteger(x) ? String(x) : pyFloat(x);
    default:
      break;
  }
  if (x instanceof YamlFloat) return pyFloat(x.value);
  if (Array.isArray(x)) return `[${x.map(toJson).join(',')}]`;
  if (isObject(x)) return `{${Object.keys(x).map((k) => `${JSON.stringify(k)}:${toJson(x[k])}`).join(',')}}`;
  return JSON.stringify(String(x));
}

/** §13 rendering for titles and dedup keys: strings as-is, missing/null empty, everything else JSON. */
export function renderValue(x: unknown): string {
  if (x == null) return '';
  if (typeof x === 'string') return x;
  return toJson(x);
}

/** A JSON-safe deep copy for reports (YamlFloat → number, bigint → number); NaN/Infinity rejected like Python's json with allow_nan=False. */
export function toPlain(x: unknown): unknown {
  if (x === undefined) return null;
  if (x === null || typeof x === 'string' || typeof x === 'boolean') return x;
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new Error('ValueError: Out of range float values are not JSON compliant');
    return x;
  }
  if (typeof x === 'bigint') return Number(x);
  if (x instanceof YamlFloat) return toPlain(x.value);
  if (Array.isArray(x)) return x.map(toPlain);
  if (isObject(x)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x)) out[k] = toPlain(x[k]);
    return out;
  }
  return String(x);
}

/** A short description of a value's type, for messages. */
export function typeName(x: unknown): string {
  if (x === undefined) return 'nothing';
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  if (x instanceof YamlFloat || typeof x === 'number' || typeof x === 'bigint') return 'a number';
  if (typeof x === 'boolean') return 'a boolean';
  if (typeof x === 'string') return 'a string';
  if (isObject(x)) return 'a mapping';
  return typeof x;
}

/** Short text of a scalar for messages. */
export function show(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x);
  try {
    return toJson(x);
  } catch {
    return String(x);
  }
}
