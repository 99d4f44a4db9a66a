// The README's workflows, as a user copies them: every `uses:` of RuleGate names the release tag, no
// setup-python step asks for a pip cache (it fails without a requirements.txt), and the install step
// works on a pack with a requirements.txt, with a Pipfile, and with neither. pip and pipenv are replaced
// by recorders on PATH: what is tested is the step's own shell logic, with the real bash.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
const workflows = [...README.matchAll(/```yaml\n([\s\S]*?)```/g)]
  .map((m) => yaml.load(m[1]) as { jobs?: Record<string, { 'runs-on': string; steps: Step[] }> })
  .filter((w) => w && w.jobs);
const steps = workflows.flatMap((w) => Object.values(w.jobs!).flatMap((j) => j.steps));

test('the README has the workflows this test reads', () => {
  expect(workflows.length).toBeGreaterThanOrEqual(4);
});

test('RuleGate is used at the release tag this repository carries', () => {
  const uses = steps.map((s) => s.uses).filter((u): u is string => !!u && /rulegate/i.test(u) && !u.startsWith('github/'));
  expect(uses.length).toBeGreaterThanOrEqual(4);
  expect([...new Set(uses)]).toEqual(['rulegate/rulegate@v1']);
  expect(README).toContain('runner v2.327.1 or later');
});

test('no setup-python step needs a requirements.txt for its cache', () => {
  for (const s of steps.filter((x) => x.uses?.startsWith('actions/setup-python'))) expect(s.with?.cache).toBeUndefined();
});

describe('the install step', () => {
  const installs = steps.filter((s) => s.run && /pip/.test(s.run)).map((s) => s.run!);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-readme-'));
  const bin = path.join(tmp, 'bin');
  const log = path.join(tmp, 'calls.log');
  fs.mkdirSync(bin);
  for (const tool of ['pip', 'pipenv']) fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "${log}"\n`, { mode: 0o755 });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('is the same in every workflow that runs rule tests', () => {
    expect(installs.length).toBe(3);
    expect(new Set(installs).size).toBe(1);
  });

  test.each([
    ['requirements.txt', { 'requirements.txt': 'panther-core\n' }, ['pip install -r requirements.txt']],
    ['a Pipfile', { Pipfile: '[packages]\npanther-core = "*"\n' }, ['pip install pipenv', 'pipenv install --system']],
    ['neither', {}, []],
  ])('with %s', (_name, files: Record<string, string>, calls: string[]) => {
    const pack = fs.mkdtempSync(path.join(tmp, 'pack-'));
    for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(pack, f), text);
    fs.rmSync(log, { force: true });
    // GitHub runs `run:` with `bash -e {0}` by default on Linux runners.
    const r = spawnSync('bash', ['-e', '-c', installs[0]], { cwd: pack, encoding: 'utf8', env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` } });
    expect(r.status).toBe(0);
    expect(fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []).toEqual(calls);
  });
});
