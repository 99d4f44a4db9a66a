// End-to-end: dist/index.js on `schedule` events (mode auto → audit) against the recording GitHub
// server. The first audit creates the audit issue, the second edits it in place, the third — after a
// detection was removed and another broken, with the issue closed meanwhile — shows both in the trend
// and reopens it; a token without `issues: write` gets no issue but everything else, and no crash.
import Ajv from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import type { FakeGitHub } from './helpers/fake-github';
import { git, makeRepo, readJson, runAction, writeFiles, type Repo, fakeGitHubPerTest } from './helpers/scenario';
import { decodeSnapshot } from '../../src/audit/snapshot';
import layerSchema from '../audit/navigator-layer-4.5.schema.json';

let gh: FakeGitHub;
fakeGitHubPerTest((server) => (gh = server));

const SCHEDULE = { schedule: '0 6 * * 1', repository: { full_name: 'acme/detections' } };
const MARKER = '<!-- rulegate-audit:report -->';

function audit(repo: Repo, inputs: Record<string, string> = {}, eventName = 'schedule') {
  return runAction(repo, {
    eventName,
    payload: eventName === 'schedule' ? SCHEDULE : { repository: { full_name: 'acme/detections' } },
    apiUrl: gh.url,
    inputs: { 'report-file': 'out/report.json', 'navigator-file': 'out/layer.json', 'html-report': 'out/audit.html', ...inputs },
  });
}

/** Commits the change on the checkout's branch and makes it the audited commit. */
function commit(repo: Repo, change: Record<string, string | null>): void {
  writeFiles(repo.dir, change);
  git(repo.dir, 'add', '-A');
  git(repo.dir, 'commit', '-q', '-m', 'change');
  repo.head = git(repo.dir, 'rev-parse', 'HEAD');
}

test('first audit creates the issue, the second edits it, the third shows a removed and a broken detection', async () => {
  const repo = makeRepo();

  // 1. First audit: issue created, files written, summary and outputs.
  const first = await audit(repo);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(gh.state.issues).toHaveLength(1);
  const issue = gh.state.issues[0];
  expect(issue).toMatchObject({ number: 1, title: 'RuleGate audit', state: 'open', labels: [{ name: 'rulegate-audit' }] });
  expect(issue.body.startsWith(MARKER)).toBe(true);
  expect(issue.body.length).toBeLessThanOrEqual(65_536);
  expect(issue.body).toContain('This is the first audit');
  expect(issue.body).toContain(`https://github.test/acme/detections/commit/${repo.head}`);
  expect(issue.body).toContain(`https://github.test/acme/detections/blob/${repo.head}/rules/aws/bucket_deleted.yml#L`); // a lint, linked at the audited commit
  const snap1 = decodeSnapshot(issue.body).snapshot!;
  expect(snap1).toMatchObject({ sha: repo.head, attack: '19.2' });
  expect(Object.keys(snap1.detections).sort()).toEqual(['Acme.AWS.BucketDeleted', 'Acme.AWS.RootLogin', 'Acme.GitHub.RepoPublic', 'Acme.Okta.AdminGranted', 'Acme.S3.Encrypted']);
  expect(snap1.covered).toEqual(['T1078']);

  const report = readJson(path.join(repo.dir, 'out', 'report.json'));
  expect(report.audit.coverage.counted).toBe(5);
  expect(report.audit.lints['mitre/missing']).toBe(4); // every detection but RootLogin
  expect(report.findings.filter((f: { code: string }) => f.code === 'mitre/missing').every((f: { severity: string }) => f.severity === 'warning')).toBe(true);
  const layer = readJson(path.join(repo.dir, 'out', 'layer.json'));
  expect(new Ajv().validate(layerSchema, layer)).toBe(true);
  expect(layer.techniques.find((t: { techniqueID: string; tactic: string }) => t.techniqueID === 'T1078' && t.tactic === 'initial-access')).toMatchObject({ score: 1, comment: 'Detections: Acme.AWS.RootLogin' });
  expect(fs.readFileSync(path.join(repo.dir, 'out', 'audit.html'), 'utf8')).toContain('<!DOCTYPE html>');
  expect(first.outputs).toMatchObject({ coverage: expect.stringMatching(/^1\/\d+$/), 'audit-issue-url': 'https://github.test/acme/detections/issues/1' });
  expect(first.summary).toContain('### RuleGate audit');
  expect(first.summary).toContain('Coverage per tactic');
  expect(first.summary).toContain('Audit issue #1 created: https://github.test/acme/detections/issues/1');
  expect(first.summary.indexOf('### RuleGate audit')).toBeLessThan(first.summary.indexOf('Problems')); // the audit first, then the findings
  expect(gh.writes().filter((r) => r.path.startsWith('/repos/acme/detections/check-runs'))).toEqual([]); // no check run on schedule

  // 2. Second audit, nothing changed: the same issue edited in place, never a second one.
  const second = await audit(repo);
  expect(second.code).toBe(0);
  expect(gh.state.issues).toHaveLength(1);
  const issueWrites = gh.writes().filter((r) => r.path.includes('/issues'));
  expect(issueWrites.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /repos/acme/detections/issues', 'PATCH /repos/acme/detections/issues/1']);
  expect(gh.state.issues[0].body).toContain('No change.');
  expect(second.summary).toContain('Audit issue #1 updated');

  // 3. A detection removed, another broken, the issue closed meanwhile: the trend shows both and the issue reopens.
  gh.state.issues[0].state = 'closed';
  const rootLogin = fs.readFileSync(path.join(repo.dir, 'rules/aws/root_login.yml'), 'utf8');
  commit(repo, {
    'rules/aws/bucket_deleted.yml': null,
    'rules/aws/bucket_deleted.py': null,
    'rules/aws/root_login.yml': rootLogin.replace('  - Name: root console login\n    ExpectedResult: true', '  - Name: root console login\n    ExpectedResult: false'),
  });
  const packFile = path.join(repo.dir, 'packs/acme.yml');
  commit(repo, { 'packs/acme.yml': fs.readFileSync(packFile, 'utf8').replace('    - Acme.AWS.BucketDeleted\n', '') });
  const third = await audit(repo);
  expect(third.code).toBe(1); // a failing test is an error, as in every run
  expect(gh.state.issues).toHaveLength(1);
  const body = gh.state.issues[0].body;
  expect(gh.state.issues[0].state).toBe('open');
  expect(body).toContain('**regressed**');
  expect(body).toContain('🔴 new failures (1): `Acme.AWS.RootLogin › root console login`');
  expect(body).toContain('🔴 detections removed (1): `Acme.AWS.BucketDeleted`');
  expect(third.summary).toContain('Audit issue #1 reopened');
  const trend = readJson(path.join(repo.dir, 'out', 'report.json')).audit.trend;
  expect(trend).toMatchObject({ newFailures: ['Acme.AWS.RootLogin › root console login'], removed: ['Acme.AWS.BucketDeleted'], coverageLost: [], regressed: true });
  expect(decodeSnapshot(body).snapshot!.sha).toBe(repo.head);
}, 120_000);

test('without issues: write the audit still writes its summary, files and outputs, says how to grant it, and passes', async () => {
  const repo = makeRepo();
  gh.state.deny.issues = true;
  const r = await audit(repo, {}, 'workflow_dispatch'); // auto audits on workflow_dispatch too
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(gh.state.issues).toEqual([]);
  expect(r.summary).toContain('The audit issue was not written: the token may not use this repository');
  expect(r.summary).toContain('`permissions: issues: write`');
  expect(r.summary).toContain('Coverage per tactic');
  expect(r.outputs).toMatchObject({ coverage: expect.stringMatching(/^1\/\d+$/), 'audit-issue-url': '' });
  expect(readJson(path.join(repo.dir, 'out', 'report.json')).audit.trend).toBeNull();
  expect(fs.existsSync(path.join(repo.dir, 'out', 'layer.json'))).toBe(true);
  expect(fs.existsSync(path.join(repo.dir, 'out', 'audit.html'))).toBe(true);
}, 60_000);

test('a push is checked, not audited; audit-baseline replaces the issue snapshot; a damaged snapshot is named, not fatal', async () => {
  const repo = makeRepo();
  const push = await runAction(repo, { eventName: 'push', payload: { repository: { full_name: 'acme/detections' } }, apiUrl: gh.url, inputs: { 'report-file': 'out/push.json' } });
  expect(push.code).toBe(0);
  expect(readJson(path.join(repo.dir, 'out', 'push.json')).audit).toBeUndefined();
  expect(gh.requests.filter((r) => r.path.includes('/issues'))).toEqual([]);

  // An issue someone damaged: the audit says so and carries on (no trend), and rewrites the block.
  gh.state.issues.push({
    number: 1,
    title: 'RuleGate audit',
    body: `${MARKER}\nedited by hand\n<!-- rulegate-audit-snapshot:v1 AAAA -->`,
    state: 'open',
    labels: [{ name: 'rulegate-audit' }],
    user: { login: 'github-actions[bot]', type: 'Bot' },
    html_url: 'https://github.test/acme/detections/issues/1',
  });
  const damaged = await audit(repo);
  expect(damaged.code).toBe(0);
  expect(damaged.summary).toMatch(/the previous snapshot \(issue #\u200b?1\) could not be used: the snapshot block cannot be unpacked/); // #1 may be kept from linking
  expect(decodeSnapshot(gh.state.issues[0].body).snapshot).toBeDefined();

  // audit-baseline: the JSON report of an earlier audit, here one that had an extra detection.
  const earlier = readJson(path.join(repo.dir, 'out', 'report.json'));
  earlier.audit.snapshot.detections['Acme.Old.Retired'] = 'ec';
  fs.writeFileSync(path.join(repo.tmp, 'earlier.json'), JSON.stringify(earlier));
  const withBaseline = await audit(repo, { 'audit-baseline': path.join(repo.tmp, 'earlier.json') });
  expect(withBaseline.code).toBe(0);
  expect(readJson(path.join(repo.dir, 'out', 'report.json')).audit.trend.removed).toEqual(['Acme.Old.Retired']);
}, 120_000);
