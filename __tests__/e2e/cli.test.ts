// End-to-end: the committed dist/cli.js, run as a user runs it.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const BROKEN = path.join(__dirname, 'fixtures', 'broken-pack');

function cli(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('rulegate CLI (dist/cli.js)', () => {
  test('the example pack is clean: exit 0, every AnalysisType present, all tests pass', () => {
    const r = cli(['rules', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.version).toBe(1);
    expect(report.attack.version).toBe('19.2');
    const kinds = new Set(report.items.map((i: { kind: string }) => i.kind));
    for (const k of ['rule', 'scheduled_rule', 'policy', 'correlation_rule', 'datamodel', 'global', 'pack', 'lookup_table', 'saved_query', 'scheduled_query', 'scheduled_prompt'])
      expect(kinds).toContain(k);
    expect(report.summary.errors).toBe(0);
    expect(report.summary.testsFailed).toBe(0);
    expect(report.summary.tests).toBeGreaterThanOrEqual(15);
    expect(report.notRun).toEqual([]); // correlation rules too are evaluated offline
    const corr = report.tests.filter((t: { itemId: string }) => t.itemId === 'RuleGate.Correlation.SecretReadThenRepoPublic');
    expect(corr.map((t: { actual: boolean; passed: boolean }) => [t.actual, t.passed])).toEqual([
      [true, true],
      [false, true],
    ]);
    const secret = report.tests.filter((t: { itemId: string }) => t.itemId === 'RuleGate.Azure.KeyVault.SecretAccessedOrRecovered');
    expect(secret.map((t: { name: string; passed: boolean }) => [t.name, t.passed])).toEqual([
      ['Secret read succeeds', true],
      ['Deleted secret recovered', true],
      ['Lower-case operation name still matches', true],
      ['Secret written is not an access', true],
    ]);
  });

  test('a broken pack: exit 1, each problem at its line, the run goes on', () => {
    const r = cli([BROKEN, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const at = (file: string) =>
      report.findings.filter((f: { file: string }) => f.file.endsWith(file)).map((f: { code: string; line: number }) => `${f.code}@${f.line}`);
    expect(at('broken_yaml.yml')).toEqual(['yaml/syntax@3']);
    expect(at('bad_schema.yml')).toEqual(expect.arrayContaining(['schema/type@4', 'schema/invalid-value@6', 'mitre/revoked@9', 'mitre/unknown-technique@10']));
    expect(at('duplicate_id.yml')).toContain('id/duplicate@2');
    expect(at('good_rule.yml')).toContain('id/duplicate@2');
    expect(at('failing_test.yml')).toEqual(['test/failed@11']);
    const failing = report.tests.find((t: { itemId: string }) => t.itemId === 'Fixture.FailingTest');
    expect(failing).toMatchObject({ name: 'wrong expectation', passed: false, expected: true, actual: false, line: 11 });
    // Both copies of a duplicated ID are still tested (only the one with tests has any).
    const good = report.tests.filter((t: { itemId: string }) => t.itemId === 'Fixture.Good');
    expect(good.map((t: { name: string; passed: boolean }) => [t.name, t.passed])).toEqual([
      ['matches', true],
      ['does not match', true],
    ]);
    expect(report.notRun.map((n: { itemId: string }) => n.itemId)).toEqual(['Fixture.BadSchema']);
  });

  test('text output: path:line:col  severity  code  message, grouped by file, summary last', () => {
    const r = cli([BROKEN, '--no-tests', '--no-color']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}\S*broken_yaml\.yml:3:\d+ {2}error {4}yaml\/syntax {2}YAML syntax error/));
    expect(lines[lines.length - 1]).toMatch(/^✖ FAILED: \d+ error\(s\)/);
    expect(r.stdout).not.toContain('Failed tests');
  });

  test('--no-tests runs no test', () => {
    const report = JSON.parse(cli(['rules', '--no-tests', '--format', 'json']).stdout);
    expect(report.tests).toEqual([]);
    expect(report.python).toBeNull();
  });

  test('--output writes the report to a file; config turns a code off', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-cli-'));
    fs.cpSync(BROKEN, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '.rulegate.yml'), 'severity:\n  mitre/revoked: off\n  mitre/unknown-technique: warning\nignore:\n  - rules/broken_yaml.yml\n');
    const out = path.join(dir, 'report.json');
    const r = cli([dir, '--no-tests', '--format', 'json', '--output', out]);
    expect(r.stdout).toBe('');
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    const codes = report.findings.map((f: { code: string }) => f.code);
    expect(codes).not.toContain('mitre/revoked');
    expect(codes).not.toContain('yaml/syntax');
    expect(report.findings.find((f: { code: string }) => f.code === 'mitre/unknown-technique').severity).toBe('warning');
    expect(report.skippedFiles).toContainEqual(expect.objectContaining({ file: 'rules/broken_yaml.yml' }));
  });

  test('--attack-version 18.1 is reported and changes the verdict on revoked techniques', () => {
    const report = JSON.parse(cli([BROKEN, '--no-tests', '--format', 'json', '--attack-version', '18.1']).stdout);
    expect(report.attack.version).toBe('18.1');
    expect(report.findings.map((f: { code: string }) => f.code)).not.toContain('mitre/revoked');
  });

  test('a pack of simple detections only (no Python rule) still reports', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-simple-only-'));
    fs.copyFileSync(path.join(ROOT, 'rules', 'github', 'github_repo_made_public.yml'), path.join(dir, 'rule.yml'));
    const r = cli([dir, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.tests.map((t: { passed: boolean }) => t.passed)).toEqual([true, true, true]);
  });

  test('rulegate publish: a saved report is published (job summary) without running anything', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-publish-'));
    const reportFile = path.join(dir, 'report.json');
    cli([BROKEN, '--no-tests', '--format', 'json', '--output', reportFile]);
    const summary = path.join(dir, 'summary.md');
    const r = spawnSync(process.execPath, [CLI, 'publish', reportFile], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, GITHUB_STEP_SUMMARY: summary, GITHUB_REPOSITORY: 'acme/rules' },
    });
    expect(r.status).toBe(0);
    const body = fs.readFileSync(summary, 'utf8');
    expect(body).toContain('mitre/revoked');
    expect(body).toContain('broken_yaml.yml');
    expect(r.stdout).toMatch(/^::error file=.*broken_yaml\.yml,line=3/m);
    expect(cli(['publish', path.join(dir, 'missing.json')]).code).toBe(2);
  });

  test('the tool cannot run: exit 2 with a one-line reason', () => {
    const r = cli(['no/such/folder']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rulegate: cannot read the rule folder "no\/such\/folder"/);
    expect(cli(['rules', '--format', 'xml']).code).toBe(2);
    expect(cli(['rules', '--attack-version', '3.0']).code).toBe(2);
    const bad = cli(['rules', '--filter', 'NotAKey=1']);
    expect(bad.code).toBe(2);
  });
});
