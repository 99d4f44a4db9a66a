// Key specifiers (spec §3): `Key` (one literal top-level key), `DeepKey` (list of keys and
// indexes), `KeyPath` (dotted path with [n] indexes and [*] wildcards). Each compiles once into a
// resolver: (root) → value, or undefined for "missing". Arrays are never traversed implicitly;
// a wildcard projects the rest of the path over the elements, dropping missing and null results.
import { isObject, own } from './values';

export type Step = { k: 'name'; name: string } | { k: 'index'; index: number } | { k: 'wild' };

/** A compiled key specifier. */
export interface Resolver {
  (root: unknown): unknown;
}

export interface CompiledKey {
  resolve: Resolver;
  /** The path holds a wildcard: the value is a collected list, and Exists means "non-empty". */
  wildcard: boolean;
  /** First step is p_enrichment (the specifier reads enrichment data directly). */
  enrichment: boolean;
  /** Human form, for messages. */
  text: string;
}

export type KeyPathResult = { ok: true; steps: Step[] } | { ok: false; reason: string };

/**
 * Parses a KeyPath: `name ( "." name | "[" index "]" )*`, name = one or more characters other
 * than `.`, `[`, `]`; index = `*` or an optionally negative integer.
 */
export function parseKeyPath(text: string): KeyPathResult {
  const steps: Step[] = [];
  const n = text.length;
  if (n === 0) return { ok: false, reason: 'it is empty' };
  let i = 0;
  const readName = (): string | undefined => {
    const start = i;
    while (i < n && text[i] !== '.' && text[i] !== '[' && text[i] !== ']') i++;
    return i > start ? text.slice(start, i) : undefined;
  };
  const first = readName();
  if (first === undefined) {
    if (text[0] === '.') return { ok: false, reason: 'it starts with "."' };
    if (text[0] === '[') return { ok: false, reason: 'it starts with "[" (an index needs a key before it, e.g. list[0])' };
    return { ok: false, reason: 'it starts with "]"' };
  }
  steps.push({ k: 'name', name: first });
  while (i < n) {
    const c = text[i];
    if (c === '.') {
      i++;
      if (i >= n) return { ok: false, reason: 'it ends with "."' };
      const name = readName();
      if (name === undefined) return { ok: false, reason: text[i] === '.' ? 'it has an empty key ("..")' : `"." at character ${i} is not followed by a key name` };
      steps.push({ k: 'name', name });
    } else if (c === '[') {
      const close = text.indexOf(']', i + 1);
      if (close === -1) return { ok: false, reason: `"[" at character ${i + 1} is never closed` };
      const inner = text.slice(i + 1, close);
      if (inner === '*') steps.push({ k: 'wild' });
      else if (/^-?[0-9]+$/.test(inner)) steps.push({ k: 'index', index: Number(inner) });
      else return { ok: false, reason: `"[${inner}]" is not an index: use a number such as [0], [-1], or the wildcard [*]` };
      i = close + 1;
      if (i < n && text[i] !== '.' && text[i] !== '[') return { ok: false, reason: `"]" at character ${i} must be followed by "." or "[" or end the path` };
    } else {
      return { ok: false, reason: `unexpected "]" at character ${i + 1}` };
    }
  }
  return { ok: true, steps };
}

/** Case-insensitive fallback (PantherEvent style, spec A1 opt-in): exact key first, else the first key equal ignoring case. */
function lookupCI(o: Record<string, unknown>, name: string, lowerName: string): unknown {
  if (own(o, name)) return o[name];
  for (const k in o) if (own(o, k) && k.toLowerCase() === lowerName) return o[k];
  return undefined;
}

function resolveFrom(x: unknown, steps: readonly Step[], from: number, ci: boolean): unknown {
  for (let i = from; i < steps.length; i++) {
    if (x == null) return undefined;
    const s = steps[i];
    if (s.k === 'name') {
      if (!isObject(x)) return undefined;
      x = ci ? lookupCI(x, s.name, s.name.toLowerCase()) : own(x, s.name) ? x[s.name] : undefined;
    } else if (s.k === 'index') {
      if (!Array.isArray(x)) return undefined;
      const idx = s.index < 0 ? x.length + s.index : s.index;
      if (idx < 0 || idx >= x.length) return undefined;
      x = x[idx];
    } else {
      if (!Array.isArray(x)) return undefined;
      const out: unknown[] = [];
      for (const el of x) {
        const r = i + 1 < steps.length ? resolveFrom(el, steps, i + 1, ci) : el;
        if (r != null) out.push(r);
      }
      return out;
    }
  }
  return x;
}

/** Builds a resolver for a list of steps, with fast paths for the common short paths. */
export function makeResolver(steps: readonly Step[], ci = false): Resolver {
  if (!ci && steps.every((s) => s.k === 'name')) {
    const names = steps.map((s) => (s as { name: string }).name);
    if (names.length === 1) {
      const a = names[0];
      return (x) => (isObject(x) && own(x, a) ? x[a] : undefined);
    }
    if (names.length === 2) {
      const [a, b] = names;
      return (x) => {
        if (!isObject(x) || !own(x, a)) return undefined;
        const y = x[a];
        return isObject(y) && own(y, b) ? y[b] : undefined;
      };
    }
    return (x) => {
      for (let i = 0; i < names.length; i++) {
        if (!isObject(x)) return undefined;
        const n = names[i];
        if (!own(x, n)) return undefined;
        x = x[n];
      }
      return x;
    };
  }
  const frozen = steps.slice();
  return (x) => resolveFrom(x, frozen, 0, ci);
}

export function stepsText(steps: readonly Step[]): string {
  let out = '';
  for (const s of steps) {
    if (s.k === 'name') out += out === '' ? s.name : `.${s.name}`;
    else if (s.k === 'index') out += `[${s.index}]`;
    else out += '[*]';
  }
  return out;
}
