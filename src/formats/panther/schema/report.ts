// Turns schema violations into findings: one violation → one finding at its own line, in plain
// words (what is wrong, how to fix it). zod issues are mapped here; rules.ts reports directly.
import type { z } from 'zod';
import type { Fix, Item, PathStep, Position, RawFinding, Severity } from '../../../core/types';
import type { Code } from '../../../core/codes';
import { allowedKeysAt, type Variant } from './schemas';
import { closest, closestUnique } from '../../../core/suggest';
import { fixOf, replaceKey } from '../../../fix/edits';
import { describeValue, hasKey, isMapping, quote, yamlText } from './values';
import { YamlFloat } from '../../../load/yaml';
import { walk, type WalkIssue } from './walk';

const VARIANT_LABEL: Record<Variant, string> = {
  rule: 'rule',
  scheduled_rule: 'scheduled rule',
  derived: 'derived rule (a rule with BaseDetection)',
  policy: 'policy',
  correlation_rule: 'correlation rule',
  datamodel: 'data model',
  global: 'global helper',
  pack: 'pack',
  saved_query: 'saved query',
  scheduled_query: 'scheduled query',
  lookup_table: 'lookup table',
  lookup_table_sql: 'SQL lookup table (one with a query key)',
  scheduled_prompt: 'scheduled prompt',
};

const KEY_EXAMPLES: Record<string, string> = {
  RuleID: 'RuleID: Vendor.Service.Behavior',
  PolicyID: 'PolicyID: AWS.S3.Bucket.Encrypted',
  DataModelID: 'DataModelID: Standard.Vendor.LogType',
  GlobalID: 'GlobalID: my_helpers',
  PackID: 'PackID: My.Pack',
  QueryName: 'QueryName: My Query',
  LookupName: 'LookupName: my_lookup',
  PromptName: 'PromptName: daily_summary',
  BaseDetection: 'BaseDetection: Base.Rule.ID',
  Enabled: 'Enabled: true',
  Severity: 'Severity: Medium',
  Filename: 'Filename: my_detection.py',
  Detection: 'Detection: [ … match expressions … ]',
  LogTypes: 'LogTypes: [AWS.CloudTrail]',
  Name: 'Name: a short description',
  ExpectedResult: 'ExpectedResult: true',
  Log: 'Log: { … the event … }',
  Resource: 'Resource: { … the resource … }',
  RuleOutputs: 'RuleOutputs: [{ID: …}]',
  objectName: 'objectName: function_or_constant_name',
  returnValue: 'returnValue: "the value"',
  Mappings: 'Mappings: [{Name: source_ip, Path: $.sourceIPAddress}]',
  PackDefinition: 'PackDefinition: {IDs: [Rule.One, Rule.Two]}',
  IDs: 'IDs: [Rule.One, Rule.Two]',
  Schedule: 'Schedule: {RateMinutes: 60, TimeoutMinutes: 5}',
  TimeoutMinutes: 'TimeoutMinutes: 5',
  PeriodMinutes: 'PeriodMinutes: 60',
  Schema: 'Schema: Custom.MyTable',
  LogTypeMap: 'LogTypeMap: {PrimaryKey: ip}',
  PrimaryKey: 'PrimaryKey: ip',
  LogType: 'LogType: AWS.CloudTrail',
  Selectors: 'Selectors: [sourceIPAddress]',
  ObjectPath: 'ObjectPath: s3://bucket/file.csv',
  Refresh: 'Refresh: {PeriodMinutes: 60}',
  Recipients: 'Recipients: [someone@example.com]',
  DisplayName: 'DisplayName: A readable name',
  PromptText: 'PromptText: …',
  RunAsUser: 'RunAsUser: someone@example.com',
  Query: 'Query: SELECT …',
  From: 'From: StepID',
  To: 'To: StepID',
  GroupID: 'GroupID: GroupName',
  Match: 'Match: field',
};

export function pathLabel(path: readonly PathStep[]): string {
  let out = '';
  for (const step of path) out += typeof step === 'number' ? `[${step}]` : out === '' ? step : `.${step}`;
  return out || 'the file';
}

function expectedWords(expected: string): string {
  switch (expected) {
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'int':
      return 'a whole number';
    case 'array':
      return 'a list';
    case 'object':
    case 'mapping':
      return 'a mapping (key: value lines)';
    case 'string or boolean':
      return 'a string or true/false';
    case 'string or number':
      return 'a string or a number';
    case 'mock value':
      return 'a string, number, true/false, list or mapping';
    default:
      return expected;
  }
}

const TRUE_WORDS = /^(?:y|yes|on|true|t|1)$/i;
const FALSE_WORDS = /^(?:n|no|off|false|f|0)$/i;

/** "write Enabled: true", "quote it: RuleID: \"123\"", … */
function typeHint(key: string, expected: string, v: unknown): string {
  const w = (text: string) => (key.startsWith('-') ? `- ${text}` : `${key}: ${text}`);
  switch (expected) {
    case 'boolean':
      if ((typeof v === 'string' && TRUE_WORDS.test(v)) || v === 1) return `write ${w('true')} (no quotes)`;
      if ((typeof v === 'string' && FALSE_WORDS.test(v)) || v === 0) return `write ${w('false')} (no quotes)`;
      return `write ${w('true')} or ${w('false')}`;
    case 'string':
    case 'string or boolean':
    case 'string or number':
      if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v instanceof YamlFloat)
        return `quote it: ${w(JSON.stringify(yamlText(v)))}`;
      if (v === null) return 'give it a value or remove the key';
      return 'write a single value';
    case 'int':
      if (v instanceof YamlFloat) return `write ${w(String(v.value))} (without ".0")`;
      if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) return `remove the quotes: ${w(v.trim())}`;
      if (typeof v === 'number') return `use a whole number, e.g. ${w(String(Math.round(v)))}`;
      return `write a whole number, e.g. ${w('60')}`;
    case 'array':
      if (typeof v === 'string') return `write it as a list: ${w(`[${JSON.stringify(v)}]`)}`;
      if (v === null) return `write ${w('[]')} or remove the key`;
      if (isMapping(v)) return 'write a list: start each entry with "- "';
      return `write a list, e.g. ${w('[…]')}`;
    case 'object':
    case 'mapping':
      if (Array.isArray(v)) return 'remove the "- " list markers: it takes key: value lines, not a list';
      return 'write key: value lines under it';
    default:
      return 'fix its type';
  }
}

/** Extra words on unknown keys that are easy to put in the wrong place. */
function unknownKeyReason(variant: Variant, path: readonly PathStep[], key: string): { reason: string; renameTo?: string } | undefined {
  const r = reasonText(variant, path, key);
  if (!r) return undefined;
  const renameTo = path.length === 2 && path[0] === 'Tests' && (key === 'Resource' || key === 'Log') && variant !== 'correlation_rule' ? (key === 'Resource' ? 'Log' : 'Resource') : undefined;
  return { reason: r, renameTo };
}

function reasonText(variant: Variant, path: readonly PathStep[], key: string): string | undefined {
  if (path.length === 0) {
    if (variant === 'derived') {
      if (key === 'Filename' || key === 'Detection')
        return `a derived rule runs the code of its base detection (BaseDetection), so it has no ${key} of its own; remove ${key}, or remove BaseDetection to make this an ordinary rule`;
      if (key === 'LogTypes' || key === 'ScheduledQueries')
        return `a derived rule takes its ${key} from its base detection; remove ${key}`;
    }
    if ((variant === 'rule' || variant === 'scheduled_rule') && key === 'BaseDetection')
      return 'BaseDetection is empty, so this file is checked as an ordinary rule; name the base detection\'s RuleID or remove the key';
    if ((variant === 'rule' || variant === 'scheduled_rule') && key === 'ResourceTypes') return 'ResourceTypes belongs to policies; rules use LogTypes';
    if (variant === 'policy' && key === 'Detection')
      return 'policies cannot be simple detections; remove Detection and write policy() in the Python file named by Filename';
    if (variant === 'policy' && key === 'LogTypes') return 'policies name ResourceTypes, not LogTypes';
    if (variant === 'saved_query' && (key === 'Enabled' || key === 'Schedule'))
      return `a saved query cannot be scheduled or enabled; remove ${key}, or make it a scheduled query (AnalysisType: scheduled_query, with Enabled and Schedule)`;
    if (variant === 'correlation_rule' && ['LogTypes', 'Filename', 'DedupPeriodMinutes', 'Threshold', 'InlineFilters'].includes(key))
      return `correlation rules do not take ${key}: they match the alerts of the rules named in Detection`;
    if (variant === 'pack' && key === 'Enabled') return 'packs cannot be enabled or disabled';
    if (variant === 'global' && key === 'Enabled') return 'global helpers cannot be enabled or disabled';
    return undefined;
  }
  if (path.length === 2 && path[0] === 'Tests') {
    if ((variant === 'rule' || variant === 'scheduled_rule') && key === 'Resource')
      return 'rule tests give the event as Log; Resource is for policy tests — rename Resource to Log';
    if (variant === 'policy' && key === 'Log')
      return 'policy tests give the resource as Resource; Log is for rule tests — rename Log to Resource';
    if (variant === 'correlation_rule' && (key === 'Log' || key === 'Resource'))
      return 'correlation-rule tests describe the alerts of the rules they correlate in RuleOutputs, not with a Log';
  }
  return undefined;
}

interface Requirement {
  parent: readonly PathStep[];
  keys: readonly string[];
  code: Code;
  message: string;
}

interface UnknownKey {
  path: readonly PathStep[];
  key: string;
  /** The valid key it probably stands for (a misspelling, or a documented rename). */
  guess: string | undefined;
  reason: string | undefined;
  valid: readonly string[];
  /** The guess is the only close spelling (or a documented rename): `rulegate fix` may rename. */
  unique: boolean;
}

const pathKey = (p: readonly PathStep[]) => p.join('\u0000');

export class Reporter {
  readonly findings: RawFinding[] = [];
  private readonly requirements: Requirement[] = [];
  private readonly unknown: UnknownKey[] = [];
  constructor(
    readonly item: Item,
    readonly variant: Variant,
  ) {}

  get variantLabel(): string {
    return VARIANT_LABEL[this.variant];
  }

  /** The spec value at `path`, or undefined when a step is missing. */
  valueAt(path: readonly PathStep[]): unknown {
    let v: unknown = this.item.spec;
    for (const step of path) {
      if (typeof step === 'number') {
        if (!Array.isArray(v)) return undefined;
        v = v[step];
      } else {
        if (!isMapping(v) || !hasKey(v, step)) return undefined;
        v = v[step];
      }
    }
    return v;
  }

  /** "Tests[0].ExpectedResult (test \"name\")" */
  label(path: readonly PathStep[]): string {
    const base = pathLabel(path);
    if (path[0] === 'Tests' && typeof path[1] === 'number') {
      const entry = this.valueAt(path.slice(0, 2));
      if (isMapping(entry) && typeof entry.Name === 'string') return `${base} (test ${quote(entry.Name)})`;
    }
    return base;
  }

  /** The key whose value is at `path`, as used in "write KEY: value" hints (`-` for list entries). */
  hintKey(path: readonly PathStep[]): string {
    const last = path[path.length - 1];
    return typeof last === 'string' ? last : '-';
  }

  add(code: Code, pos: Position, message: string, severity?: Severity): void {
    const f: RawFinding = { code, file: this.item.file, line: pos.line, column: pos.column, message };
    if (this.item.id !== undefined) f.itemId = this.item.id;
    if (severity) f.severity = severity;
    this.findings.push(f);
  }

  /**
   * Where the value at `path` starts. Empty (null) values can come back from the position map
   * without a place of their own; never report a value above its own key or its parent.
   */
  positionOf(path: readonly PathStep[]): Position {
    const positions = this.item.positions;
    let pos = positions.valueAt(path);
    if (path.length === 0) return pos;
    const anchor = typeof path[path.length - 1] === 'string' ? positions.keyAt(path) : this.positionOf(path.slice(0, -1));
    if (pos.line < anchor.line) pos = anchor;
    return pos;
  }

  atValue(code: Code, path: readonly PathStep[], message: string, severity?: Severity): void {
    this.add(code, this.positionOf(path), message, severity);
  }

  atKey(code: Code, path: readonly PathStep[], message: string, severity?: Severity): void {
    this.add(code, this.item.positions.keyAt(path), message, severity);
  }

  /**
   * For missing keys: line 1 for the top level, the `Key:` line of a nested mapping, the first
   * line of a list entry (a test entry's "- Name: …" line).
   */
  atParent(code: Code, parent: readonly PathStep[], message: string, severity?: Severity): void {
    let pos: Position;
    if (parent.length === 0) pos = { line: 1, column: 1 };
    else if (typeof parent[parent.length - 1] === 'string') pos = this.item.positions.keyAt(parent);
    else pos = this.positionOf(parent);
    this.add(code, pos, message, severity);
  }

  /**
   * A key (or one of several keys) that must be present in the mapping at `parent`. Held back
   * until finish(): when an unknown key there looks like a misspelling of it, only the unknown
   * key is reported (one typo, one finding).
   */
  require(parent: readonly PathStep[], keys: readonly string[], code: Code, message: string): void {
    this.requirements.push({ parent, keys, code, message });
  }

  missingKey(parent: readonly PathStep[], key: string): void {
    const example = KEY_EXAMPLES[key] ?? `${key}: …`;
    const where = parent.length === 0 ? `this ${this.variantLabel}` : this.label(parent);
    this.require(parent, [key], 'schema/missing-key', `The required key ${key} is missing from ${where}; add it, e.g. "${example}".`);
  }

  unknownKey(path: readonly PathStep[], key: string, allowed: readonly string[] | undefined): void {
    const valid = allowed ?? [];
    const special = unknownKeyReason(this.variant, path, key);
    const guess = special ? special.renameTo : closest(key, valid);
    const unique = guess !== undefined && (special ? true : closestUnique(key, valid) === guess);
    this.unknown.push({ path, key, guess, reason: special?.reason, valid, unique });
  }

  /** `required`: the keys of a requirement this unknown key probably meant to meet. */
  private unknownKeyMessage(u: UnknownKey, required: readonly string[] | undefined): string {
    const where = u.path.length === 0 ? `a ${this.variantLabel}` : this.label(u.path);
    let missing = '';
    if (required?.length === 1) missing = ` (${required[0]} is required here and missing.)`;
    else if (required) missing = ` (one of ${required.join(', ')} is required here, and none is present.)`;
    let msg = `${JSON.stringify(u.key)} is not a valid key in ${where}`;
    if (u.reason) msg += `: ${u.reason}.${missing}`;
    else if (u.guess) msg += `. Did you mean ${JSON.stringify(u.guess)}?${missing} Keys are case-sensitive.`;
    else msg += '; remove it or fix its spelling.';
    if (u.valid.length) msg += ` Valid keys: ${u.valid.join(', ')}.`;
    return msg;
  }

  /** Renaming an unknown key to its single close spelling, never when that key is also there. */
  private renameFix(u: UnknownKey): Fix | undefined {
    if (!u.guess || !u.unique) return undefined;
    const parent = this.valueAt(u.path);
    if (!isMapping(parent) || hasKey(parent, u.guess)) return undefined;
    const parentSpan = this.item.positions.spanAt?.(u.path);
    const span = this.item.positions.spanAt?.([...u.path, u.key]);
    // a key merged in from an anchor (<<: *x) sits elsewhere: renaming it would change other mappings
    if (!span || (parentSpan && span.keyStart < parentSpan.start)) return undefined;
    return fixOf(`Rename the key ${JSON.stringify(u.key)} to ${JSON.stringify(u.guess)}`, [replaceKey(this.item, [...u.path, u.key], u.guess)]);
  }

  /** Emits held-back findings and returns all findings in line order. */
  finish(): RawFinding[] {
    const guesses = new Map<string, Set<string>>();
    for (const u of this.unknown) {
      if (!u.guess) continue;
      const k = pathKey(u.path);
      if (!guesses.has(k)) guesses.set(k, new Set());
      guesses.get(k)!.add(u.guess);
    }
    const explained = new Map<string, readonly string[]>();
    for (const r of this.requirements) {
      const near = guesses.get(pathKey(r.parent));
      const hit = near && r.keys.find((k) => near.has(k));
      if (hit) explained.set(`${pathKey(r.parent)}\u0000${hit}`, r.keys);
      else this.atParent(r.code, r.parent, r.message);
    }
    for (const u of this.unknown) {
      const required = u.guess === undefined ? undefined : explained.get(`${pathKey(u.path)}\u0000${u.guess}`);
      this.atKey('schema/unknown-key', [...u.path, u.key], this.unknownKeyMessage(u, required));
      const fix = this.renameFix(u);
      if (fix) this.findings[this.findings.length - 1].fix = fix;
    }
    this.requirements.length = 0;
    this.unknown.length = 0;
    return this.findings.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  }

  typeError(path: readonly PathStep[], expected: string, value: unknown): void {
    const msg = `${this.label(path)} must be ${expectedWords(expected)}, not ${describeValue(value)} — ${typeHint(this.hintKey(path), expected, value)}.`;
    this.atValue('schema/type', path, msg);
  }

  invalidChoice(path: readonly PathStep[], allowed: readonly unknown[], value: unknown, why = ''): void {
    const shown = allowed.map((a) => String(a));
    const guess = typeof value === 'string' ? closest(value, shown) : undefined;
    const key = this.hintKey(path);
    const write = guess ? `write ${key === '-' ? '-' : `${key}:`} ${guess}` : '';
    let msg: string;
    if (shown.length > 8) {
      msg = `${this.label(path)} is ${describeValue(value)}, which is not an allowed value${why}`;
      msg += guess ? ` — did you mean ${guess}? Allowed values: ${shown.join(', ')}.` : `. Allowed values: ${shown.join(', ')}.`;
    } else {
      const list = shown.length === 1 ? shown[0] : `one of ${shown.join(', ')}`;
      msg = `${this.label(path)} must be ${list}${why}, not ${describeValue(value)}${guess ? ` — ${write}.` : '.'}`;
    }
    this.atValue('schema/invalid-value', path, msg);
  }

  /** Checks the value at `base` against a zod schema and reports its issues. */
  check(schema: z.ZodType, base: readonly PathStep[]): void {
    const value = base.length === 0 ? this.item.spec : this.valueAt(base);
    let issues: WalkIssue[] | undefined = walk(schema, value);
    if (!issues) {
      const result = schema.safeParse(value);
      issues = result.success ? [] : (result.error.issues as unknown as WalkIssue[]);
    }
    for (const issue of issues) this.mapIssue(schema, base, issue);
  }

  private mapIssue(schema: z.ZodType, base: readonly PathStep[], issue: WalkIssue): void {
    const rel = issue.path as PathStep[];
    const path = [...base, ...rel];
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeysAt(schema, rel);
      for (const key of issue.keys ?? []) this.unknownKey(path, key, allowed);
      return;
    }
    const last = path[path.length - 1];
    const parent = path.slice(0, -1);
    if (typeof last === 'string') {
      const container = this.valueAt(parent);
      if (isMapping(container) && !hasKey(container, last)) {
        this.missingKey(parent, last);
        return;
      }
    }
    const value = this.valueAt(path);
    switch (issue.code) {
      case 'invalid_type':
        this.typeError(path, issue.expected ?? 'another type', value);
        return;
      case 'custom':
        this.typeError(path, String((issue.params as { expected?: string } | undefined)?.expected ?? 'another type'), value);
        return;
      case 'invalid_value': {
        const why = this.hintKey(path) === 'Private' ? ' (bulk upload only supports shared prompts; remove the key or write Private: false)' : '';
        this.invalidChoice(path, issue.values ?? [], value, why);
        return;
      }
      default: {
        const shown =
          typeof value === 'string' && value !== '' ? ` (it is ${quote(value)})` : Array.isArray(value) ? ` (it has ${value.length})` : '';
        this.atValue('schema/invalid-value', path, `${this.label(path)} ${issue.message}${shown}.`);
      }
    }
  }
}
