// Loading Sigma files: every YAML document read as PyYAML reads it (YAML 1.1 scalars), classified
// as rule / correlation / filter / legacy action, and turned into an Item with positions.
// One bad file gives findings for that file only; the run goes on.
import type { Item, RawFinding, SkippedFile } from '../../core/types';
import { loadYamlDocuments, yamlSyntaxFinding, type YamlDocument } from '../../load/yaml';

export type SigmaKind = 'sigma_rule' | 'sigma_correlation' | 'sigma_filter';

/** A Sigma document as an Item. `spec` is the document after any legacy `action: global` merge. */
export interface SigmaItem extends Item {
  kind: SigmaKind;
  format: 'sigma';
  /** 0-based index of the document in its file. */
  document: number;
  /** 1-based line where the document starts. */
  documentLine: number;
  /** Built from a legacy `action: global` collection (ids repeat there by design). */
  legacy: boolean;
  /** Under a `deprecated/` or `unsupported/` folder: findings default to note. */
  retired: boolean;
}

export interface SigmaFileInput {
  file: string;
  absPath: string;
  text: string;
}

export interface SigmaLoaded {
  items: SigmaItem[];
  findings: RawFinding[];
  skipped: SkippedFile[];
}

const TOP_KEY = (k: string) => new RegExp(`^${k}[ \\t]*:`, 'm');
const RE_TITLE = TOP_KEY('title');
const RE_DETECTION = TOP_KEY('detection');
const RE_LOGSOURCE = TOP_KEY('logsource');
const RE_CORRELATION = TOP_KEY('correlation');
const RE_FILTER = TOP_KEY('filter');
const RE_ACTION = /^action[ \t]*:[ \t]*['"]?(global|reset|repeat)/m;
const RE_ANALYSIS_TYPE = TOP_KEY('AnalysisType');

/** Is this YAML text a Sigma file? Recognised by its top-level keys: title + detection/logsource,
 * or correlation, or filter, or a legacy `action: global` collection. Panther files never are. */
export function isSigmaFile(_path: string, text: string): boolean {
  if (RE_ANALYSIS_TYPE.test(text)) return false;
  if (RE_ACTION.test(text)) return true;
  if (!RE_TITLE.test(text)) return false;
  return RE_DETECTION.test(text) || RE_LOGSOURCE.test(text) || RE_CORRELATION.test(text) || RE_FILTER.test(text);
}

const RETIRED_RE = /(^|\/)(deprecated|unsupported)\//;

export function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function kindOf(doc: Record<string, unknown>): SigmaKind | undefined {
  if ('correlation' in doc) return 'sigma_correlation';
  if ('filter' in doc) return 'sigma_filter';
  if ('detection' in doc || 'logsource' in doc) return 'sigma_rule';
  return undefined;
}

/** PyYAML-style deep merge used by legacy `action: global` templates (pySigma: dict update, recursive). */
function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isRecord(out[k]) && isRecord(v) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  return out;
}

function showScalar(v: unknown): string {
  return typeof v === 'string' ? `the string "${v}"` : v === null ? 'null' : `${typeof v} ${String(v)}`;
}

export function loadSigmaFiles(files: SigmaFileInput[]): SigmaLoaded {
  const items: SigmaItem[] = [];
  const findings: RawFinding[] = [];
  const skipped: SkippedFile[] = [];
  for (const input of files) {
    const before = findings.length;
    loadOne(input, items, findings, skipped);
    // deprecated/ and unsupported/ hold rules meant to fail modern checks: their findings are notes
    if (RETIRED_RE.test(input.file)) for (let i = before; i < findings.length; i++) findings[i].severity = 'note';
  }
  return { items, findings, skipped };
}

function loadOne({ file, absPath, text }: SigmaFileInput, items: SigmaItem[], findings: RawFinding[], skipped: SkippedFile[]): void {
  const parsed = loadYamlDocuments(text, 'yaml11');
  if (!parsed.ok) {
    findings.push(yamlSyntaxFinding(file, parsed.error, 'sigma check stops the whole run on this file'));
    return;
  }
  const retired = RETIRED_RE.test(file);
  const docs = parsed.documents.filter((d) => d.value !== null);
  if (docs.length === 0) return void skipped.push({ file, reason: 'empty YAML file' });
  let template: Record<string, unknown> | undefined;
  let previous: SigmaItem | undefined;
  let legacy = false;
  docs.forEach((doc: YamlDocument, index: number) => {
    for (const d of doc.duplicates)
      findings.push({
        code: 'yaml/duplicate-key',
        file,
        line: d.line,
        column: d.column,
        message: `the key "${d.key}" appears twice in one mapping; PyYAML (and so every Sigma tool) keeps the last value silently. Remove the duplicate.`,
      });
    for (const a of doc.ambiguous)
      findings.push({
        code: 'sigma/yaml-ambiguous-scalar',
        file,
        line: a.line,
        column: a.column,
        message: `the unquoted value ${a.text} is ${showScalar(a.yaml11)} for PyYAML (YAML 1.1, what Sigma tools use) but ${showScalar(a.yaml12)} for a YAML 1.2 reader`,
        hint: `quote it ('${a.text}') so every tool reads the same value`,
      });
    if (!isRecord(doc.value)) {
      findings.push({
        code: 'sigma/document-kind',
        file,
        line: doc.line,
        message: `document ${index + 1} of ${file} is a ${Array.isArray(doc.value) ? 'list' : typeof doc.value}, not a mapping of Sigma keys`,
        hint: 'a Sigma document is a mapping with title, logsource and detection (or correlation, or filter)',
      });
      return;
    }
    let spec = doc.value;
    if ('action' in spec) {
      legacy = true;
      const action = spec.action;
      const at = doc.positions.keyAt(['action']);
      findings.push({
        code: 'sigma/legacy-action',
        file,
        line: at.line,
        column: at.column,
        message: `"action: ${String(action)}" is the legacy Sigma v1 multi-document collection syntax; Sigma 2 tools may not support it`,
        hint: 'write each rule as its own complete document (or file), without action: global/reset/repeat',
      });
      const rest = { ...spec };
      delete rest.action;
      if (action === 'global') template = template ? deepMerge(template, rest) : rest;
      else if (action === 'reset') template = undefined;
      else if (action === 'repeat') {
        if (!previous) {
          findings.push({ code: 'sigma/document-kind', file, line: at.line, message: '"action: repeat" has no previous rule to repeat' });
          return;
        }
        spec = deepMerge(previous.spec, rest);
        pushItem(spec, doc, index, true);
      } else
        findings.push({
          code: 'sigma/document-kind',
          file,
          line: at.line,
          column: at.column,
          message: `unknown collection action ${JSON.stringify(action)}; pySigma knows only global, reset and repeat`,
        });
      return;
    }
    if (template) spec = deepMerge(template, spec);
    pushItem(spec, doc, index, legacy);
  });

  function pushItem(spec: Record<string, unknown>, doc: YamlDocument, index: number, isLegacy: boolean): void {
    const kind = kindOf(spec);
    if (!kind) {
      findings.push({
        code: 'sigma/document-kind',
        file,
        line: doc.line,
        message: `document ${index + 1} is neither a Sigma rule (logsource + detection), a correlation rule (correlation) nor a filter (filter)`,
        hint: 'add the missing detection/logsource, or remove the document',
      });
      return;
    }
    const id = typeof spec.id === 'string' ? spec.id : undefined;
    const item: SigmaItem = {
      kind,
      format: 'sigma',
      id,
      idKey: 'id',
      file,
      absPath,
      spec,
      positions: doc.positions,
      source: text,
      valid: true,
      document: index,
      documentLine: doc.line,
      legacy: isLegacy,
      retired,
    };
    items.push(item);
    previous = item;
  }
}
