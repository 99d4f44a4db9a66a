// Forged reports, as a fork's pull request can hand them to the fork-safe publisher: the committed
// dist/ bundles (`rulegate publish` and the action's `publish-report`) against the recording GitHub.
// A report off the JSON contract is refused with one line naming the first bad field, and nothing is
// posted; a report on the contract but full of markup is posted as text (see the escaping tests below).
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makeReport } from '../render/fixtures/report';
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github';
import { ROOT } from './helpers/scenario';

const CLI = process.env.RULEGATE_E2E_CLI || path.join(ROOT, 'dist', 'cli.js');
const ACTION = process.env.RULEGATE_E2E_DIST || path.join(ROOT, 'dist', 'index.js');
const HEAD = 'c0ffee0000000000000000000000000000000001';

let gh: FakeGitHub;
let dir: string;
beforeEach(async () => {
  gh = await startFakeGitHub();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-forged-'));
});
afterEach(async () => {
  await gh.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Proc {
  code: number | null;
  stdout: string;
  stderr: string;
  summary: string;
}

/** The fork-safe publisher's job: workflow_run of a fork's pull request #12, as the runner starts a step. */
function runnerEnv(extra: Record<string, string> = {}): Record<string, string> {
  const event = path.join(dir, 'event.json');
  fs.writeFileSync(
    event,
    JSON.stringify({
      repository: { full_name: 'acme/detections' },
      workflow_run: {
        event: 'pull_request',
        head_sha: HEAD,
        head_branch: 'feature',
        head_repository: { full_name: 'forker/detections', owner: { login: 'forker' } },
        repository: { full_name: 'acme/detections' },
        pull_requests: [],
      },
    }),
  );
  const summary = path.join(dir, 'summary.md');
  fs.writeFileSync(summary, '');
  fs.writeFileSync(path.join(dir, 'output.txt'), '');
  gh.state.pulls = [{ number: 12, head: { sha: HEAD, label: 'forker:feature' } }];
  return {
    PATH: path.dirname(process.execPath), // no python, no git: nothing is run
    HOME: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'workflow_run',
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: 'acme/detections',
    GITHUB_SERVER_URL: 'https://github.test',
    GITHUB_API_URL: gh.url,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: path.join(dir, 'output.txt'),
    GITHUB_WORKSPACE: dir,
    GITHUB_RUN_ID: '77',
    RUNNER_TEMP: dir,
    ...extra,
  };
}

function spawnNode(script: string, args: string[], env: Record<string, string>): Promise<Proc> {
  const child = spawn(process.execPath, [script, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr, summary: fs.readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8') })),
  );
}

/** `rulegate publish REPORT` with GITHUB_TOKEN, as a workflow_run job calls it. */
export function publishCli(report: unknown, args: string[] = []): Promise<Proc> {
  const file = path.join(dir, 'report.json');
  fs.writeFileSync(file, typeof report === 'string' ? report : JSON.stringify(report));
  return spawnNode(CLI, ['publish', file, ...args], runnerEnv({ GITHUB_TOKEN: 'ghs_publisher' }));
}

/** The action with `publish-report`. */
function publishAction(report: unknown): Promise<Proc> {
  const file = path.join(dir, 'report.json');
  fs.writeFileSync(file, typeof report === 'string' ? report : JSON.stringify(report));
  return spawnNode(ACTION, [], runnerEnv({ 'INPUT_PUBLISH-REPORT': file, 'INPUT_GITHUB-TOKEN': 'ghs_publisher' }));
}

/** A valid report with one change applied by `edit` (which may mutate it). */
function forged(edit: (r: any) => void): unknown { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = JSON.parse(JSON.stringify(makeReport()));
  edit(r);
  return r;
}

describe('a report off the JSON contract is refused: exit 2, one line naming the first bad field, nothing posted', () => {
  const cases: Array<[string, unknown, string]> = [
    ['summary.items is a string', forged((r) => (r.summary.items = '5 <img src=x onerror=alert(1)>')), 'summary.items: expected number, got string'],
    ['a finding line is text', forged((r) => (r.findings[1].line = 'NaN')), 'findings[1].line: expected number, got string'],
    ['a finding line is a fraction', forged((r) => (r.findings[0].line = 1.5)), 'findings[0].line: expected int, got 1.5'],
    ['an unknown severity', forged((r) => (r.findings[2].severity = 'fatal')), 'findings[2].severity: expected "error" or "warning" or "note", got "fatal"'],
    ['a finding message is an object', forged((r) => (r.findings[0].message = { toString: 'x' })), 'findings[0].message: expected string, got object'],
    ['negative error count', forged((r) => (r.summary.errors = -1)), 'summary.errors: expected at least 0, got -1'],
    ['a huge message (2 MiB)', forged((r) => (r.findings[0].message = 'A'.repeat(2 * 1024 * 1024))), 'findings[0].message: longer than 1048576 characters'],
    ['another version', forged((r) => (r.version = 2)), 'version: expected 1, got 2'],
    ['another tool', forged((r) => (r.tool.name = 'evil')), 'tool.name: expected "rulegate", got "evil"'],
    ['no tests list', forged((r) => delete r.tests), 'tests: expected array, got nothing (the key is missing)'],
    ['python event not in the contract', forged((r) => (r.python = { executable: 'p', version: '3', event: '<b>x</b>' })), 'python.event: expected "panther_core" or "builtin", got "<b>x</b>"'],
    ['a timing that is not a number', forged((r) => (r.timings = { '::add-mask::x\n##[error]': 'slow' })), 'timings["::add-mask::x\\n##\u200b[error]"]: expected number, got string'], // `##[` broken: never a log command
    ['not an object at all', [1, 2], '(the report): expected object, got array'],
  ];

  test.each(cases)('rulegate publish: %s', async (_name, report, problem) => {
    const r = await publishCli(report);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(`rulegate publish: ${path.join(dir, 'report.json')} is not a RuleGate JSON report (version 1): ${problem}. Nothing was published.`);
    expect(gh.requests).toEqual([]);
    expect(r.stdout).toBe('');
    expect(r.summary).not.toContain('<img');
  });

  test('the action with publish-report: the step fails with that line; no check run, no comment', async () => {
    const r = await publishAction(forged((r) => (r.summary.items = 'five')));
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toEqual([expect.stringMatching(/is not a RuleGate JSON report \(version 1\): summary\.items: expected number, got string\. Nothing was published\.$/)]);
    expect(gh.requests).toEqual([]);
  });

  test('a well-formed report is still published (the control case)', async () => {
    const r = await publishCli(makeReport());
    expect(r.stderr).not.toContain('not a RuleGate JSON report');
    expect(r.code).toBe(0);
    expect(gh.writes().map((q) => `${q.method} ${q.path}`)).toEqual(['POST /repos/acme/detections/check-runs', 'POST /repos/acme/detections/issues/12/comments']);
  });
});
