// The action's entry (dist/index.js, from src/index.ts) runs the action once when the runner loads it,
// and exports run() for GitHub's local-action debugger, which requires the entry and calls run() itself:
// that must also run exactly once.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DIST, PYTHON } from './helpers/scenario';

const RULE = 'AnalysisType: rule\nRuleID: Entry.Rule\nFilename: r.py\nEnabled: true\nLogTypes: [AWS.CloudTrail]\nSeverity: Low\nTests:\n  - Name: hit\n    ExpectedResult: true\n    Log: {x: 1}\n';

function start(script: string[]): { status: number | null; stderr: string; outputs: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-entry-'));
  try {
    fs.mkdirSync(path.join(dir, 'rules'));
    fs.writeFileSync(path.join(dir, 'rules', 'r.yml'), RULE);
    fs.writeFileSync(path.join(dir, 'rules', 'r.py'), 'def rule(event):\n    return event.get("x") == 1\n');
    const output = path.join(dir, 'output.txt');
    fs.writeFileSync(output, '');
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_WORKSPACE: dir,
      GITHUB_OUTPUT: output,
      RUNNER_TEMP: dir,
      INPUT_PYTHON: PYTHON,
      'INPUT_GITHUB-TOKEN': '',
    };
    const r = spawnSync(process.execPath, script, { cwd: dir, env, encoding: 'utf8', timeout: 120000 });
    return { status: r.status, stderr: r.stderr, outputs: fs.readFileSync(output, 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const runs = (outputs: string) => outputs.split('\n').filter((l) => l.startsWith('tests<<')).length;

test('loaded by the runner: the action runs once', () => {
  const r = start([DIST]);
  expect(r.status).toBe(0);
  expect(runs(r.outputs)).toBe(1);
});

test('required by a debugger that calls the exported run(): still exactly one run', () => {
  const script = `const m = require(${JSON.stringify(DIST)});
if (typeof m.run !== 'function') { console.error('the entry exports no run()'); process.exit(3); }
m.run().then(() => console.error('run() resolved'));`;
  const r = start(['-e', script]);
  expect(r.stderr).toContain('run() resolved');
  expect(r.status).toBe(0);
  expect(runs(r.outputs)).toBe(1);
});
