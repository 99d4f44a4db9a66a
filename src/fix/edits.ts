// Fixes as data: building text edits from a parsed file's exact spans, and applying them.
// An edit replaces one span of the file's text and nothing else, so comments, quoting, key order,
// indentation, CRLF line endings and a missing final newline survive byte for byte elsewhere.
// Every builder checks that the span holds exactly the text it expects; when it does not (escapes,
// aliases, multi-line scalars, a relaxed parse), it returns undefined and the finding stays
// a suggestion in words.
import type { Fix, Item, PathStep, TextEdit } from '../core/types';

/** An edit of `item`'s text; undefined when the file's offsets are not exact. */
export function makeEdit(item: Item, start: number, end: number, replacement: string): TextEdit | undefined {
  const locate = item.positions.positionOfOffset?.bind(item.positions);
  if (!locate || start < 0 || end < start || end > item.source.length) return undefined;
  const a = locate(start);
  const b = locate(end);
  return { file: item.file, start, end, startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column, replacement };
}

/** Inner span of a scalar (without quotes), when its source text is exactly `expected`. */
function scalarInner(item: Item, start: number, end: number, style: string, expected: string): [number, number] | undefined {
  if (style === 'single' || style === 'double') {
    start += 1;
    end -= 1;
  } else if (style !== 'plain') return undefined;
  if (start < 0 || end < start) return undefined;
  return item.source.slice(start, end) === expected ? [start, end] : undefined;
}

/** A plain scalar may hold the replacement as is (mapping IDs, key names): no quoting needed. */
function safeText(s: string, quoted: boolean): boolean {
  if (/[\r\n]/.test(s)) return false;
  if (quoted) return !/["'\\]/.test(s);
  return /^[A-Za-z0-9_][A-Za-z0-9_ .&:-]*$/.test(s) && !/:\s|\s#|\s$/.test(s);
}

/** Replaces the scalar value at `path` (its text must be exactly `oldValue`), keeping its quotes. */
export function replaceScalar(item: Item, path: readonly PathStep[], oldValue: string, newValue: string): TextEdit | undefined {
  const span = item.positions.spanAt?.(path);
  if (!span) return undefined;
  const inner = scalarInner(item, span.start, span.end, span.style, oldValue);
  if (!inner || !safeText(newValue, span.style !== 'plain')) return undefined;
  return makeEdit(item, inner[0], inner[1], newValue);
}

/** Renames the key of mapping entry `path` (last step) to `newKey`, keeping its quotes. */
export function replaceKey(item: Item, path: readonly PathStep[], newKey: string): TextEdit | undefined {
  const span = item.positions.spanAt?.(path);
  const oldKey = path[path.length - 1];
  if (!span || span.keyStart < 0 || typeof oldKey !== 'string') return undefined;
  const q = item.source[span.keyStart];
  const style = q === '"' ? 'double' : q === "'" ? 'single' : 'plain';
  const inner = scalarInner(item, span.keyStart, span.keyEnd, style, oldKey);
  if (!inner || !safeText(newKey, style !== 'plain')) return undefined;
  return makeEdit(item, inner[0], inner[1], newKey);
}

/** Rewrites the text of the trailing comment after the node at `path`, keeping `#` and its spacing. */
export function replaceComment(item: Item, path: readonly PathStep[], newText: string): TextEdit | undefined {
  const span = item.positions.commentSpanAt?.(path);
  if (!span || /[\r\n]/.test(newText)) return undefined;
  const raw = item.source.slice(span.start, span.end);
  const lead = /^#\s*/.exec(raw)![0].length;
  const trail = raw.length - raw.trimEnd().length;
  const start = span.start + lead;
  const end = span.end - trail;
  if (item.source.slice(start, end) === newText) return undefined;
  return makeEdit(item, start, end, newText);
}

/**
 * Removes entry `index` of the list at `listPath`: a block entry's whole line (with its comment),
 * or a flow entry with one separating comma. Undefined when the entry shares its line with other
 * content (block) or a comment sits inside the removed flow text.
 */
export function removeListEntry(item: Item, listPath: readonly PathStep[], index: number, count: number): TextEdit | undefined {
  const list = item.positions.spanAt?.(listPath);
  const entry = item.positions.spanAt?.([...listPath, index]);
  if (!list || !entry || count < 2) return undefined;
  const text = item.source;
  if (list.style === 'block') {
    const lineStart = text.lastIndexOf('\n', entry.start - 1) + 1;
    if (!/^\s*-\s*$/.test(text.slice(lineStart, entry.start))) return undefined;
    const nl = text.indexOf('\n', entry.end);
    const lineEnd = nl < 0 ? text.length : nl + 1;
    if (!/^\s*(#.*)?\r?\n?$/.test(text.slice(entry.end, lineEnd))) return undefined;
    // the last line of a file without a final newline: take the line break before it instead
    if (nl < 0 && lineStart > 0) {
      const prevBreak = text[lineStart - 2] === '\r' ? lineStart - 2 : lineStart - 1;
      return makeEdit(item, prevBreak, lineEnd, '');
    }
    return makeEdit(item, lineStart, lineEnd, '');
  }
  if (list.style !== 'flow') return undefined;
  // `a, b, c`: take the entry with the comma after it (or, for the last one, the comma before it)
  const last = index === count - 1;
  const other = item.positions.spanAt?.([...listPath, last ? index - 1 : index + 1]);
  if (!other) return undefined;
  const [start, end] = last ? [other.end, entry.end] : [entry.start, other.start];
  const between = last ? text.slice(other.end, entry.start) : text.slice(entry.end, other.start);
  if (!/^\s*,\s*$/.test(between)) return undefined; // a comment or something else in between
  return makeEdit(item, start, end, '');
}

/** A fix from edits; undefined if any edit could not be built. */
export function fixOf(description: string, edits: Array<TextEdit | undefined>): Fix | undefined {
  if (edits.length === 0 || edits.some((e) => e === undefined)) return undefined;
  return { description, edits: edits as TextEdit[] };
}

export interface Applied {
  text: string;
  applied: Fix[];
  /** Fixes held back because they overlap one applied before them (the next pass retries them). */
  conflicts: Fix[];
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === b.start && a.end === b.end && a.replacement === b.replacement) return false; // the same edit twice
  if (a.start === a.end && b.start === b.end) return a.start === b.start; // two insertions at one point: order unknown
  return a.start < b.end && b.start < a.end || (a.start === a.end && a.start > b.start && a.start < b.end) || (b.start === b.end && b.start > a.start && b.start < a.end);
}

/**
 * Applies whole fixes (all edits of a fix or none) in the given order, skipping a fix that
 * overlaps one already taken. Identical edits from two fixes are applied once.
 */
export function applyFixes(text: string, fixes: readonly Fix[]): Applied {
  const taken: TextEdit[] = [];
  const applied: Fix[] = [];
  const conflicts: Fix[] = [];
  for (const fix of fixes) {
    const bad = fix.edits.some((e) => e.start < 0 || e.end > text.length || e.end < e.start || taken.some((t) => overlaps(t, e)));
    if (bad) {
      conflicts.push(fix);
      continue;
    }
    for (const e of fix.edits) if (!taken.some((t) => t.start === e.start && t.end === e.end && t.replacement === e.replacement)) taken.push(e);
    applied.push(fix);
  }
  taken.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of taken) out = out.slice(0, e.start) + e.replacement + out.slice(e.end);
  return { text: out, applied, conflicts };
}
