#!/usr/bin/env node
// The RuleGate command line: the same pipeline as the action, options from argv, report to stdout or a file.
// Exit codes: 0 no error finding, 1 at least one, 2 the tool could not run.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { runPipeline } from './pipeline';
import { defaultOptions, type RunOptions } from './core/options';
import { FatalError } from './core/errors';
import { CODES } from './core/codes';
import { TOOL_VERSION } from './core/version';
import { parseFilter } from './formats/panther/filters';
import { renderText } from './render/text';
import { renderJson } from './render/json';
import { renderSarif } from './render/sarif';
import { renderJunit } from './render/junit';

const USAGE = `Usage: rulegate [ROOT] [options]
       rulegate publish REPORT.json   (publish a saved JSON report to GitHub; no rule code runs)

Validate a Panther rule repository: schema, references, MITRE ATT&CK, and every embedded unit test.

Options:
  --format text|json        output format (default text)
  --output FILE             write the report to FILE instead of stdout
  --sarif FILE              also write SARIF 2.1.0 to FILE
  --junit FILE              also write JUnit XML to FILE
  --config FILE             config file (default ROOT/.rulegate.yml)
  --no-tests                validate only; do not run unit tests
  --python PATH             Python executable for rule code (default python3)
  --jobs N                  Python worker processes (default: CPU cores)
  --test-timeout SECONDS    time limit per test (default 10)
  --attack-version V        ATT&CK version to validate against (default newest shipped)
  --sigma-profile P         Sigma checks: spec (default) or sigmahq (adds SigmaHQ's conventions)
  --sigma-config FILE       sigma-cli validation config (default tests/sigma_cli_conf.yml if present; none to ignore)
  --filter KEY=V1,V2        only items matching (KEY!=V excludes); repeatable, as in pat
  --minimum-tests N         require N tests per detection (N>=2: a true and a false case)
  --skip-disabled           skip detections with Enabled: false
  --test-names NAME         only run tests with this name; repeatable
  --ignore GLOB             skip files matching GLOB; repeatable
  --include GLOB            also load files matching GLOB; repeatable
  --changed FILE            PR mode: test only what FILE (repeatable) and its dependents touch
  --show-failures-only      text output: list failing tests only
  --no-color                plain text output
  --list-codes              print every finding code with its default severity
  --version, --help`;

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'publish') {
    // Loaded only here: the GitHub client costs ~80 ms of start-up that validation runs never need.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runPublishCommand } = require('./github/publish-cli') as typeof import('./github/publish-cli');
    return runPublishCommand(argv.slice(1));
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        sarif: { type: 'string' },
        junit: { type: 'string' },
        config: { type: 'string' },
        'no-tests': { type: 'boolean' },
        python: { type: 'string' },
        jobs: { type: 'string' },
        'test-timeout': { type: 'string' },
        'attack-version': { type: 'string' },
        'sigma-profile': { type: 'string' },
        'sigma-config': { type: 'string' },
        filter: { type: 'string', multiple: true },
        'minimum-tests': { type: 'string' },
        'skip-disabled': { type: 'boolean' },
        'skip-disabled-tests': { type: 'boolean' },
        'test-names': { type: 'string', multiple: true },
        ignore: { type: 'string', multiple: true },
        'ignore-files': { type: 'string', multiple: true },
        include: { type: 'string', multiple: true },
        changed: { type: 'string', multiple: true },
        'show-failures-only': { type: 'boolean' },
        'no-color': { type: 'boolean' },
        'list-codes': { type: 'boolean' },
        version: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`rulegate: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (v.version) {
    process.stdout.write(`rulegate ${TOOL_VERSION}\n`);
    return 0;
  }
  if (v['list-codes']) {
    for (const [code, info] of Object.entries(CODES)) process.stdout.write(`${code.padEnd(34)} ${info.severity.padEnd(8)} ${info.description}\n`);
    return 0;
  }
  if (parsed.positionals.length > 1) {
    process.stderr.write(`rulegate: expected one ROOT folder, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}\n`);
    return 2;
  }
  const format = v.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    process.stderr.write(`rulegate: --format must be text or json, not "${format}"\n`);
    return 2;
  }

  try {
    const rootArg = parsed.positionals[0] ?? '.';
    const options: RunOptions = defaultOptions(path.resolve(rootArg), rootArg);
    options.configPath = v.config;
    options.noTests = Boolean(v['no-tests']);
    options.python = v.python;
    if (v.jobs !== undefined) options.jobs = positiveInt('--jobs', v.jobs, 1);
    if (v['test-timeout'] !== undefined) options.testTimeoutSec = positiveNumber('--test-timeout', v['test-timeout']);
    options.attackVersion = v['attack-version'];
    const profile = v['sigma-profile'];
    if (profile !== undefined && profile !== 'spec' && profile !== 'sigmahq') {
      process.stderr.write(`rulegate: --sigma-profile must be spec or sigmahq, not "${profile}"\n`);
      return 2;
    }
    options.sigmaProfile = profile;
    options.sigmaConfig = v['sigma-config'];
    options.filters = (v.filter ?? []).map(parseFilter);
    if (v['minimum-tests'] !== undefined) options.minimumTests = positiveInt('--minimum-tests', v['minimum-tests'], 0);
    options.skipDisabled = Boolean(v['skip-disabled'] || v['skip-disabled-tests']);
    options.testNames = v['test-names'] ?? [];
    options.ignore = [...(v.ignore ?? []), ...(v['ignore-files'] ?? [])];
    options.include = v.include ?? [];
    if (v.changed) options.changedFiles = v.changed.map((f) => f.replace(/\\/g, '/').replace(/^\.\//, ''));
    const isTty = Boolean(process.stderr.isTTY);
    options.progress = isTty ? (line) => process.stderr.write(`\r\x1b[2K${line}`) : undefined;

    const report = await runPipeline(options);
    if (isTty) process.stderr.write('\r\x1b[2K');

    const color = !v['no-color'] && !v.output && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
    const body = format === 'json' ? renderJson(report) : renderText(report, { color, failuresOnly: Boolean(v['show-failures-only']) });
    if (v.output) fs.writeFileSync(v.output, body);
    else process.stdout.write(body);
    if (v.sarif) fs.writeFileSync(v.sarif, renderSarif(report));
    if (v.junit) fs.writeFileSync(v.junit, renderJunit(report));
    return report.summary.errors > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof FatalError) {
      process.stderr.write(`rulegate: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`rulegate: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 2;
  }
}

function positiveInt(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new FatalError(`${flag} must be a whole number ≥ ${min}, not "${text}"`);
  return n;
}

function positiveNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new FatalError(`${flag} must be a number of seconds above 0, not "${text}"`);
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
