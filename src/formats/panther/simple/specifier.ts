// Compiles the key specifiers of a match expression (Key, DeepKey, KeyPath — §3) and the
// Enrichment operand (§10) into resolvers, validating them on the way.
import { YamlFloat } from '../../../load/yaml';
import { closest } from '../../../core/suggest';
import type { Diagnostics, Path } from './diagnostics';
import { makeResolver, parseKeyPath, stepsText, type Step } from './keypath';
import { isObject, own, typeName } from './values';

/** Resolves a specifier from the current root `x` (the event, or a list element) and the event `ev`. */
export type LeafResolver = (x: unknown, ev: unknown) => unknown;

export const SPECIFIER_KEYS = ['Key', 'DeepKey', 'KeyPath'] as const;
export type SpecifierKey = (typeof SPECIFIER_KEYS)[number];

export interface CompiledSpecifier {
  resolve: LeafResolver;
  /** The value is a collected list (wildcard projection): Exists means "non-empty". */
  wildcard: boolean;
  /** Reads enrichment data (an Enrichment operand, or a path starting at p_enrichment). */
  enrichment: boolean;
  text: string;
}

export interface SpecifierOptions {
  /** A1 case-insensitive fallback for key lookups. */
  ci: boolean;
  /** DeepKey may hold strings only (the list specifier of a comprehension). */
  stringsOnly?: boolean;
}

/** The integer value of a DeepKey index element, or undefined if it is not an integer. */
function asIndex(x: unknown): number | undefined {
  if (typeof x === 'number' && Number.isInteger(x)) return x;
  if (x instanceof YamlFloat) return x.value;
  if (typeof x === 'bigint') return Number(x);
  return undefined;
}

function fromSteps(steps: Step[], opts: SpecifierOptions, text: string): CompiledSpecifier {
  const r = makeResolver(steps, opts.ci);
  return {
    resolve: (x) => r(x),
    wildcard: steps.some((s) => s.k === 'wild'),
    enrichment: steps[0]?.k === 'name' && steps[0].name === 'p_enrichment',
    text,
  };
}

/** Compiles `expr[key]` where key is Key, DeepKey or KeyPath. Returns null after reporting a problem. */
export function compileSpecifier(expr: Record<string, unknown>, key: SpecifierKey, path: Path, diag: Diagnostics, opts: SpecifierOptions): CompiledSpecifier | null {
  const v = expr[key];
  const at = [...path, key];
  if (key === 'Key') {
    if (typeof v !== 'string') {
      diag.error(at, `Key must be a string naming one top-level key, not ${typeName(v)}`, { hint: 'use DeepKey (a list) or KeyPath (a dotted path) for nested keys' });
      return null;
    }
    if (v.includes('.') || v.includes('['))
      diag.warn(at, `Key ${JSON.stringify(v)} is looked up as one top-level key with exactly that name, not as a path`, {
        hint: `if you mean a nested field, write KeyPath: ${v}`,
      });
    return fromSteps([{ k: 'name', name: v }], opts, JSON.stringify(v));
  }
  if (key === 'DeepKey') {
    if (!Array.isArray(v)) {
      diag.error(at, `DeepKey must be a list of keys (strings) and list indexes (integers), not ${typeName(v)}`, {
        hint: typeof v === 'string' && v.includes('.') ? `write DeepKey: [${v.split('.').join(', ')}] or KeyPath: ${v}` : 'e.g. DeepKey: [requestParameters, userName]',
      });
      return null;
    }
    if (v.length === 0) {
      diag.error(at, 'DeepKey is an empty list; it needs at least one key');
      return null;
    }
    const steps: Step[] = [];
    for (let i = 0; i < v.length; i++) {
      const el = v[i];
      if (typeof el === 'string') steps.push({ k: 'name', name: el });
      else {
        const idx = asIndex(el);
        if (idx === undefined) {
          diag.error([...at, i], `DeepKey elements must be strings (keys) or integers (list indexes), not ${typeName(el)}`);
          return null;
        }
        if (opts.stringsOnly) {
          diag.error([...at, i], 'the DeepKey of a list comprehension may hold strings only (no list indexes)', { hint: 'use KeyPath with an index, e.g. KeyPath: a[0].b' });
          return null;
        }
        steps.push({ k: 'index', index: idx });
      }
    }
    return fromSteps(steps, opts, stepsText(steps));
  }
  // KeyPath
  if (typeof v !== 'string') {
    diag.error(at, `KeyPath must be a string such as a.b[0].c, not ${typeName(v)}`);
    return null;
  }
  const parsed = parseKeyPath(v);
  if (!parsed.ok) {
    diag.error(at, `KeyPath ${JSON.stringify(v)} cannot be parsed: ${parsed.reason}`, {
      hint: 'KeyPath syntax: names joined by ".", list indexes [0] or [-1], wildcard [*]; keys containing ".", "[" or "]" need DeepKey',
    });
    return null;
  }
  return fromSteps(parsed.steps, opts, v);
}

const ENRICHMENT_KEYS = ['Table', 'Selector', 'FieldPath'];

/** Compiles an `Enrichment: {Table, Selector, FieldPath}` operand: p_enrichment → Table → Selector → FieldPath. */
export function compileEnrichment(expr: Record<string, unknown>, path: Path, diag: Diagnostics): CompiledSpecifier | null {
  const at = [...path, 'Enrichment'];
  const e = expr.Enrichment;
  if (!isObject(e)) {
    diag.error(at, `Enrichment must be a mapping {Table, Selector, FieldPath}, not ${typeName(e)}`);
    return null;
  }
  for (const k of Object.keys(e)) {
    if (!ENRICHMENT_KEYS.includes(k)) {
      const near = closest(k, ENRICHMENT_KEYS);
      diag.error([...at, k], `unknown key ${JSON.stringify(k)} in Enrichment${near ? `; did you mean ${JSON.stringify(near)}?` : ''}`, {
        key: true,
        hint: 'Enrichment holds exactly Table, Selector and FieldPath',
      });
      return null;
    }
  }
  for (const k of ENRICHMENT_KEYS) {
    if (!own(e, k)) {
      diag.error(at, `Enrichment is missing ${k} (it needs Table, Selector and FieldPath, all strings)`);
      return null;
    }
    if (typeof e[k] !== 'string') {
      diag.error([...at, k], `Enrichment ${k} must be a string, not ${typeName(e[k])}`);
      return null;
    }
  }
  const table = e.Table as string;
  const selector = e.Selector as string;
  const fieldPath = e.FieldPath as string;
  const parsed = parseKeyPath(fieldPath);
  if (!parsed.ok) {
    diag.error([...at, 'FieldPath'], `FieldPath ${JSON.stringify(fieldPath)} cannot be parsed: ${parsed.reason}`, {
      hint: 'FieldPath is a KeyPath inside the enrichment row: names joined by ".", indexes [0], wildcard [*]',
    });
    return null;
  }
  const field = makeResolver(parsed.steps);
  const resolve: LeafResolver = (_x, ev) => {
    if (!isObject(ev) || !own(ev, 'p_enrichment')) return undefined;
    const pe = ev.p_enrichment;
    if (!isObject(pe) || !own(pe, table)) return undefined;
    const t = pe[table];
    if (!isObject(t) || !own(t, selector)) return undefined;
    const row = t[selector];
    if (Array.isArray(row)) {
      // a selector that matched several rows: FieldPath projected over them (A14)
      const out: unknown[] = [];
      for (const el of row) {
        const r = field(el);
        if (r != null) out.push(r);
      }
      return out;
    }
    return field(row);
  };
  return { resolve, wildcard: false, enrichment: true, text: `p_enrichment.${table}.${selector}.${fieldPath}` };
}

/**
 * Compiles a standalone key specifier mapping ({Key: …} | {DeepKey: […]} | {KeyPath: …}) — the
 * operands of a multi-key expression, GroupBy entries and AlertContext KeyValues.
 */
export function compileKeySpecifier(node: unknown, path: Path, diag: Diagnostics, opts: SpecifierOptions, what: string): CompiledSpecifier | null {
  if (!isObject(node)) {
    diag.error(path, `${what} must be a key specifier mapping ({Key: …}, {DeepKey: […]} or {KeyPath: …}), not ${typeName(node)}`);
    return null;
  }
  const keys = Object.keys(node);
  for (const k of keys) {
    if (!(SPECIFIER_KEYS as readonly string[]).includes(k)) {
      const near = closest(k, SPECIFIER_KEYS);
      diag.error([...path, k], `unknown key ${JSON.stringify(k)} in ${what}${near ? `; did you mean ${JSON.stringify(near)}?` : ''}`, {
        key: true,
        hint: `${what} holds exactly one of Key, DeepKey or KeyPath`,
      });
      return null;
    }
  }
  if (keys.length !== 1) {
    diag.error(path, keys.length === 0 ? `${what} is empty; it needs one of Key, DeepKey or KeyPath` : `${what} has ${keys.join(' and ')}; use exactly one key specifier`);
    return null;
  }
  return compileSpecifier(node, keys[0] as SpecifierKey, path, diag, opts);
}
