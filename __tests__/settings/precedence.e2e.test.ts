// The same precedence through both shipped front ends: dist/cli.js with argv, and dist/index.js as the
// runner starts it (INPUT_* variables; an input the workflow leaves out is absent, as action.yml gives
// these inputs no default). Built-in default < .rulegate.yml < what the user set.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cleanupRepos, makeRepo, readJson, runAction, ROOT } from '../github/helpers/scenario';
import { configText, effects, pythonLink, PYTHON, SETTINGS_PACK, tmpDir, writePack, type ReportLike } from './pack';

const CLI = process.env.RULEGATE_E2E_CLI || path.join(ROOT, 'dist', 'cli.js');
const made: string[] = [];
let py: { real: string; link: string };
let withConfig: string;
let noConfig: string;

beforeAll(() => {
  const tmp = tmpDir('rulegate-precedence-');
  made.push(tmp);
  py = pythonLink(tmp);
  withConfig = path.join(tmp, 'with-config');
  writePack(withConfig, { ...SETTINGS_PACK, '.rulegate.yml': configText(py.link) });
  noConfig = path.join(tmp, 'no-config');
  writePack(noConfig, SETTINGS_PACK);
});
afterAll(() => {
  made.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  cleanupRepos();
});

function cli(root: string, ...args: string[]): ReportLike {
  const r = spawnSync(process.execPath, [CLI, root, '--format', 'json', '--jobs', '1', ...args], { encoding: 'utf8', cwd: root, env: { ...process.env, PATH: process.env.PATH } });
  if (r.status !== 0 && r.status !== 1) throw new Error(`rulegate exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('command line', () => {
  test('no config file: built-in defaults (10 s per test, no minimum, python3)', () => {
    expect(effects(cli(noConfig, '--python', PYTHON))).toEqual({ python: py.real, insufficient: [], slowHit: true });
  });

  test('the config file fills what the command line left out', () => {
    expect(effects(cli(withConfig))).toEqual({ python: py.link, insufficient: ['Settings.Simple', 'Settings.Simple'], slowHit: false });
  });

  test('explicit --minimum-tests 0, --test-timeout 10 and --python beat the file, though they equal the defaults', () => {
    expect(effects(cli(withConfig, '--minimum-tests', '0', '--test-timeout', '10', '--python', py.real))).toEqual({ python: py.real, insufficient: [], slowHit: true });
  });

  test('test/insufficient is a validation finding: also with --no-tests, also for simple detections', () => {
    const report = cli(withConfig, '--no-tests');
    expect(effects(report)).toEqual({ python: null, insufficient: ['Settings.Simple', 'Settings.Simple'], slowHit: 'not run' });
    expect(report.findings.find((f) => f.code === 'test/insufficient')!.message).toBe(
      'Settings.Simple: Insufficient test coverage: 2 tests required but only 1 found (--minimum-tests 2)',
    ); // and no negative test: the second finding
    expect(effects(cli(withConfig, '--no-tests', '--minimum-tests', '3')).insufficient).toEqual(['Settings.Simple', 'Settings.Simple', 'Settings.Slow']);
  });

  test('a bad number names the option and what it accepts', () => {
    const r = spawnSync(process.execPath, [CLI, noConfig, '--minimum-tests', '1.5'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('rulegate: --minimum-tests must be a whole number (0 or more), not "1.5"\n');
  });
});

describe('action', () => {
  async function action(inputs: Record<string, string>, config: boolean): Promise<ReportLike> {
    const repo = makeRepo({ base: { ...SETTINGS_PACK, ...(config ? { '.rulegate.yml': configText(py.link) } : {}) } });
    // INPUT_PYTHON and INPUT_JOBS are absent unless set: the runner passes no value for an input without a default.
    const unset = { INPUT_PYTHON: inputs.python === undefined ? null : inputs.python, INPUT_JOBS: null };
    const run = await runAction(repo, { eventName: 'schedule', payload: {}, token: '', inputs: { 'fail-on': 'never', ...inputs }, env: unset });
    if (run.code !== 0) throw new Error(`action failed: ${run.stdout}\n${run.stderr}`);
    return readJson(run.outputs['report-file']);
  }

  test('no inputs, no config file: built-in defaults', async () => {
    expect(effects(await action({}, false))).toEqual({ python: py.real, insufficient: [], slowHit: true });
  });

  test("inputs left out: .rulegate.yml's python, test-timeout and minimum-tests apply", async () => {
    expect(effects(await action({}, true))).toEqual({ python: py.link, insufficient: ['Settings.Simple', 'Settings.Simple'], slowHit: false });
  });

  test('inputs that are set beat the file, also when they equal the defaults', async () => {
    expect(effects(await action({ 'minimum-tests': '0', 'test-timeout': '10', python: py.real }, true))).toEqual({ python: py.real, insufficient: [], slowHit: true });
  });
});
