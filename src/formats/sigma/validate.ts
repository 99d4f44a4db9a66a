// Per-document Sigma checks (spec §2–§6, §11): keys and types, ids and dates, logsource,
// detection shape, modifiers and values, the condition (with the column of the offending token),
// tags, correlation and filter documents, and SigmaHQ's conventions (flagged `hq`).
import type { PathStep } from '../../core/types';
import { cidrProblem } from '../panther/simple/ip';
import { closest } from '../../core/suggest';
import { isRecord, type SigmaItem } from './load';
import { emitterFor, type Emit, type SigmaFinding } from './findings';
import { parseCondition, patternMatches, conditionLeaves } from './condition';
import { selectionsOf, type DetectionItem, type Selection } from './detection';
import { modifierInfo, MODIFIER_NAMES } from './modifiers';
import { parseSigmaString, hasEscapedWildcard, compileSigmaRegex, hasNestedQuantifier } from './strings';

export const SPEC_KEYS = new Set([
  'title', 'id', 'name', 'related', 'taxonomy', 'status', 'description', 'license', 'author', 'references', 'date', 'modified',
  'logsource', 'detection', 'fields', 'falsepositives', 'level', 'tags', 'scope',
]);
const CORRELATION_KEYS = new Set(['title', 'id', 'name', 'status', 'description', 'author', 'references', 'date', 'modified', 'taxonomy', 'falsepositives', 'level', 'tags', 'generate', 'correlation', 'license', 'related']);
const FILTER_KEYS = new Set(['title', 'id', 'name', 'description', 'author', 'date', 'modified', 'taxonomy', 'logsource', 'filter', 'references', 'related', 'license']);
const HQ_EXTRA_KEYS = new Set(['regression_tests_path', 'simulation']);
const KEY_TYPOS: Record<string, string> = { realted: 'related', relatde: 'related', relted: 'related', rlated: 'related', reference: 'references' };
const STATUS = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'];
const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'];
const RELATED_TYPES = ['derived', 'obsolete', 'merged', 'renamed', 'similar'];
const LOGSOURCE_KEYS = ['category', 'product', 'service', 'definition'];
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TITLE_SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'new', 'of', 'on', 'or', 'over', 'the', 'through', 'to', 'via', 'with', 'without']);
const TIMESPAN_RE = /^\d+[smhd]$/;
const CORRELATION_TYPES = ['event_count', 'value_count', 'temporal', 'temporal_ordered', 'value_sum', 'value_avg', 'value_percentile'];
const CONDITION_OPS = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'];

const q = (s: unknown) => JSON.stringify(s);
const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : isRecord(v) ? 'a mapping' : typeof v === 'string' ? 'a string' : typeof v === 'number' ? 'a number' : typeof v === 'boolean' ? 'a boolean' : typeof v);

export function validateSigmaItem(item: SigmaItem): SigmaFinding[] {
  const out: SigmaFinding[] = [];
  const emit = emitterFor(item, out);
  const spec = item.spec;
  checkCommon(item, spec, emit);
  if (item.kind === 'sigma_rule') checkRule(item, spec, emit);
  else if (item.kind === 'sigma_correlation') checkCorrelation(spec, emit);
  else checkFilter(item, spec, emit);
  return out;
}

// ------------------------------------------------------------------ keys common to every document

function checkString(spec: Record<string, unknown>, key: string, emit: Emit): string | undefined {
  const v = spec[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') {
    emit({ code: 'schema/type', path: [key], message: `${key} must be a string, not ${typeName(v)}` });
    return undefined;
  }
  return v;
}

function checkStringList(spec: Record<string, unknown>, key: string, emit: Emit, minLength = 0): string[] | undefined {
  const v = spec[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) {
    emit({ code: 'schema/type', path: [key], message: `${key} must be a list of strings, not ${typeName(v)}`, hint: `write it as a list: "${key}:" then "- …" lines` });
    return undefined;
  }
  const out: string[] = [];
  v.forEach((x, i) => {
    if (typeof x !== 'string') emit({ code: 'schema/type', path: [key, i], message: `${key} entry ${i + 1} must be a string, not ${typeName(x)}` });
    else {
      if (x.length < minLength) emit({ code: 'schema/invalid-value', path: [key, i], message: `${key} entry ${q(x)} is shorter than ${minLength} characters` });
      out.push(x);
    }
  });
  return out;
}

function checkDate(spec: Record<string, unknown>, key: 'date' | 'modified', emit: Emit): string | undefined {
  const v = spec[key];
  if (v === undefined) return undefined;
  const s = typeof v === 'string' ? v : String(v);
  const m = DATE_RE.exec(s);
  const valid = m && +m[2] >= 1 && +m[2] <= 12 && +m[3] >= 1 && +m[3] <= new Date(Date.UTC(+m[1], +m[2], 0)).getUTCDate();
  if (!valid) {
    const slash = /^\d{4}\/\d{1,2}\/\d{1,2}$/.test(s);
    emit({
      code: 'sigma/date-invalid',
      path: [key],
      message: `${key} ${q(s)} is not a date of the form YYYY-MM-DD`,
      hint: slash ? `the slash form is Sigma v1; write ${q(s.split('/').map((p, i) => (i === 0 ? p : p.padStart(2, '0'))).join('-'))}` : 'write the date as YYYY-MM-DD, e.g. 2024-01-31',
    });
    return undefined;
  }
  return s;
}

function checkCommon(item: SigmaItem, spec: Record<string, unknown>, emit: Emit): void {
  const allowed = item.kind === 'sigma_rule' ? SPEC_KEYS : item.kind === 'sigma_correlation' ? CORRELATION_KEYS : FILTER_KEYS;
  // title
  if (spec.title === undefined) emit({ code: 'schema/missing-key', message: 'the document has no title', hint: 'add "title:" as the first key' });
  else if (typeof spec.title !== 'string') emit({ code: 'schema/type', path: ['title'], message: `title must be a string, not ${typeName(spec.title)}` });
  else if (spec.title.length > 256) emit({ code: 'schema/invalid-value', path: ['title'], message: `title is ${spec.title.length} characters long; Sigma allows at most 256` });
  else if (item.kind === 'sigma_rule') checkTitleStyle(spec.title, emit);
  // id
  if (spec.id === undefined) emit({ code: 'sigma/id-missing', validator: 'identifier_existence', message: 'the document has no id', hint: 'add "id:" with a new random UUID (e.g. from uuidgen)' });
  else checkUuid(spec.id, ['id'], emit);
  if (spec.name !== undefined && (typeof spec.name !== 'string' || spec.name.trim() === ''))
    emit({ code: typeof spec.name === 'string' ? 'schema/invalid-value' : 'schema/type', path: ['name'], message: 'name must be a non-empty string' });
  if (spec.taxonomy !== undefined && (typeof spec.taxonomy !== 'string' || spec.taxonomy === ''))
    emit({ code: 'schema/type', path: ['taxonomy'], message: 'taxonomy must be a non-empty string' });
  checkRelated(spec, emit);
  for (const key of ['description', 'license', 'author']) checkString(spec, key, emit);
  if (typeof spec.description === 'string' && spec.description.length > 65535)
    emit({ code: 'schema/invalid-value', path: ['description'], message: 'description is longer than 65,535 characters' });
  // status / level
  for (const [key, values] of [['status', STATUS], ['level', LEVELS]] as const) {
    const v = spec[key];
    if (v === undefined) continue;
    if (typeof v !== 'string') emit({ code: 'schema/type', path: [key], message: `${key} must be a string, not ${typeName(v)}` });
    else if (!(values as readonly string[]).includes(v)) {
      const lower = v.toLowerCase();
      emit({
        code: 'schema/invalid-value',
        path: [key],
        severity: (values as readonly string[]).includes(lower) ? 'warning' : undefined,
        message: `${key} ${q(v)} is not one of ${values.join(', ')}`,
        hint: (values as readonly string[]).includes(lower) ? `write ${q(lower)} (the schema is case-sensitive; pySigma is not)` : `did you mean ${q(closest(lower, values as readonly string[]) ?? values[0])}?`,
      });
    }
  }
  const date = checkDate(spec, 'date', emit);
  const modified = checkDate(spec, 'modified', emit);
  if (modified !== undefined && spec.date === undefined)
    emit({ code: 'sigma/date-order', validator: 'sigmahq_modified_without_date', path: ['modified'], key: true, message: '"modified" is set but "date" is missing', hint: 'add the creation date as "date:"' });
  if (date && modified && modified < date)
    emit({ code: 'sigma/date-order', validator: 'sigmahq_modified_date_order', path: ['modified'], message: `modified ${modified} is before date ${date}` });
  if (date && modified && modified === date)
    emit({ code: 'sigma/date-order', severity: 'note', validator: 'sigmahq_redundant_modified', path: ['modified'], message: `modified is the same day as date (${date})`, hint: 'remove "modified" until the rule changes' });
  const refs = checkStringList(spec, 'references', emit);
  if (refs) {
    const seen = new Set<string>();
    refs.forEach((r, i) => {
      if (seen.has(r)) emit({ code: 'schema/invalid-value', severity: 'warning', validator: 'duplicate_references', path: ['references', i], message: `the reference ${q(r)} is listed twice` });
      seen.add(r);
      if (/^https?:\/\/attack\.mitre\.org/i.test(r))
        emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_mitre_link', path: ['references', i], message: 'a reference links to attack.mitre.org', hint: 'use attack.* tags instead of ATT&CK links' });
      if (/^https?:\/\/github\.com\/SigmaHQ\/[^/]+\/(blob|tree)\/(?![0-9a-f]{40}\/)/i.test(r))
        emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_github_link', path: ['references', i], message: 'a link to a file in a SigmaHQ GitHub repository names a branch, not a commit', hint: 'use a permalink (press "y" on GitHub) so the link never changes' });
    });
  }
  // custom keys
  for (const key of Object.keys(spec)) {
    if (allowed.has(key)) continue;
    if (KEY_TYPOS[key]) {
      emit({ code: 'sigma/key-typo', validator: 'custom_attributes', path: [key], key: true, message: `"${key}" looks like a misspelling of "${KEY_TYPOS[key]}"`, hint: `rename it to "${KEY_TYPOS[key]}"` });
      continue;
    }
    if (key === 'action') continue;
    const hqOk = HQ_EXTRA_KEYS.has(key);
    if (hqOk && item.kind === 'sigma_rule' && key === 'regression_tests_path') continue; // RuleGate runs these tests itself
    const near = closest(key, [...allowed]);
    emit({
      code: 'sigma/custom-key',
      validator: hqOk ? undefined : 'sigmahq_unknown_field',
      path: [key],
      key: true,
      message: `"${key}" is not a key of the Sigma specification (custom keys are allowed, but tools ignore them)`,
      hint: near && near !== key ? `did you mean "${near}"?` : undefined,
      ...(hqOk ? { severity: 'note' as const } : {}),
    });
  }
  // SigmaHQ conventions on metadata (rules only)
  if (item.kind === 'sigma_rule') {
    for (const [key, validator] of [['author', 'sigmahq_author_existence'], ['date', 'sigmahq_date_existence'], ['description', 'sigmahq_description_existence'], ['status', 'sigmahq_status_existence'], ['level', 'sigmahq_level_existence']] as const)
      if (spec[key] === undefined) emit({ code: 'sigma/sigmahq-convention', hq: true, validator, message: `SigmaHQ rules need "${key}"`, hint: `add "${key}:"` });
    if (typeof spec.description === 'string') {
      if (spec.description.length < 16)
        emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_description_length', path: ['description'], message: 'the description is shorter than 16 characters' });
      const noRefs = !Array.isArray(spec.references) || spec.references.length === 0;
      if (noRefs && /https?:\/\/|internal research/i.test(spec.description))
        emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_link_in_description', path: ['description'], message: 'the description holds a link (or "internal research") while references is empty', hint: 'move links to "references:"' });
    }
    if (spec.fields !== undefined) emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_fields_existence', path: ['fields'], key: true, message: 'SigmaHQ treats "fields" as deprecated', hint: 'remove "fields"' });
    checkStringList(spec, 'fields', emit);
    checkStringList(spec, 'scope', emit, 2);
    const fps = checkStringList(spec, 'falsepositives', emit, 2);
    fps?.forEach((fp, i) => {
      const path = ['falsepositives', i];
      if (/^[a-z]/.test(fp)) emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_falsepositives_capital', path, message: `the false positive ${q(fp)} does not start with a capital letter` });
      const banned = /\b(none|pentest|penetration)\b/i.exec(fp);
      if (banned) emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_falsepositives_banned_word', path, message: `the false positive uses the word "${banned[1]}"`, hint: 'write "Unknown" or "Unlikely" when nothing is known' });
      const typo = /\b(unkown|ligitimate|legitimeate)\b/i.exec(fp);
      if (typo) emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_falsepositives_typo_word', path, message: `"${typo[1]}" is misspelled` });
    });
    const fpl = fps ?? [];
    if (new Set(fpl).size !== fpl.length) emit({ code: 'schema/invalid-value', severity: 'warning', path: ['falsepositives'], message: 'falsepositives lists an entry twice' });
    // status location
    const status = typeof spec.status === 'string' ? spec.status.toLowerCase() : undefined;
    if ((status === 'deprecated' || status === 'unsupported') && !new RegExp(`(^|/)${status}/`).test(item.file))
      emit({ code: 'sigma/status-location', validator: 'sigmahq_status', path: ['status'], message: `a rule with status ${status} outside a "${status}/" folder`, hint: `move the file to ${status}/ or change its status` });
    // title first key (single-document files)
    const firstKey = Object.keys(spec)[0];
    if (item.document === 0 && !item.legacy && firstKey !== 'title' && spec.title !== undefined && /^\S/.test(item.source) && !/^title\s*:/.test(item.source.replace(/^(#.*\n|\s*\n)*/, '')))
      emit({ code: 'sigma/sigmahq-convention', hq: true, path: ['title'], key: true, message: '"title" is not the first key of the file', hint: 'move "title:" to the first line' });
    if (/ATT&CK/.test(item.source) && item.document === 0)
      emit({ code: 'sigma/sigmahq-convention', hq: true, line: lineOf(item.source, item.source.indexOf('ATT&CK')), message: 'the text "ATT&CK" appears in the rule (SigmaHQ avoids the trademark)', hint: 'use attack.* tags' });
  }
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function checkUuid(v: unknown, path: PathStep[], emit: Emit): void {
  if (typeof v !== 'string' || !UUID_RE.test(v)) {
    emit({ code: 'sigma/id-invalid', path, message: `${q(v)} is not a UUID (8-4-4-4-12 hexadecimal digits)`, hint: 'generate one with uuidgen' });
    return;
  }
  if (v[14] !== '4' || !/[89abAB]/.test(v[19]))
    emit({ code: 'sigma/id-not-v4', path, message: `${v} is a UUID of version ${v[14]}${/[89abAB]/.test(v[19]) ? '' : ' (non-RFC variant)'}, not a random (version 4) UUID as the specification asks` });
}

function checkRelated(spec: Record<string, unknown>, emit: Emit): void {
  const rel = spec.related;
  if (rel === undefined) return;
  if (!Array.isArray(rel)) return void emit({ code: 'schema/type', path: ['related'], message: `related must be a list of {id, type}, not ${typeName(rel)}` });
  rel.forEach((r, i) => {
    if (!isRecord(r)) return void emit({ code: 'schema/type', path: ['related', i], message: `related entry ${i + 1} must be a mapping with id and type` });
    if (r.id === undefined) emit({ code: 'schema/missing-key', path: ['related', i], message: `related entry ${i + 1} has no id` });
    else checkUuid(r.id, ['related', i, 'id'], emit);
    if (r.type === undefined) emit({ code: 'schema/missing-key', path: ['related', i], message: `related entry ${i + 1} has no type` });
    else if (typeof r.type !== 'string' || !RELATED_TYPES.includes(r.type))
      emit({
        code: 'schema/invalid-value',
        path: ['related', i, 'type'],
        severity: typeof r.type === 'string' && (RELATED_TYPES.includes(r.type.toLowerCase()) || r.type === 'correlation') ? 'warning' : undefined,
        message: `related type ${q(r.type)} is not one of ${RELATED_TYPES.join(', ')}`,
      });
  });
}

function checkTitleStyle(title: string, emit: Emit): void {
  const path = ['title'];
  if (title.length > 120) emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_title_length', path, message: `the title is ${title.length} characters; SigmaHQ allows 120` });
  if (/^Detects? /.test(title)) emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_title_start', path, message: 'the title starts with "Detect"', hint: 'name what is detected, without "Detects"' });
  if (title.endsWith('.')) emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_title_end', path, message: 'the title ends with "."' });
  const bad = title.split(' ').find((w) => /^[a-z]/.test(w) && w === w.toLowerCase() && !TITLE_SMALL_WORDS.has(w) && !/[./_]/.test(w) && !/^\d/.test(w));
  if (bad) emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_title_case', path, message: `the title word "${bad}" is not capitalised`, hint: 'SigmaHQ titles capitalise every word except short ones like "and", "of", "via"' });
}

// ------------------------------------------------------------------ rules

function checkRule(item: SigmaItem, spec: Record<string, unknown>, emit: Emit): void {
  checkLogsource(spec, emit, true);
  const det = spec.detection;
  if (det === undefined) return void emit({ code: 'schema/missing-key', message: 'the rule has no detection', hint: 'add "detection:" with at least one selection and a condition' });
  if (!isRecord(det)) return void emit({ code: 'schema/type', path: ['detection'], message: `detection must be a mapping of selections and a condition, not ${typeName(det)}` });
  const selections = selectionsOf(det);
  if (selections.length === 0) emit({ code: 'sigma/detection-empty', path: ['detection'], key: true, message: 'the detection has no selection', hint: 'add a selection such as "selection: {Image|endswith: \'\\\\cmd.exe\'}"' });
  if ('timeframe' in det)
    emit({ code: 'sigma/condition-legacy-aggregation', path: ['detection', 'timeframe'], key: true, message: '"timeframe" inside detection is Sigma v1 aggregation syntax', hint: 'use a correlation rule with "timespan:"' });
  for (const sel of selections) checkSelection(item, spec, sel, emit);
  checkHqDetection(item, spec, selections, emit);
  if (det.condition === undefined) emit({ code: 'schema/missing-key', path: ['detection'], key: true, message: 'the detection has no condition', hint: 'add "condition: selection" (or the combination of selections that should alert)' });
  else checkConditions(item, det.condition, selections, emit);
}

function checkLogsource(spec: Record<string, unknown>, emit: Emit, required: boolean): void {
  const ls = spec.logsource;
  if (ls === undefined) {
    if (required) emit({ code: 'schema/missing-key', message: 'the rule has no logsource', hint: 'add "logsource:" with category, product and/or service' });
    return;
  }
  if (!isRecord(ls)) return void emit({ code: 'schema/type', path: ['logsource'], message: `logsource must be a mapping, not ${typeName(ls)}` });
  if (!['category', 'product', 'service'].some((k) => ls[k] !== undefined && ls[k] !== null && ls[k] !== ''))
    emit({ code: 'sigma/logsource-empty', path: ['logsource'], key: true, message: 'logsource names none of category, product and service', hint: 'add at least one, e.g. "product: windows"' });
  for (const [k, v] of Object.entries(ls)) {
    if (!LOGSOURCE_KEYS.includes(k))
      emit({ code: 'sigma/logsource-unknown-key', validator: 'fieldname_logsource', path: ['logsource', k], key: true, message: `"${k}" is not a logsource key (category, product, service, definition)`, hint: closest(k, LOGSOURCE_KEYS) ? `did you mean "${closest(k, LOGSOURCE_KEYS)}"?` : undefined });
    if (typeof v !== 'string' && v !== null) emit({ code: 'schema/type', path: ['logsource', k], message: `logsource ${k} must be a string, not ${typeName(v)}` });
  }
}

const SELECTION_NAME_RE = /^[A-Za-z0-9_-]+$/;

function checkSelection(item: SigmaItem, spec: Record<string, unknown>, sel: Selection, emit: Emit): void {
  if (!SELECTION_NAME_RE.test(sel.name))
    emit({
      code: 'sigma/detection-name-invalid',
      path: sel.path,
      key: true,
      message: sel.name.includes('|')
        ? `the selection name "${sel.name}" contains "|": the modifier landed on the selection name, so it applies to nothing`
        : `the selection name "${sel.name}" has characters a condition cannot name ([A-Za-z0-9_-] only)`,
      hint: sel.name.includes('|') ? `rename it "${sel.name.split('|')[0]}" and put "|${sel.name.split('|').slice(1).join('|')}" on the field names` : 'rename it with letters, digits, "_" and "-" only',
    });
  if (sel.shape === 'empty') return void emit({ code: 'sigma/detection-empty', path: sel.path, key: true, message: `the selection "${sel.name}" is empty` });
  if (sel.shape === 'mixed' || sel.shape === 'invalid')
    return void emit({ code: 'sigma/detection-shape', path: sel.path, key: true, message: `the selection "${sel.name}" mixes maps and plain values in one list (or has an unsupported value)`, hint: 'a selection is a map of fields, a list of maps, or a list of keywords' });
  for (const group of sel.groups) for (const di of group) checkDetectionItem(item, spec, di, emit);
}

function isNumber(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'bigint';
}

function checkDetectionItem(item: SigmaItem, spec: Record<string, unknown>, di: DetectionItem, emit: Emit): void {
  const at = di.path;
  const keyAt = { path: at, key: di.key !== null };
  if (di.field !== null && di.field.includes(' '))
    emit({ code: 'sigma/field-name-space', validator: 'sigmahq_space_field_name', ...keyAt, message: `the field name "${di.field}" contains a space`, hint: 'field names have no spaces (remove it, as the taxonomy does)' });
  if (di.key !== null && di.values.length === 0) emit({ code: 'sigma/detection-empty', ...keyAt, message: `"${di.key}" has an empty list of values` });
  // modifiers
  const mods: string[] = [];
  let bad = false;
  di.modifiers.forEach((m, idx) => {
    const info = modifierInfo(m);
    if (!info) {
      bad = true;
      const near = closest(m, MODIFIER_NAMES);
      return void emit({ code: 'sigma/modifier-unknown', ...keyAt, message: `unknown modifier "${m}" in "${di.key}"`, hint: near ? `did you mean "${near}"?` : 'the modifiers are listed in the Sigma specification §2.5' });
    }
    if (info.notPortable) emit({ code: 'sigma/modifier-not-portable', ...keyAt, message: `the modifier "${m}" is in the specification but pySigma 1.5 (sigma check) does not know it`, hint: `write "${info.notPortable}", which every tool reads` });
    if (info.first && idx > 0) {
      bad = true;
      emit({ code: 'sigma/modifier-order', ...keyAt, message: `"${m}" must be the first modifier (it works only on an unmodified value), but follows "${di.modifiers[idx - 1]}"`, hint: m === 're' ? 'a regular expression already says where it matches: drop contains/startswith/endswith and use .* in the expression' : undefined });
    }
    if (info.after && !mods.includes(info.after)) {
      bad = true;
      emit({ code: 'sigma/modifier-order', ...keyAt, message: `the regular-expression flag "${m}" needs "re" before it` });
    }
    if (mods.includes(info.name) && info.name !== 'base64')
      emit({ code: 'sigma/modifier-repeated', validator: 'invalid_modifier_combinations', ...keyAt, message: `the modifier "${m}" is applied twice` });
    mods.push(info.name);
  });
  if (bad) return;
  if (mods.includes('exists') && (di.field === null || mods.length > 1))
    emit({ code: 'sigma/modifier-order', ...keyAt, message: di.field === null ? '"exists" needs a field name' : '"exists" must be the only modifier' });
  if (mods.includes('all')) {
    if (di.field !== null && !mods.some((m) => m === 'contains' || m === 'startswith' || m === 'endswith' || m === 're') && di.values.length > 1)
      emit({ code: 'sigma/modifier-combination', validator: 'invalid_modifier_combinations', ...keyAt, message: `"${di.key}" uses "all" without "contains": one field value cannot equal several different values, so this never matches`, hint: 'add "|contains" (or drop "|all")' });
    if (mods.includes('windash'))
      emit({ code: 'sigma/modifier-combination', validator: 'invalid_modifier_combinations', ...keyAt, message: '"windash" with "all": every dash variant would have to be present at once' });
    if (di.values.length < 2)
      emit({ code: 'sigma/modifier-combination', validator: 'sigmahq_invalid_all_modifier', ...keyAt, message: '"all" with a single value changes nothing', hint: 'remove "|all" or list several values' });
  }
  const b64o = mods.indexOf('base64offset');
  if (b64o >= 0 && !mods.slice(b64o + 1).includes('contains'))
    emit({ code: 'sigma/modifier-combination', validator: 'invalid_modifier_combinations', ...keyAt, message: '"base64offset" must be followed by "contains" (the offset forms only ever match inside a longer string)', hint: 'add "|contains" after base64offset' });
  if (di.values.length > 1 && di.values.some((v) => v.value === null))
    emit({ code: 'sigma/value-null-in-list', ...keyAt, message: `null shares a list with other values in "${di.key ?? di.selection}"; the specification wants null in its own selection` });
  if (di.isList && di.values.length === 1 && di.key !== null)
    emit({ code: 'sigma/sigmahq-convention', hq: true, ...keyAt, message: `"${di.key}" is a one-element list`, hint: 'write the value inline' });
  // duplicated values (case-insensitive unless cased/re/base64)
  const caseFold = !mods.some((m) => m === 'cased' || m === 're' || m.startsWith('base64'));
  const seen = new Set<string>();
  for (const v of di.values) {
    if (typeof v.value !== 'string') continue;
    const k = caseFold ? v.value.toLowerCase() : v.value;
    if (seen.has(k)) emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_field_duplicate_value', path: v.path, message: `the value ${q(v.value)} is listed twice in "${di.key ?? di.selection}"` });
    seen.add(k);
  }
  for (const v of di.values) checkValue(item, di, mods, v.value, v.path, emit);
  checkWildcardsInsteadOfModifiers(di, emit);
}

/** Every value of a field written as `*x*` (or `x*`, `*x`) where one modifier would say it (pySigma: per item). */
function checkWildcardsInsteadOfModifiers(di: DetectionItem, emit: Emit): void {
  if (di.modifiers.length > 0 || di.field === null || di.values.length === 0) return;
  const kinds = new Set<string>();
  for (const v of di.values) {
    if (typeof v.value !== 'string') return;
    const parts = parseSigmaString(v.value);
    const first = parts[0];
    const last = parts[parts.length - 1];
    const startW = parts.length >= 2 && typeof first !== 'string' && first.wildcard === '*';
    const endW = parts.length >= 2 && typeof last !== 'string' && last.wildcard === '*';
    const inner = parts.slice(startW ? 1 : 0, endW ? -1 : undefined);
    if (!(startW || endW) || inner.length !== 1 || typeof inner[0] !== 'string') return;
    kinds.add(startW && endW ? 'contains' : startW ? 'endswith' : 'startswith');
  }
  if (kinds.size !== 1) return;
  const mod = [...kinds][0];
  emit({ code: 'sigma/value-style', validator: 'wildcards_instead_of_modifiers', path: di.path, key: true, message: `every value of "${di.key}" is wrapped in wildcards where "|${mod}" says it plainly`, hint: `write "${di.field}|${mod}" and drop the outer *` });
}

function isQuoted(item: SigmaItem, path: PathStep[]): boolean {
  const p = item.positions.valueAt(path);
  const c = lineText(item, p.line)[p.column - 1];
  return c === "'" || c === '"';
}

/** Line starts per source text (shared by the documents of one file); lines are cut out on demand. */
const lineStarts = new Map<string, number[]>();
let lineStartsFor: string | undefined;
export function lineText(item: SigmaItem, line: number): string {
  let starts = lineStartsFor === item.source ? lineStarts.get(item.source) : undefined;
  if (!starts) {
    starts = [0];
    const t = item.source;
    for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) starts.push(i + 1);
    lineStarts.clear(); // one file at a time: no memory kept across files
    lineStarts.set(item.source, starts);
    lineStartsFor = item.source;
  }
  if (line < 1 || line > starts.length) return '';
  const end = line < starts.length ? starts[line] - 1 : item.source.length;
  return item.source.slice(starts[line - 1], end);
}

function lineCount(item: SigmaItem): number {
  lineText(item, 1);
  return lineStarts.get(item.source)!.length;
}

function checkValue(item: SigmaItem, di: DetectionItem, mods: string[], value: unknown, path: PathStep[], emit: Emit): void {
  const where = di.key ?? `selection ${di.selection}`;
  if (mods.includes('exists')) {
    if (typeof value !== 'boolean') emit({ code: 'sigma/modifier-type', path, message: `"exists" needs true or false, not ${q(value)}` });
    return;
  }
  const numericMod = mods.find((m) => modifierInfo(m)?.operand === 'number');
  if (numericMod) {
    if (!isNumber(value)) emit({ code: 'sigma/modifier-type', path, message: `"${numericMod}" compares numbers, but the value ${q(value)} is ${typeName(value)}`, hint: 'write a number without quotes' });
    return;
  }
  if (value === null) return;
  if (typeof value !== 'string') {
    if ((isNumber(value) || typeof value === 'boolean') && mods.some((m) => m === 're' || m === 'cidr' || m === 'fieldref' || m === 'windash' || modifierInfo(m)?.group === 'encoding'))
      emit({ code: 'sigma/modifier-type', path, message: `the modifiers of "${where}" need a string, but the value ${q(value)} is ${typeName(value)}`, hint: 'quote the value' });
    else if (isRecord(value) || Array.isArray(value)) emit({ code: 'sigma/detection-shape', path, message: `a value in "${where}" is ${typeName(value)}; values are strings, numbers, booleans or null` });
    return;
  }
  if (/[\x00-\x08\x0b-\x1f]|\n|\t/.test(value) && !mods.includes('re'))
    emit({
      code: 'sigma/value-control-char',
      validator: 'control_character',
      path,
      message: `the value in "${where}" contains a control character (${q(value.match(/[\x00-\x1f]/)![0])})`,
      hint: 'in a double-quoted YAML string "\\t" is a tab: use single quotes for Windows paths',
    });
  if (mods.includes('re')) {
    const flags = { i: mods.includes('i'), m: mods.includes('m'), s: mods.includes('s') };
    const r = compileSigmaRegex(value, flags);
    if (typeof r === 'string') emit({ code: 'sigma/value-regex', path, message: `the regular expression in "${where}" does not compile: ${r}` });
    if (hasNestedQuantifier(value))
      emit({ code: 'sigma/value-regex', severity: 'warning', path, message: `the regular expression in "${where}" repeats a repeated group, which can take exponential time on some inputs`, hint: 'remove the outer quantifier or make the inner part unambiguous' });
    const look = /\(\?(<=|<!|=|!|>)/.exec(value);
    if (look)
      emit({ code: 'sigma/value-regex', severity: 'warning', validator: 'sigmahq_unsupported_regex_group_construct', path, message: `the regular expression uses "(?${look[1]}" (lookaround or atomic group), which many backends cannot run` });
    const esc = /\\(.)/gs; // consumes "\\" pairs, so only real escapes are looked at
    let m: RegExpExecArray | null;
    while ((m = esc.exec(value)))
      if (/[A-Za-z]/.test(m[1]) && !/[AbBdDfnrsStvwWZ]/.test(m[1])) {
        emit({ code: 'sigma/value-regex', severity: 'warning', hq: true, path, message: `the regular expression has "\\${m[1]}", which is not a regex escape in every dialect`, hint: m[1] === 'x' || m[1] === 'u' ? undefined : `write "${m[1]}" without the backslash` });
        break;
      }
    return;
  }
  if (mods.includes('cidr')) {
    const p = cidrProblem(value);
    if (p) emit({ code: 'sigma/value-cidr', path, message: `"${value}" is not a valid network in "${where}": ${p}` });
    return;
  }
  if (mods.includes('fieldref')) {
    if (/(^|[^\\])[*?]/.test(value)) emit({ code: 'sigma/value-fieldref-wildcard', path, message: `the field reference "${value}" contains a wildcard; fieldref names one field exactly` });
    return;
  }
  const parts = parseSigmaString(value);
  if (hasEscapedWildcard(value))
    emit({ code: 'sigma/value-style', validator: 'escaped_wildcard', path, message: `the value ${q(value)} contains an escaped (literal) wildcard`, hint: 'make sure a literal * or ? is meant; most backends handle escaped wildcards differently' });
  if (/(^|[^\\])\*\*/.test(value)) emit({ code: 'sigma/value-style', validator: 'double_wildcard', path, message: `the value ${q(value)} contains "**"`, hint: 'one * is enough' });
  if (/^\d+$/.test(value) && isQuoted(item, path) && di.modifiers.length === 0)
    emit({ code: 'sigma/value-style', validator: 'number_as_string', path, message: `the number ${value} is quoted, so it is compared as a string`, hint: `write ${value} without quotes` });
  if (!mods.includes('expand') && /(^|[^\\])%[A-Za-z][A-Za-z0-9_]*%/.test(value))
    emit({ code: 'sigma/placeholder-without-expand', path, message: `the value ${q(value)} looks like a placeholder but "${where}" has no "|expand", so it is matched literally` });
  // SigmaHQ value conventions
  if (di.field === 'Hashes' || di.field === 'Hash') {
    for (const part of value.split(',')) {
      const m = /^(MD5|SHA1|SHA256|IMPHASH)=([0-9a-fA-F]*)$/.exec(part.replace(/^\*|\*$/g, ''));
      const len = m ? { MD5: 32, SHA1: 40, SHA256: 64, IMPHASH: 32 }[m[1] as 'MD5'] : 0;
      if (!m || m[2].length !== len) {
        emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_invalid_hash_kv', path, message: `the hash value ${q(value)} is not of the form MD5=, SHA1=, SHA256= or IMPHASH= with a hash of the right length` });
        break;
      }
    }
  }
  if ((di.field === 'User' || di.field?.endsWith('UserName')) && /^(NT AUTHORITY|AUTORITE NT|NT-AUTORITÄT)\\/i.test(value) && !mods.includes('contains'))
    emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_field_user', path, message: `the user name ${q(value)} depends on the Windows display language (NT AUTHORITY is localized)`, hint: 'use "User|contains" with both "AUTHORI" and "AUTORI"' });
}

/** SigmaHQ checks on the detection as a whole. */
function checkHqDetection(item: SigmaItem, spec: Record<string, unknown>, selections: Selection[], emit: Emit): void {
  const ls = isRecord(spec.logsource) ? spec.logsource : {};
  const eventIds: Array<{ value: unknown; path: PathStep[] }> = [];
  for (const sel of selections) for (const g of sel.groups) for (const di of g) if (di.field === 'EventID' && di.modifiers.length === 0) eventIds.push(...di.values);
  // A specific Sysmon/Security EventID where a generic category exists (pySigma core).
  const sysmonGeneric = (n: number) => (n >= 1 && n <= 29) || n === 255;
  if (ls.product === 'windows' && (ls.service === 'sysmon' || ls.service === 'security'))
    for (const e of eventIds) {
      const n = Number(e.value);
      if ((ls.service === 'sysmon' && sysmonGeneric(n)) || (ls.service === 'security' && n === 4688))
        emit({ code: 'sigma/logsource-generic-available', validator: 'specific_instead_of_generic_logsource', path: e.path, message: `EventID ${n} of ${ls.service} has a generic logsource category`, hint: 'use the generic category (e.g. process_creation) so the rule works for every log source of that kind' });
    }
  if (ls.service === 'sysmon' && eventIds.length === 0)
    emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_sysmon_missing_eventid', path: ['logsource', 'service'], message: 'a sysmon-service rule without EventID' });
}

// ------------------------------------------------------------------ conditions

/** Column of an offset inside the condition scalar at `path` (quoted, plain, or block scalar). */
export function conditionPosition(item: SigmaItem, path: PathStep[], text: string, offset: number): { line: number; column: number } {
  const p = item.positions.valueAt(path);
  const first = lineText(item, p.line);
  const from = first.slice(p.column - 1);
  if (from.startsWith(text)) return { line: p.line, column: p.column + offset };
  if ((from[0] === "'" || from[0] === '"') && !text.includes('\n') && from.slice(1).startsWith(text.split(/''/)[0])) return { line: p.line, column: p.column + 1 + offset };
  // block or multi-line scalar: walk the content lines
  let lineNo = /^[|>]/.test(from) ? p.line + 1 : p.line;
  let col = /^[|>]/.test(from) ? 0 : p.column - 1;
  let remaining = offset;
  const total = lineCount(item);
  while (lineNo <= total) {
    const raw = lineText(item, lineNo);
    const indent = col > 0 ? col : raw.length - raw.trimStart().length;
    const content = raw.slice(indent).replace(/^['"]/, '');
    if (remaining <= content.length) return { line: lineNo, column: indent + remaining + 1 };
    remaining -= content.length + 1;
    lineNo++;
    col = 0;
  }
  return { line: p.line, column: p.column };
}

function checkConditions(item: SigmaItem, cond: unknown, selections: Selection[], emit: Emit, base = 'detection'): void {
  const list = Array.isArray(cond) ? cond : [cond];
  const names = selections.map((s) => s.name);
  const used = new Set<string>();
  list.forEach((c, i) => {
    const path: PathStep[] = Array.isArray(cond) ? [base, 'condition', i] : [base, 'condition'];
    if (typeof c !== 'string') return void emit({ code: 'schema/type', path, message: `the condition must be a string (or a list of strings), not ${typeName(c)}` });
    const parsed = parseCondition(c);
    const at = (offset: number) => conditionPosition(item, path, c, offset);
    for (const pr of parsed.problems) emit({ code: pr.code, ...at(pr.offset), message: pr.message, hint: pr.hint });
    for (const leaf of conditionLeaves(parsed.ast)) {
      if (leaf.t === 'id') {
        if (names.includes(leaf.name)) used.add(leaf.name);
        else emit({ code: 'sigma/condition-unknown-identifier', ...at(leaf.offset), message: `the condition names "${leaf.name}", which is not a selection of this rule`, hint: closest(leaf.name, names) ? `did you mean "${closest(leaf.name, names)}"?` : `define "${leaf.name}:" under detection` });
      } else {
        const matched = names.filter((n) => patternMatches(leaf.pattern, n));
        matched.forEach((n) => used.add(n));
        if (leaf.pattern === 'them') {
          if (leaf.quantifier === 'all') emit({ code: 'sigma/condition-all-of-them', validator: 'all_of_them_condition', ...at(leaf.offset), message: '"all of them" ties the condition to every selection, including ones added later', hint: 'name the selections: "selection and not filter"' });
          if (matched.length === 1) emit({ code: 'sigma/condition-them-single', validator: 'them_condition_with_single_detection', ...at(leaf.offset), message: `"${leaf.quantifier} of them" with a single selection`, hint: `write "${matched[0]}"` });
        } else if (matched.length === 0)
          emit({ code: 'sigma/condition-pattern-no-match', validator: 'dangling_condition', ...at(leaf.patternOffset), message: `"${leaf.quantifier} of ${leaf.pattern}" matches no selection of this rule`, hint: 'check the pattern against the selection names (a "_" name only matches a pattern starting with "_")' });
        if (leaf.pattern !== 'them' && !leaf.pattern.includes('*'))
          emit({ code: 'sigma/condition-of-without-wildcard', validator: 'sigmahq_missing_asterisk_condition', ...at(leaf.patternOffset), message: `"${leaf.quantifier} of ${leaf.pattern}" has no "*", so it names one selection`, hint: `write "${leaf.pattern}" or "${leaf.quantifier} of ${leaf.pattern}*"` });
      }
    }
    if (parsed.problems.some((p) => p.code !== 'sigma/condition-pysigma-misparse')) names.forEach((n) => used.add(n)); // no unused reports after a parse error
  });
  for (const sel of selections)
    if (!used.has(sel.name))
      emit({ code: 'sigma/detection-unused', validator: 'dangling_detection', path: sel.path, key: true, message: `the selection "${sel.name}" is not used by the condition`, hint: 'use it in the condition or remove it' });
}

// ------------------------------------------------------------------ correlations and filters

function checkCorrelation(spec: Record<string, unknown>, emit: Emit): void {
  const c = spec.correlation;
  if (!isRecord(c)) return void emit({ code: 'schema/type', path: ['correlation'], message: `correlation must be a mapping (type, rules, timespan, group-by, condition), not ${typeName(c)}` });
  const type = c.type;
  if (type === undefined) emit({ code: 'schema/missing-key', path: ['correlation'], key: true, message: 'the correlation has no type' });
  else if (type === 'value_median') emit({ code: 'sigma/correlation-invalid', severity: 'warning', path: ['correlation', 'type'], message: '"value_median" is a pySigma-only correlation type' });
  else if (typeof type !== 'string' || !CORRELATION_TYPES.includes(type))
    emit({ code: 'sigma/correlation-invalid', path: ['correlation', 'type'], message: `correlation type ${q(type)} is not one of ${CORRELATION_TYPES.join(', ')}` });
  const rules = c.rules;
  if (rules === undefined) emit({ code: 'schema/missing-key', path: ['correlation'], key: true, message: 'the correlation has no rules' });
  else if (typeof rules === 'string') emit({ code: 'sigma/correlation-invalid', severity: 'warning', path: ['correlation', 'rules'], message: 'correlation rules is a single string; the specification wants a list (pySigma accepts it)' });
  else if (!Array.isArray(rules) || rules.some((r) => typeof r !== 'string')) emit({ code: 'schema/type', path: ['correlation', 'rules'], message: 'correlation rules must be a list of rule ids or names' });
  else if ((type === 'temporal' || type === 'temporal_ordered') && rules.length < 2)
    emit({ code: 'sigma/correlation-temporal-min-rules', validator: 'sigmahq_correlation_rules_minimum', path: ['correlation', 'rules'], message: `a ${type} correlation needs at least two rules` });
  const ts = c.timespan;
  if (ts === undefined) emit({ code: 'schema/missing-key', path: ['correlation'], key: true, message: 'the correlation has no timespan' });
  else if (typeof ts !== 'string' || !TIMESPAN_RE.test(ts)) {
    const pyOnly = typeof ts === 'string' && /^\d+[wMy]$/.test(ts);
    emit({ code: 'sigma/correlation-invalid', severity: pyOnly ? 'warning' : undefined, path: ['correlation', 'timespan'], message: pyOnly ? `timespan ${q(ts)} uses a unit only pySigma knows` : `timespan ${q(ts)} is not a number followed by s, m, h or d`, hint: 'e.g. "5m" or "1h"' });
  }
  if (c['group-by'] === undefined) emit({ code: 'sigma/correlation-invalid', validator: 'sigmahq_correlation_group_by_existence', path: ['correlation'], key: true, message: 'the correlation has no group-by (the specification requires it)' });
  else if (!Array.isArray(c['group-by']) || c['group-by'].some((g) => typeof g !== 'string')) emit({ code: 'schema/type', path: ['correlation', 'group-by'], message: 'group-by must be a list of field names' });
  const needsCondition = typeof type === 'string' && (type.startsWith('value_') || type === 'event_count');
  const cond = c.condition;
  if (cond === undefined) {
    if (needsCondition) emit({ code: 'schema/missing-key', path: ['correlation'], key: true, message: `a ${type} correlation needs a condition (e.g. "gte: 10")` });
  } else if (!isRecord(cond)) {
    if (typeof cond === 'string' && (type === 'temporal' || type === 'temporal_ordered')) emit({ code: 'sigma/correlation-invalid', severity: 'warning', path: ['correlation', 'condition'], message: 'an extended (string) temporal condition is pySigma-only' });
    else emit({ code: 'sigma/correlation-invalid', path: ['correlation', 'condition'], message: 'the correlation condition must be a mapping such as "gte: 10"' });
  } else {
    const ops = Object.keys(cond).filter((k) => k !== 'field');
    for (const op of ops) {
      if (!CONDITION_OPS.includes(op) && op !== 'percentile') emit({ code: 'sigma/correlation-invalid', path: ['correlation', 'condition', op], key: true, message: `"${op}" is not a condition operator (${CONDITION_OPS.join(', ')})` });
      else if (!Number.isInteger(cond[op])) emit({ code: 'sigma/correlation-invalid', path: ['correlation', 'condition', op], message: `the condition ${op} needs an integer, not ${q(cond[op])}` });
    }
    if (ops.length > 1) emit({ code: 'sigma/correlation-invalid', severity: 'warning', path: ['correlation', 'condition'], message: 'the condition has several operators; pySigma accepts exactly one' });
    if (typeof type === 'string' && type.startsWith('value_') && cond.field === undefined)
      emit({ code: 'sigma/correlation-invalid', path: ['correlation', 'condition'], key: true, message: `a ${type} correlation needs "field" in its condition` });
  }
  if (spec.generate !== undefined && typeof spec.generate !== 'boolean') emit({ code: 'schema/type', path: ['generate'], message: 'generate must be true or false' });
  if (c.generate !== undefined) emit({ code: 'sigma/correlation-invalid', severity: 'warning', path: ['correlation', 'generate'], key: true, message: '"generate" inside correlation is where pySigma reads it; the specification puts it at the top level' });
  if (c.aliases !== undefined && !isRecord(c.aliases)) emit({ code: 'schema/type', path: ['correlation', 'aliases'], message: 'aliases must be a mapping of alias → {rule name: field}' });
}

function checkFilter(item: SigmaItem, spec: Record<string, unknown>, emit: Emit): void {
  checkLogsource(spec, emit, true);
  const f = spec.filter;
  if (!isRecord(f)) return void emit({ code: 'sigma/filter-invalid', path: ['filter'], message: `filter must be a mapping with rules, selection and condition, not ${typeName(f)}` });
  if (f.rules === undefined) emit({ code: 'sigma/filter-invalid', path: ['filter'], key: true, message: 'the filter has no rules (a list of rule ids, or "any")' });
  else if (f.rules === 'any') emit({ code: 'sigma/filter-invalid', severity: 'warning', path: ['filter', 'rules'], message: '"rules: any" is pySigma and spec 2.2 only' });
  else if (!Array.isArray(f.rules) || f.rules.some((r) => typeof r !== 'string')) emit({ code: 'sigma/filter-invalid', path: ['filter', 'rules'], message: 'filter rules must be a list of rule ids' });
  else if (f.rules.length === 0) emit({ code: 'sigma/filter-invalid', severity: 'warning', path: ['filter', 'rules'], message: 'an empty rules list: pySigma applies the filter to every rule' });
  if (f.selection === undefined) emit({ code: 'sigma/filter-invalid', path: ['filter'], key: true, message: 'the filter has no selection' });
  if (typeof f.condition !== 'string') emit({ code: 'sigma/filter-invalid', path: f.condition === undefined ? ['filter'] : ['filter', 'condition'], key: f.condition === undefined, message: 'the filter condition must be one string, e.g. "not selection"' });
  const selections = selectionsOf(Object.fromEntries(Object.entries(f).filter(([k]) => k !== 'rules' && k !== 'condition')));
  for (const sel of selections) {
    sel.path = ['filter', sel.name];
    for (const g of sel.groups) for (const di of g) {
      di.path = ['filter', ...di.path.slice(1)];
      di.values.forEach((v) => (v.path = ['filter', ...v.path.slice(1)]));
      checkDetectionItem(item, spec, di, emit);
    }
  }
  if (typeof f.condition === 'string') checkConditions(item, f.condition, selections, emit, 'filter');
}
