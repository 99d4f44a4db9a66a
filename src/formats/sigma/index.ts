// Sigma, RuleGate's second rule format — the module's whole public surface, shaped for the coming
// format seam: which files are Sigma, load them into items with positions, validate them, name
// their dependencies (PR selection), run their regression tests. The generic flow calls only this.
import * as fs from 'fs';
import * as path from 'path';
import type { Item, RawFinding, TestResult } from '../../core/types';
import type { AttackCatalog } from '../../attack';
import { isSigmaFile, loadSigmaFiles, isRecord, type SigmaItem, type SigmaFileInput, type SigmaLoaded } from './load';
import { validateSigmaItem } from './validate';
import { checkSigmaTags } from './tags';
import { checkSigmaRepository, regressionInfosOf } from './repository';
import { runRegressionTests } from './regression';
import { applySigmaProfile, readSigmaCliConfig, DEFAULT_CLI_CONFIG, type SigmaProfile, type SigmaCliConfig } from './config';
import type { SigmaFinding } from './findings';

export { isSigmaFile, type SigmaItem, type SigmaFileInput, type SigmaProfile };
export { compileRule, flattenEvent } from './match';

export interface SigmaOptions {
  repoRoot: string;
  profile?: SigmaProfile;
  /** Path of a sigma-cli validation config; 'none' turns off the default tests/sigma_cli_conf.yml. */
  cliConfig?: string;
  /** False when only part of the repository is loaded: references are not resolved then. */
  wholeRepository?: boolean;
}

export function isSigmaItem(item: Item): item is SigmaItem {
  return (item as Partial<SigmaItem>).format === 'sigma';
}

export function loadSigma(files: SigmaFileInput[]): SigmaLoaded {
  return loadSigmaFiles(files);
}

function cliConfigOf(options: SigmaOptions): { config?: SigmaCliConfig; findings: RawFinding[] } {
  if (options.cliConfig === 'none') return { findings: [] };
  const abs = options.cliConfig ? path.resolve(options.repoRoot, options.cliConfig) : path.join(options.repoRoot, DEFAULT_CLI_CONFIG);
  if (!options.cliConfig && !fs.existsSync(abs)) return { findings: [] };
  return readSigmaCliConfig(abs, options.repoRoot);
}

/** Every check of the Sigma items: per document, ATT&CK tags, repository-wide. Marks items with errors invalid. */
export function validateSigma(items: SigmaItem[], catalog: AttackCatalog, options: SigmaOptions): RawFinding[] {
  const raw: SigmaFinding[] = [];
  for (const it of items) raw.push(...validateSigmaItem(it), ...checkSigmaTags(it, catalog));
  raw.push(...checkSigmaRepository(items, options.repoRoot, { wholeRepository: options.wholeRepository !== false }).findings);
  const cli = cliConfigOf(options);
  const out = applySigmaProfile(raw, options.profile ?? 'spec', cli.config);
  for (const f of raw) if (f.item && (f.severity ?? 'error') === 'error' && !f.item.retired && isErrorCode(f.code)) f.item.valid = false;
  return [...cli.findings, ...out];
}

function isErrorCode(code: string): boolean {
  return code === 'yaml/syntax' || code.startsWith('schema/') || code === 'sigma/condition-syntax' || code === 'sigma/condition-unknown-identifier' || code.startsWith('sigma/modifier-') || code === 'sigma/detection-empty' || code === 'sigma/detection-shape';
}

/** Ids and names a Sigma document depends on: correlation and filter `rules` (for PR selection). */
export function sigmaDependencies(item: SigmaItem): string[] {
  const out: string[] = [];
  for (const key of ['correlation', 'filter']) {
    const block = item.spec[key];
    if (!isRecord(block)) continue;
    const rules = Array.isArray(block.rules) ? block.rules : typeof block.rules === 'string' ? [block.rules] : [];
    for (const r of rules) if (typeof r === 'string') out.push(r);
  }
  return out;
}

/** Regression tests of every rule with `regression_tests_path`, as test results plus failure findings. */
export function runSigmaRegressionTests(items: SigmaItem[], options: SigmaOptions): { results: TestResult[]; findings: RawFinding[] } {
  const regression = regressionInfosOf(items, options.repoRoot);
  const out = runRegressionTests(regression.filter((r) => r.item.valid));
  return { results: out.results, findings: out.findings.map(({ validator: _v, hq: _h, ruleId: _r, item: _i, ...f }) => f) };
}
