// Correlation rules end to end, through the built CLI (dist/cli.js) as a user runs it: the spec's
// vectors as a pack (verdicts, findings at their lines, interpretation notes, JUnit), and a small
// pack of our own (failures, bad test data, unknown RuleIDs made errors by config, PR selection).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const VECTORS = path.join(ROOT, '__tests__', 'correlation', 'fixtures', 'vectors');
const PACK = path.join(__dirname, 'fixtures', 'correlation-pack');

interface T {
  itemId: string;
  name: string;
  file: string;
  line: number;
  passed: boolean;
  actual: boolean | null;
  output?: string;
}
interface F {
  code: string;
  file: string;
  line: number;
  severity: string;
  message: string;
}

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args, '--format', 'json'], { encoding: 'utf8' });
  return { status: r.status, report: JSON.parse(r.stdout), stderr: r.stderr };
}

describe('the spec vectors as a pack', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-corr-e2e-'));
  const junit = path.join(tmp, 'junit.xml');
  const { status, report } = cli([VECTORS, '--junit', junit]);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('every test runs; none is "not run"', () => {
    expect(status).toBe(1); // the invalid vectors are errors
    expect(report.notRun).toEqual([]);
    expect(report.summary.tests).toBe(report.items.reduce((n: number, i: { tests: number }) => n + i.tests, 0));
    expect(typeof report.timings['tests.correlation']).toBe('number');
  });

  test.each(fs.readdirSync(VECTORS).filter((f) => f.endsWith('.yml')))('%s: verdict, findings and notes as the file states', (file) => {
    const text = fs.readFileSync(path.join(VECTORS, file), 'utf8');
    // report paths are relative to the repository (this checkout)
    const tests: T[] = report.tests.filter((t: T) => path.basename(t.file) === file);
    const findings: F[] = report.findings.filter((f: F) => path.basename(f.file) === file);
    const verdict = /^# expect-verdict: (true|false)$/m.exec(text)?.[1];
    const want = [...text.matchAll(/^# expect: (.+)$/gm)].map((m) => m[1]);
    // a failed test has its test/error or test/failed finding on its own line, like every test
    const perTest = findings.filter((f) => f.code.startsWith('test/'));
    expect(perTest.map((f) => `${f.code}@${f.line}`)).toEqual(tests.filter((t) => !t.passed).map((t) => `test/error@${t.line}`));
    expect(findings.filter((f) => !f.code.startsWith('test/')).map((f) => `${f.code}@${f.line}`).sort()).toEqual(want.sort());
    if (!/^Tests:/m.test(text)) return expect(tests).toHaveLength(0);
    expect(tests).toHaveLength(1);
    if (verdict) expect([tests[0].actual, tests[0].passed]).toEqual([verdict === 'true', true]);
    else expect([tests[0].actual, tests[0].passed]).toEqual([null, false]);
    for (const m of text.matchAll(/^# expect-note: (\S+)$/gm)) expect(tests[0].output).toMatch(new RegExp(`^interpretation: .*\\b${m[1]} \\(`));
  });

  test('JUnit has a test case per correlation test, with the interpretation note as its output', () => {
    const xml = fs.readFileSync(junit, 'utf8');
    // findings are test cases of their own suite ("RuleGate validation"); the tests are in the others
    const testSuites = xml.split('<testsuite ').slice(1).filter((s) => !s.startsWith('name="RuleGate validation"'));
    expect(testSuites.reduce((n, s) => n + (s.match(/<testcase /g) ?? []).length, 0)).toBe(report.tests.length);
    expect(xml).toMatch(/<testcase name="s-anchor-drops-early-chain" classname="Vector.s-anchor-drops-early-chain" file="[^"]*\/s-anchor-drops-early-chain.yml" line="\d+"[^>]*>\s*<system-out>interpretation: [^<]*A1 \(/);
    expect(xml).toMatch(/<testcase name="ro-id-case-exact"[^>]*>\s*<error message="[^"]*names no entry of this rule/);
  });
});

describe('a pack of our own', () => {
  let repo: string;
  beforeAll(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-corr-pack-'));
    fs.cpSync(PACK, repo, { recursive: true });
    fs.mkdirSync(path.join(repo, '.git')); // the whole repository: RuleIDs are checked
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));
  const brief = (fs: F[]) => fs.map((f) => `${path.basename(f.file)}:${f.code}@${f.line}`);

  test('results, findings at their lines, exit code', () => {
    const { status, report } = cli([repo]);
    expect(status).toBe(1);
    expect(brief(report.findings)).toEqual([
      'login_then_mfa_reset.yml:test/failed@46',
      'login_then_mfa_reset.yml:test/error@57',
      'login_then_mfa_reset.yml:correlation/bad-rule-outputs@60',
      'login_without_push.yml:correlation/unknown-rule@11',
      'login_without_push.yml:correlation/unknown-step@17',
      'login_without_push.yml:test/error@23',
    ]);
    const corr = report.tests.filter((t: T) => t.file.startsWith('correlation_rules/'));
    expect(corr.map((t: T) => [t.name, t.actual, t.passed])).toEqual([
      ['reset ten minutes after sign-in', true, true],
      ['reset exactly thirty minutes later', true, true],
      ["another user's reset (wrong expectation)", false, false],
      ['step named by its RuleID', null, false],
      ['no push', null, false],
    ]);
    expect(report.summary).toMatchObject({ tests: 9, testsPassed: 6, testsFailed: 3, testsNotRun: 0 });
    const byCode = (c: string) => report.findings.find((f: F) => f.code === c);
    expect(byCode('test/failed').message).toBe(
      'test "another user\'s reset (wrong expectation)" of Acme.Okta.LoginThenMFAReset failed: the correlation rule did not match (verdict false), expected true',
    );
    expect(byCode('correlation/unknown-step').message).toContain('GroupID "Pushh" names no entry of this Group');
    expect(byCode('correlation/unknown-rule').severity).toBe('warning');
  });

  test('config makes unknown RuleIDs errors; --no-tests still validates the test data', () => {
    fs.writeFileSync(path.join(repo, '.rulegate.yml'), 'severity:\n  correlation/unknown-rule: error\n');
    try {
      const { report } = cli([repo, '--no-tests']);
      expect(brief(report.findings)).toEqual([
        'login_then_mfa_reset.yml:correlation/bad-rule-outputs@60',
        'login_without_push.yml:correlation/unknown-rule@11',
        'login_without_push.yml:correlation/unknown-step@17',
      ]);
      expect(report.findings[1].severity).toBe('error');
    } finally {
      fs.rmSync(path.join(repo, '.rulegate.yml'));
    }
  });

  test('PR mode: a changed rule re-tests the correlation rules that consume it', () => {
    const { report } = cli([repo, '--changed', 'rules/okta_mfa_reset.yml']);
    expect(report.selection.selected).toEqual([
      { file: 'rules/okta_mfa_reset.yml', reason: 'YAML changed' },
      { file: 'correlation_rules/login_then_mfa_reset.yml', reason: 'correlates changed rule Acme.Okta.MFA.Reset' },
    ]);
    expect([...new Set(report.tests.map((t: T) => t.itemId))].sort()).toEqual(['Acme.Okta.LoginThenMFAReset', 'Acme.Okta.MFA.Reset']);
  });
});
