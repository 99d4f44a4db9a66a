// New versus existing: each finding of a run is marked `accepted` (listed in the baseline file),
// `existing` (also found on the pull request's base commit) or `new`. By default only new problems fail
// a run; `failOnExisting` (strict mode) fails on every problem, as before baselines existed.
import type { BaselineInfo, Finding, RawFinding, Report } from '../core/types';
import type { BaselineEntry } from './file';
import { fingerprint } from './fingerprint';

const isProblem = (f: Finding) => f.severity === 'error' || f.severity === 'warning';
/** A stale baseline entry asks for a clean-up; it is not a problem of the rules. */
const isRuleProblem = (f: Finding) => isProblem(f) && f.code !== 'baseline/stale';

/**
 * Marks findings listed in the baseline (each entry accepts one finding) and returns the entries nothing
 * matched and `inScope` says this run could have found: those are fixed and should leave the file.
 */
export function applyBaselineEntries(findings: Finding[], entries: readonly BaselineEntry[], inScope: (e: BaselineEntry) => boolean): BaselineEntry[] {
  const left = new Map<string, BaselineEntry[]>();
  for (const e of entries) left.set(e.fingerprint, [...(left.get(e.fingerprint) ?? []), e]);
  for (const f of findings) {
    const list = left.get(fingerprint(f));
    if (list?.length && isProblem(f)) {
      list.shift();
      f.baseline = 'accepted';
    } else f.baseline ??= 'new';
  }
  return [...left.values()].flat().filter(inScope).sort((a, b) => a.line - b.line);
}

/** The finding that asks for a stale entry to be deleted, on the entry's line. */
export function staleFinding(entry: BaselineEntry, file: string): RawFinding {
  const what = `${entry.code}${entry.item ? ` in ${entry.item}` : entry.file ? ` in ${entry.file}` : ''}`;
  return {
    code: 'baseline/stale',
    file,
    line: entry.line,
    subject: entry.fingerprint,
    message: `the accepted problem ${what} ("${entry.message}") is no longer found: delete this entry, so that it cannot hide the same problem if it comes back`,
  };
}

/**
 * Marks findings also present among `baseFindings` (found on the base commit) as existing; the rest,
 * unless already accepted by the baseline file, are new. Counts repeat: two equal findings on the head
 * and one on the base make one existing and one new.
 */
export function markExisting(findings: Finding[], baseFindings: readonly Finding[]): void {
  const left = new Map<string, number>();
  for (const f of baseFindings) {
    const fp = fingerprint(f);
    left.set(fp, (left.get(fp) ?? 0) + 1);
  }
  for (const f of findings) {
    if (f.baseline === 'accepted') continue;
    const fp = fingerprint(f);
    const n = left.get(fp) ?? 0;
    if (n > 0) {
      left.set(fp, n - 1);
      f.baseline = 'existing';
    } else f.baseline = 'new';
  }
}

/** Marks every finding new (nothing to compare with) without changing accepted ones. */
export function markAllNew(findings: Finding[]): void {
  for (const f of findings) f.baseline ??= 'new';
}

/** Problem counts by state. */
export function countProblems(findings: readonly Finding[]): BaselineInfo['problems'] {
  const counts = { new: 0, existing: 0, accepted: 0 };
  for (const f of findings) if (isRuleProblem(f)) counts[f.baseline ?? 'new']++;
  return counts;
}

/** Whether a finding counts for the gate (fail-on): new ones always, existing and accepted ones only in strict mode. */
export function countsForGate(report: Pick<Report, 'baseline'>, f: Finding): boolean {
  if (!report.baseline || report.baseline.failOnExisting) return true;
  return f.baseline !== 'existing' && f.baseline !== 'accepted';
}

/** Errors and warnings that decide whether the run fails. */
export function gateCounts(report: Pick<Report, 'baseline' | 'findings' | 'summary'>): { errors: number; warnings: number } {
  if (!report.baseline) return { errors: report.summary.errors, warnings: report.summary.warnings };
  let errors = 0;
  let warnings = 0;
  for (const f of report.findings) {
    if (!countsForGate(report, f)) continue;
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
  }
  return { errors, warnings };
}

const plural = (n: number, word: string) => `${n} ${n === 1 ? word : word + 's'}`;

/**
 * The headline of a compared run, as titles and summaries say it: "2 new problems (4 already on main)",
 * "no new problems (1 accepted in the baseline)". Undefined when nothing was compared.
 */
export function describeProblems(report: Pick<Report, 'baseline'>): string | undefined {
  const b = report.baseline;
  if (!b) return undefined;
  const { problems } = b;
  const old: string[] = [];
  if (problems.existing) old.push(`${problems.existing} already on ${b.baseRef ?? 'the base branch'}`);
  if (problems.accepted) old.push(`${problems.accepted} accepted in the baseline`);
  if (b.stale) old.push(`${b.stale} stale baseline ${b.stale === 1 ? 'entry' : 'entries'}`);
  const tail = old.length ? ` (${old.join(', ')})` : '';
  // Nothing old to set apart: the plain counts say it better.
  if (!old.length) return undefined;
  return `${problems.new ? plural(problems.new, 'new problem') : 'no new problems'}${tail}`;
}
