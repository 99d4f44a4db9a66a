// Does a trailing comment such as `# Credential Access: Credentials from Password Stores` agree
// with the IDs of its entry? panther-analysis writes these comments in many forms: tactic only,
// technique only, "Tactic: Technique", "Technique: Sub-technique", "Tactic: Technique - Sub",
// with IDs, abbreviations ("Priv Escalation") or a shortened name ("Disable Cloud Logs").
// The rule here: the comment agrees when its words can be read as the entry's own names (tactic,
// parent technique, technique; current or previous-release names) in any order; it disagrees
// only when it names something else: a different ATT&CK ID, or the exact name of a different
// tactic or technique. Free text that names nothing we know is left alone.
import type { AttackCatalog, AttackTechnique } from './catalog';

type Category = 'tactic' | 'parent' | 'technique';

interface Variant {
  cat: Category;
  id: string;
  name: string;
  tokens: string[];
  /** A name from the previous release (catalog.previousNames). */
  old: boolean;
}

export interface NamedThing {
  kind: 'tactic' | 'technique';
  id: string;
  name: string;
}

export type CommentVerdict =
  | {
      ok: true;
      oldNames: Array<{ id: string; old: string; current: string }>;
      /** False when the words could not be read as the entry's names but name nothing else either (tolerated). */
      exact: boolean;
    }
  | {
      ok: false;
      /** IDs written in the comment that are not the entry's. */
      foreignIds: string[];
      /** Exact names in the comment that belong to another tactic or technique. */
      foreignNames: NamedThing[];
    };

/** Lower-case words; `&` reads as "and"; punctuation and dashes separate words. */
export function words(s: string): string[] {
  return s
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’`]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** Small spelling tolerance: plural s, or an abbreviation of at least four letters ("priv"). */
function sameWord(comment: string, name: string): boolean {
  if (comment === name) return true;
  if (comment + 's' === name || name + 's' === comment) return true;
  if (comment.length >= 4 && name.startsWith(comment)) return true;
  return false;
}

/** Words that carry no naming: they may sit between the names in a comment. */
const FILLER = new Set(['and', 'or', 'via', 'the', 'a', 'of', 'sub', 'technique', 'techniques', 'subtechnique', 'tactic', 'mitre', 'attack', 'att', 'ck']);

interface NameIndex {
  /** joined words → things with that exact name */
  byWords: Map<string, NamedThing[]>;
  /** the longest name, in words */
  maxLen: number;
}

const indexes = new WeakMap<AttackCatalog, NameIndex>();

function nameIndex(catalog: AttackCatalog): NameIndex {
  let index = indexes.get(catalog);
  if (index) return index;
  const byWords = new Map<string, NamedThing[]>();
  let maxLen = 0;
  const add = (name: string, thing: NamedThing) => {
    const w = words(name);
    if (w.length === 0) return;
    const key = w.join(' ');
    const list = byWords.get(key) ?? [];
    if (!list.some((t) => t.id === thing.id)) list.push(thing);
    byWords.set(key, list);
    maxLen = Math.max(maxLen, w.length);
  };
  for (const t of catalog.tactics.values()) add(t.name, { kind: 'tactic', id: t.id, name: t.name });
  for (const t of catalog.techniques.values()) add(t.name, { kind: 'technique', id: t.id, name: t.name });
  for (const [id, old] of Object.entries(catalog.previousNames?.names ?? {})) {
    const kind = id.startsWith('TA') ? 'tactic' : 'technique';
    add(old, { kind, id, name: old });
  }
  index = { byWords, maxLen };
  indexes.set(catalog, index);
  return index;
}

function variantsFor(catalog: AttackCatalog, tacticId: string, tech: AttackTechnique): Variant[] {
  const out: Variant[] = [];
  const prev = catalog.previousNames?.names ?? {};
  const push = (cat: Category, id: string, name: string | undefined) => {
    if (name) out.push({ cat, id, name, tokens: words(name), old: false });
    if (prev[id] && prev[id] !== name) out.push({ cat, id, name: prev[id], tokens: words(prev[id]), old: true });
  };
  push('tactic', tacticId, catalog.tactics.get(tacticId)?.name);
  if (tech.parent) push('parent', tech.parent, catalog.techniques.get(tech.parent)?.name);
  push('technique', tech.id, tech.name);
  return out.filter((v) => v.tokens.length > 0);
}

/** Matches `tokens[i..]` against a name; returns the end index or -1. */
function matchAt(tokens: string[], i: number, name: string[]): number {
  if (i + name.length > tokens.length) return -1;
  for (let k = 0; k < name.length; k++) if (!sameWord(tokens[i + k], name[k])) return -1;
  return i + name.length;
}

/**
 * Can the comment words be read as a sequence of the entry's names (each category at most once,
 * filler words allowed between)? Returns the variants used (fewest previous-release names), or null.
 */
function readAsOwnNames(tokens: string[], variants: Variant[]): Variant[] | null {
  const cats: Category[] = ['tactic', 'parent', 'technique'];
  const memo = new Map<string, Variant[] | null>();
  const solve = (i: number, mask: number): Variant[] | null => {
    if (i === tokens.length) return mask === 0 ? null : [];
    const key = `${i}/${mask}`;
    if (memo.has(key)) return memo.get(key)!;
    memo.set(key, null);
    let best: Variant[] | null = null;
    const consider = (cand: Variant[] | null) => {
      if (!cand) return;
      const olds = cand.filter((v) => v.old).length;
      if (!best || olds < best.filter((v) => v.old).length) best = cand;
    };
    if (FILLER.has(tokens[i]) && mask !== 0) consider(solve(i + 1, mask));
    for (const v of variants) {
      const bit = 1 << cats.indexOf(v.cat);
      if (mask & bit) continue;
      const end = matchAt(tokens, i, v.tokens);
      if (end < 0) continue;
      const rest = solve(end, mask | bit);
      if (rest) consider([v, ...rest]);
    }
    memo.set(key, best);
    return best;
  };
  return solve(0, 0);
}

const ID_IN_TEXT = /\b(TA\d{3,4}|T\d{4}(?:[./]\d{3})?)\b/gi;

/** Compares a trailing comment with an entry whose tactic and technique exist in the catalog. */
export function compareComment(comment: string, catalog: AttackCatalog, tacticId: string, tech: AttackTechnique): CommentVerdict {
  const own = new Set([tacticId, tech.id, ...(tech.parent ? [tech.parent] : [])]);
  const foreignIds: string[] = [];
  const text = comment.replace(ID_IN_TEXT, (m) => {
    const id = m.toUpperCase().replace('/', '.');
    if (!own.has(id) && !foreignIds.includes(id)) foreignIds.push(id);
    return ' ';
  });
  const tokens = words(text);
  const variants = variantsFor(catalog, tacticId, tech);
  const read = tokens.length === 0 ? [] : readAsOwnNames(tokens, variants);
  if (read && foreignIds.length === 0) {
    const oldNames = read.filter((v) => v.old).map((v) => ({ id: v.id, old: v.name, current: currentName(catalog, v.id) }));
    return { ok: true, oldNames, exact: true };
  }

  // Not readable as the entry's names: does it name something else exactly?
  const index = nameIndex(catalog);
  const ownKeys = new Set(variants.map((v) => v.tokens.join(' ')));
  const foreignNames: NamedThing[] = [];
  let i = 0;
  while (i < tokens.length) {
    let matched = 0;
    for (let len = Math.min(index.maxLen, tokens.length - i); len >= 1; len--) {
      const key = tokens.slice(i, i + len).join(' ');
      if (ownKeys.has(key)) {
        matched = len;
        break;
      }
      const things = index.byWords.get(key);
      if (!things) continue;
      // a name shared with one of the entry's own things (e.g. "Cloud Accounts") is not foreign
      if (!things.some((t) => own.has(t.id))) for (const t of things) if (!foreignNames.some((f) => f.id === t.id)) foreignNames.push(t);
      matched = len;
      break;
    }
    i += matched || 1;
  }
  if (foreignIds.length === 0 && foreignNames.length === 0) return { ok: true, oldNames: [], exact: false };
  return { ok: false, foreignIds, foreignNames };
}

function currentName(catalog: AttackCatalog, id: string): string {
  return (id.startsWith('TA') ? catalog.tactics.get(id)?.name : catalog.techniques.get(id)?.name) ?? id;
}

/**
 * What a comment names, read on its own: the ATT&CK IDs written in it and the exact tactic and
 * technique names found in it (longest match first). A sub-technique whose parent is also named
 * wins over other techniques of the same name ("Remote Services: Cloud Services" → T1021.007).
 */
export function namesInComment(comment: string, catalog: AttackCatalog): { tactics: NamedThing[]; techniques: NamedThing[] } {
  const tactics: NamedThing[] = [];
  const techniques: NamedThing[] = [];
  const add = (t: NamedThing) => {
    const list = t.kind === 'tactic' ? tactics : techniques;
    if (!list.some((x) => x.id === t.id)) list.push(t);
  };
  const text = comment.replace(ID_IN_TEXT, (m) => {
    const id = m.toUpperCase().replace('/', '.');
    if (id.startsWith('TA')) {
      const t = catalog.tactics.get(id);
      if (t) add({ kind: 'tactic', id, name: t.name });
    } else {
      const t = catalog.techniques.get(id);
      if (t) add({ kind: 'technique', id, name: t.name });
    }
    return ' ';
  });
  const tokens = words(text);
  const index = nameIndex(catalog);
  const groups: NamedThing[][] = [];
  let i = 0;
  while (i < tokens.length) {
    let matched = 0;
    for (let len = Math.min(index.maxLen, tokens.length - i); len >= 1; len--) {
      const things = index.byWords.get(tokens.slice(i, i + len).join(' '));
      if (!things) continue;
      groups.push(things);
      matched = len;
      break;
    }
    i += matched || 1;
  }
  const named = new Set(groups.flat().map((t) => t.id));
  for (const things of groups) {
    const tacticThings = things.filter((t) => t.kind === 'tactic');
    const techThings = things.filter((t) => t.kind === 'technique');
    if (tacticThings.length === 1) add(tacticThings[0]);
    if (techThings.length === 0) continue;
    // several techniques share the name: keep the one whose parent is named too, if exactly one
    const withParent = techThings.filter((t) => {
      const dot = t.id.indexOf('.');
      return dot > 0 && named.has(t.id.slice(0, dot));
    });
    const pick = techThings.length === 1 ? techThings : withParent.length === 1 ? withParent : [];
    for (const t of pick) add(t);
  }
  // a parent named only as the prefix of its named sub-technique is not a separate intent
  const subs = techniques.filter((t) => t.id.includes('.'));
  const result = techniques.filter((t) => !subs.some((s) => s.id.startsWith(t.id + '.')));
  return { tactics, techniques: result };
}

/**
 * The comment to write for `newTactic`/`newTech` in the style of `comment` (the comment of the
 * entry `oldTactic`/`oldTech`): the same parts (tactic, technique or both) and separators
 * (`Tactic: Technique`, `Tactic - Technique`, `Parent - Sub`). Undefined when the comment is free
 * text that names no ATT&CK tactic or technique (it is left alone).
 */
export function restyleComment(
  comment: string,
  catalog: AttackCatalog,
  oldTactic: string,
  oldTech: AttackTechnique,
  newTactic: string,
  newTech: AttackTechnique,
): string | undefined {
  ID_IN_TEXT.lastIndex = 0;
  const hasIds = ID_IN_TEXT.test(comment);
  ID_IN_TEXT.lastIndex = 0;
  const tokens = words(comment.replace(ID_IN_TEXT, ' '));
  const read = tokens.length ? readAsOwnNames(tokens, variantsFor(catalog, oldTactic, oldTech)) : null;
  const named = namesInComment(comment, catalog);
  if (!read && !hasIds && named.tactics.length === 0 && named.techniques.length === 0) return undefined;
  let withTactic = named.tactics.length > 0;
  let withTech = named.techniques.length > 0;
  if (read) {
    withTactic ||= read.some((v) => v.cat === 'tactic');
    withTech ||= read.some((v) => v.cat !== 'tactic');
  }
  if (!withTactic && !withTech) withTactic = withTech = true; // only IDs: the full canonical form
  const dash = /\s[-–—]\s/.test(comment);
  const sep = comment.includes(':') || !dash ? ': ' : ' - ';
  const subSep = dash && comment.includes(':') ? ' - ' : sep;
  const parent = newTech.parent ? catalog.techniques.get(newTech.parent) : undefined;
  const techText = parent ? `${parent.name}${subSep}${newTech.name}` : newTech.name;
  const tacticText = catalog.tactics.get(newTactic)?.name;
  if (withTactic && tacticText) return withTech ? `${tacticText}${sep}${techText}` : tacticText;
  return techText;
}

/**
 * `comment` with each previous-release name replaced by the current one, when every old name is
 * written out literally (any case); else undefined.
 */
export function renameInComment(comment: string, renames: ReadonlyArray<{ old: string; current: string }>): string | undefined {
  let out = comment;
  for (const r of renames) {
    const re = new RegExp(`(?<![A-Za-z0-9])${r.old.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`, 'i');
    if (!re.test(out)) return undefined;
    out = out.replace(re, r.current);
  }
  return out;
}
