// End-to-end: the committed dist/index.js, run in a child process exactly as the runner runs it —
// INPUT_* variables (upper-cased, hyphens kept: INPUT_FAIL-ON), an event payload file, GITHUB_OUTPUT
// and GITHUB_STEP_SUMMARY files, and GITHUB_API_URL pointing at a local fake GitHub that records
// every request. The rule repository is a copy of fixtures/pack in a temporary git repository.
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github';
import { manyFindings, makeReport } from '../render/fixtures/report';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = process.env.RULEGATE_E2E_DIST || path.join(ROOT, 'dist', 'index.js');
const FIXTURE = path.join(__dirname, 'fixtures', 'pack');
const PYTHON = process.env.RULEGATE_TEST_PYTHON || 'python3';
const MERGE_SHA = '9999999999999999999999999999999999999999'; // GITHUB_SHA on pull_request: never used for results

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Workflow-command annotation lines (::error / ::warning / ::notice) in order. */
  annotations: string[];
  outputs: Record<string, string>;
  summary: string;
}

interface Workspace {
  dir: string;
  base: string;
  head: string;
  tmp: string;
}

let gh: FakeGitHub;
const cleanup: string[] = [];
beforeEach(async () => {
  gh = await startFakeGitHub();
});
afterEach(async () => {
  await gh.close();
});
afterAll(() => {
  for (const d of cleanup) fs.rmSync(d, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** A git repository: base commit = the fixture with secret_read's test passing; head = the PR's change that breaks it and touches the helper. */
function workspace(): Workspace {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-e2e-'));
  cleanup.push(tmp);
  const dir = path.join(tmp, 'repo');
  fs.cpSync(FIXTURE, dir, { recursive: true });
  const secret = path.join(dir, 'rules', 'secret_read.yml');
  const broken = fs.readFileSync(secret, 'utf8');
  fs.writeFileSync(secret, broken.replace('  - Name: listing is not reading\n    ExpectedResult: true', '  - Name: listing is not reading\n    ExpectedResult: false'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'base');
  const base = git(dir, 'rev-parse', 'HEAD');
  fs.writeFileSync(secret, broken);
  fs.appendFileSync(path.join(dir, 'global_helpers', 'gate_helpers.py'), '\n\ndef unused():\n    return None\n');
  git(dir, 'commit', '-q', '-am', 'head');
  const head = git(dir, 'rev-parse', 'HEAD');
  return { dir, base, head, tmp };
}

function fixSecretRead(ws: Workspace): void {
  const f = path.join(ws.dir, 'rules', 'secret_read.yml');
  fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('  - Name: listing is not reading\n    ExpectedResult: true', '  - Name: listing is not reading\n    ExpectedResult: false'));
}

function prEvent(ws: Workspace, over: { eventName?: string; headRepo?: string; number?: number } = {}) {
  return {
    action: 'synchronize',
    number: over.number ?? 7,
    repository: { full_name: 'acme/detections' },
    pull_request: {
      number: over.number ?? 7,
      head: { sha: ws.head, ref: 'feature', repo: { full_name: over.headRepo ?? 'acme/detections' } },
      base: { sha: ws.base, ref: 'main', repo: { full_name: 'acme/detections' } },
    },
  };
}

async function runAction(
  ws: Workspace,
  eventName: string,
  payload: unknown,
  inputs: Record<string, string> = {},
  extraEnv: Record<string, string> = {},
): Promise<Run> {
  const eventPath = path.join(ws.tmp, `event-${eventName}.json`);
  const outputPath = path.join(ws.tmp, `output-${Date.now()}-${Math.random()}.txt`);
  const summaryPath = path.join(ws.tmp, `summary-${Date.now()}-${Math.random()}.md`);
  fs.writeFileSync(eventPath, JSON.stringify(payload));
  fs.writeFileSync(outputPath, '');
  fs.writeFileSync(summaryPath, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? ws.tmp,
    LANG: 'C.UTF-8',
    RULEGATE_API_TIME_SCALE: '0.01', // GitHub's one-second pacing of writes and retry waits, shortened for tests
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_REPOSITORY: 'acme/detections',
    GITHUB_SHA: eventName === 'push' || eventName === 'schedule' ? ws.head : MERGE_SHA,
    GITHUB_SERVER_URL: 'https://github.test',
    GITHUB_API_URL: gh.url,
    GITHUB_WORKSPACE: ws.dir,
    GITHUB_RUN_ID: '4242',
    RUNNER_TEMP: ws.tmp,
    'INPUT_GITHUB-TOKEN': 'ghs_faketoken',
    INPUT_PYTHON: PYTHON,
    ...extraEnv,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  const child = spawn(process.execPath, [DIST], { cwd: ws.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code: number | null = await new Promise((resolve) => child.on('close', resolve));
  return {
    code,
    stdout,
    stderr,
    annotations: stdout.split(/\r?\n/).filter((l) => /^::(error|warning|notice)[ :]/.test(l)),
    outputs: parseOutputs(fs.readFileSync(outputPath, 'utf8')),
    summary: fs.readFileSync(summaryPath, 'utf8'),
  };
}

/** GITHUB_OUTPUT holds `name<<ghadelimiter_UUID\nvalue\nghadelimiter_UUID` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]] = m[3];
  return out;
}

function readJson(file: string) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

const distExists = fs.existsSync(DIST);
const describeDist = distExists ? describe : describe.skip;
test('dist/index.js exists (npm run build writes it; it is committed)', () => {
  expect({ dist: DIST, exists: distExists }).toEqual({ dist: DIST, exists: true });
});

describeDist('action (dist/index.js) on pull_request', () => {
  test('PR files from the API, dependency-aware selection, check run on the head SHA, one comment, summary, outputs, SARIF/JUnit', async () => {
    const ws = workspace();
    gh.state.prFiles.set(7, [
      { filename: 'rules/secret_read.yml', status: 'modified' },
      { filename: 'global_helpers/gate_helpers.py', status: 'modified' },
      { filename: 'README.md', status: 'modified' },
    ]);
    const r = await runAction(ws, 'pull_request', prEvent(ws), { 'sarif-file': 'out/rulegate.sarif', 'junit-file': 'out/junit.xml' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);

    const report = readJson(r.outputs['report-file']);
    expect(r.outputs['report-file']).toBe(path.join(ws.tmp, 'rulegate-report.json'));
    expect(report.selection.mode).toBe('changed');
    expect(report.selection.changedFiles).toEqual(['rules/secret_read.yml', 'global_helpers/gate_helpers.py', 'README.md']);
    const why = Object.fromEntries(report.selection.selected.map((s: { file: string; reason: string }) => [s.file, s.reason]));
    expect(why).toMatchObject({
      'rules/secret_read.yml': 'YAML changed',
      'global_helpers/gate_helpers.yml': 'Python file global_helpers/gate_helpers.py changed',
      'rules/root_login.yml': 'imports changed helper gate_helpers',
      'packs/gate.yml': 'lists changed item Gate.Secret.Read; lists changed item gate_helpers',
    });
    expect(why['rules/bad_mitre.yml']).toBeUndefined();
    // Only the selected files' findings: the deliberate test failure; bad_mitre.yml's problems are out of scope.
    expect(report.findings.map((f: { code: string; file: string; line: number }) => `${f.code} ${f.file}:${f.line}`)).toEqual(['test/failed rules/secret_read.yml:14']);
    expect(report.tests.map((t: { name: string; passed: boolean }) => `${t.name}:${t.passed}`).sort()).toEqual(
      ['listing is not reading:false', 'root console login:true', 'secret read:true', 'user console login:true'].sort(),
    );

    // Outputs.
    expect(r.outputs).toMatchObject({ errors: '1', warnings: '0', tests: '4', 'tests-failed': '1', 'sarif-file': path.join(ws.dir, 'out', 'rulegate.sarif') });
    expect(readJson(r.outputs['sarif-file']).runs[0].results).toHaveLength(1);
    expect(fs.readFileSync(path.join(ws.dir, 'out', 'junit.xml'), 'utf8')).toContain('<testcase name="listing is not reading" classname="Gate.Secret.Read" file="rules/secret_read.yml" line="14"');

    // Check run: one request (1 annotation), on the PR head, not GITHUB_SHA.
    const checks = gh.writes().filter((q) => q.path.includes('check-runs'));
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ method: 'POST', path: '/repos/acme/detections/check-runs', authorization: 'token ghs_faketoken' });
    expect(checks[0].body).toMatchObject({ name: 'RuleGate', head_sha: ws.head, status: 'completed', conclusion: 'failure' });
    expect(checks[0].body.output.annotations).toEqual([
      expect.objectContaining({ path: 'rules/secret_read.yml', start_line: 14, end_line: 14, annotation_level: 'failure', title: 'test/failed (Gate.Secret.Read)' }),
    ]);
    expect(checks[0].body.output.summary.length).toBeLessThanOrEqual(65535);

    // The check run carries every annotation, so stdout has one pointer notice and the step's failure message.
    expect(r.annotations).toEqual([
      `::notice title=RuleGate::1 finding is annotated in the check run "RuleGate" (https://github.test/runs/${gh.state.checkRuns.keys().next().value}) and listed in the job summary.`,
      "::error::RuleGate found 1 error (1 of 4 tests failed); fail-on is 'error'. The job summary lists every finding.",
    ]);

    // One sticky comment.
    const comments = gh.state.comments.get(7)!;
    expect(comments).toHaveLength(1);
    expect(comments[0].body.startsWith('<!-- rulegate:report -->\n\n### ❌ RuleGate: 1 error, 1 of 4 tests failed')).toBe(true);

    // Summary: totals, ATT&CK version, selection with reasons, link to the exact line at the head SHA.
    expect(r.summary).toContain('### ❌ RuleGate: 1 error, 1 of 4 tests failed');
    expect(r.summary).toMatch(/\| MITRE ATT&amp;CK catalog \| Enterprise \d+\.\d+ \|/);
    expect(r.summary).toContain('- `rules/root_login.yml`: imports changed helper gate\\_helpers');
    expect(r.summary).toContain(`[line 14](https://github.test/acme/detections/blob/${ws.head}/rules/secret_read.yml#L14)`);
    expect(r.summary).toContain('<summary>Timings</summary>');
  });

  test('second run after the fix: the same comment turns into an all-clear (PATCH, never a duplicate); the step passes', async () => {
    const ws = workspace();
    gh.state.prFiles.set(7, [{ filename: 'rules/secret_read.yml', status: 'modified' }]);
    const first = await runAction(ws, 'pull_request', prEvent(ws));
    expect(first.code).toBe(1);
    fixSecretRead(ws);
    const second = await runAction(ws, 'pull_request', prEvent(ws));
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    const commentWrites = gh.writes().filter((q) => q.path.includes('comments'));
    expect(commentWrites.map((q) => `${q.method} ${q.path}`)).toEqual([
      'POST /repos/acme/detections/issues/7/comments',
      `PATCH /repos/acme/detections/issues/comments/${gh.state.comments.get(7)![0].id}`,
    ]);
    const comments = gh.state.comments.get(7)!;
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toMatch(/^<!-- rulegate:report -->\n\n### ✅ RuleGate: all clear/);
    expect(comments[0].body).toContain('Everything RuleGate reported earlier on this pull request is fixed.');
    expect(second.annotations).toEqual([]);
    expect(second.outputs).toMatchObject({ errors: '0', 'tests-failed': '0' });
    // Two check runs, the second a success.
    expect([...gh.state.checkRuns.values()].map((c) => c.conclusion)).toEqual(['failure', 'success']);
  });

  test('403 on check runs and comments (fork PR, read-only token): quiet fallback; the step fails only by findings', async () => {
    const ws = workspace();
    gh.state.deny = { checks: true, comments: true };
    gh.state.prFiles.set(7, [{ filename: 'rules/secret_read.yml', status: 'modified' }, { filename: 'rules/bad_mitre.yml', status: 'modified' }]);
    const r = await runAction(ws, 'pull_request', prEvent(ws, { headRepo: 'forker/detections' }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = readJson(r.outputs['report-file']);
    const lines = r.annotations;
    // New errors before new warnings before the problems already on main (notices); every finding of the
    // changed files; then the step's own failure message.
    const rank: Record<string, number> = { error: 0, warning: 1, notice: 2 };
    const expected = report.findings
      .map((f: { severity: string; baseline: string }) => (f.baseline === 'existing' ? 'notice' : f.severity))
      .sort((a: string, b: string) => rank[a] - rank[b]);
    expect(expected).toContain('notice');
    expect(lines.slice(0, -1).map((l) => l.slice(2, l.indexOf(' ')))).toEqual(expected);
    expect(lines).toContainEqual(expect.stringMatching(/^::error file=rules\/secret_read\.yml,line=14,title=test\/failed \(Gate\.Secret\.Read\)::.+/));
    expect(lines).toContainEqual(expect.stringMatching(/^::notice file=rules\/bad_mitre\.yml,line=10,col=\d+,title=mitre\/unknown-technique \(Gate\.Bad\.Mitre\)::Already on main: .*T9999/));
    expect(lines).toContainEqual(expect.stringMatching(/^::notice file=rules\/bad_mitre\.yml,line=7,col=\d+,title=schema\/dedup-period \(Gate\.Bad\.Mitre\)::Already on main: /));
    expect(lines.at(-1)).toMatch(/^::error::RuleGate found 1 new problem \(\d+ already on main\); 1 error fails the step\./);
    expect(r.summary).toContain('The token could not write a check run or pull-request comment');
    expect(r.stdout).toContain('Check run not created: the token may not do this (HTTP 403');
    expect(gh.state.comments.get(7) ?? []).toEqual([]);

    // Same findings, fail-on: never — the 403s do not fail the step either.
    const again = await runAction(ws, 'pull_request', prEvent(ws, { headRepo: 'forker/detections' }), { 'fail-on': 'never' });
    expect(again.code).toBe(0);
    expect(again.annotations.some((l) => l.startsWith('::error::'))).toBe(false);
  });

  test('no token: changed files from `git diff base...head` (payload SHAs); no API calls', async () => {
    const ws = workspace();
    const r = await runAction(ws, 'pull_request', prEvent(ws), {}, { 'INPUT_GITHUB-TOKEN': '' });
    expect(r.stderr).toBe('');
    expect(gh.requests).toEqual([]);
    expect(r.stdout).toContain('Pull-request mode: 2 changed files (from git diff).');
    const report = readJson(r.outputs['report-file']);
    expect(report.selection.changedFiles.sort()).toEqual(['global_helpers/gate_helpers.py', 'rules/secret_read.yml']);
    expect(r.code).toBe(1);
  });
});

describeDist('action (dist/index.js) on push and schedule', () => {
  test('push: the whole repository, exact annotation lines without a check run', async () => {
    const ws = workspace();
    const r = await runAction(ws, 'push', { before: ws.base, after: ws.head, repository: { full_name: 'acme/detections' } }, { 'check-run': 'never' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = readJson(r.outputs['report-file']);
    expect(report.selection).toBeUndefined();
    const codes = report.findings.map((f: { code: string; file: string; line: number }) => `${f.code} ${f.file}:${f.line}`);
    expect(codes).toEqual(expect.arrayContaining(['test/failed rules/secret_read.yml:14', 'schema/dedup-period rules/bad_mitre.yml:7']));
    expect(codes).toContainEqual(expect.stringMatching(/^mitre\/unknown-technique rules\/bad_mitre\.yml:10$/));
    const errorLines = r.annotations.filter((l) => l.startsWith('::error file='));
    const warningLines = r.annotations.filter((l) => l.startsWith('::warning'));
    expect(errorLines.map((l) => l.slice(0, l.indexOf('::', 2)))).toEqual(
      report.findings
        .filter((f: { severity: string }) => f.severity === 'error')
        .map((f: { file: string; line: number; column?: number; code: string; itemId: string }) => `::error file=${f.file},line=${f.line}${f.column ? `,col=${f.column}` : ''},title=${f.code} (${f.itemId})`),
    );
    expect(warningLines).toHaveLength(report.summary.warnings);
    expect(gh.requests).toEqual([]); // no PR: no files, no comment; check-run: never
    expect(r.summary).toContain(`[line 14](https://github.test/acme/detections/blob/${ws.head}/rules/secret_read.yml#L14)`);
  });

  test('schedule: the whole repository, audited; no check run, no comment; summary and outputs', async () => {
    const ws = workspace();
    fixSecretRead(ws);
    const r = await runAction(ws, 'schedule', { schedule: '0 6 * * 1' }, { 'fail-on': 'warning' });
    expect(r.stderr).toBe('');
    // Only the audit issue (mode auto audits on schedule; see audit.e2e.test.ts): no check run, no comment.
    expect(gh.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /repos/acme/detections/issues', 'POST /repos/acme/detections/issues']);
    const report = readJson(r.outputs['report-file']);
    expect(report.summary.testsFailed).toBe(0);
    expect(report.summary.errors).toBeGreaterThan(0); // bad_mitre.yml
    expect(r.code).toBe(1);
    expect(r.summary).toMatch(/### ❌ RuleGate: \d+ errors?, \d+ warnings?/);
    expect(r.summary).toContain('### RuleGate audit');
    expect(r.outputs.tests).toBe(String(report.summary.tests));
  });
});

describeDist('action (dist/index.js) security and publishing', () => {
  test('pull_request_target from a fork: rule code is not run; the step fails pointing to the two-workflow pattern', async () => {
    const ws = workspace();
    gh.state.prFiles.set(7, [{ filename: 'rules/secret_read.yml', status: 'modified' }]);
    const r = await runAction(ws, 'pull_request_target', prEvent(ws, { headRepo: 'forker/detections' }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = readJson(r.outputs['report-file']);
    expect(report.tests).toEqual([]);
    expect(report.python).toBeNull();
    const refusal = r.annotations.at(-1)!;
    expect(refusal).toMatch(/^::error::RuleGate did not run the rule tests: this pull_request_target run may have checked out code from the fork forker\/detections/);
    expect(refusal).toContain('Run RuleGate on "pull_request" instead, upload the JSON report (report-file) as an artifact, and publish it from a "workflow_run" workflow');
    expect(refusal).toContain('README.md#fork-pull-requests');
    expect(r.summary).toContain('> [!CAUTION]');
    // The same PR from a branch of the repository itself runs normally.
    const own = await runAction(ws, 'pull_request_target', prEvent(ws));
    expect(readJson(own.outputs['report-file']).tests.length).toBeGreaterThan(0);
    // And with allow-untrusted-code: true, the fork's code runs (the user's explicit choice).
    const allowed = await runAction(ws, 'pull_request_target', prEvent(ws, { headRepo: 'forker/detections' }), { 'allow-untrusted-code': 'true' });
    expect(readJson(allowed.outputs['report-file']).tests.length).toBeGreaterThan(0);
  });

  test('publish-report on workflow_run (fork-safe publisher): nothing runs; 120 annotations → check run 50 + 50 + 20; comment on the fork PR', async () => {
    const ws = workspace();
    const report = makeReport({ findings: manyFindings(120) });
    const file = path.join(ws.tmp, 'downloaded', 'rulegate-report.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(report));
    gh.state.pulls = [{ number: 12, head: { sha: ws.head, label: 'forker:feature' } }];
    const event = {
      repository: { full_name: 'acme/detections' },
      workflow_run: {
        event: 'pull_request',
        conclusion: 'failure',
        head_sha: ws.head,
        head_branch: 'feature',
        head_repository: { full_name: 'forker/detections', owner: { login: 'forker' } },
        repository: { full_name: 'acme/detections' },
        pull_requests: [],
      },
    };
    // No python on PATH proves nothing is executed.
    const r = await runAction(ws, 'workflow_run', event, { 'publish-report': file, python: '/nonexistent/python' }, { PATH: path.dirname(process.execPath) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const checkWrites = gh.writes().filter((q) => q.path.includes('check-runs'));
    const id = gh.state.checkRuns.keys().next().value;
    expect(checkWrites.map((q) => `${q.method} ${q.path} ${q.body.output.annotations.length}`)).toEqual([
      'POST /repos/acme/detections/check-runs 50',
      `PATCH /repos/acme/detections/check-runs/${id} 50`,
      `PATCH /repos/acme/detections/check-runs/${id} 20`,
    ]);
    expect(checkWrites[0].body.head_sha).toBe(ws.head);
    expect(gh.state.comments.get(12)).toHaveLength(1);
    expect(r.annotations).toEqual([
      `::notice title=RuleGate::120 findings are annotated in the check run "RuleGate" (https://github.test/runs/${id}) and listed in the job summary.`,
    ]);
    expect(r.outputs).toMatchObject({ errors: '120', 'tests-failed': '1', 'report-file': file, 'sarif-file': '' });
    expect(r.summary).toContain('### ❌ RuleGate: 120 errors, 1 of 3 tests failed');
  });

  test('publish-report with check runs denied: exactly the capped annotation lines', async () => {
    const ws = workspace();
    gh.state.deny = { checks: true, comments: true };
    const report = makeReport();
    const file = path.join(ws.tmp, 'report.json');
    fs.writeFileSync(file, JSON.stringify(report));
    const r = await runAction(ws, 'pull_request', prEvent(ws), { 'publish-report': file });
    expect(r.code).toBe(0);
    expect(r.annotations).toEqual([
      '::error file=packs/aws.yml,line=6,col=5,title=ref/unknown-id (PK.AWS)::pack (PK.AWS) definition includes item(s) that do not exist (AWS.Gone)',
      '::error file=rules/aws/root_login.yml,line=14,col=7,title=mitre/unknown-technique (AWS.Root.Login)::T9999 is not a technique of ATT&CK Enterprise 19.2.',
      '::error file=rules/okta/mfa_reset.yml,line=41,title=test/failed (Okta.MFA.Reset)::Test "Admin reset" expected true, got false.',
      '::warning file=rules/aws/root_login.yml,line=8,col=1,title=schema/dedup-period (AWS.Root.Login)::DedupPeriodMinutes is 0, which the backend ignores.%0AHint: Use 60.',
    ]);
  });

  test('a bad input value fails fast, naming the input and the allowed values', async () => {
    const ws = workspace();
    const r = await runAction(ws, 'pull_request', prEvent(ws), { 'fail-on': 'errors' });
    expect(r.code).toBe(1);
    expect(r.annotations).toEqual(["::error::Invalid value 'errors' for input 'fail-on'. Allowed values: error, warning, never."]);
    expect(gh.requests).toEqual([]);
  });
});

test('the fake GitHub enforces the Checks API limit of 50 annotations per request', async () => {
  const res = await fetch(`${gh.url}/repos/a/b/check-runs`, {
    method: 'POST',
    body: JSON.stringify({ name: 'x', head_sha: 'y', output: { title: 't', summary: 's', annotations: manyFindings(51) } }),
  });
  expect(res.status).toBe(422);
});
