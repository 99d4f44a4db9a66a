// YAML loading the way pat reads it, with a position for every key and list entry.
//
// We use js-yaml's event parser (parseEvents: a flat stream with source offsets) and build
// values ourselves, because pat's scalar rules are neither YAML 1.1 nor 1.2 (spec §1):
// only true/false are booleans, timestamps stay strings, `0644` is decimal 644, `08` and `1e3`
// are strings. Building from events also gives exact offsets for every node.
import { parseEvents, getScalarValue, YAMLException } from 'js-yaml';
import type { PathStep, Position, PositionMap, RawFinding, SourceSpan } from '../core/types';

/** A float whose value is integral (`60.0`): kept apart from ints, because pat's schema rejects
 * floats where it wants an int and Python prints it as `60.0`. Non-integral floats are plain numbers. */
export class YamlFloat {
  constructor(public readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toJSON(): number {
    return this.value;
  }
}

export interface YamlError {
  line: number;
  column: number;
  message: string;
}

/** The `yaml/syntax` finding for a file that does not parse; `consequence` says who else rejects it. */
export function yamlSyntaxFinding(file: string, error: YamlError, consequence: string): RawFinding {
  return { code: 'yaml/syntax', file, line: error.line, column: error.column, message: `YAML syntax error: ${error.message}. Fix the YAML at this line (${consequence}).` };
}

export interface DuplicateKey {
  key: string;
  line: number;
  column: number;
}

/** One document of a multi-document file. */
export interface YamlDocument {
  value: unknown;
  positions: PositionMap;
  duplicates: DuplicateKey[];
  /** yaml11 mode only: plain scalars a YAML 1.2 reader would read differently. */
  ambiguous: AmbiguousScalar[];
  /** 1-based line where the document starts. */
  line: number;
}

export type YamlDocumentsResult = { ok: true; documents: YamlDocument[] } | { ok: false; error: YamlError };

export type YamlLoadResult =
  | { ok: true; value: unknown; positions: PositionMap; duplicates: DuplicateKey[]; empty: boolean }
  | { ok: false; error: YamlError };

/** Expanded-node budget: aliases are shared, not copied, but anything that serialises the
 * document (the Python worker does) would expand them; refuse "billion laughs" documents. */
const MAX_EXPANDED_NODES = 2_000_000;
const MAX_DEPTH = 500; // PyYAML loads deep nesting; stay well within what JSON to Python can carry

/** js-yaml event types and the plain scalar style (shared with src/run/pylog.ts). */
export const EV_DOCUMENT = 1;
export const EV_SEQUENCE = 2;
export const EV_MAPPING = 3;
export const EV_SCALAR = 4;
export const EV_ALIAS = 5;
export const EV_POP = 6;
export const STYLE_PLAIN = 1;

/** Node kinds beyond js-yaml's scalar styles (1–5), for SourceSpan.style. */
const KIND_BLOCK = 11;
const KIND_FLOW = 12;
const KIND_ALIAS = 20;
const STYLE_NAMES: Record<number, SourceSpan['style']> = {
  1: 'plain',
  2: 'single',
  3: 'double',
  4: 'literal',
  5: 'folded',
  [KIND_BLOCK]: 'block',
  [KIND_FLOW]: 'flow',
  [KIND_ALIAS]: 'alias',
};

/** Where one node sits in the source. A class with every field set up front keeps V8 on one
 * object shape (this runs for every node of every file). keyStart/keyEnd are -1 when the node is
 * no map value; style is a scalar style (1–5) or one of the KIND_ constants. */
class PosNode {
  keyStart = -1;
  keyEnd = -1;
  style = 0;
  constructor(
    public start: number,
    public end: number,
    public children: Map<PathStep, PosNode> | undefined = undefined,
  ) {}
}

const INT_RE = /^[-+]?(?:0b[01_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT_RE =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const NULL_RE = /^(?:~|null|Null|NULL|)$/;
const BOOL_RE = /^(?:true|True|TRUE|false|False|FALSE)$/;

function toNumberOrBig(digits: string, base: number, negative: boolean): number | bigint {
  const prefix = base === 16 ? '0x' : base === 2 ? '0b' : base === 8 ? '0o' : '';
  const big = BigInt(prefix + digits);
  const signed = negative ? -big : big;
  if (signed <= BigInt(Number.MAX_SAFE_INTEGER) && signed >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(signed);
  return signed;
}

function constructInt(text: string): number | bigint | string {
  let s = text.replace(/_/g, '');
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '') return text;
  if (s.includes(':')) return text; // pat: sexagesimal ints stay strings
  if (s.startsWith('0b')) return toNumberOrBig(s.slice(2) || '0', 2, negative);
  if (s.startsWith('0x')) return toNumberOrBig(s.slice(2) || '0', 16, negative);
  // pat reads leading-zero numbers as decimal (0644 → 644), not octal
  return toNumberOrBig(s.replace(/^0+(?=\d)/, ''), 10, negative);
}

function constructFloat(text: string): number | YamlFloat {
  let s = text.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  let value: number;
  if (s === '.inf') value = Infinity;
  else if (s === '.nan') value = NaN;
  else if (s.includes(':')) {
    value = 0;
    for (const part of s.split(':')) value = value * 60 + parseFloat(part);
  } else value = parseFloat(s);
  value *= sign;
  return Number.isInteger(value) ? new YamlFloat(value) : value;
}

/** Resolves a plain (unquoted, untagged) scalar with pat's rules (spec §1). */
export function resolvePlainScalar(text: string): unknown {
  // Fast path: most scalars are words; only these first characters can start a null, bool or number.
  const c = text.charCodeAt(0);
  const maybeSpecial =
    text.length === 0 ||
    (c >= 48 && c <= 57) || // 0-9
    c === 43 || c === 45 || c === 46 || c === 126 || // + - . ~
    c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70; // n N t T f F
  if (!maybeSpecial) return text;
  if (NULL_RE.test(text)) return null;
  if (BOOL_RE.test(text)) return text[0] === 't' || text[0] === 'T';
  if (INT_RE.test(text)) return constructInt(text);
  if (FLOAT_RE.test(text)) return constructFloat(text);
  return text; // yes/no/on/off, timestamps, 08, 1e3, 0o17 … all stay strings in pat
}

/** How plain scalars are read: `pat` (Panther's rules, above) or `yaml11` (PyYAML's SafeLoader,
 * what every Sigma toolchain uses). */
export type ScalarMode = 'pat' | 'yaml11';

const BOOL11_RE = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;

/** PyYAML (YAML 1.1) reading of a plain scalar: yes/no/on/off are booleans, `010` is octal 8,
 * `1:30` is sexagesimal 90, `1_000` is 1000; timestamps stay strings (validation works on the text). */
export function resolvePlainScalar11(text: string): unknown {
  if (NULL_RE.test(text)) return null;
  if (BOOL11_RE.test(text)) return /^(?:y|t|on)/i.test(text);
  if (INT_RE.test(text)) {
    let s = text.replace(/_/g, '');
    let sign = 1;
    if (s[0] === '-' || s[0] === '+') {
      if (s[0] === '-') sign = -1;
      s = s.slice(1);
    }
    if (s.includes(':')) {
      let v = 0;
      for (const part of s.split(':')) v = v * 60 + parseInt(part, 10);
      return sign * v;
    }
    if (s.startsWith('0b')) return sign * parseInt(s.slice(2) || '0', 2);
    if (s.startsWith('0x')) return sign * parseInt(s.slice(2) || '0', 16);
    if (s.length > 1 && s[0] === '0') return sign * parseInt(s, 8);
    return sign * Number(s);
  }
  if (FLOAT_RE.test(text)) return Number(constructFloat(text).valueOf());
  return text;
}

const INT12_RE = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const FLOAT12_RE = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const BOOL12_RE = /^(?:true|True|TRUE|false|False|FALSE)$/;

/** A YAML 1.2 core-schema reading of a plain scalar (what js-yaml and most non-Python tools do). */
export function resolvePlainScalar12(text: string): unknown {
  if (NULL_RE.test(text)) return null;
  if (BOOL12_RE.test(text)) return text[0] === 't' || text[0] === 'T';
  if (INT12_RE.test(text)) {
    if (text.startsWith('0o')) return parseInt(text.slice(2), 8);
    if (text.startsWith('0x')) return parseInt(text.slice(2), 16);
    return Number(text);
  }
  if (FLOAT12_RE.test(text)) return Number(text.replace(/^([-+]?)\.(inf|nan)$/i, (_m, sgn, w) => (w.toLowerCase() === 'inf' ? `${sgn}Infinity` : 'NaN')));
  return text;
}

/** A plain scalar that a YAML 1.1 and a YAML 1.2 reader turn into different values. */
export interface AmbiguousScalar {
  text: string;
  line: number;
  column: number;
  yaml11: unknown;
  yaml12: unknown;
}

function sameScalar(a: unknown, b: unknown): boolean {
  return typeof a === typeof b && (a === b || (typeof a === 'number' && Number.isNaN(a) && Number.isNaN(b as number)));
}

function resolveTagged(tag: string, text: string, plain: boolean): unknown {
  switch (tag) {
    case '!!str':
    case 'tag:yaml.org,2002:str':
      return text;
    case '!!int':
    case 'tag:yaml.org,2002:int': {
      const v = constructInt(text);
      if (typeof v === 'string') throw new Error(`cannot read "${text}" as an integer (tag ${tag})`);
      return v;
    }
    case '!!float':
    case 'tag:yaml.org,2002:float': {
      const v = constructFloat(text);
      if (typeof v === 'number' && Number.isNaN(v) && !/nan/i.test(text)) throw new Error(`cannot read "${text}" as a float (tag ${tag})`);
      return v;
    }
    case '!!bool':
    case 'tag:yaml.org,2002:bool':
      if (BOOL_RE.test(text)) return text[0] === 't' || text[0] === 'T';
      return text;
    case '!!null':
    case 'tag:yaml.org,2002:null':
      return null;
    case '!':
      return plain ? text : text;
    default:
      throw new Error(`the tag ${tag} is not supported by Panther's safe YAML loader; remove it or quote the value`);
  }
}

class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
  lineEnd(line: number, textLength: number): number {
    return line < this.starts.length ? this.starts[line] - 1 : textLength;
  }
}

class TreePositionMap implements PositionMap {
  private lines: LineIndex | undefined;
  constructor(
    private readonly text: string,
    private readonly root: PosNode | undefined,
    /** When the text was relaxed before parsing (indentFlowClosers): the file's own text and the
     * relaxed offsets where PAD_WIDTH spaces were inserted, to map spans back to the file. */
    private readonly original?: { source: string; inserts: number[] },
  ) {}
  private originalLines: LineIndex | undefined;
  /** An offset of the parsed text as an offset of the file (-1 inside an inserted pad). */
  private toFile(offset: number): number {
    if (!this.original || offset < 0) return offset;
    let k = 0;
    for (const p of this.original.inserts) {
      if (offset >= p + PAD_WIDTH) k++;
      else if (offset > p) return -1;
    }
    return offset - k * PAD_WIDTH;
  }
  private index(): LineIndex {
    return (this.lines ??= new LineIndex(this.text));
  }
  private find(path: readonly PathStep[]): PosNode | undefined {
    let node = this.root;
    for (const step of path) {
      const next = node?.children?.get(step) ?? (typeof step === 'number' ? undefined : node?.children?.get(step));
      if (!next) break;
      node = next;
    }
    return node;
  }
  private findExact(path: readonly PathStep[]): PosNode | undefined {
    let node = this.root;
    for (const step of path) {
      node = node?.children?.get(step);
      if (!node) return undefined;
    }
    return node;
  }
  valueAt(path: readonly PathStep[]): Position {
    const node = this.find(path);
    return node ? this.index().position(node.start) : { line: 1, column: 1 };
  }
  keyAt(path: readonly PathStep[]): Position {
    const node = this.findExact(path);
    if (node && node.keyStart >= 0) return this.index().position(node.keyStart);
    return this.valueAt(path);
  }
  endLineAt(path: readonly PathStep[]): number {
    const node = this.find(path);
    return node ? this.index().position(Math.max(node.start, node.end - 1)).line : 1;
  }
  commentAt(path: readonly PathStep[]): string | undefined {
    const node = this.findExact(path);
    if (!node) return undefined;
    const { line } = this.index().position(node.end);
    const lineEnd = this.index().lineEnd(line, this.text.length);
    const rest = this.text.slice(node.end, lineEnd).replace(/\r$/, ''); // CRLF files: `.` stops at \r
    const m = /(?:^|\s)#\s?(.*)$/.exec(rest.replace(/^["']/, ''));
    return m ? m[1].trim() : undefined;
  }
  spanAt(path: readonly PathStep[]): SourceSpan | undefined {
    const node = this.findExact(path);
    if (!node) return undefined;
    const span = { start: this.toFile(node.start), end: this.toFile(node.end), keyStart: this.toFile(node.keyStart), keyEnd: this.toFile(node.keyEnd) };
    if (span.start < 0 || span.end < 0 || (node.keyStart >= 0 && (span.keyStart < 0 || span.keyEnd < 0))) return undefined;
    return { ...span, style: STYLE_NAMES[node.style] ?? 'plain' };
  }
  commentSpanAt(path: readonly PathStep[]): { start: number; end: number } | undefined {
    const node = this.findExact(path);
    if (!node) return undefined;
    const { line } = this.index().position(node.end);
    let lineEnd = this.index().lineEnd(line, this.text.length);
    if (this.text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const rest = this.text.slice(node.end, lineEnd);
    const m = /(?:^|\s)#/.exec(rest.replace(/^["']/, ' '));
    if (!m) return undefined;
    const start = this.toFile(node.end + m.index + m[0].length - 1);
    const end = this.toFile(lineEnd);
    return start < 0 || end < 0 ? undefined : { start, end };
  }
  /** Line and column of an offset of the file's own text. */
  positionOfOffset(offset: number): Position {
    if (!this.original) return this.index().position(offset);
    return (this.originalLines ??= new LineIndex(this.original.source)).position(offset);
  }
}

/** Thrown inside the builder; turned into a YamlError with a position. */
class BuildError extends Error {
  constructor(
    message: string,
    public readonly offset: number,
  ) {
    super(message);
  }
}

interface Anchored {
  value: unknown;
  pos: PosNode;
  weight: number;
}

type Events = ReturnType<typeof parseEvents>;
/** When the text was relaxed before parsing: the file's own text and where pads were inserted. */
type Relaxed = { source: string; inserts: number[] };

/** Parses the event stream, with the one leniency PyYAML has and js-yaml lacks (see below). */
function parseLeniently(
  source: string,
): { ok: true; text: string; events: Events; relaxed?: Relaxed } | { ok: false; error: YamlError } {
  try {
    return { ok: true, text: source, events: parseEvents(source, { maxDepth: MAX_DEPTH }) };
  } catch (e) {
    // PyYAML (pat) accepts a flow collection whose closing bracket sits at its key's indentation
    // (`Log: {` … `}`); js-yaml does not. Retry with those closing lines indented further: this
    // changes no value and no line number.
    const inserts: number[] = [];
    const relaxed = /deficient indentation/.test(String((e as Error)?.message)) ? indentFlowClosers(source, inserts) : source;
    if (relaxed === source) return { ok: false, error: toYamlError(e, source) };
    try {
      return { ok: true, text: relaxed, events: parseEvents(relaxed, { maxDepth: MAX_DEPTH }), relaxed: { source, inserts } };
    } catch {
      return { ok: false, error: toYamlError(e, source) };
    }
  }
}

interface Built {
  value: unknown;
  pos: PosNode | undefined;
  duplicates: DuplicateKey[];
  ambiguous: AmbiguousScalar[];
  /** Index of the first event after this document. */
  next: number;
}

/** Builds the document whose DOCUMENT event is events[startIndex]. Throws BuildError. */
function buildDocument(text: string, events: Events, startIndex: number, mode: ScalarMode, lineIndex: LineIndex): Built {
  const anchors = new Map<string, Anchored>();
  const duplicates: DuplicateKey[] = [];
  let expanded = 0;
  let lastEnd = 0; // end offset of the last scalar built, to place empty values
  let i = startIndex + 1; // events[startIndex] is the DOCUMENT event
  const ambiguous: AmbiguousScalar[] = [];

  const anchorName = (ev: { anchorStart: number; anchorEnd: number }) =>
    ev.anchorStart >= 0 ? text.slice(ev.anchorStart, ev.anchorEnd) : undefined;
  const tagName = (ev: { tagStart: number; tagEnd: number }) => (ev.tagStart >= 0 ? text.slice(ev.tagStart, ev.tagEnd) : undefined);

  // build() leaves its result in these three registers (no tuple allocated per node)
  let outValue: unknown;
  let outPos: PosNode;
  let outWeight = 0;
  const build = (): void => {
    const ev = events[i++] as any;
    switch (ev.type) {
      case EV_SCALAR: {
        const raw = ev.fast ? text.slice(ev.valueStart, ev.valueEnd) : ev.valueStart < 0 ? '' : getScalarValue(text, ev);
        const tag = tagName(ev);
        let value: unknown;
        try {
          if (tag) value = resolveTagged(tag, raw, ev.style === STYLE_PLAIN);
          else if (ev.style !== STYLE_PLAIN) value = raw;
          else if (mode === 'pat') value = resolvePlainScalar(raw);
          else {
            value = resolvePlainScalar11(raw);
            const other = resolvePlainScalar12(raw);
            if (!sameScalar(value, other)) {
              const p = lineIndex.position(ev.valueStart);
              ambiguous.push({ text: raw, line: p.line, column: p.column, yaml11: value, yaml12: other });
            }
          }
        } catch (err) {
          throw new BuildError((err as Error).message, ev.valueStart);
        }
        // An empty value (`Enabled:` or a bare `-`) has no offset: place it just after the previous token.
        const start = ev.valueStart >= 0 ? ev.valueStart : Math.max(ev.tagStart, ev.anchorStart, lastEnd);
        let end = Math.max(ev.valueEnd, start);
        // quoted scalars: point the end past the closing quote so trailing comments are found
        if (ev.style === 2 || ev.style === 3) end = Math.min(text.length, end + 1);
        const pos = new PosNode(ev.style === 2 || ev.style === 3 ? Math.max(0, start - 1) : start, end);
        pos.style = ev.style;
        lastEnd = end;
        const a = anchorName(ev);
        if (a) anchors.set(a, { value, pos, weight: 1 });
        outValue = value;
        outPos = pos;
        outWeight = 1;
        return;
      }
      case EV_ALIAS: {
        const name = text.slice(ev.anchorStart, ev.anchorEnd);
        const target = anchors.get(name);
        if (!target) throw new BuildError(`the alias *${name} refers to an anchor &${name} that is not defined before it`, ev.anchorStart);
        expanded += target.weight;
        if (expanded > MAX_EXPANDED_NODES)
          throw new BuildError(
            `aliases expand this document to more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes (an "alias bomb"); reduce the use of anchors and aliases`,
            ev.anchorStart,
          );
        const start = Math.max(0, ev.anchorStart - 1);
        outValue = target.value;
        outPos = new PosNode(start, ev.anchorEnd, target.pos.children);
        outPos.style = KIND_ALIAS;
        outWeight = target.weight;
        return;
      }
      case EV_SEQUENCE: {
        const tag = tagName(ev);
        if (tag && tag !== '!!seq' && tag !== 'tag:yaml.org,2002:seq')
          throw new BuildError(`the tag ${tag} is not supported by Panther's safe YAML loader`, ev.tagStart);
        const arr: unknown[] = [];
        const pos = new PosNode(ev.start, ev.start + 1, new Map());
        pos.style = ev.style === 2 ? KIND_FLOW : KIND_BLOCK;
        const a = anchorName(ev);
        let weight = 1;
        while ((events[i] as any).type !== EV_POP) {
          build();
          const v = outValue;
          const p = outPos!;
          const w = outWeight;
          pos.children!.set(arr.length, p);
          arr.push(v);
          pos.end = Math.max(pos.end, p.end);
          weight += w;
        }
        i++; // POP
        if (a) anchors.set(a, { value: arr, pos, weight });
        outValue = arr;
        outPos = pos;
        outWeight = weight;
        return;
      }
      case EV_MAPPING: {
        const tag = tagName(ev);
        if (tag && tag !== '!!map' && tag !== 'tag:yaml.org,2002:map')
          throw new BuildError(`the tag ${tag} is not supported by Panther's safe YAML loader`, ev.tagStart);
        const obj: Record<string, unknown> = {};
        const pos = new PosNode(ev.start, ev.start + 1, new Map());
        pos.style = ev.style === 2 ? KIND_FLOW : KIND_BLOCK;
        const explicit = new Set<string>();
        const merges: Array<[Record<string, unknown>, PosNode]> = [];
        const a = anchorName(ev);
        let weight = 1;
        while ((events[i] as any).type !== EV_POP) {
          const keyEv = events[i] as any;
          build();
          const k = outValue;
          const kp = outPos!;
          if (k !== null && typeof k === 'object' && !(k instanceof YamlFloat))
            throw new BuildError('a mapping key must be a scalar, not a list or mapping', kp.start);
          const isMerge = keyEv.type === EV_SCALAR && keyEv.style === STYLE_PLAIN && k === '<<' && !tagName(keyEv);
          build();
          const v = outValue;
          const vp = outPos!;
          const w = outWeight;
          weight += w;
          pos.end = Math.max(pos.end, vp.end);
          if (isMerge) {
            const sources = Array.isArray(v) ? v : [v];
            sources.forEach((src, idx) => {
              if (src === null || typeof src !== 'object' || Array.isArray(src))
                throw new BuildError('a merge key (<<) needs a mapping or a list of mappings', vp.start);
              const sp = Array.isArray(v) ? vp.children?.get(idx) ?? vp : vp;
              merges.push([src as Record<string, unknown>, sp]);
            });
            continue;
          }
          const key = keyToString(k);
          if (explicit.has(key)) {
            const p = lineIndex.position(kp.start);
            duplicates.push({ key, line: p.line, column: p.column });
          }
          explicit.add(key);
          setKey(obj, key, v);
          vp.keyStart = kp.start; // vp is this entry's own node (aliases get fresh ones)
          vp.keyEnd = kp.end;
          pos.children!.set(key, vp);
        }
        i++; // POP
        // PyYAML: merged keys never override explicit ones; earlier merge sources win over later ones
        for (const [src, sp] of merges) {
          for (const key of Object.keys(src)) {
            if (explicit.has(key)) continue;
            if (!Object.prototype.hasOwnProperty.call(obj, key)) {
              setKey(obj, key, src[key]);
              const child = sp.children?.get(key);
              if (child) pos.children!.set(key, child);
            }
          }
        }
        if (a) anchors.set(a, { value: obj, pos, weight });
        outValue = obj;
        outPos = pos;
        outWeight = weight;
        return;
      }
      default:
        throw new BuildError('unexpected YAML structure', 0);
    }
  };

  if ((events[i] as any)?.type === EV_POP) return { value: null, pos: undefined, duplicates, ambiguous, next: i + 1 }; // empty document
  build();
  return { value: outValue, pos: outPos!, duplicates, ambiguous, next: i + 1 /* the document's POP */ };
}

function buildErrorToYamlError(e: unknown, text: string, lineIndex: LineIndex): YamlError {
  if (e instanceof BuildError) {
    const p = lineIndex.position(e.offset);
    return { line: p.line, column: p.column, message: e.message };
  }
  return toYamlError(e, text);
}

/**
 * Parses one YAML document. Returns the value (with pat's scalar rules), a position map,
 * and the duplicate keys seen (pat keeps the last one silently; we report them as warnings).
 */
export function loadYaml(source: string): YamlLoadResult {
  const parsed = parseLeniently(source);
  if (!parsed.ok) return parsed;
  const { text, events, relaxed } = parsed;
  let documents = 0;
  for (const e of events) if (e.type === EV_DOCUMENT) documents++;
  if (documents === 0) {
    return { ok: true, value: null, positions: new TreePositionMap(text, undefined), duplicates: [], empty: true };
  }
  if (documents > 1) {
    let second = 0;
    let seen = 0;
    for (let i = 0; i < events.length; i++) {
      if (events[i].type === EV_DOCUMENT && ++seen === 2) {
        const next = events[i + 1] as { start?: number; valueStart?: number } | undefined;
        second = next?.start ?? next?.valueStart ?? 0;
        break;
      }
    }
    const p = new LineIndex(text).position(second);
    return {
      ok: false,
      error: {
        line: p.line,
        column: 1,
        message: 'the file holds more than one YAML document (a "---" separator after content); pat reads only single-document files, so split it into separate files',
      },
    };
  }
  const lineIndex = new LineIndex(text);
  try {
    const built = buildDocument(text, events, 0, 'pat', lineIndex);
    return { ok: true, value: built.value, positions: new TreePositionMap(text, built.pos, relaxed), duplicates: built.duplicates, empty: false };
  } catch (e) {
    return { ok: false, error: buildErrorToYamlError(e, text, lineIndex) };
  }
}

/**
 * Parses every document of a file (`---` separated), as PyYAML's safe_load_all does when
 * `mode` is `yaml11`. Positions are offsets in the whole file, so lines are file lines.
 */
export function loadYamlDocuments(source: string, mode: ScalarMode = 'yaml11'): YamlDocumentsResult {
  const parsed = parseLeniently(source);
  if (!parsed.ok) return parsed;
  const { text, events, relaxed } = parsed;
  const lineIndex = new LineIndex(text);
  const documents: YamlDocument[] = [];
  try {
    let i = 0;
    while (i < events.length) {
      if (events[i].type !== EV_DOCUMENT) {
        i++;
        continue;
      }
      const built = buildDocument(text, events, i, mode, lineIndex);
      const first = events[i + 1] as { start?: number; valueStart?: number } | undefined;
      const offset = Math.max(0, first?.start ?? first?.valueStart ?? 0);
      documents.push({
        value: built.value,
        positions: new TreePositionMap(text, built.pos, relaxed),
        duplicates: built.duplicates,
        ambiguous: built.ambiguous,
        line: lineIndex.position(offset).line,
      });
      i = built.next;
    }
  } catch (e) {
    return { ok: false, error: buildErrorToYamlError(e, text, lineIndex) };
  }
  return { ok: true, documents };
}

/** Plain assignment, but safe for a key named __proto__. */
function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Spaces put before a closing-bracket line by the lenient retry. */
const PAD_WIDTH = 256;

/** Indents lines that hold only closing flow brackets (outside block scalars), for the lenient retry
 * above. `inserts` receives the offsets (in the returned text) where the spaces went. */
export function indentFlowClosers(text: string, inserts?: number[]): string {
  const lines = text.split('\n');
  const original = inserts ? [...lines] : [];
  let blockIndent = -1; // indentation of the line that opened a block scalar (| or >), -1 when none
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (/^\s*[}\]][}\],\s]*(#.*)?$/.test(line)) {
      lines[i] = ' '.repeat(PAD_WIDTH) + line;
      changed = true;
    } else if (/(^|[:-]\s)[|>][-+0-9]*\s*(#.*)?$/.test(line.trimEnd())) blockIndent = indent;
  }
  if (!changed) return text;
  if (inserts) {
    let offset = 0;
    lines.forEach((line, i) => {
      if (line.startsWith(' '.repeat(PAD_WIDTH)) && line !== original[i]) inserts.push(offset);
      offset += line.length + 1;
    });
  }
  return lines.join('\n');
}

function keyToString(k: unknown): string {
  if (k === null) return 'None';
  if (typeof k === 'boolean') return k ? 'True' : 'False';
  if (k instanceof YamlFloat) return k.value.toFixed(1);
  return String(k);
}

function toYamlError(e: unknown, text: string): YamlError {
  if (e instanceof YAMLException) {
    const mark = (e as any).mark as { line?: number; column?: number } | undefined;
    const line = (mark?.line ?? 0) + 1;
    const atEnd = text.slice((e as any).mark?.position ?? 0).trim() === '';
    return {
      line,
      column: (mark?.column ?? 0) + 1,
      message: `${(e as any).reason ?? e.message}${atEnd ? ' (the file ends inside an unfinished value: look above for an unclosed [, { or quote)' : ''}`,
    };
  }
  return { line: 1, column: 1, message: (e as Error)?.message ?? String(e) };
}
