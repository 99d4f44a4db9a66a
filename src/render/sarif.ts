// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one reportingDescriptor per finding code
// (every code of the registry, so rule indexes are stable between runs, each with a helpUri to its row in
// the README), one result per finding, with `%SRCROOT%`-relative artifact locations. Code scanning keeps
// one analysis per automationDetails.id: the category (default from the checked path) keeps two packs in
// one repository from replacing each other. At most 25,000 results per run, GitHub's limit (the most
// severe kept; a tool notification counts the rest). A pure function of the Report.
import type { Finding, Fix, Report, Severity } from '../core/types';
import { CODES, type CodeInfo } from '../core/codes';
import { PROJECT_URL } from '../core/version';
import { fingerprint } from '../baseline/fingerprint';

export interface SarifContext {
  /** Absolute file:// URI of the repository root; when given, SARIF consumers can resolve `%SRCROOT%`. */
  srcRootUri?: string;
  /** Where the tool's documentation lives (helpUri of each rule is `${helpUri}#code-<code>`); default PROJECT_URL. */
  helpUri?: string;
  /** Code registry; default the built-in one. */
  codes?: Record<string, CodeInfo>;
  /** Code-scanning category (automationDetails.id without the trailing `/`); default sarifCategory(report.root). */
  category?: string;
  /** Results kept per run; default GitHub's 25,000. */
  maxResults?: number;
}

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** GitHub code scanning accepts at most this many results per run. */
export const MAX_SARIF_RESULTS = 25_000;

/** The README anchor of a finding code's row: `mitre/unknown-technique` → `code-mitre-unknown-technique`. */
export function codeAnchor(code: string): string {
  return `code-${code.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

/**
 * The code-scanning category: the one given, else `rulegate/<path>` from the checked folder (`rulegate` for
 * the repository root), so each folder checked in one repository is its own analysis.
 */
export function sarifCategory(given: string | undefined, path: string): string {
  const explicit = given?.trim().replace(/\/+$/, '');
  if (explicit) return explicit;
  const folder = path.replace(/\\/g, '/').replace(/^(\.?\/)+/, '').replace(/\/+$/, '').replace(/^\.$/, '');
  return folder ? `rulegate/${folder}` : 'rulegate';
}
const SRCROOT = '%SRCROOT%';

type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export function renderSarif(report: Report, ctx: SarifContext = {}): string {
  const codes: Record<string, CodeInfo> = ctx.codes ?? CODES;
  const helpUri = ctx.helpUri ?? PROJECT_URL;
  const ruleIds = Object.keys(codes);
  for (const f of report.findings) if (!ruleIds.includes(f.code)) ruleIds.push(f.code);
  const index = new Map(ruleIds.map((id, i) => [id, i]));

  const rules = ruleIds.map((id) => {
    const info = codes[id] as CodeInfo | undefined;
    const description = info?.description ?? `Finding code ${id} (not in the registry of this RuleGate version).`;
    const level: SarifLevel = info ? levelOf(info.severity) : 'error';
    const rule: Record<string, unknown> = {
      id,
      name: ruleName(id),
      shortDescription: { text: description },
      fullDescription: { text: description },
      help: {
        text: `${id}: ${description} Severities can be changed or turned off in .rulegate.yml.`,
        markdown: `**\`${id}\`** — ${description}\n\nSeverities can be changed or turned off in \`.rulegate.yml\`.`,
      },
      defaultConfiguration: info?.severity === 'off' ? { enabled: false, level: 'none' } : { level },
      properties: { tags: ['rulegate', id.split('/')[0]] },
    };
    if (info) rule.helpUri = `${helpUri}#${codeAnchor(id)}`;
    return rule;
  });

  // Over the limit, the most severe findings are kept (GitHub itself shows only the top 5,000 by severity).
  const max = ctx.maxResults ?? MAX_SARIF_RESULTS;
  const rank = { error: 0, warning: 1, note: 2 } as Record<string, number>;
  const kept = report.findings.length <= max ? report.findings : [...report.findings].sort((a, b) => (rank[a.severity] ?? 3) - (rank[b.severity] ?? 3)).slice(0, max);
  const dropped = report.findings.length - kept.length;
  const seen = new Map<string, number>();
  const results = kept.map((f) => {
    const fp = fingerprint(f);
    const n = (seen.get(fp) ?? 0) + 1;
    seen.set(fp, n);
    return result(f, index.get(f.code)!, `${fp}:${n}`);
  });

  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: 'RuleGate',
        semanticVersion: report.tool.version,
        version: report.tool.version,
        informationUri: helpUri,
        rules,
      },
    },
    automationDetails: { id: `${sarifCategory(ctx.category, report.root)}/` },
    columnKind: 'utf16CodeUnits',
    results,
    invocations: [
      {
        executionSuccessful: true,
        properties: {
          attackVersion: report.attack.version,
          tests: report.summary.tests,
          testsFailed: report.summary.testsFailed,
        },
        ...(dropped > 0
          ? {
              toolExecutionNotifications: [
                {
                  level: 'warning',
                  message: {
                    text: `${dropped} more ${dropped === 1 ? 'finding is' : 'findings are'} not in this SARIF run: GitHub code scanning accepts at most ${max.toLocaleString('en-US')} results per run, so the most severe were kept. The JSON report lists every finding.`,
                  },
                  properties: { omittedResults: dropped },
                },
              ],
            }
          : {}),
      },
    ],
  };
  if (ctx.srcRootUri) run.originalUriBaseIds = { [SRCROOT]: { uri: ctx.srcRootUri.endsWith('/') ? ctx.srcRootUri : ctx.srcRootUri + '/' } };

  const log = { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
  return JSON.stringify(log, null, 2) + '\n';
}

function result(f: Finding, ruleIndex: number, fp: string): Record<string, unknown> {
  const region: Record<string, number> = { startLine: Math.max(1, Math.floor(f.line) || 1) };
  if (f.column && f.column >= 1) region.startColumn = Math.floor(f.column);
  if (f.endLine && f.endLine > region.startLine) region.endLine = Math.floor(f.endLine);
  const text = f.hint ? `${f.message}\nHint: ${f.hint}` : f.message;
  const loc: Record<string, unknown> = {
    physicalLocation: {
      artifactLocation: { uri: encodeUri(f.file), uriBaseId: SRCROOT },
      region,
    },
  };
  if (f.itemId) loc.logicalLocations = [{ name: f.itemId, kind: 'object' }];
  const out: Record<string, unknown> = {
    ruleId: f.code,
    ruleIndex,
    level: levelOf(f.severity),
    message: { text: text || f.code },
    locations: [loc],
    // v2: code, item and subject (src/baseline/fingerprint.ts), the identity baselines use.
    partialFingerprints: { 'rulegateFinding/v2': fp },
  };
  if (f.fix) out.fixes = [sarifFix(f.fix)];
  // Compared runs: new, or unchanged (on the base branch or accepted); a stale baseline entry is absent.
  if (f.code === 'baseline/stale') out.baselineState = 'absent';
  else if (f.baseline) out.baselineState = f.baseline === 'new' ? 'new' : 'unchanged';
  return out;
}

/** SARIF `fix`: one artifactChange per file, each edit a replacement of a line/column + char region. */
function sarifFix(fix: Fix): Record<string, unknown> {
  const byFile = new Map<string, Fix['edits']>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  return {
    description: { text: fix.description },
    artifactChanges: [...byFile.entries()].map(([file, edits]) => ({
      artifactLocation: { uri: encodeUri(file), uriBaseId: SRCROOT },
      replacements: edits.map((e) => ({
        deletedRegion: {
          startLine: e.startLine,
          startColumn: e.startColumn,
          endLine: e.endLine,
          endColumn: e.endColumn,
          charOffset: e.start,
          charLength: e.end - e.start,
        },
        insertedContent: { text: e.replacement },
      })),
    })),
  };
}

function levelOf(s: Severity | 'off'): SarifLevel {
  return s === 'off' ? 'none' : s;
}

/** `mitre/unknown-technique` → `MitreUnknownTechnique` (SARIF's reportingDescriptor.name). */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

/** Relative URI reference of a repository path: segments percent-encoded, `/` kept. */
function encodeUri(file: string): string {
  return file
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}
