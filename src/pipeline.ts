// The one flow both front ends run: discover → load → check (schema, repository, ATT&CK)
// → run tests → Report. Nothing here prints; progress goes through options.progress.
import type { Finding, Item, RawFinding, Report, TestResult, NotRun } from './core/types';
import type { RunOptions } from './core/options';
import { emptyConfig } from './core/config';
import { finalizeFindings, REPOSITORY_WIDE } from './core/findings';
import { TOOL_VERSION } from './core/version';
import { CODES, isKnownCode } from './core/codes';
import { discoverFiles, findRepoRoot } from './discover';
import { loadItems } from './load';
import { validatePantherItem } from './formats/panther/schema';
import { checkRepository } from './formats/panther/repository';
import { applyFilters } from './formats/panther/filters';
import { checkTestCoverage } from './formats/panther/coverage';
import { validateSimpleExpressions } from './formats/panther/simple';
import { validateCorrelation, validateCorrelationTests } from './formats/panther/correlation';
import { loadAttackCatalog, checkAttackMappings } from './attack';
import { runTests, warmUp } from './run';
import { selectChanged } from './select/changed';
import { auditFindings, buildAuditReport, collectDetections, logTypeMismatches, withAuditDefaults } from './audit';
import type { Forecast } from './audit/forecast';
import { applyBaselineFile, countProblems } from './baseline';
import { isSigmaItem, validateSigma, runSigmaRegressionTests, type SigmaItem } from './formats/sigma'; // [sigma-seam]

export { FatalError } from './core/errors';

export async function runPipeline(options: RunOptions): Promise<Report> {
  return (await runPipelineWithItems(options)).report;
}

/** The pipeline, also returning the loaded items (`rulegate fix` edits their text). */
export async function runPipelineWithItems(options: RunOptions): Promise<{ report: Report; items: Item[] }> {
  const started = performance.now();
  const timings: Record<string, number> = {};
  const time = async <T>(stage: string, fn: () => T | Promise<T>): Promise<T> => {
    const t0 = performance.now();
    options.progress?.(`rulegate: ${stage}…`);
    try {
      return await fn();
    } finally {
      timings[stage] = Math.round((performance.now() - t0) * 10) / 10;
    }
  };

  // The front ends built the options with buildSettings (core/settings.ts), which read the config file.
  const config = options.config ?? emptyConfig();
  // An unknown ATT&CK version is a usage error: say so before any work.
  const catalog = loadAttackCatalog(options.attackVersion);
  // Boot Python now, so its start-up and imports overlap discovery and YAML loading.
  if (!options.noTests) warmUp(options);

  const discovered = await time('discover', () => discoverFiles(options));
  const loaded = await time('load', () => loadItems(discovered.files, options));
  const raw: RawFinding[] = [...loaded.findings];
  const items: Item[] = loaded.items;
  // [sigma-seam] Sigma items take their own path through check and test stages until the format seam lands.
  const sigmaItems = items.filter(isSigmaItem) as SigmaItem[];
  const pantherItems = sigmaItems.length ? items.filter((i) => !isSigmaItem(i)) : items;
  const repoRoot = findRepoRoot(options.root);
  const sigmaOptions = { repoRoot, profile: options.sigmaProfile, cliConfig: options.sigmaConfig, wholeRepository: repoRoot === options.root };

  await time('schema', () => {
    for (const item of pantherItems) {
      const found = [...validatePantherItem(item), ...validateSimpleExpressions(item), ...validateCorrelation(item)];
      if (found.some((f) => defaultSeverity(f) === 'error')) item.valid = false;
      raw.push(...found);
      // bad correlation test data fails only its test, so it does not make the rule invalid
      if (item.valid) raw.push(...validateCorrelationTests(item));
    }
  });
  await time('repository', () => raw.push(...checkRepository(pantherItems, options)));
  if (sigmaItems.length) await time('sigma', () => raw.push(...validateSigma(sigmaItems, catalog, sigmaOptions))); // [sigma-seam]

  await time('attack', () => {
    for (const item of pantherItems) raw.push(...checkAttackMappings(item, catalog));
  });
  // ref/log-type-mismatch is off by default; a config (or an audit) turns it on.
  raw.push(...logTypeMismatches(collectDetections(pantherItems, [], [], catalog))); // Panther keys only

  // Narrowing (PR mode and --filter) decides what runs; repository-wide checks above always saw everything.
  const selection = options.changedFiles ? selectChanged(items, options.changedFiles) : undefined;
  const filtered = applyFilters(items, options.filters);
  const selected = selection ? filtered.filter((i: Item) => selection.selectedFiles.has(i.file) || isSupport(i)) : filtered;
  const toRun = options.testItems ? selected.filter((i) => isSupport(i) || (i.id !== undefined && options.testItems!.has(i.id))) : selected;

  raw.push(...checkTestCoverage(toRun, items, options));

  let tests: TestResult[] = [];
  let notRun: NotRun[] = [];
  let python: Report['python'] = null;
  if (!options.noTests) {
    const toRunSigma = toRun.filter(isSigmaItem) as SigmaItem[]; // [sigma-seam]
    const out = await time('tests', () => runTests(sigmaItems.length ? toRun.filter((i) => !isSigmaItem(i)) : toRun, pantherItems, options));
    tests = out.results;
    if (toRunSigma.length) {
      const sig = await time('sigma tests', () => runSigmaRegressionTests(toRunSigma, sigmaOptions)); // [sigma-seam]
      tests = [...tests, ...sig.results];
      raw.push(...sig.findings);
    }
    notRun = out.notRun;
    python = out.python;
    raw.push(...out.findings);
    // the part of the test stage spent on correlation rules (evaluated offline, in TypeScript)
    if (out.timings?.correlation !== undefined) timings['tests.correlation'] = out.timings.correlation;
  }

  let forecast: Forecast | undefined;
  if (options.audit)
    await time('audit', () => {
      const found = auditFindings(collectDetections(pantherItems, tests, notRun, catalog), catalog); // [sigma-seam] the audit reads Panther keys
      raw.push(...found.findings);
      forecast = found.forecast;
    });

  const findingConfig = options.audit ? withAuditDefaults(config) : config;
  const shownFiles = selection ? filesOf(items, selection.selectedFiles) : undefined;
  const findings: Finding[] = finalizeFindings(raw, findingConfig, shownFiles);
  // Accepted problems (baseline file); entries this run could not have seen are never called stale.
  const testsNarrowed = options.noTests || options.filters.length > 0 || options.testNames.length > 0;
  const baseline = await time('baseline', () =>
    applyBaselineFile(findings, options, (e) => {
      if (findingConfig.severity[e.code] === 'off') return false;
      if (testsNarrowed && /^(test|python)\//.test(e.code)) return false;
      return !shownFiles || shownFiles.has(e.file) || REPOSITORY_WIDE.test(e.code);
    }),
  );
  for (const f of finalizeFindings(baseline.findings, findingConfig)) findings.push({ ...f, ...(baseline.info ? { baseline: 'new' as const } : {}) });
  if (baseline.info) baseline.info.problems = countProblems(findings);
  const testsFailed = tests.filter((t) => !t.passed).length;
  const report: Report = {
    version: 1,
    tool: { name: 'rulegate', version: TOOL_VERSION },
    root: options.rootArg,
    attack: { version: catalog.version },
    python,
    summary: {
      files: discovered.looked,
      items: items.length,
      tests: tests.length,
      testsPassed: tests.length - testsFailed,
      testsFailed,
      testsNotRun: notRun.reduce((n, r) => n + r.tests, 0),
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      durationMs: 0,
    },
    items: items
      .filter((i) => i.id !== undefined)
      .map((i) => ({ id: i.id as string, kind: String(i.kind), file: i.file, tests: Array.isArray(i.spec.Tests) ? i.spec.Tests.length : 0 })),
    findings,
    tests,
    notRun,
    skippedFiles: [...discovered.skipped, ...loaded.skipped],
    timings,
  };
  if (baseline.info) report.baseline = baseline.info;
  if (selection)
    report.selection = {
      mode: 'changed',
      changedFiles: options.changedFiles ?? [],
      selected: selection.reasons,
    };
  if (options.audit) report.audit = buildAuditReport({ items, tests, notRun, findings, catalog, forecast, sha: options.auditSha });
  report.summary.durationMs = Math.round(performance.now() - started);
  return { report, items };
}

/** The YAML and Python files of the selected items: findings on them are shown in PR mode. */
function filesOf(items: Item[], selectedYaml: ReadonlySet<string>): Set<string> {
  const files = new Set(selectedYaml);
  for (const item of items) if (selectedYaml.has(item.file) && item.pythonFile) files.add(item.pythonFile);
  return files;
}

/** Helpers and data models are loaded whenever any rule runs, whether or not they changed. */
function isSupport(item: Item): boolean {
  return item.kind === 'global' || item.kind === 'datamodel';
}

/** A finding's own severity, else the registry default (config overrides come later, in finalizeFindings). */
function defaultSeverity(f: RawFinding): string {
  return f.severity ?? (isKnownCode(f.code) ? CODES[f.code].severity : 'error');
}
