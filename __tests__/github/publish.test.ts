// The publishing layers in-process against the local fake GitHub API.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GitHubApi } from '../../src/github/api';
import { getChangedFiles } from '../../src/github/changed-files';
import { commentMarker } from '../../src/github/comment';
import { readEventContext } from '../../src/github/event';
import { findPullRequestForRun, publishContextFromEnv, publishReport, readReport, type PublishContext } from '../../src/github/publish';
import { cleanReport, makeReport, manyFindings } from '../render/fixtures/report';
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github';

let gh: FakeGitHub;
let tmp: string;
beforeEach(async () => {
  gh = await startFakeGitHub();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-publish-'));
});
afterEach(async () => {
  await gh.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const HEAD = 'feedfacefeedfacefeedfacefeedfacefeedface';

function ctx(over: Partial<PublishContext> = {}): PublishContext & { out: string[] } {
  const out: string[] = [];
  return {
    repository: { owner: 'acme', repo: 'detections' },
    serverUrl: 'https://github.com',
    eventName: 'pull_request',
    headSha: HEAD,
    pullRequest: 7,
    api: new GitHubApi('tkn', gh.url),
    summaryFile: path.join(tmp, 'summary.md'),
    annotations: 'auto',
    checkRun: 'auto',
    comment: 'auto',
    failOn: 'error',
    write: (t) => void out.push(t),
    info: () => undefined,
    out,
    ...over,
  };
}

describe('publishReport', () => {
  test('a bare recording server (writes answer 201 with no body): no crash; without a check run id the findings become workflow annotations', async () => {
    gh.state.emptyWriteBodies = true;
    const report = makeReport({ findings: manyFindings(60) });
    const lines: string[] = [];
    const c = ctx({ info: (l) => void lines.push(l) });
    const r = await publishReport(report, c);
    expect(r.checkRun.status).toBe('failed');
    expect(r.checkRun.reason).toMatch(/without a check run id/);
    expect(r.comment.status).toBe('created');
    expect(c.out.filter((l) => l.startsWith('::error file=')).length).toBe(10);
    expect(gh.writes().map((q) => `${q.method} ${q.path}`)).toEqual(['POST /repos/acme/detections/check-runs', 'POST /repos/acme/detections/issues/7/comments']);
  });

  test('120 findings: check run created with 50 annotations, then updated with 50 and 20; one notice on stdout', async () => {
    const report = makeReport({ findings: manyFindings(120) });
    const c = ctx();
    const res = await publishReport(report, c);
    const checkCalls = gh.writes().filter((r) => r.path.includes('/check-runs'));
    expect(checkCalls.map((r) => `${r.method} ${r.path} ${r.body.output.annotations.length}`)).toEqual([
      'POST /repos/acme/detections/check-runs 50',
      `PATCH /repos/acme/detections/check-runs/${res.checkRun.id} 50`,
      `PATCH /repos/acme/detections/check-runs/${res.checkRun.id} 20`,
    ]);
    expect(checkCalls[0].body).toMatchObject({ name: 'RuleGate', head_sha: HEAD, status: 'completed', conclusion: 'failure', output: { title: '120 errors, 1 of 3 tests failed' } });
    expect(checkCalls[0].authorization).toBe('Bearer tkn');
    expect(checkCalls[0].body.output.annotations[0]).toEqual({
      path: 'rules/gen/rule_000.yml',
      start_line: 10,
      end_line: 10,
      start_column: 7,
      end_column: 7,
      annotation_level: 'failure',
      message: 'finding number 0',
      title: 'mitre/unknown-technique (Gen.Rule.0)',
    });
    expect(gh.state.checkRuns.get(res.checkRun.id!)!.annotations).toHaveLength(120);
    expect(c.out).toEqual([
      `::notice title=RuleGate::120 findings are annotated in the check run "RuleGate" (https://github.test/runs/${res.checkRun.id}) and listed in the job summary.\n`,
    ]);
    expect(res.comment.status).toBe('created');
    expect(fs.readFileSync(c.summaryFile!, 'utf8')).toContain('### ❌ RuleGate: 120 errors');
  });

  test('annotations: always prints capped workflow annotations even with a check run', async () => {
    const c = ctx({ annotations: 'always' });
    await publishReport(makeReport({ findings: manyFindings(12) }), c);
    expect(c.out.filter((l) => l.startsWith('::error'))).toHaveLength(10);
    expect(c.out.at(-1)).toContain('2 more findings are in the check run "RuleGate" and the job summary');
  });

  test('sticky comment: created once, then updated in place, then an all-clear', async () => {
    await publishReport(makeReport(), ctx());
    await publishReport(makeReport(), ctx()); // same body: no write
    await publishReport(cleanReport(), ctx());
    const commentWrites = gh.writes().filter((r) => r.path.includes('/comments'));
    expect(commentWrites.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /repos/acme/detections/issues/7/comments',
      `PATCH /repos/acme/detections/issues/comments/${gh.state.comments.get(7)![0].id}`,
    ]);
    const comments = gh.state.comments.get(7)!;
    expect(comments).toHaveLength(1);
    expect(comments[0].body.startsWith(`${commentMarker()}\n\n### ✅ RuleGate: all clear`)).toBe(true);
    const lists = gh.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/comments'));
    expect(lists.every((r) => r.query.per_page === '100')).toBe(true);
  });

  test('comment: auto posts nothing when clean and there is no earlier comment; the marker is found past page 1', async () => {
    await publishReport(cleanReport(), ctx());
    expect(gh.writes().filter((r) => r.path.includes('comments'))).toEqual([]);
    // 150 other comments, ours last: found on page 2 and updated.
    const list = Array.from({ length: 150 }, (_, i) => ({ id: i + 1, body: `chatter ${i}`, user: { login: 'u', type: 'User' }, html_url: '' }));
    list.push({ id: 999, body: `${commentMarker()}\nold`, user: { login: 'github-actions[bot]', type: 'Bot' }, html_url: '' });
    gh.state.comments.set(7, list);
    await publishReport(cleanReport(), ctx());
    expect(gh.writes().map((r) => `${r.method} ${r.path}`)).toContain('PATCH /repos/acme/detections/issues/comments/999');
    expect(gh.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/comments')).map((r) => r.query.page)).toEqual(['1', '1', '2']);
  });

  test('403 on check runs and comments: quiet fallback to annotations and the summary', async () => {
    gh.state.deny = { checks: true, comments: true };
    const c = ctx({ stepWillFail: true });
    const res = await publishReport(makeReport({ findings: manyFindings(15) }), c);
    expect(res.checkRun.status).toBe('forbidden');
    expect(res.comment.status).toBe('forbidden');
    expect(c.out.filter((l) => l.startsWith('::error'))).toHaveLength(9);
    expect(c.out.at(-1)).toBe(
      '::notice title=RuleGate::6 more findings are in the job summary (annotations shown: 9 of 15 errors; GitHub shows at most 10 of each kind per step).\n',
    );
    const summary = fs.readFileSync(c.summaryFile!, 'utf8');
    expect(summary).toContain('The token could not write a check run or pull-request comment');
  });

  test('no token: no API calls at all', async () => {
    const c = ctx({ api: undefined });
    const res = await publishReport(makeReport(), c);
    expect(gh.requests).toEqual([]);
    expect(res.checkRun.reason).toBe('no github-token');
    expect(c.out.filter((l) => l.startsWith('::'))).toHaveLength(4);
  });

  test('schedule events get no check run; fail-on never gives a neutral conclusion', async () => {
    await publishReport(makeReport(), ctx({ eventName: 'schedule', pullRequest: undefined }));
    expect(gh.writes()).toEqual([]);
    await publishReport(makeReport(), ctx({ failOn: 'never', comment: 'never' }));
    expect(gh.writes()[0].body.conclusion).toBe('neutral');
  });
});

describe('changed files', () => {
  test('paginated per_page=100, renames count both paths', async () => {
    const files = Array.from({ length: 230 }, (_, i) => ({ filename: `rules/r${i}.yml`, status: 'modified' }));
    files.push({ filename: 'rules/new.yml', status: 'renamed', previous_filename: 'rules/old.yml' } as never);
    gh.state.prFiles.set(7, files);
    const ev = { ...readEventContext({}), repository: { owner: 'acme', repo: 'detections' }, pullRequest: { number: 7, headSha: HEAD } };
    const got = await getChangedFiles(ev, new GitHubApi('t', gh.url), tmp);
    expect(got.changed!.source).toBe('api');
    expect(got.changed!.files).toHaveLength(232); // 231 entries, the rename adds its old path
    expect(got.changed!.files).toEqual(expect.arrayContaining(['rules/new.yml', 'rules/old.yml']));
    expect(gh.requests.map((r) => r.query.page)).toEqual(['1', '2', '3']);
    expect(gh.requests.every((r) => r.query.per_page === '100')).toBe(true);
  });

  test('3000 files (GitHub’s limit) or an API error: git diff fallback, and a reason when that fails too', async () => {
    gh.state.prFiles.set(7, Array.from({ length: 3000 }, (_, i) => ({ filename: `f${i}`, status: 'added' })));
    const ev = { ...readEventContext({}), repository: { owner: 'acme', repo: 'detections' }, pullRequest: { number: 7, headSha: HEAD, baseSha: 'abcabc1' } };
    const got = await getChangedFiles(ev, new GitHubApi('t', gh.url), tmp);
    expect(got.changed).toBeUndefined();
    expect(got.problems[0]).toContain('3000 files or more');
    expect(got.problems[1]).toBe('git diff abcabc1...feedfac failed: the workspace is not a git checkout');
    expect(gh.requests).toHaveLength(30);
    // In a checkout that lacks the commits (a shallow clone), the hint is fetch-depth.
    execFileSync('git', ['init', '-q'], { cwd: tmp });
    const shallow = await getChangedFiles(ev, new GitHubApi('t', gh.url), tmp);
    expect(shallow.problems[1]).toMatch(/^git diff abcabc1\.\.\.feedfac failed \(.+\); check out with fetch-depth: 0 so both commits and their merge base are present$/);
  });
});

describe('publish context', () => {
  test('workflow_run from a fork: PR found by head owner:branch and head SHA', async () => {
    gh.state.pulls = [
      { number: 41, head: { sha: 'other', label: 'forker:main' } },
      { number: 42, head: { sha: HEAD, label: 'forker:main' } },
    ];
    const event = path.join(tmp, 'event.json');
    fs.writeFileSync(
      event,
      JSON.stringify({
        repository: { full_name: 'acme/detections' },
        workflow_run: {
          event: 'pull_request',
          head_sha: HEAD,
          head_branch: 'main',
          head_repository: { full_name: 'forker/detections', owner: { login: 'forker' } },
          repository: { full_name: 'acme/detections' },
          pull_requests: [],
        },
      }),
    );
    const c = await publishContextFromEnv({
      env: { GITHUB_EVENT_NAME: 'workflow_run', GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: 'acme/detections', GITHUB_API_URL: gh.url, GITHUB_TOKEN: 'tk', GITHUB_RUN_ID: '5' },
    });
    expect(c).toMatchObject({ pullRequest: 42, headSha: HEAD, eventName: 'workflow_run', runUrl: 'https://github.com/acme/detections/actions/runs/5' });
    expect(gh.requests[0].query).toMatchObject({ state: 'open', head: 'forker:main' });
    const ev = readEventContext({ GITHUB_EVENT_NAME: 'workflow_run', GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: 'acme/detections' });
    expect(ev.untrustedFork).toEqual({ eventName: 'workflow_run', headRepo: 'forker/detections' });
    expect(await findPullRequestForRun(new GitHubApi('t', gh.url), { ...ev, payload: { workflow_run: { ...ev.payload.workflow_run, event: 'push' } } })).toBeUndefined();
  });

  test('readReport rejects files that are not reports', () => {
    const f = path.join(tmp, 'x.json');
    fs.writeFileSync(f, '{"a":1}');
    expect(() => readReport(f)).toThrow(`Input 'publish-report': ${f} is not a RuleGate JSON report (version 1): version: expected 1, got nothing`);
    expect(() => readReport(path.join(tmp, 'missing.json'))).toThrow("Input 'publish-report': cannot read a JSON report from");
  });
});

test('readReport refuses a report with a malformed finding (reports from forks are untrusted data)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-readreport-'));
  const f = path.join(dir, 'r.json');
  const report = makeReport();
  (report.findings as unknown[]).push({ code: 'x/y', file: 'a', message: 'm', line: 'NaN', severity: 'error' });
  fs.writeFileSync(f, JSON.stringify(report));
  expect(() => readReport(f)).toThrow(`${f} is not a RuleGate JSON report (version 1): findings[4].line: expected number, got string. Nothing was published.`);
  fs.rmSync(dir, { recursive: true, force: true });
});
