// An offline Sigma matcher (spec §2.3–§2.5): a rule's detection compiled once into predicates over
// flat events. Strings match case-insensitively with * and ? wildcards unless `cased`; `re` is
// case-sensitive unless `i`; every modifier of the table is implemented. Windows events rendered as
// JSON (Event.System / Event.EventData) are flattened the way SigmaHQ's evtx runner sees them.
import { parseAddress, parseNetwork, type Net } from '../panther/simple/ip';
import { isRecord } from './load';
import { selectionsOf, type DetectionItem } from './detection';
import { parseCondition, patternMatches, type CondNode } from './condition';
import { modifierInfo } from './modifiers';
import { parseSigmaString, compileSigmaRegex, hasNestedQuantifier, type StrPart } from './strings';

export type FlatEvent = Map<string, unknown>;
type Pred = (e: FlatEvent) => boolean;

export class SigmaCompileError extends Error {}

// ------------------------------------------------------------------ events

/** Flattens one event. Windows XML-as-JSON: System children by name (attributes as Elem_Attr),
 * EventData/UserData fields by name. Any other JSON: every leaf under its dotted path and its own key. */
export function flattenEvent(raw: unknown): FlatEvent {
  const out: FlatEvent = new Map();
  const ev = isRecord(raw) && isRecord(raw.Event) ? raw.Event : undefined;
  if (ev && (isRecord(ev.System) || isRecord(ev.EventData) || isRecord(ev.UserData))) {
    if (isRecord(ev.System))
      for (const [k, v] of Object.entries(ev.System)) {
        if (isRecord(v)) {
          if ('#text' in v) out.set(k, v['#text']);
          if (isRecord(v['#attributes'])) for (const [a, av] of Object.entries(v['#attributes'])) out.set(`${k}_${a}`, av);
        } else out.set(k, v);
      }
    const data = (d: unknown) => {
      if (!isRecord(d)) return;
      const list = Array.isArray(d.Data) ? d.Data : isRecord(d.Data) ? [d.Data] : undefined;
      if (list && list.every((x) => isRecord(x) && isRecord(x['#attributes']))) {
        for (const x of list as Array<Record<string, any>>) out.set(String(x['#attributes'].Name), x['#text'] ?? null);
        return;
      }
      leaves(d, '', out, false);
    };
    const before = new Set(out.keys());
    data(ev.EventData);
    if (isRecord(ev.UserData)) for (const v of Object.values(ev.UserData)) data(v);
    // Sigma field names drop the spaces of the log's own names ("Source Name" → SourceName, spec §2.6)
    for (const [k, v] of [...out]) if (!before.has(k) && k.includes(' ') && !out.has(k.replace(/ /g, ''))) out.set(k.replace(/ /g, ''), v);
    return out;
  }
  leaves(raw, '', out, true);
  return out;
}

function leaves(v: unknown, prefix: string, out: FlatEvent, dotted: boolean): void {
  if (!isRecord(v)) return;
  for (const [k, x] of Object.entries(v)) {
    if (k === '#attributes') {
      if (isRecord(x)) for (const [a, av] of Object.entries(x)) if (!out.has(a)) out.set(a, av);
      continue;
    }
    const name = dotted && prefix ? `${prefix}.${k}` : k;
    if (isRecord(x)) {
      if ('#text' in x) out.set(name, x['#text']);
      leaves(x, name, out, dotted);
    } else {
      out.set(name, x);
      if (dotted && prefix && !out.has(k)) out.set(k, x);
    }
  }
}

/** Splits a file of one JSON value, a JSON array, or several concatenated JSON objects. */
export function parseEventsFile(text: string): unknown[] {
  const trimmed = text.trim();
  try {
    const one = JSON.parse(trimmed);
    return Array.isArray(one) ? one : [one];
  } catch {
    // concatenated objects: split at top-level brace ends, honouring strings
  }
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inStr = false;
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) out.push(JSON.parse(trimmed.slice(start, i + 1)));
  }
  return out;
}

// ------------------------------------------------------------------ values

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function partsToRegex(parts: StrPart[], cased: boolean, windash = false): RegExp {
  const src = parts
    .map((p, i) => {
      if (typeof p !== 'string') return p.wildcard === '*' ? '[\\s\\S]*' : '[\\s\\S]';
      if (!windash) return escapeRe(p);
      const before = i === 0 ? '' : parts[i - 1];
      return windashSource(p, typeof before === 'string' ? before.slice(-1) : before.wildcard);
    })
    .join('');
  return new RegExp(`^${src}$`, cased ? '' : 'i');
}

/** Bytes → a "binary string" of their char codes, so encoded values compare like strings. */
function utf16(s: string, be: boolean, bom: boolean): string {
  let out = bom ? (be ? '\xfe\xff' : '\xff\xfe') : '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += be ? String.fromCharCode(c >> 8, c & 255) : String.fromCharCode(c & 255, c >> 8);
  }
  return out;
}
const b64 = (binary: string) => Buffer.from(binary, 'latin1').toString('base64');
const utf8bin = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

/** The three base64 forms of a value at offsets 0, 1, 2 (pySigma's base64offset). */
function base64Offsets(binary: string): string[] {
  const start = [0, 2, 3];
  const end = [0, -3, -2];
  return [0, 1, 2].map((i) => {
    const enc = b64('\0'.repeat(i) + binary);
    const tail = (binary.length + i) % 3;
    return enc.slice(start[i], enc.length + (tail === 0 ? 0 : end[tail]) || undefined);
  });
}

const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];

const WORD = /[A-Za-z0-9_]/;

/** windash: a `-` or `/` that starts a word (after a non-word character, before a word character, as
 * pySigma's `\B[-/]\b`) may be any dash character. Returns the regex source of a literal with those
 * positions as a character class (one regex, however many dashes). `prev` is the character before. */
function windashSource(s: string, prev: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const before = i === 0 ? prev : s[i - 1];
    const eligible = (s[i] === '-' || s[i] === '/') && !WORD.test(before) && WORD.test(s[i + 1] ?? '');
    out += eligible ? `[${DASHES.map(escapeRe).join('')}]` : escapeRe(s[i]);
  }
  return out;
}

function fieldValue(e: FlatEvent, field: string): unknown {
  if (e.has(field)) return e.get(field);
  const lower = field.toLowerCase();
  for (const [k, v] of e) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function asStrings(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.flatMap(asStrings);
  if (isRecord(v)) return [];
  return [String(v)];
}

/** Compiles one value of an item into a test on a single string (or on the whole event for fieldref). */
function compileValue(di: DetectionItem, mods: string[], value: unknown): (e: FlatEvent, field: string | null) => boolean {
  const has = (m: string) => mods.includes(m);
  const test = (strTest: (s: string) => boolean) => (e: FlatEvent, field: string | null) =>
    field === null ? [...e.values()].some((v) => asStrings(v).some(strTest)) : asStrings(fieldValue(e, field)).some(strTest);
  if (has('exists')) return (e, field) => (field !== null && fieldValue(e, field) !== undefined) === (value === true);
  if (value === null) return (e, field) => field !== null && (fieldValue(e, field) === undefined || fieldValue(e, field) === null || fieldValue(e, field) === '');
  const num = mods.find((m) => modifierInfo(m)?.group === 'numeric');
  if (num) {
    const n = Number(value);
    const cmp = { lt: (x: number) => x < n, lte: (x: number) => x <= n, gt: (x: number) => x > n, gte: (x: number) => x >= n }[num as 'lt'];
    return test((s) => s.trim() !== '' && !Number.isNaN(Number(s)) && cmp(Number(s)));
  }
  const time = mods.find((m) => modifierInfo(m)?.group === 'time');
  if (time) {
    const n = Number(value);
    return test((s) => {
      const d = new Date(s);
      if (Number.isNaN(d.getTime())) return false;
      const part = { minute: d.getUTCMinutes(), hour: d.getUTCHours(), day: d.getUTCDate(), week: isoWeek(d), month: d.getUTCMonth() + 1, year: d.getUTCFullYear() }[time as 'minute'];
      return part === n;
    });
  }
  if (typeof value === 'boolean') return test((s) => s.toLowerCase() === String(value));
  const text = typeof value === 'string' ? value : String(value);
  if (has('re')) {
    // JavaScript's regex engine backtracks: a nested quantifier in a hostile rule could hang the run
    if (hasNestedQuantifier(text)) throw new SigmaCompileError(`the regular expression ${JSON.stringify(text)} repeats a repeated group; RuleGate does not run it, as it can take exponential time`);
    const r = compileSigmaRegex(text, { i: has('i'), m: has('m'), s: has('s') });
    if (typeof r === 'string') throw new SigmaCompileError(`regular expression ${JSON.stringify(text)} does not compile: ${r}`);
    return test((s) => r.test(s));
  }
  if (has('cidr')) {
    const net: Net | undefined = parseNetwork(text);
    if (!net) throw new SigmaCompileError(`"${text}" is not a network`);
    return test((s) => {
      const a = parseAddress(s);
      return !!a && a.version === net.version && a.value >= net.first && a.value <= net.last;
    });
  }
  if (has('expand')) throw new SigmaCompileError(`"${text}" needs placeholder expansion (|expand), which has no values offline`);
  const position = has('contains') ? 'contains' : has('startswith') ? 'startswith' : has('endswith') ? 'endswith' : 'exact';
  if (has('fieldref')) {
    return (e, field) => {
      const others = asStrings(fieldValue(e, text));
      if (field === null || others.length === 0) return false;
      return asStrings(fieldValue(e, field)).some((s) => others.some((o) => {
        const a = has('cased') ? s : s.toLowerCase();
        const b = has('cased') ? o : o.toLowerCase();
        return position === 'contains' ? a.includes(b) : position === 'startswith' ? a.startsWith(b) : position === 'endswith' ? a.endsWith(b) : a === b;
      }));
    };
  }
  // plain strings: windash variants → encodings → wildcard regex
  const windash = has('windash');
  let partsList: StrPart[][] = [parseSigmaString(text)];
  let encoded = false;
  for (const m of mods) {
    const info = modifierInfo(m);
    if (info?.group !== 'encoding') continue;
    const name = info.name;
    // encodings work on the literal text (wildcards inside encoded values cannot survive encoding)
    partsList = partsList.flatMap((parts) => {
      const lit = parts.map((p) => (typeof p === 'string' ? p : p.wildcard)).join('');
      const bin = encoded ? lit : utf8bin(lit);
      if (name === 'wide') return [[utf16(encoded ? lit : lit, false, false)]];
      if (name === 'utf16be') return [[utf16(lit, true, false)]];
      if (name === 'utf16') return [[utf16(lit, false, true)]];
      if (name === 'base64') return [[b64(bin)]];
      return base64Offsets(bin).map((x) => [x]);
    });
    encoded = true;
  }
  const cased = has('cased') || encoded;
  const regexes = partsList.map((parts) => {
    const p: StrPart[] = [...parts];
    if (position === 'contains' || position === 'endswith' || di.field === null) p.unshift({ wildcard: '*' });
    if (position === 'contains' || position === 'startswith' || di.field === null) p.push({ wildcard: '*' });
    return partsToRegex(p, cased, windash && !encoded);
  });
  return test((s) => regexes.some((r) => r.test(s)));
}

function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const y0 = new Date(Date.UTC(t.getUTCFullYear(), 0, 1));
  return Math.ceil(((t.getTime() - y0.getTime()) / 86400000 + 1) / 7);
}

function compileItem(di: DetectionItem): Pred {
  const mods = di.modifiers.map((m) => modifierInfo(m)?.name ?? m);
  for (const m of di.modifiers) if (!modifierInfo(m)) throw new SigmaCompileError(`unknown modifier "${m}"`);
  const tests = di.values.map((v) => compileValue(di, mods, v.value));
  const field = di.field;
  const all = mods.includes('all');
  const neq = mods.includes('neq');
  const base: Pred = all ? (e) => tests.every((t) => t(e, field)) : (e) => tests.some((t) => t(e, field));
  return neq ? (e) => !base(e) : base;
}

/** A compiled rule: `matches(event)` is true when the detection's condition holds. */
export interface CompiledRule {
  matches(raw: unknown): boolean;
}

export function compileRule(spec: Record<string, unknown>): CompiledRule {
  const det = spec.detection;
  if (!isRecord(det)) throw new SigmaCompileError('the rule has no detection mapping');
  const preds = new Map<string, Pred>();
  for (const sel of selectionsOf(det)) {
    if (sel.groups.length === 0) throw new SigmaCompileError(`the selection "${sel.name}" is empty or malformed`);
    const groups = sel.groups.map((g) => g.map(compileItem));
    preds.set(sel.name, (e) => groups.some((g) => g.every((p) => p(e))));
  }
  const conds = Array.isArray(det.condition) ? det.condition : [det.condition];
  const trees = conds.map((c) => {
    if (typeof c !== 'string') throw new SigmaCompileError('the condition is not a string');
    const parsed = parseCondition(c);
    if (!parsed.ast) throw new SigmaCompileError(`the condition does not parse: ${parsed.problems[0]?.message ?? ''}`);
    return compileCondition(parsed.ast, preds);
  });
  return { matches: (raw) => {
    const e = raw instanceof Map ? (raw as FlatEvent) : flattenEvent(raw);
    return trees.some((t) => t(e));
  } };
}

function compileCondition(node: CondNode, preds: Map<string, Pred>): Pred {
  switch (node.t) {
    case 'id': {
      const p = preds.get(node.name);
      if (!p) throw new SigmaCompileError(`the condition names "${node.name}", which is not a selection`);
      return p;
    }
    case 'of': {
      const list = [...preds.entries()].filter(([n]) => patternMatches(node.pattern, n)).map(([, p]) => p);
      return node.quantifier === 'all' ? (e) => list.length > 0 && list.every((p) => p(e)) : (e) => list.some((p) => p(e));
    }
    case 'not': {
      const p = compileCondition(node.expr, preds);
      return (e) => !p(e);
    }
    case 'and': {
      const l = compileCondition(node.left, preds);
      const r = compileCondition(node.right, preds);
      return (e) => l(e) && r(e);
    }
    case 'or': {
      const l = compileCondition(node.left, preds);
      const r = compileCondition(node.right, preds);
      return (e) => l(e) || r(e);
    }
  }
}
