// The audit stage (`rulegate audit`, the action's `mode: audit`): after the full check, the analyses of
// the whole pack — coverage, quality lints, upgrade forecast — and the snapshot the next audit's trend
// compares with. One file per analysis; the outputs (layer, HTML, Markdown) render an AuditReport.
import type { Finding, Item, RawFinding, TestResult, NotRun, Severity } from '../core/types';
import type { Config } from '../core/config';
import { CODES, type CodeInfo } from '../core/codes';
import type { AttackCatalog } from '../attack/catalog';
import { collectDetections, type Detection } from './detections';
import { computeCoverage, type Coverage } from './coverage';
import { qualityLints } from './lints';
import { forecastFindings, forecastUpgrade, type Forecast } from './forecast';
import { makeSnapshot, type Snapshot } from './snapshot';
import { compareSnapshots, type Trend } from './trend';

export { collectDetections } from './detections';
export { logTypeMismatches } from './lints';

export interface AuditReport {
  coverage: Coverage;
  /** Findings per lint code (audit codes, mitre/missing, ref/log-type-mismatch), after severities. */
  lints: Record<string, number>;
  forecast?: Forecast;
  snapshot: Snapshot;
  /** Since the previous audit; null on the first one (no baseline). */
  trend: Trend | null;
  /** Where the previous snapshot came from, or why it could not be used. */
  baseline?: { source: string; problem?: string };
}

/** The codes an audit adds or turns on: its lint tables list them. */
export const LINT_CODES: readonly string[] = Object.keys(CODES).filter((c) => c.startsWith('audit/') && c !== 'audit/attack-upgrade').concat(['mitre/missing', 'ref/log-type-mismatch']);

/** The config an audit runs with: codes with an audit default get it unless the config sets them. */
export function withAuditDefaults(config: Config): Config {
  const severity: Record<string, Severity | 'off'> = {};
  for (const [code, info] of Object.entries(CODES as Record<string, CodeInfo>)) if (info.audit) severity[code] = info.audit;
  return { ...config, severity: { ...severity, ...config.severity } };
}

/** The audit's own raw findings: quality lints and the upgrade forecast. */
export function auditFindings(detections: readonly Detection[], catalog: AttackCatalog): { findings: RawFinding[]; forecast?: Forecast } {
  const forecast = forecastUpgrade(detections, catalog);
  return { findings: [...qualityLints(detections), ...forecastFindings(forecast)], forecast };
}

export function buildAuditReport(input: {
  items: readonly Item[];
  tests: readonly TestResult[];
  notRun: readonly NotRun[];
  findings: readonly Finding[];
  catalog: AttackCatalog;
  forecast?: Forecast;
  sha?: string;
}): AuditReport {
  const detections = collectDetections(input.items, input.tests, input.notRun, input.catalog);
  const coverage = computeCoverage(detections, input.catalog);
  const lints: Record<string, number> = {};
  for (const code of LINT_CODES) lints[code] = 0;
  for (const f of input.findings) if (f.code in lints) lints[f.code]++;
  const report: AuditReport = {
    coverage,
    lints,
    snapshot: makeSnapshot({ detections, coverage, tests: input.tests, findings: input.findings, sha: input.sha }),
    trend: null,
  };
  if (input.forecast) report.forecast = input.forecast;
  return report;
}

/** Adds the trend against a previous snapshot (or notes why there is none). */
export function attachTrend(audit: AuditReport, previous: { snapshot?: Snapshot; problem?: string; source: string } | undefined): void {
  if (!previous) return;
  audit.baseline = { source: previous.source };
  if (previous.problem) audit.baseline.problem = previous.problem;
  if (previous.snapshot) audit.trend = compareSnapshots(previous.snapshot, audit.snapshot);
}
