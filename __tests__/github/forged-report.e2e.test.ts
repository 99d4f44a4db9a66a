// Forged reports, as a fork's pull request can hand them to the fork-safe publisher: the committed
// dist/ bundles (`rulegate publish` and the action's `publish-report`) against the recording GitHub.
// A report off the JSON contract is refused with one line naming the first bad field, and nothing is
// posted; a report on the contract but full of markup is posted as text (see the escaping tests below).
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { blobUrl } from '../../src/render/markdown';
import { liveMarkup, links, renderGfm } from '../helpers/gfm';
import { ESCAPING_FILES, hostileReport, makeReport, ODD_FILES } from '../render/fixtures/report';
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github';
import { cleanupRepos, makeRepo, PACK, pullFiles, ROOT, runAction } from './helpers/scenario';

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

describe('a report on the contract but full of markup is posted as text', () => {
  const repoUrl = 'https://github.test/acme/detections/';
  const ours = (href: string) => href.startsWith(repoUrl);

  test('check run, comment, job summary and JUnit: nothing from the report is live markup', async () => {
    const junit = path.join(dir, 'junit.xml');
    const r = await publishCli(hostileReport(), ['--junit', junit]);
    expect(r.stderr).not.toContain('not a RuleGate JSON report');
    expect(r.code).toBe(0);
    const [check, comment] = gh.writes();
    expect(`${check.method} ${check.path}`).toBe('POST /repos/acme/detections/check-runs');
    expect(`${comment.method} ${comment.path}`).toBe('POST /repos/acme/detections/issues/12/comments');

    // Markdown: the check run's summary, the comment, the job summary.
    expect(liveMarkup(check.body.output.summary, ours)).toEqual([]);
    expect(liveMarkup(comment.body.body, ours)).toEqual([]);
    expect(liveMarkup(r.summary, ours)).toEqual([]);
    // The sticky marker is intact: the root's `-->` / `--!>` cannot close it early.
    expect(comment.body.body.split('\n')[0]).toBe('<!-- rulegate:report:rules -- --! img src=x @octocat -->');
    expect(renderGfm(comment.body.body).match(/<!--[\s\S]*?--!?>/g)).toEqual(['<!-- rulegate:report:rules -- --! img src=x @octocat -->']);
    // Files with markup characters link to themselves; paths out of the repository are neither linked nor annotated.
    for (const file of ODD_FILES) expect(links(comment.body.body)).toContain(blobUrl('https://github.test', 'acme/detections', HEAD, file, 3 + ODD_FILES.indexOf(file)));
    const annotated = check.body.output.annotations.map((a: { path: string }) => a.path);
    for (const file of ESCAPING_FILES) expect(annotated).not.toContain(file);
    expect(annotated).toEqual(expect.arrayContaining(ODD_FILES));
    // The check run's title and annotation texts are plain text on GitHub (only the summary is Markdown).
    expect(check.body.output.title).toBe('8 errors, 1 of 1 tests failed');

    // XML: the JUnit file holds no element or comment from the report.
    const xml = fs.readFileSync(junit, 'utf8');
    const tags = new Set([...xml.matchAll(/<\/?([A-Za-z][\w-]*)/g)].map((m) => m[1]));
    const junitVocabulary = ['error', 'failure', 'properties', 'property', 'skipped', 'system-err', 'system-out', 'testcase', 'testsuite', 'testsuites'];
    expect([...tags].filter((t) => !junitVocabulary.includes(t))).toEqual([]);
    expect(tags.has('failure')).toBe(true);
    expect(xml).not.toContain('<!--');
  });

  test('a 900 KB message (within the contract) still fits every GitHub limit', async () => {
    const report = makeReport();
    report.findings[0].message = `${'x'.repeat(900_000)} @octocat`;
    const r = await publishCli(report);
    expect(r.code).toBe(0);
    const [check, comment] = gh.writes();
    expect(check.body.output.summary.length).toBeLessThanOrEqual(65_535);
    expect(check.body.output.annotations.every((a: { message: string }) => a.message.length <= 64 * 1024)).toBe(true);
    expect(comment.body.body.length).toBeLessThanOrEqual(65_536);
    expect(liveMarkup(comment.body.body, ours)).toEqual([]);
  });
});

describe('the same escaping on a normal run of the action', () => {
  afterAll(() => cleanupRepos());

  test('a rule whose ATT&CK comment and test name hold @mentions, HTML and links: posted and summarised as text', async () => {
    const hostile = '@octocat <b>bold</b> <img src=x> #1 https://evil.test [x](javascript:alert(1))';
    const rule = PACK['rules/aws/root_login.yml']
      .replace('    - TA0001:T1078', `    - TA0001:T1078  # T1003 ${hostile}`)
      .replace('  - Name: root console login\n    ExpectedResult: true', `  - Name: root console login ${hostile}\n    ExpectedResult: false`);
    const repo = makeRepo({ change: { 'rules/aws/root_login.yml': rule } });
    gh.state.prFiles.set(7, pullFiles(repo));
    const r = await runAction(repo, { apiUrl: gh.url });
    expect(r.code).toBe(1); // the test fails and the comment names another technique
    const check = gh.writes().find((q) => q.path.endsWith('/check-runs'))!;
    const comment = gh.writes().find((q) => q.path.endsWith('/issues/7/comments'))!;
    // The hostile text did reach the outputs (the findings quote it)…
    expect(comment.body.body).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(check.body.output.annotations.map((a: { message: string }) => a.message).join('\n')).toContain('@octocat <b>bold</b>'); // plain text there
    // …and nothing of it is live.
    const ours = (href: string) => href.startsWith('https://github.test/acme/detections/');
    expect(liveMarkup(comment.body.body, ours)).toEqual([]);
    expect(liveMarkup(check.body.output.summary, ours)).toEqual([]);
    expect(liveMarkup(r.summary, ours)).toEqual([]);
  });
});
