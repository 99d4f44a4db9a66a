#!/usr/bin/env node
// The RuleGate command line: the same pipeline as the action, options from argv, report to stdout or a file.
// Exit codes: 0 no error finding, 1 at least one, 2 the tool could not run.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { runPipeline } from './pipeline';
import type { RunOptions } from './core/options';
import { buildSettings, checkNumber, NUMBER_RULES, type NumberRule } from './core/settings';
import { optionValues, parseArgsOptions, usageText } from './cli-options';
import { FatalError } from './core/errors';
import { CODES } from './core/codes';
import { TOOL_VERSION } from './core/version';
import { parseFilter } from './formats/panther/filters';
import { renderText } from './render/text';
import { renderJson } from './render/json';
import { renderSarif } from './render/sarif';
import { renderJunit } from './render/junit';
import { BASELINE_FILE, baselineText, gateCounts } from './baseline';
import { compareWithBaseCommit, resolveCommit } from './baseline/base-commit';
import { findRepoRoot } from './discover';

const USAGE = usageText();

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'publish') {
    // Loaded only here: the GitHub client costs ~80 ms of start-up that validation runs never need.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runPublishCommand } = require('./github/publish-cli') as typeof import('./github/publish-cli');
    return runPublishCommand(argv.slice(1));
  }
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
    for (const [code, info] of Object.entries(CODES)) process.stdout.write(`${code.padEnd(34)} ${info.severity.padEnd(8)} ${info.description}\n`);
    return 0;
  }
  if (parsed.positionals.length > 1) {
    process.stderr.write(`rulegate: expected one ROOT folder, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}\n`);
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
    options.failOnExisting = v.flag('fail-on-existing');
    const baselineFile = v.str('baseline');
    if (baselineFile) options.baselineFile = baselineFile;
    // A new baseline records every problem found today, whatever an old one accepted.
    if (writeBaseline) options.baselineFile = false;
    const isTty = Boolean(process.stderr.isTTY);
    options.progress = isTty ? (line) => process.stderr.write(`\r\x1b[2K${line}`) : undefined;

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
    if (writeBaseline) {
      const file = v.str('output') ?? baselineFile ?? path.join(options.root, BASELINE_FILE);
      fs.writeFileSync(file, baselineText(report.findings, TOOL_VERSION));
      const n = report.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').length;
      process.stdout.write(`Wrote ${n} accepted ${n === 1 ? 'problem' : 'problems'} to ${file}. Commit it: from now on only other problems fail.\n`);
      return 0;
    }

    const color = !v.flag('no-color') && !v.str('output') && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
    const body = format === 'json' ? renderJson(report) : renderText(report, { color, failuresOnly: v.flag('show-failures-only') });
    const output = v.str('output');
    if (output) fs.writeFileSync(output, body);
    else process.stdout.write(body);
    const sarif = v.str('sarif');
    if (sarif) fs.writeFileSync(sarif, renderSarif(report, { category: v.str('sarif-category') }));
    const junit = v.str('junit');
    if (junit) fs.writeFileSync(junit, renderJunit(report));
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
