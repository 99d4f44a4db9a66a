// The baseline stage of the pipeline: with a baseline file present, the problems it lists are accepted
// (counted, shown apart, not failing) and its entries nothing matches any more are reported as stale.
// Comparing with a pull request's base commit happens in the front end (see base-tree.ts), after this.
import * as fs from 'fs';
import * as path from 'path';
import type { BaselineInfo, Finding, RawFinding } from '../core/types';
import type { RunOptions } from '../core/options';
import { findRepoRoot, toRepoPath } from '../discover';
import { BASELINE_FILE, readBaselineFile, type BaselineEntry } from './file';
import { applyBaselineEntries, countProblems, staleFinding } from './compare';

export { BASELINE_FILE, baselineText } from './file';
export { countsForGate, gateCounts, markExisting, markAllNew, countProblems, describeProblems } from './compare';
export { fingerprint } from './fingerprint';

export interface BaselineStageResult {
  info?: BaselineInfo;
  /** baseline/invalid or baseline/stale findings to add to the run's findings. */
  findings: RawFinding[];
}

/** The baseline file this run uses: `options.baselineFile`, else ROOT/.rulegate-baseline.json when it exists. */
export function baselinePath(options: RunOptions): string | undefined {
  if (options.baselineFile === false) return undefined;
  if (options.baselineFile) return path.resolve(options.cwd, options.baselineFile);
  const def = path.join(options.root, BASELINE_FILE);
  return fs.existsSync(def) ? def : undefined;
}

/**
 * Applies the baseline file to `findings` (in place). `inScope` says which entries this run could have
 * matched: a pull-request run that checked three files cannot tell whether an entry on a fourth is stale.
 */
export function applyBaselineFile(findings: Finding[], options: RunOptions, inScope: (e: BaselineEntry) => boolean): BaselineStageResult {
  const abs = baselinePath(options);
  if (!abs) return { findings: [] };
  const file = toRepoPath(findRepoRoot(options.root), abs);
  const read = readBaselineFile(abs, file);
  if (read.problem) return { findings: [read.problem] };
  const stale = applyBaselineEntries(findings, read.entries, inScope);
  return {
    info: { file, failOnExisting: options.failOnExisting, problems: countProblems(findings), stale: stale.length },
    findings: stale.map((e) => staleFinding(e, file)),
  };
}
