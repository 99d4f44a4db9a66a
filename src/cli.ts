#!/usr/bin/env node
// The RuleGate command line: the same pipeline as the action, options from argv, report to stdout or a file.
// Exit codes: 0 no error finding, 1 at least one, 2 the tool could not run.
import './core/inspector'; // first: SIGUSR1 must never open the inspector (see the module)
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { runPipeline } from './pipeline';
import type { RunOptions } from './core/options';
import { buildSettings, checkNumber, NUMBER_RULES, type NumberRule } from './core/settings';
import { AUDIT_OPTIONS, optionValues, parseArgsOptions, usageText } from './cli-options';
import { FatalError } from './core/errors';
import { CODES, type CodeInfo } from './core/codes';
import { TOOL_VERSION } from './core/version';
import { parseFilter } from './formats/panther/filters';
import { renderText } from './render/text';
import { renderJson } from './render/json';
import { renderSarif } from './render/sarif';
import { renderJunit } from './render/junit';
import { SANDBOX_LEVELS, type SandboxRequest } from './run/sandbox';
import { patchForFindings } from './fix/patch';
import { findRepoRoot } from './discover';
import { execFileSync } from 'child_process';
import { attachTrend } from './audit';
import { parseSnapshot, type Snapshot } from './audit/snapshot';
import { buildLayer, renderLayer } from './audit/navigator';
import { renderAuditHtml } from './audit/html';
import { renderAuditText } from './audit/text';
import { loadAttackCatalog } from './attack';
import { BASELINE_FILE, baselineText, gateCounts } from './baseline';
import { compareWithBaseCommit, resolveCommit } from './baseline/base-commit';

const USAGE = usageText();

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'publish') {
    // Loaded only here: the GitHub client costs ~80 ms of start-up that validation runs never need.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runPublishCommand } = require('./github/publish-cli') as typeof import('./github/publish-cli');
    return runPublishCommand(argv.slice(1));
  }
  if (argv[0] === 'fix') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runFixCommand } = require('./fix/cli') as typeof import('./fix/cli');
    return runFixCommand(argv.slice(1));
  }
  const audit = argv[0] === 'audit';
  if (audit) argv = argv.slice(1);
  const writeBaseline = argv[0] === 'baseline';
  if (writeBaseline) argv = argv.slice(1);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: parseArgsOptions(),
    });
  } catch (e) {
    process.stderr.write(`rulegate: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const v = optionValues(parsed.values);
  if (v.flag('help')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (v.flag('version')) {
    process.stdout.write(`rulegate ${TOOL_VERSION}\n`);
    return 0;
  }
  if (v.flag('list-codes')) {
    for (const [code, info] of Object.entries(CODES as Record<string, CodeInfo>))
      process.stdout.write(`${code.padEnd(34)} ${info.severity.padEnd(8)} ${info.description}${info.audit ? ` (audit: ${info.audit})` : ''}\n`);
    return 0;
  }
  if (parsed.positionals.length > 1) {
    process.stderr.write(`rulegate: expected one ROOT folder, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}\n`);
    return 2;
  }
  const auditOnly = AUDIT_OPTIONS.find((k) => v.str(k) !== undefined);
  if (!audit && auditOnly) {
    process.stderr.write(`rulegate: --${auditOnly} belongs to an audit: run "rulegate audit ${parsed.positionals[0] ?? '.'} --${auditOnly} ${v.str(auditOnly)}"\n`);
    return 2;
  }
  const format = v.str('format') ?? 'text';
  if (format !== 'text' && format !== 'json') {
    process.stderr.write(`rulegate: --format must be text or json, not "${format}"\n`);
    return 2;
  }

  try {
    const rootArg = parsed.positionals[0] ?? '.';
    // Only what was typed counts as given: an option left out is undefined, so the config file can fill it.
    const options: RunOptions = buildSettings(
      { root: path.resolve(rootArg), rootArg, cwd: process.cwd() },
      {
        configPath: v.str('config'),
        noTests: v.flag('no-tests') || undefined,
        python: v.str('python'),
        jobs: numberOption('--jobs', v.str('jobs'), NUMBER_RULES.jobs),
        testTimeoutSec: numberOption('--test-timeout', v.str('test-timeout'), NUMBER_RULES.testTimeout),
        attackVersion: v.str('attack-version'),
        filters: v.list('filter').map(parseFilter),
        minimumTests: numberOption('--minimum-tests', v.str('minimum-tests'), NUMBER_RULES.minimumTests),
        skipDisabled: v.flag('skip-disabled') || v.flag('skip-disabled-tests') || undefined,
        testNames: v.list('test-names'),
        ignore: [...v.list('ignore'), ...v.list('ignore-files')],
        include: v.list('include'),
        changedFiles: v.list('changed').length ? v.list('changed').map((f) => f.replace(/\\/g, '/').replace(/^\.\//, '')) : undefined,
      },
    );
    const sandbox = v.str('sandbox');
    if (sandbox !== undefined) {
      if (!SANDBOX_LEVELS.includes(sandbox as SandboxRequest)) throw new FatalError(`--sandbox must be one of ${SANDBOX_LEVELS.join(', ')}, not "${sandbox}"`);
      options.sandbox = sandbox as SandboxRequest;
    }
    options.allowNetwork = v.flag('allow-network');
    options.memoryLimitMb = numberOption('--memory-limit', v.str('memory-limit'), NUMBER_RULES.minimumTests);
    options.failOnExisting = v.flag('fail-on-existing');
    // Under `rulegate audit`, --baseline is the previous audit (the trend); elsewhere the accepted-problems file.
    const baselineFile = audit ? undefined : v.str('baseline');
    if (baselineFile) options.baselineFile = baselineFile;
    // A new baseline records every problem found today, whatever an old one accepted.
    if (writeBaseline) options.baselineFile = false;
    const sigmaProfile = v.str('sigma-profile'); // [sigma-seam]
    if (sigmaProfile !== undefined && sigmaProfile !== 'spec' && sigmaProfile !== 'sigmahq') {
      throw new FatalError(`--sigma-profile must be spec or sigmahq, not "${sigmaProfile}"`);
    }
    options.sigmaProfile = sigmaProfile;
    options.sigmaConfig = v.str('sigma-config');
    const isTty = Boolean(process.stderr.isTTY);
    options.progress = isTty ? (line) => process.stderr.write(`\r\x1b[2K${line}`) : undefined;

    options.audit = audit;
    // Read the previous audit first: a wrong path should stop the run before the tests, not after.
    const previousAudit = audit ? v.str('baseline') : undefined;
    const baseline = previousAudit ? readBaseline(previousAudit) : undefined;
    if (audit) options.auditSha = gitHead(options.root);
    const report = await runPipeline(options);
    const base = v.str('base');
    if (base && !writeBaseline) {
      const gitTop = findRepoRoot(options.root);
      const sha = resolveCommit(gitTop, base);
      if (!sha) throw new FatalError(`--base ${base}: no such commit in ${gitTop} (give a branch, tag or commit SHA)`);
      await compareWithBaseCommit(report, options, sha, { gitTop });
      report.baseline!.baseRef = base;
    }
    if (isTty) process.stderr.write('\r\x1b[2K');
    if (report.audit) {
      attachTrend(report.audit, baseline);
      const catalog = loadAttackCatalog(report.attack.version);
      const navigator = v.str('navigator');
      if (navigator) fs.writeFileSync(navigator, renderLayer(buildLayer(report.audit.coverage, catalog, { toolVersion: TOOL_VERSION, sha: options.auditSha })));
      const html = v.str('html');
      if (html) fs.writeFileSync(html, renderAuditHtml(report, catalog, { sha: options.auditSha }));
    }
    if (writeBaseline) {
      const file = v.str('output') ?? baselineFile ?? path.join(options.root, BASELINE_FILE);
      fs.writeFileSync(file, baselineText(report.findings, TOOL_VERSION));
      const n = report.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').length;
      process.stdout.write(`Wrote ${n} accepted ${n === 1 ? 'problem' : 'problems'} to ${file}. Commit it: from now on only other problems fail.\n`);
      return 0;
    }

    const color = !v.flag('no-color') && !v.str('output') && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
    let body = format === 'json' ? renderJson(report) : renderText(report, { color, failuresOnly: v.flag('show-failures-only') });
    if (format === 'text' && report.audit) body += renderAuditText(report.audit);
    // every worker is gone by now (runPipeline ends them); each file appears whole or not at all
    const output = v.str('output');
    if (output) writeAtomically(output, body);
    else process.stdout.write(body);
    const sarif = v.str('sarif');
    if (sarif) writeAtomically(sarif, renderSarif(report, { category: v.str('sarif-category') }));
    const junit = v.str('junit');
    if (junit) writeAtomically(junit, renderJunit(report));
    const fixPatch = v.str('fix-patch');
    if (fixPatch) writeAtomically(fixPatch, patchForFindings(report.findings, findRepoRoot(options.root)).patch);
    return gateCounts(report).errors > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof FatalError) {
      process.stderr.write(`rulegate: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`rulegate: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 2;
  }
}

function writeAtomically(file: string, text: string): void {
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** --baseline: a previous audit's JSON report or snapshot; a file that is not one stops the run (exit 2). */
function readBaseline(file: string): { snapshot?: Snapshot; source: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new FatalError(`--baseline ${file}: cannot read it (${(e as Error).message})`);
  }
  const got = parseSnapshot(text);
  if (!got.snapshot) throw new FatalError(`--baseline ${file}: ${got.problem}. Pass the JSON report of an earlier "rulegate audit --format json" run.`);
  return { snapshot: got.snapshot, source: file };
}

/** The commit being audited, for the snapshot and the links; undefined outside git. */
function gitHead(dir: string): string | undefined {
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return /^[0-9a-f]{40}$/.test(out) ? out : undefined;
  } catch {
    return undefined;
  }
}

function numberOption(flag: string, text: string | undefined, rule: NumberRule): number | undefined {
  if (text === undefined) return undefined;
  const n = checkNumber(text, rule);
  if (n === undefined) throw new FatalError(`${flag} must be ${rule.expected}, not "${text}"`);
  return n;
}

if (require.main === module) {
  let finished = false;
  // A promise that can never settle would let Node exit quietly with status 0 and no report:
  // make that impossible to miss.
  process.on('beforeExit', () => {
    if (!finished) {
      process.stderr.write('rulegate: internal error: the run stopped before producing a report\n');
      process.exit(2);
    }
  });
  main(process.argv.slice(2)).then(
    (code) => {
      finished = true;
      process.exitCode = code;
    },
    (e) => {
      finished = true;
      process.stderr.write(`rulegate: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
