// New versus existing problems, end to end: dist/index.js on temporary git repositories whose `main`
// already has four problems (two pack entries naming rules that are gone, two bad ATT&CK mappings), with
// pull requests on top, and the committed baseline file written by `rulegate baseline` (dist/cli.js).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { FakeGitHub } from './helpers/fake-github';
import { DIST, SLOW_RUN_TIMEOUT_MS, makeRepo, PACK, PYTHON, pullFiles, readJson, runAction, writeFiles, type Repo, type Run, fakeGitHubPerTest } from './helpers/scenario';

const CLI = path.join(path.dirname(DIST), 'cli.js');

let gh: FakeGitHub;
fakeGitHubPerTest((server) => (gh = server));

/** `main` with four problems: two repository-wide (pack → unknown IDs), two in root_login.yml (ATT&CK). */
const BASE: Record<string, string> = {
  ...PACK,
  'packs/acme.yml': PACK['packs/acme.yml'] + '    - Acme.Gone.One\n    - Acme.Gone.Two\n',
  'rules/aws/root_login.yml': PACK['rules/aws/root_login.yml'].replace('    - TA0001:T1078\n', '    - TA0001:T1078\n    - TA0001:T9999\n    - TA0040:T1078\n'),
};

/** The pull request's two problems, with lines moved: a comment on top, a third bad mapping, a wrong test. */
const TWO_NEW = {
  'rules/aws/root_login.yml':
    '# Root logins are rare: alert on every one.\n' +
    BASE['rules/aws/root_login.yml']
      .replace('    - TA0040:T1078\n', '    - TA0040:T1078\n    - TA0002:T8888\n')
      .concat('  - Name: root API call\n    ExpectedResult: true\n    Log: {eventName: GetObject, userIdentity: {type: Root}}\n'),
};

function pr(opts: Parameters<typeof makeRepo>[0]): Repo {
  const repo = makeRepo(opts);
  gh.state.prFiles.set(7, pullFiles(repo));
  return repo;
}

function run(repo: Repo, opts: Parameters<typeof runAction>[1] = {}): Promise<Run> {
  return runAction(repo, { apiUrl: gh.url, timeoutMs: SLOW_RUN_TIMEOUT_MS, ...opts });
}

type F = { code: string; file: string; line: number; baseline?: string; severity: string; message: string };
const report = (r: Run) => readJson(r.outputs['report-file']);
const states = (r: Run) => report(r).findings.map((f: F) => `${f.baseline} ${f.code} ${f.file}:${f.line}`);
const checkRun = () => gh.writes().find((q) => q.path.endsWith('/check-runs'))!;

const describeDist = fs.existsSync(DIST) ? describe : describe.skip;

describeDist('a pull request fails only for the problems it introduces (base commit comparison)', () => {
  test('two new problems on a base with four: "2 new problems (4 already on main)", the step fails, only the new ones are failure annotations', async () => {
    const repo = pr({ base: BASE, change: TWO_NEW });
    const r = await run(repo);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(states(r)).toEqual([
      'existing ref/unknown-id packs/acme.yml:14',
      'existing ref/unknown-id packs/acme.yml:15',
      'existing mitre/unknown-technique rules/aws/root_login.yml:11',
      'existing mitre/tactic-mismatch rules/aws/root_login.yml:12',
      'new mitre/unknown-technique rules/aws/root_login.yml:13',
      'new test/failed rules/aws/root_login.yml:21',
    ]);
    expect(report(r).baseline).toEqual({ baseCommit: repo.base, baseRef: 'main', failOnExisting: false, problems: { new: 2, existing: 4, accepted: 0 }, stale: 0 });
    expect(r.outputs['new-problems']).toBe('2');
    expect(r.outputs.errors).toBe('6');

    const check = checkRun();
    expect(check.body.conclusion).toBe('failure');
    expect(check.body.output.title).toBe('2 new problems (4 already on main)');
    const levels = check.body.output.annotations.map((a: { annotation_level: string; path: string; start_line: number }) => `${a.annotation_level} ${a.path}:${a.start_line}`);
    expect(levels).toEqual([
      'failure rules/aws/root_login.yml:13',
      'failure rules/aws/root_login.yml:21',
      'notice rules/aws/root_login.yml:11',
      'notice rules/aws/root_login.yml:12',
      'notice packs/acme.yml:14',
      'notice packs/acme.yml:15',
    ]);
    expect(check.body.output.annotations[2].message).toMatch(/^Already on main: T9999 /);

    expect(r.summary).toContain('### ❌ RuleGate: 2 new problems (4 already on main)');
    // New problems first; the old ones collapsed below.
    const newAt = r.summary.indexOf('#### New problems');
    const oldAt = r.summary.indexOf('<details><summary>4 problems already on main</summary>');
    expect(newAt).toBeGreaterThan(0);
    expect(oldAt).toBeGreaterThan(newAt);
    expect(r.summary.slice(newAt, oldAt)).toContain('T8888');
    expect(r.summary.slice(newAt, oldAt)).not.toContain('T9999');
    expect(r.summary.slice(oldAt)).toContain('T9999');
    expect(r.annotations.at(-1)).toBe(
      "::error::RuleGate found 2 new problems (4 already on main); 2 errors fail the step. The job summary lists every finding.",
    );
  });

  test('a README-only pull request on that base passes; the repository-wide problems it shows are existing', async () => {
    const repo = pr({ base: BASE, change: { 'README.md': '# Acme detections\n\nNow with docs.\n' } });
    const r = await run(repo, { inputs: { 'sarif-file': 'out.sarif' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(states(r)).toEqual(['existing ref/unknown-id packs/acme.yml:14', 'existing ref/unknown-id packs/acme.yml:15']);
    expect(checkRun().body.conclusion).toBe('success');
    expect(checkRun().body.output.title).toBe('No new problems (2 already on main)');
    expect(r.summary).toContain('### ✅ RuleGate: no new problems (2 already on main)');
    expect(r.outputs['new-problems']).toBe('0');
    // SARIF: baselineState per result.
    const sarif = readJson(path.join(repo.dir, 'out.sarif'));
    expect(sarif.runs[0].results.map((x: { baselineState: string }) => x.baselineState)).toEqual(['unchanged', 'unchanged']);
  });

  test('strict mode (fail-on-existing: true) fails both pull requests', async () => {
    const two = pr({ base: BASE, change: TWO_NEW });
    const a = await run(two, { inputs: { 'fail-on-existing': 'true', comment: 'never' } });
    expect(a.code).toBe(1);
    expect(report(a).baseline.failOnExisting).toBe(true);
    expect(a.annotations.at(-1)).toBe(
      '::error::RuleGate found 2 new problems (4 already on main); 6 errors fail the step (fail-on-existing is on). The job summary lists every finding.',
    );
    expect(a.summary).toContain('<details><summary>4 problems already on main (these fail too: fail-on-existing)</summary>');

    gh.requests.length = 0;
    const readme = pr({ base: BASE, change: { 'README.md': '# Acme\n' } });
    const b = await run(readme, { inputs: { 'fail-on-existing': 'true', comment: 'never' } });
    expect(b.stderr).toBe('');
    expect(b.code).toBe(1);
    expect(checkRun().body.conclusion).toBe('failure');
    expect(checkRun().body.output.annotations.map((x: { annotation_level: string }) => x.annotation_level)).toEqual(['failure', 'failure']);
    expect(b.summary).toContain('### ❌ RuleGate: no new problems (2 already on main)');
  });

  test('a base commit that cannot be had (shallow clone, no remote): every problem counts as new, and the summary says why', async () => {
    const repo = pr({ base: BASE, change: { 'README.md': '# Acme\n' } });
    const shallow = path.join(repo.tmp, 'shallow');
    execFileSync('git', ['clone', '-q', '--depth=1', '--branch', 'feature', `file://${repo.dir}`, shallow]);
    execFileSync('git', ['remote', 'remove', 'origin'], { cwd: shallow });
    const r = await run({ ...repo, dir: shallow }, { inputs: { comment: 'never' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(report(r).baseline.unavailable).toBe(`the base commit ${repo.base.slice(0, 7)} is not in the checkout and could not be fetched; use actions/checkout with "fetch-depth: 0"`);
    expect(r.summary).toContain('so every problem counts as new');
    expect(checkRun().body.output.title).toBe('2 errors');
  });
});

describeDist('a committed baseline file (rulegate baseline)', () => {
  function writeBaseline(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-bl-'));
    try {
      writeFiles(dir, files);
      execFileSync('git', ['init', '-q'], { cwd: dir });
      const out = execFileSync(process.execPath, [CLI, 'baseline', dir, '--python', PYTHON, '--jobs', '1'], { encoding: 'utf8' });
      expect(out).toBe(`Wrote 4 accepted problems to ${path.join(dir, '.rulegate-baseline.json')}. Commit it: from now on only other problems fail.\n`);
      return fs.readFileSync(path.join(dir, '.rulegate-baseline.json'), 'utf8');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('the full run passes with four accepted problems; after one is fixed, its entry is reported stale on its line', async () => {
    const baseline = writeBaseline(BASE);
    expect(baseline.split('\n').filter((l) => l.includes('"fingerprint"'))).toHaveLength(4);
    const fixed = BASE['rules/aws/root_login.yml'].replace('    - TA0001:T9999\n', '');
    const repo = makeRepo({ base: { ...BASE, '.rulegate-baseline.json': baseline }, change: { 'rules/aws/root_login.yml': fixed } });
    const push = (sha: string, before: string) => ({ after: sha, before, repository: { full_name: 'acme/detections' } });

    // The commit that adds the baseline: a full run (push), four accepted problems, green.
    execFileSync('git', ['checkout', '-q', repo.base], { cwd: repo.dir });
    const a = await run(repo, { eventName: 'push', payload: push(repo.base, '0'.repeat(40)), inputs: { comment: 'never' } });
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(report(a).baseline).toEqual({ file: '.rulegate-baseline.json', failOnExisting: false, problems: { new: 0, existing: 0, accepted: 4 }, stale: 0 });
    expect(a.summary).toContain('### ✅ RuleGate: no new problems (4 accepted in the baseline)');
    expect(checkRun().body.conclusion).toBe('success');

    // One problem fixed: still green, and the entry that accepted it is stale.
    execFileSync('git', ['checkout', '-q', 'feature'], { cwd: repo.dir });
    gh.requests.length = 0;
    const b = await run(repo, { eventName: 'push', payload: push(repo.head, repo.base), inputs: { comment: 'never' } });
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    const stale = report(b).findings.filter((f: F) => f.code === 'baseline/stale');
    const entryLine = baseline.split('\n').findIndex((l) => l.includes('T9999')) + 1;
    expect(stale).toEqual([
      expect.objectContaining({
        severity: 'warning',
        file: '.rulegate-baseline.json',
        line: entryLine,
        message: expect.stringMatching(/^the accepted problem mitre\/unknown-technique in Acme\.AWS\.RootLogin \("T9999 .*"\) is no longer found: delete this entry/),
      }),
    ]);
    expect(report(b).baseline).toMatchObject({ problems: { new: 0, existing: 0, accepted: 3 }, stale: 1 });
    expect(b.summary).toContain('### ⚠️ RuleGate: no new problems (3 accepted in the baseline, 1 stale baseline entry)');
    // The CLI agrees: exit 0, the stale entry listed.
    const cli = execFileSync(process.execPath, [CLI, repo.dir, '--python', PYTHON, '--jobs', '1', '--no-color'], { encoding: 'utf8' });
    expect(cli).toContain(`.rulegate-baseline.json:${entryLine}:1  warning  baseline/stale`);
    expect(cli).toContain('✔ OK: no new problems (3 accepted in the baseline, 1 stale baseline entry)');
  });
});
