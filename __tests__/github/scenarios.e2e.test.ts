// Pull-request scenarios, end to end: the committed dist/index.js on a temporary git repository holding a
// small Panther pack (helpers/scenario.ts), with a pull_request payload naming the real base and head
// SHAs, GitHub's runner environment, and a fake GitHub (helpers/fake-github.ts) that records every request.
// `npm run build` first: these tests run the bundle, not the sources.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as net from 'net';
import { sarifValidator } from '../render/sarif-schema';
import type { FakeGitHub } from './helpers/fake-github';
import { DIST, git, makeRepo, MERGE_SHA, PACK, parseJunit, pullFiles, readJson, runAction, type Repo, type Run, fakeGitHubPerTest } from './helpers/scenario';

let gh: FakeGitHub;
fakeGitHubPerTest((server) => (gh = server));

const FAILING_BUCKET = { 'rules/aws/bucket_deleted.py': 'def rule(event):\n    return event.get("eventName") == "DeleteBuckets"\n' };
const BUCKET_FAILURE = 'test "bucket deleted" of Acme.AWS.BucketDeleted failed: rule() returned False, but ExpectedResult is True';
const STEP_FAILURE_1 = "::error::RuleGate found 1 error (1 of 2 tests failed); fail-on is 'error'. The job summary lists every finding.";

/** A pull request whose files the fake GitHub lists exactly as git sees them (status, previous_filename). */
function pr(opts: Parameters<typeof makeRepo>[0] = {}): Repo {
  const repo = makeRepo(opts);
  gh.state.prFiles.set(7, pullFiles(repo));
  return repo;
}

function run(repo: Repo, opts: Parameters<typeof runAction>[1] = {}): Promise<Run> {
  return runAction(repo, { apiUrl: gh.url, ...opts });
}

function report(r: Run) {
  return readJson(r.outputs['report-file']);
}

function selected(r: Run): Record<string, string> {
  return Object.fromEntries(report(r).selection.selected.map((s: { file: string; reason: string }) => [s.file, s.reason]));
}

/** Lines the runner would take as workflow commands (V2 `::cmd…::` after leading spaces). */
function commandNames(r: Run): string[] {
  return r.stdout
    .split(/\r?\n/)
    .map((l) => /^\s*::([A-Za-z-]+)[ :]/.exec(l)?.[1])
    .filter((x): x is string => !!x);
}

const describeDist = fs.existsSync(DIST) ? describe : describe.skip;

describeDist('pull request selection (dist/index.js)', () => {
  test('a PR that changes a global helper selects what imports it, directly or through another helper', async () => {
    const repo = pr({ change: { 'global_helpers/acme_strings.py': PACK['global_helpers/acme_strings.py'] + '\n\ndef upper(value):\n    return str(value or "").upper()\n' } });
    const r = await run(repo);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Pull-request mode: 1 changed file (from the GitHub API).');
    expect(selected(r)).toEqual({
      'global_helpers/acme_strings.yml': 'Python file global_helpers/acme_strings.py changed',
      'global_helpers/acme_helpers.yml': 'imports changed helper acme_strings',
      'rules/aws/root_login.yml': 'imports helper acme_helpers, which imports changed helper acme_strings',
      'packs/acme.yml': 'lists changed item acme_strings',
    });
    const rep = report(r);
    expect(rep.tests.map((t: { itemId: string; name: string; passed: boolean }) => `${t.itemId}/${t.name}/${t.passed}`)).toEqual([
      'Acme.AWS.RootLogin/root console login/true',
      'Acme.AWS.RootLogin/user console login/true',
    ]);
    // A clean run: a successful check run on the PR head (never GITHUB_SHA, the merge commit), no comment, no annotations.
    const checks = gh.writes().filter((q) => q.path.includes('check-runs'));
    expect(checks.map((q) => [q.method, q.body.head_sha, q.body.conclusion, q.body.output.title])).toEqual([
      ['POST', repo.head, 'success', 'All clear: 9 items checked, 2 tests passed'],
    ]);
    expect(JSON.stringify(gh.requests)).not.toContain(MERGE_SHA);
    expect(gh.state.comments.get(7) ?? []).toEqual([]);
    expect(r.annotations).toEqual([]);
    expect(r.summary).toContain('### ✅ RuleGate: all clear — 9 items checked, 2 tests passed');
    expect(r.summary).toContain('- `rules/aws/root_login.yml`: imports helper acme\\_helpers, which imports changed helper acme\\_strings');
  });

  test('a PR that changes a data model selects the rules of its log types; a broken mapping fails their tests', async () => {
    const repo = pr({ change: { 'data_models/okta_data_model.py': 'def get_actor(event):\n    return event["actor"]["missing"]\n' } });
    const r = await run(repo, { inputs: { 'check-run': 'never' } });
    expect(r.stderr).toBe('');
    expect(selected(r)).toEqual({
      'data_models/okta_data_model.yml': 'Python file data_models/okta_data_model.py changed',
      'rules/okta/admin_granted.yml': 'log type Okta.SystemLog is covered by changed data model Acme.Okta.SystemLog',
      'packs/acme.yml': 'lists changed item Acme.Okta.SystemLog',
    });
    const rep = report(r);
    expect(rep.tests.map((t: { itemId: string }) => t.itemId)).toEqual(['Acme.Okta.AdminGranted', 'Acme.Okta.AdminGranted']);
    // title() calls event.udm('actor_user'), which now raises: the test that alerts fails, on the rule's YAML.
    expect(rep.findings.map((f: { code: string; file: string; line: number }) => `${f.code} ${f.file}:${f.line}`)).toEqual(['test/failed rules/okta/admin_granted.yml:8']);
    expect(r.code).toBe(1);

    // Deleting the data model leaves the rule without its mapping: it is selected, and its test fails.
    const gone = pr({ change: { 'data_models/okta_data_model.py': null, 'data_models/okta_data_model.yml': null } });
    const g = await run(gone, { inputs: { 'check-run': 'never', comment: 'never' } });
    expect(selected(g)['rules/okta/admin_granted.yml']).toBe(
      'calls udm() on log type Okta.SystemLog, which no data model covers now (data_models/okta_data_model.yml was removed or renamed)',
    );
    expect(report(g).findings.map((f: { code: string; file: string; line: number }) => `${f.code} ${f.file}:${f.line}`)).toEqual([
      'ref/unknown-id packs/acme.yml:13',
      'test/failed rules/okta/admin_granted.yml:8',
    ]);
  });

  test('a PR that breaks a simple detection and a policy: findings on the YAML test line and on the Python line', async () => {
    const repo = pr({
      change: {
        'rules/github/repo_public.yml': PACK['rules/github/repo_public.yml'].replace('    Value: public', '    Value: internal'),
        'policies/s3_encrypted.py': 'def policy(resource)\n    return True\n',
      },
    });
    const r = await run(repo, { inputs: { comment: 'never' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(Object.keys(selected(r)).sort()).toEqual(['packs/acme.yml', 'policies/s3_encrypted.yml', 'rules/github/repo_public.yml']);
    const check = gh.writes().find((q) => q.path.endsWith('/check-runs'))!;
    expect(check.body.head_sha).toBe(repo.head);
    expect(check.body.output.annotations).toEqual([
      // (the column and wording of a SyntaxError depend on the Python version)
      expect.objectContaining({
        path: 'policies/s3_encrypted.py',
        start_line: 1,
        end_line: 1,
        annotation_level: 'failure',
        title: 'python/syntax (Acme.S3.Encrypted)',
        message: expect.stringMatching(/^SyntaxError: .* in policies\/s3_encrypted\.py line 1 \(def policy\(resource\)\); the tests of Acme\.S3\.Encrypted cannot run until it is fixed$/),
      }),
      {
        path: 'rules/github/repo_public.yml',
        start_line: 14,
        end_line: 14,
        annotation_level: 'failure',
        title: 'test/failed (Acme.GitHub.RepoPublic)',
        message: 'test "made public" of Acme.GitHub.RepoPublic failed: rule returned false, expected true',
        raw_details: expect.stringContaining('Expected: True; actual: False\nError: rule returned false, expected true\nLog:\n'),
      },
    ]);
    expect(r.summary).toContain(`[line 1](https://github.test/acme/detections/blob/${repo.head}/policies/s3_encrypted.py#L1)`);
  });

  test('a PR that only touches a README selects nothing, says so, and passes', async () => {
    const repo = pr({ change: { 'README.md': '# Acme detections\n\nNow with docs.\n' } });
    const r = await run(repo);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Nothing to validate or test: no changed file is an analysis file or something one depends on (repository-wide checks still ran).');
    const rep = report(r);
    expect(rep.selection).toEqual({ mode: 'changed', changedFiles: ['README.md'], selected: [] });
    expect(rep.tests).toEqual([]);
    expect(rep.findings).toEqual([]);
    expect(rep.python).toBeNull();
    expect(r.summary).toContain('### ✅ RuleGate: nothing to check — the changes touch no analysis file and nothing one depends on');
    expect(r.summary).toContain('**Pull-request mode:** 1 changed file, none of them an analysis file or something one depends on');
    const check = gh.writes().find((q) => q.path.endsWith('/check-runs'))!;
    expect(check.body).toMatchObject({ head_sha: repo.head, conclusion: 'success', output: { title: 'Nothing to check: the changes touch no analysis file' } });
    expect(r.annotations).toEqual([]);
    expect(gh.state.comments.get(7) ?? []).toEqual([]);
    expect(r.outputs).toMatchObject({ errors: '0', warnings: '0', tests: '0', 'tests-failed': '0' });
  });

  test('a PR that touches .rulegate.yml checks everything; a broken one fails with one error on its line', async () => {
    const repo = pr({ change: { '.rulegate.yml': 'severity:\n  schema/dedup-period: off\n' } });
    const r = await run(repo, { inputs: { 'check-run': 'never' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rep = report(r);
    expect(rep.selection.selected).toHaveLength(9);
    expect(rep.selection.selected[0].reason).toBe('.rulegate.yml changed, which can affect every item');
    expect(rep.tests).toHaveLength(10);

    const broken = pr({ change: { '.rulegate.yml': 'severity:\n  schema/no-such-code: off\n' } });
    const b = await run(broken, { inputs: { 'check-run': 'never' } });
    expect(b.stderr).toBe('');
    expect(b.code).toBe(1);
    expect(b.annotations).toEqual([
      '::error title=RuleGate,file=.rulegate.yml,line=2::unknown finding code "schema/no-such-code"; the README lists every code (.rulegate.yml line 2)',
    ]);
    expect(b.summary).toBe('### ❌ RuleGate could not run\n\n.rulegate.yml:2: unknown finding code "schema/no-such-code"; the README lists every code\n');
  });

  test('renamed and deleted files (status renamed/removed, previous_filename): from the API and from git diff alike', async () => {
    const repo = pr({
      renames: [['rules/aws/bucket_deleted.yml', 'rules/aws/s3_bucket_deleted.yml']],
      change: { 'policies/s3_encrypted.yml': null, 'policies/s3_encrypted.py': null },
    });
    expect(gh.state.prFiles.get(7)).toEqual([
      { filename: 'policies/s3_encrypted.py', status: 'removed' },
      { filename: 'policies/s3_encrypted.yml', status: 'removed' },
      { filename: 'rules/aws/s3_bucket_deleted.yml', status: 'renamed', previous_filename: 'rules/aws/bucket_deleted.yml' },
    ]);
    for (const token of ['ghs_faketoken', '']) {
      const r = await run(repo, { token, inputs: { 'check-run': 'never', comment: 'never' } });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`Pull-request mode: 4 changed files (from ${token ? 'the GitHub API' : 'git diff'}).`);
      expect([...report(r).selection.changedFiles].sort()).toEqual([
        'policies/s3_encrypted.py',
        'policies/s3_encrypted.yml',
        'rules/aws/bucket_deleted.yml',
        'rules/aws/s3_bucket_deleted.yml',
      ]);
      expect(selected(r)).toEqual({
        'rules/aws/s3_bucket_deleted.yml': 'YAML changed',
        'packs/acme.yml': 'lists changed item Acme.AWS.BucketDeleted; lists Acme.S3.Encrypted, which no loaded item has (removed or renamed?)',
      });
      expect(report(r).tests).toHaveLength(2); // the renamed rule still runs
      expect(r.annotations).toEqual([
        '::error file=packs/acme.yml,line=10,col=7,title=ref/unknown-id (Acme.Pack)::Pack "Acme.Pack" includes "Acme.S3.Encrypted", but no analysis file has that ID. Fix the ID or remove the entry.',
        "::error::RuleGate found 1 error; fail-on is 'error'. The job summary lists every finding.",
      ]);
    }
    expect(gh.requests.filter((q) => q.path.endsWith('/files'))).toHaveLength(1); // the token-less run asked nothing
  });

  test('a deleted helper that others still import selects them, and their tests fail', async () => {
    const repo = pr({ change: { 'global_helpers/acme_strings.py': null, 'global_helpers/acme_strings.yml': null } });
    const r = await run(repo, { inputs: { 'check-run': 'never', comment: 'never' } });
    expect(r.stderr).toBe('');
    expect(Object.keys(selected(r)).sort()).toEqual(['global_helpers/acme_helpers.yml', 'packs/acme.yml', 'rules/aws/root_login.yml']);
    expect(r.code).toBe(1);
    expect(report(r).findings.map((f: { code: string; file: string }) => `${f.code} ${f.file}`)).toEqual(
      expect.arrayContaining(['ref/unknown-id packs/acme.yml']),
    );
  });
});

describeDist('where the changed files come from', () => {
  test('the API, paginated by Link headers: 250 files in 3 pages, exactly 100 in 1 (no Link header: the end, as Octokit reads it); a server that ignores paging in 1', async () => {
    for (const [n, paging] of [[250, 'github'], [100, 'github'], [250, 'none']] as const) {
      gh.state.paging = paging;
      const repo = makeRepo({ change: FAILING_BUCKET });
      const files = pullFiles(repo);
      for (let i = files.length; i < n; i++) files.push({ filename: `docs/page-${i}.md`, status: 'added' });
      gh.state.prFiles.set(7, files);
      gh.requests.length = 0;
      const r = await run(repo, { inputs: { 'check-run': 'never', comment: 'never' } });
      expect(r.stdout).toContain(`Pull-request mode: ${n} changed files (from the GitHub API).`);
      expect(report(r).selection.changedFiles).toHaveLength(n);
      expect(gh.requests.filter((q) => q.path.endsWith('/files')).map((q) => `${q.query.per_page}:${q.query.page ?? '1'}`)).toEqual(
        paging === 'none' ? ['100:1'] : n === 250 ? ['100:1', '100:2', '100:3'] : ['100:1'], // one full page and no Link: the end
      );
      expect(r.code).toBe(1);
    }
  });

  test('3000 files or more (GitHub lists at most 3000): falls back to git diff base...head', async () => {
    const repo = makeRepo({ change: FAILING_BUCKET });
    const files = pullFiles(repo);
    for (let i = files.length; i < 3200; i++) files.push({ filename: `docs/page-${i}.md`, status: 'added' });
    gh.state.prFiles.set(7, files);
    const r = await run(repo, { inputs: { 'check-run': 'never', comment: 'never' } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Pull-request mode: 1 changed file (from git diff).');
    expect(report(r).selection.changedFiles).toEqual(['rules/aws/bucket_deleted.py']);
    expect(r.code).toBe(1);
  });

  test('listing forbidden (403) or empty: git diff; API unreachable: git diff, and the other layers fail quietly', async () => {
    const repo = pr({ change: FAILING_BUCKET });
    gh.state.deny = { files: true };
    const r = await run(repo, { inputs: { 'check-run': 'never', comment: 'never' } });
    expect(r.stdout).toContain('Pull-request mode: 1 changed file (from git diff).');
    expect(r.code).toBe(1);


    // A port nothing listens on (not a low one: fetch refuses "bad ports" such as 9 before connecting).
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const down = await runAction(repo, { apiUrl: `http://127.0.0.1:${deadPort}` });
    expect(down.stderr).toBe('');
    expect(down.stdout).toContain('Pull-request mode: 1 changed file (from git diff).');
    expect(down.stdout).toMatch(/Check run not created: .*ECONNREFUSED/);
    expect(down.stdout).toMatch(/Pull-request comment not written: .*ECONNREFUSED/);
    expect(down.annotations).toEqual([`::error file=rules/aws/bucket_deleted.yml,line=8,title=test/failed (Acme.AWS.BucketDeleted)::${BUCKET_FAILURE}`, STEP_FAILURE_1]);
    expect(down.code).toBe(1);

    // An empty list is never trusted with the gate: git diff, else everything.
    gh.state.deny = {};
    gh.state.prFiles.set(7, []);
    const empty = await run(repo, { inputs: { 'check-run': 'never', comment: 'never' } });
    expect(empty.stdout).toContain('Pull-request mode: 1 changed file (from git diff).');
    fs.rmSync(path.join(repo.dir, '.git'), { recursive: true, force: true });
    const blind = await run(repo, { inputs: { 'check-run': 'never', comment: 'never' } });
    expect(blind.stdout).toMatch(
      /^Checking everything: could not list changed files \(the GitHub API listed no changed files; git diff \w+\.\.\.\w+ failed: the workspace is not a git checkout\)\.$/m,
    );
    expect(report(blind).tests).toHaveLength(10);
    expect(blind.code).toBe(1);
  });

  test('no token, fetch-depth 2 of the merge commit (both commits, no merge base): git diff base head, a superset', async () => {
    const repo = makeRepo({ change: FAILING_BUCKET });
    git(repo.dir, 'checkout', '-q', 'main');
    fs.appendFileSync(path.join(repo.dir, 'README.md'), 'main moved on\n');
    git(repo.dir, 'commit', '-q', '-am', 'main moves on');
    const base = git(repo.dir, 'rev-parse', 'HEAD');
    git(repo.dir, 'checkout', '-q', '-b', 'pull/7/merge');
    git(repo.dir, 'merge', '-q', '--no-ff', '-m', 'Merge feature into main', 'feature');
    const clone = path.join(repo.tmp, 'depth2');
    execFileSync('git', ['clone', '-q', '--depth', '2', '--branch', 'pull/7/merge', `file://${repo.dir}`, clone]);
    expect(() => git(clone, 'merge-base', base, repo.head)).toThrow();
    const r = await runAction({ ...repo, dir: clone, base }, { apiUrl: gh.url, token: '' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Pull-request mode: 2 changed files (from git diff).');
    expect([...report(r).selection.changedFiles].sort()).toEqual(['README.md', 'rules/aws/bucket_deleted.py']);
    expect(r.annotations).toEqual([`::error file=rules/aws/bucket_deleted.yml,line=8,title=test/failed (Acme.AWS.BucketDeleted)::${BUCKET_FAILURE}`, STEP_FAILURE_1]);
  });

  test('no token and a shallow clone (base SHA missing, fetch-depth 1): everything is checked, with a clear notice, no crash', async () => {
    const repo = makeRepo({ change: FAILING_BUCKET });
    const clone = path.join(repo.tmp, 'shallow');
    execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', 'feature', `file://${repo.dir}`, clone]);
    expect(() => git(clone, 'cat-file', '-e', repo.base)).toThrow();
    const r = await runAction({ ...repo, dir: clone }, { apiUrl: gh.url, token: '' });
    expect(r.stderr).toBe('');
    expect(gh.requests).toEqual([]);
    const line = r.stdout.split('\n').find((l) => l.startsWith('Checking everything:'))!;
    expect(line).toContain('could not list changed files (no github-token to list the pull request’s files; git diff');
    expect(line).toContain('check out with fetch-depth: 0 so both commits and their merge base are present');
    const rep = report(r);
    expect(rep.selection).toBeUndefined();
    expect(rep.tests).toHaveLength(10);
    expect(r.summary).toContain('> [!NOTE]\n> Could not tell which files changed (no github-token to list the pull request’s files; git diff');
    expect(r.summary).toContain('so the whole repository was checked.');
    expect(r.annotations).toEqual([`::error file=rules/aws/bucket_deleted.yml,line=8,title=test/failed (Acme.AWS.BucketDeleted)::${BUCKET_FAILURE}`, "::error::RuleGate found 1 error (1 of 10 tests failed); fail-on is 'error'. The job summary lists every finding."]);
    expect(r.code).toBe(1);
  });
});

describeDist('paths, workspace and inputs', () => {
  test('`path` is a sub-folder: annotations, check-run annotations, links and SARIF name files from the repository root', async () => {
    const repo = pr({ prefix: 'detections', change: FAILING_BUCKET });
    expect(gh.state.prFiles.get(7)).toEqual([{ filename: 'detections/rules/aws/bucket_deleted.py', status: 'modified' }]);
    gh.state.deny = { comments: true };
    const r = await run(repo, { inputs: { path: 'detections', annotations: 'always', 'sarif-file': 'rulegate.sarif' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(Object.keys(selected(r))).toEqual(['detections/rules/aws/bucket_deleted.yml', 'detections/packs/acme.yml']);
    const check = gh.writes().find((q) => q.path.endsWith('/check-runs'))!;
    expect(check.body.name).toBe('RuleGate (detections)');
    expect(check.body.output.annotations).toEqual([
      { path: 'detections/rules/aws/bucket_deleted.yml', start_line: 8, end_line: 8, annotation_level: 'failure', message: BUCKET_FAILURE, title: 'test/failed (Acme.AWS.BucketDeleted)', raw_details: expect.stringContaining('Log:') },
    ]);
    expect(r.annotations[0]).toBe(`::error file=detections/rules/aws/bucket_deleted.yml,line=8,title=test/failed (Acme.AWS.BucketDeleted)::${BUCKET_FAILURE}`);
    expect(r.summary).toContain(`(https://github.test/acme/detections/blob/${repo.head}/detections/rules/aws/bucket_deleted.yml#L8)`);
    const sarif = readJson(path.join(repo.dir, 'rulegate.sarif'));
    expect(sarif.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${repo.dir}/`);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'detections/rules/aws/bucket_deleted.yml', uriBaseId: '%SRCROOT%' });
  });

  test('`path` is a sub-folder of a checkout without .git (tarball download): paths are still from the workspace root', async () => {
    const repo = pr({ prefix: 'detections', change: FAILING_BUCKET });
    fs.rmSync(path.join(repo.dir, '.git'), { recursive: true, force: true });
    const r = await run(repo, { inputs: { path: 'detections', 'check-run': 'never', comment: 'never', 'sarif-file': 'out.sarif' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const rep = report(r);
    expect(rep.selection.changedFiles).toEqual(['detections/rules/aws/bucket_deleted.py']);
    expect(Object.keys(selected(r))).toEqual(['detections/rules/aws/bucket_deleted.yml', 'detections/packs/acme.yml']);
    expect(rep.tests.map((t: { file: string }) => t.file)).toEqual(['detections/rules/aws/bucket_deleted.yml', 'detections/rules/aws/bucket_deleted.yml']);
    expect(r.annotations).toEqual([`::error file=detections/rules/aws/bucket_deleted.yml,line=8,title=test/failed (Acme.AWS.BucketDeleted)::${BUCKET_FAILURE}`, STEP_FAILURE_1]);
    const sarif = readJson(path.join(repo.dir, 'out.sarif'));
    expect(sarif.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${repo.dir}/`);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('detections/rules/aws/bucket_deleted.yml');
  });

  test('GITHUB_WORKSPACE differs from the process cwd: inputs resolve against the workspace', async () => {
    const repo = pr({ prefix: 'detections', change: FAILING_BUCKET });
    fs.writeFileSync(path.join(repo.dir, 'rulegate-config.yml'), 'severity:\n  test/failed: warning\n');
    const r = await run(repo, {
      cwd: repo.tmp,
      inputs: { path: 'detections', config: 'rulegate-config.yml', 'report-file': 'out/report.json', 'sarif-file': 'out/r.sarif', 'junit-file': 'out/junit.xml', 'check-run': 'never' },
    });
    expect(r.stderr).toBe('');
    expect(r.outputs['report-file']).toBe(path.join(repo.dir, 'out', 'report.json'));
    expect(r.outputs['sarif-file']).toBe(path.join(repo.dir, 'out', 'r.sarif'));
    expect(fs.existsSync(path.join(repo.dir, 'out', 'junit.xml'))).toBe(true);
    expect(report(r).findings.map((f: { severity: string; file: string }) => `${f.severity} ${f.file}`)).toEqual(['warning detections/rules/aws/bucket_deleted.yml']);
    expect(r.code).toBe(0); // the config made it a warning
  });

  test('inputs with white space and upper case; jobs, test-timeout and minimum-tests take effect', async () => {
    const repo = pr({ change: { 'rules/aws/bucket_deleted.py': 'import time\n\n\ndef rule(event):\n    if event.get("eventName") == "CreateBucket":\n        time.sleep(5)\n    return event.get("eventName") == "DeleteBucket"\n' } });
    const r = await run(repo, {
      inputs: { mode: ' CHANGED ', 'fail-on': ' Warning', annotations: 'ALWAYS ', comment: 'Never', 'check-run': 'NEVER', jobs: ' 1 ', 'test-timeout': ' .5 ', 'minimum-tests': '3', 'allow-untrusted-code': 'False' },
    });
    expect(r.stderr).toBe('');
    expect(r.annotations).toEqual([
      // --minimum-tests 3 fails on main too: that problem is not the pull request's (a notice).
      '::error file=rules/aws/bucket_deleted.yml,line=11,title=test/error (Acme.AWS.BucketDeleted)::test "bucket created" of Acme.AWS.BucketDeleted could not run: the test did not finish within the 0.5 s time limit (the worker running it was stopped)',
      '::notice file=rules/aws/bucket_deleted.yml,line=7,title=test/insufficient (Acme.AWS.BucketDeleted)::Already on main: Acme.AWS.BucketDeleted: Insufficient test coverage: 3 tests required but only 2 found (--minimum-tests 3)',
      '::error::RuleGate found 1 new problem (1 already on main); 1 error fails the step. The job summary lists every finding.',
    ]);
    expect(gh.writes()).toEqual([]);
    expect(r.code).toBe(1);
  });

  test('an output file that cannot be written fails the step, after the results are published', async () => {
    const repo = pr({ change: { 'README.md': 'docs\n' } });
    fs.mkdirSync(path.join(repo.dir, 'taken.sarif'));
    const r = await run(repo, { inputs: { 'sarif-file': 'taken.sarif', 'check-run': 'never' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.annotations).toEqual([expect.stringMatching(/^::error::cannot write sarif-file .*taken\.sarif: EISDIR/)]);
    expect(r.summary).toContain('### ✅ RuleGate: nothing to check');
    expect(r.summary).not.toContain('could not run');
    expect(r.outputs).toMatchObject({ errors: '0', 'sarif-file': '' });
  });

  test('a bad input value fails at once with one error line and a job summary', async () => {
    const repo = makeRepo();
    const r = await run(repo, { inputs: { jobs: 'many' } });
    expect(r.code).toBe(1);
    expect(r.commands).toEqual(["::error::Invalid value 'many' for input 'jobs'. Expected a whole number (0 or more)."]);
    expect(r.summary).toBe("### ❌ RuleGate could not run\n\nInvalid value 'many' for input 'jobs'. Expected a whole number (0 or more).\n");
    expect(gh.requests).toEqual([]);
  });

  test('no GITHUB_STEP_SUMMARY and no GITHUB_OUTPUT (a local run): no crash, outputs as set-output commands, same exit code', async () => {
    const repo = pr({ change: FAILING_BUCKET });
    const r = await run(repo, { env: { GITHUB_STEP_SUMMARY: null, GITHUB_OUTPUT: null }, inputs: { 'check-run': 'never', comment: 'never' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('could not run');
    expect(r.stdout).toContain('::set-output name=errors::1');
    expect(r.annotations).toEqual([`::error file=rules/aws/bucket_deleted.yml,line=8,title=test/failed (Acme.AWS.BucketDeleted)::${BUCKET_FAILURE}`, STEP_FAILURE_1]);
  });

  test('Python missing: one clear error line, a non-zero exit, and the job summary says why', async () => {
    const repo = pr({ change: FAILING_BUCKET });
    const r = await run(repo, { inputs: { python: '/nonexistent/python3' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const message =
      'Python 3 is needed to run the tests of Python rules, but "/nonexistent/python3" does not exist; install Python 3 (e.g. actions/setup-python) or set the action\'s `python` input to its path';
    expect(r.annotations).toEqual([`::error::${message}`]);
    expect(r.summary).toBe(`### ❌ RuleGate could not run\n\n${message.replace('`python`', '\\`python\\`')}\n`);
    // A pull request that needs no Python does not need Python.
    const docs = pr({ change: { 'README.md': 'docs\n' } });
    const ok = await run(docs, { inputs: { python: '/nonexistent/python3', 'check-run': 'never' } });
    expect(ok.code).toBe(0);
  });
});

describeDist('what reaches the log, the annotations and the files', () => {
  const HOSTILE_PY = [
    'import sys',
    '',
    '',
    'def rule(event):',
    '    print("::error::pwned")',
    '    print("::add-mask::hunter2")',
    '    print("::stop-commands::tok123")',
    '    print("  ##[add-mask]hunter3")',
    '    sys.stderr.write("::warning::from stderr\\n")',
    '    raise ValueError("boom\\n::error::in exception\\r\\n::stop-commands::tok456 ##[set-output name=errors]0 100%0A")',
    '',
  ].join('\n');
  const HOSTILE_YML = [
    'AnalysisType: rule',
    'RuleID: "Acme:Odd,ID"',
    'Filename: hostile.py',
    'Enabled: true',
    'LogTypes: [AWS.CloudTrail]',
    'Severity: Low',
    'Tests:',
    '  - Name: "::error::name ##[add-mask]abc"',
    '    ExpectedResult: true',
    '    Log: {a: 1}',
    '',
  ].join('\n');

  test('rule output and exception text never become workflow commands; annotation lines are escaped byte for byte', async () => {
    const repo = pr({ change: { 'rules/aws/hostile.py': HOSTILE_PY, 'rules/aws/odd,name:50%.yml': HOSTILE_YML } });
    gh.state.deny = { checks: true };
    const r = await run(repo, { inputs: { 'junit-file': 'junit.xml' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    // Only our own commands, and none of the legacy `##[` syntax outside them.
    expect(commandNames(r)).toEqual(['group', 'endgroup', 'error', 'error']);
    for (const l of r.stdout.split('\n')) if (!/^::(error|warning|notice|group|endgroup)[ :]/.test(l)) expect(l).not.toContain('##[');
    expect(r.stdout).not.toMatch(/^\s*::(add-mask|stop-commands|warning)/m);
    expect(r.annotations).toEqual([
      '::error file=rules/aws/odd%2Cname%3A50%25.yml,line=8,title=test/failed (Acme%3AOdd%2CID)::' +
        'test "::error::name ##[add-mask]abc" of Acme:Odd,ID failed: rule() raised ValueError: boom%0A::error::in exception%0D%0A::stop-commands::tok456 ##[set-output name=errors]0 100%250A (rules/aws/hostile.py line 10)',
      "::error::RuleGate found 1 error (1 of 1 tests failed); fail-on is 'error'. The job summary lists every finding.",
    ]);
    // The summary and the comment show it as text: no HTML, no raw newlines inside a list item.
    const item = r.summary.split('\n').find((l) => l.includes('test/failed'))!;
    expect(item).toContain('rule() raised ValueError: boom<br>::error::in exception<br>::stop-commands::tok456 ##\\[set-output name=errors\\]0 100%0A');
    expect(gh.state.comments.get(7)![0].body).toContain(item);
    // What the rule printed is kept (escaped) in the JUnit file, and nowhere in the log.
    const junit = fs.readFileSync(path.join(repo.dir, 'junit.xml'), 'utf8');
    expect(junit).toContain('<system-out>::error::pwned\n::add-mask::hunter2\n::stop-commands::tok123\n  ##[add-mask]hunter3\n::warning::from stderr\n</system-out>');
    expect(r.stdout).not.toContain('hunter');
  });

  test('120 failing tests without a check run: 9 errors + the step failure, and a notice of the rest', async () => {
    const repo = pr({ change: { 'rules/many/many.yml': manyTests(120), 'rules/many/many.py': 'def rule(event):\n    return False\n' } });
    gh.state.deny = { checks: true, comments: true };
    const r = await run(repo);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const lines = r.annotations;
    expect(lines).toHaveLength(11);
    expect(lines.slice(0, 9)).toEqual(
      Array.from({ length: 9 }, (_, i) => `::error file=rules/many/many.yml,line=${8 + 3 * i},title=test/failed (Acme.Many.Fail)::test "case ${i}" of Acme.Many.Fail failed: rule() returned False, but ExpectedResult is True`),
    );
    expect(lines[9]).toBe(
      '::notice title=RuleGate::111 more findings are in the job summary (annotations shown: 9 of 120 errors; GitHub shows at most 10 of each kind per step).',
    );
    expect(lines[10]).toBe("::error::RuleGate found 120 errors (120 of 120 tests failed); fail-on is 'error'. The job summary lists every finding.");
    expect(r.summary).toContain('_GitHub shows at most 10 annotations of each kind per step; every finding is listed below._');
    expect(r.summary.match(/`test\/failed`/g)).toHaveLength(120);
  });

  test('120 failing tests with a check run: 50 + 50 + 20 annotations on the head SHA, one pointer notice', async () => {
    const repo = pr({ change: { 'rules/many/many.yml': manyTests(120), 'rules/many/many.py': 'def rule(event):\n    return False\n' } });
    const r = await run(repo);
    const writes = gh.writes().filter((q) => q.path.includes('check-runs'));
    const id = gh.state.checkRuns.keys().next().value as number;
    expect(writes.map((q) => `${q.method} ${q.path} ${q.body.output.annotations.length}`)).toEqual([
      'POST /repos/acme/detections/check-runs 50',
      `PATCH /repos/acme/detections/check-runs/${id} 50`,
      `PATCH /repos/acme/detections/check-runs/${id} 20`,
    ]);
    expect(writes[0].body).toMatchObject({ head_sha: repo.head, conclusion: 'failure', output: { title: '120 errors, 120 of 120 tests failed' } });
    const run1 = gh.state.checkRuns.get(id)!;
    expect(run1.annotations.map((a: { start_line: number }) => a.start_line)).toEqual(Array.from({ length: 120 }, (_, i) => 8 + 3 * i));
    expect(r.annotations).toEqual([
      `::notice title=RuleGate::120 findings are annotated in the check run "RuleGate" (https://github.test/runs/${id}) and listed in the job summary.`,
      "::error::RuleGate found 120 errors (120 of 120 tests failed); fail-on is 'error'. The job summary lists every finding.",
    ]);
  });

  test('2500 long failures: summary under 1 MiB, comment under 65,536 and updated in place past 100 comments, check run capped at 1000', async () => {
    const repo = pr({ change: { 'rules/many/many.yml': manyTests(2500, 400), 'rules/many/many.py': 'def rule(event):\n    return False\n' } });
    const others = Array.from({ length: 140 }, (_, i) => ({
      id: 100 + i,
      body: i === 120 ? '<!-- rulegate:report -->\nold' : i === 3 ? 'quoting <!-- rulegate:report --> by hand' : `comment ${i}`,
      user: { login: i === 120 ? 'github-actions[bot]' : 'dev', type: i === 120 ? 'Bot' : 'User' },
      html_url: `https://github.test/c/${100 + i}`,
    }));
    gh.state.comments.set(7, others);
    const r = await run(repo);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(Buffer.byteLength(r.summary)).toBeLessThan(1024 * 1024);
    expect(r.summary).toMatch(/> \d+ more findings \(\d+ errors, 0 warnings\) in 1 file left out to stay within GitHub’s size limit\./);
    expect(r.summary).toContain(`(https://github.test/acme/detections/blob/${repo.head}/rules/many/many.yml#L8)`);
    const comments = gh.state.comments.get(7)!;
    expect(comments).toHaveLength(140);
    expect(comments[120].body.startsWith('<!-- rulegate:report -->\n')).toBe(true);
    expect(comments[120].body.length).toBeLessThanOrEqual(65536);
    expect(comments[3].body).toBe('quoting <!-- rulegate:report --> by hand');
    expect(gh.requests.filter((q) => q.path.endsWith('/comments')).map((q) => `${q.method} ${q.query.page ?? '1'}`)).toEqual(['GET 1', 'GET 2']);
    expect(gh.writes().filter((q) => q.path.includes('comments')).map((q) => `${q.method} ${q.path}`)).toEqual(['PATCH /repos/acme/detections/issues/comments/220']);
    const checkWrites = gh.writes().filter((q) => q.path.includes('check-runs'));
    expect(checkWrites).toHaveLength(20);
    for (const w of checkWrites) expect(w.body.output.summary.length).toBeLessThanOrEqual(65535);
    expect(r.annotations[0]).toMatch(/^::notice title=RuleGate::The first 1000 of 2500 findings are annotated in the check run "RuleGate" \(.*\); the job summary and the JSON report list the rest\.$/);
  });

  test('the outputs file: one `name<<ghadelimiter_UUID` block per output, as @actions/core writes them', async () => {
    const repo = pr({ change: FAILING_BUCKET });
    const r = await run(repo, { inputs: { 'check-run': 'never', comment: 'never', 'sarif-file': 'x.sarif' } });
    const blocks = [...r.outputText.matchAll(/([^\n]+)<<(ghadelimiter_[0-9a-f-]{36})\n([^\n]*)\n\2\n/g)].map((m) => [m[1], m[3]]);
    expect(blocks).toEqual([
      ['errors', '1'],
      ['warnings', '0'],
      ['new-problems', '1'],
      ['tests', '2'],
      ['tests-failed', '1'],
      ['report-file', path.join(repo.tmp, 'rulegate-report.json')],
      ['sarif-file', path.join(repo.dir, 'x.sarif')],
      ['fix-patch', ''], // nothing fixable
    ]);
    expect(r.outputText.replace(/([^\n]+)<<(ghadelimiter_[0-9a-f-]{36})\n([^\n]*)\n\2\n/g, '')).toBe('');
  });
});

describeDist('SARIF and JUnit of a real run', () => {
  const validate = sarifValidator();

  test('SARIF validates against the 2.1.0 schema, with findings and with none; every result is tied to a rule and a relative location', async () => {
    const repo = pr({
      change: {
        ...FAILING_BUCKET,
        'rules/aws/root_login.yml': PACK['rules/aws/root_login.yml'].replace('TA0001:T1078', 'TA0001:T9999').replace('Severity: High', 'Severity: High\nDedupPeriodMinutes: 0'),
      },
    });
    const r = await run(repo, { inputs: { 'sarif-file': 'out/rulegate.sarif', 'junit-file': 'out/junit.xml', 'check-run': 'never', comment: 'never' } });
    const log = readJson(r.outputs['sarif-file']);
    expect(validate(log)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    const run0 = log.runs[0];
    const ruleIds = run0.tool.driver.rules.map((x: { id: string }) => x.id);
    const rep = report(r);
    expect(run0.results).toHaveLength(rep.findings.length);
    expect(rep.findings.length).toBeGreaterThanOrEqual(3);
    for (const res of run0.results) {
      expect(ruleIds).toContain(res.ruleId);
      expect(ruleIds[res.ruleIndex]).toBe(res.ruleId);
      const loc = res.locations[0].physicalLocation;
      expect(loc.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(loc.artifactLocation.uri).not.toMatch(/^(\/|[a-z]+:|\.\.)/i);
      expect(fs.existsSync(path.join(repo.dir, decodeURIComponent(loc.artifactLocation.uri)))).toBe(true);
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
    }
    expect(run0.originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${repo.dir}/`);

    // JUnit parses back with the same counts as the report.
    const junit = parseJunit(fs.readFileSync(path.join(repo.dir, 'out', 'junit.xml'), 'utf8'));
    const cases = junit.suites.flatMap((s) => s.cases);
    expect(Number(junit.root.tests)).toBe(cases.length);
    expect(Number(junit.root.failures)).toBe(cases.filter((c) => c.outcome === 'failure').length);
    const testCases = junit.suites.filter((s) => s.attrs.name !== 'RuleGate validation').flatMap((s) => s.cases);
    expect(testCases).toHaveLength(rep.summary.tests + rep.summary.testsNotRun);
    expect(testCases.filter((c) => c.outcome === 'failure' || c.outcome === 'error').length).toBe(rep.summary.testsFailed);
    expect(testCases.filter((c) => c.outcome === 'skipped').length).toBe(rep.summary.testsNotRun);
    const validation = junit.suites.find((s) => s.attrs.name === 'RuleGate validation')!.cases;
    const nonTest = rep.findings.filter((f: { code: string }) => f.code !== 'test/failed' && f.code !== 'test/error');
    expect(validation.length).toBe(Math.max(1, nonTest.length));
    expect(validation.filter((c) => c.outcome === 'failure').length).toBe(nonTest.filter((f: { severity: string }) => f.severity === 'error').length);
    for (const s of junit.suites) expect(Number(s.attrs.tests)).toBe(s.cases.length);

    // No findings: still valid SARIF, with an empty result list.
    const clean = pr({ change: { 'README.md': 'docs\n' } });
    const c = await run(clean, { inputs: { 'sarif-file': 'clean.sarif', 'check-run': 'never' } });
    const cleanLog = readJson(c.outputs['sarif-file']);
    expect(validate(cleanLog)).toBe(true);
    expect(cleanLog.runs[0].results).toEqual([]);
  });
});

function manyTests(n: number, nameLength = 0): string {
  const lines = ['AnalysisType: rule', 'RuleID: Acme.Many.Fail', 'Filename: many.py', 'Enabled: true', 'LogTypes: [AWS.CloudTrail]', 'Severity: Low', 'Tests:'];
  for (let i = 0; i < n; i++) lines.push(`  - Name: "case ${i}${nameLength ? ' ' + 'x'.repeat(nameLength) : ''}"`, '    ExpectedResult: true', `    Log: {i: ${i}}`);
  return lines.join('\n') + '\n';
}

describeDist('fix suggestions and the fix patch (dist/index.js)', () => {
  // On main the rule already maps a revoked technique (line 10); the pull request changes line 9 to another one.
  const baseRule = PACK['rules/aws/root_login.yml'].replace('    - TA0001:T1078\n', '    - TA0001:T1078\n    - TA0005:T1562  # Defense Evasion: Impair Defenses\n');
  const prRule = baseRule.replace('    - TA0001:T1078\n', '    - TA0005:T1562.008  # Impair Defenses: Disable or Modify Cloud Logs\n');
  const fixRepo = () => {
    const repo = makeRepo({ base: { ...PACK, 'rules/aws/root_login.yml': baseRule }, change: { 'rules/aws/root_login.yml': prRule } });
    gh.state.prFiles.set(7, pullFiles(repo));
    return repo;
  };
  const SUGGESTION = '```suggestion\n    - TA0112:T1685.002  # Disable or Modify Tools: Disable or Modify Cloud Log\n```';

  test('one review with a suggestion block on the changed line, posted once; the fix outside the diff is a patch git apply accepts', async () => {
    const repo = fixRepo();
    const r = await run(repo, { inputs: { 'check-run': 'never', comment: 'never' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1); // the revoked mappings are errors
    const reviews = gh.state.reviews.get(7) ?? [];
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ commit_id: repo.head, event: 'COMMENT' });
    expect(reviews[0].body).toContain('RuleGate can fix 1 finding on lines this pull request changed');
    expect(reviews[0].comments).toHaveLength(1);
    expect(reviews[0].comments[0]).toMatchObject({ path: 'rules/aws/root_login.yml', line: 9, side: 'RIGHT' });
    expect(reviews[0].comments[0].body).toContain('`mitre/revoked`');
    expect(reviews[0].comments[0].body).toContain(SUGGESTION);
    expect(r.stdout).toContain('Fix suggestions: one review with 1 suggestion.');
    expect(r.summary).toContain('2 findings can be fixed with `rulegate fix`');

    // The other fix (line 10, not changed by the pull request) is in the patch, and only it.
    const patchFile = r.outputs['fix-patch'];
    expect(patchFile).toBe(path.join(repo.tmp, 'rulegate-fix.patch'));
    const patch = fs.readFileSync(patchFile, 'utf8');
    expect(patch).toContain('-    - TA0005:T1562  # Defense Evasion: Impair Defenses\n+    - TA0112:T1685  # Defense Impairment: Disable or Modify Tools\n');
    expect(patch).not.toContain('T1685.002');
    execFileSync('git', ['apply', '--check', patchFile], { cwd: repo.dir });
    execFileSync('git', ['apply', patchFile], { cwd: repo.dir });
    expect(fs.readFileSync(path.join(repo.dir, 'rules/aws/root_login.yml'), 'utf8')).toBe(
      prRule.replace('    - TA0005:T1562  # Defense Evasion: Impair Defenses\n', '    - TA0112:T1685  # Defense Impairment: Disable or Modify Tools\n'),
    );
    execFileSync('git', ['checkout', '--', '.'], { cwd: repo.dir });

    // A second run on the same head posts nothing new.
    const again = await run(repo, { inputs: { 'check-run': 'never', comment: 'never' } });
    expect(again.stderr).toBe('');
    expect(gh.state.reviews.get(7)).toHaveLength(1);
    expect(gh.writes().filter((q) => q.path.endsWith('/reviews'))).toHaveLength(1);
    expect(again.stdout).toContain('Fix suggestions: all 1 already posted on the pull request.');
  });

  test('a token that may not review: no failure, every fix goes into the patch; suggestions: never posts nothing', async () => {
    const repo = fixRepo();
    gh.state.deny.reviews = true;
    const r = await run(repo, { inputs: { 'check-run': 'never', comment: 'never', 'fix-patch': 'out/fixes.patch' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Fix suggestions not posted: the token may not review (HTTP 403');
    expect(r.outputs['fix-patch']).toBe(path.join(repo.dir, 'out/fixes.patch'));
    const patch = fs.readFileSync(r.outputs['fix-patch'], 'utf8');
    expect(patch).toContain('+    - TA0112:T1685.002  # Disable or Modify Tools: Disable or Modify Cloud Log');
    expect(patch).toContain('+    - TA0112:T1685  # Defense Impairment: Disable or Modify Tools');
    fs.rmSync(path.join(repo.dir, 'out'), { recursive: true });
    execFileSync('git', ['apply', '--check', '-'], { cwd: repo.dir, input: patch });

    gh.state.deny.reviews = false;
    const never = await run(repo, { inputs: { 'check-run': 'never', comment: 'never', suggestions: 'never' } });
    expect(never.code).toBe(1);
    // only the first run's listing and its denied POST: suggestions: never asks nothing
    expect(gh.requests.filter((q) => q.path.endsWith('/pulls/7/reviews') || q.path.endsWith('/pulls/7/comments'))).toHaveLength(2);
    expect(fs.readFileSync(never.outputs['fix-patch'], 'utf8')).toContain('T1685.002');
  });
});
