// Correlation evaluator beyond the spec's vectors: timestamps, interpretation notes, hostile test
// data (huge tests, prototype keys), invalid rules, RuleIDs outside the repository, PR selection.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultOptions } from '../../src/core/options';
import { checkRepository } from '../../src/formats/panther/repository';
import { parseTimestamp, runCorrelationTests, validateCorrelation, validateCorrelationTests } from '../../src/formats/panther/correlation';
import { selectChanged } from '../../src/select/changed';
import { brief, makeItem } from '../panther/helpers';

const HEAD = 'AnalysisType: correlation_rule\nRuleID: C.Rule\nEnabled: true\nSeverity: Low\n';
const SCHEDULE = '    Schedule: {RateMinutes: 60, TimeoutMinutes: 5}\n';

function rule(detection: string, tests: string) {
  return makeItem(`${HEAD}Detection:\n${detection}${SCHEDULE}Tests:\n${tests}`, 'correlation_rules/c.yml');
}

describe('timestamps (spec §8.2)', () => {
  test('numbers are minutes, date-times exact to the second, zones normalised', () => {
    expect(parseTimestamp(90)).toEqual({ ms: 5_400_000, kind: 'minutes', lenient: false });
    expect(parseTimestamp(0.5)!.ms).toBe(30_000);
    const a = parseTimestamp('2025-03-01T09:00:00+01:00')!;
    const b = parseTimestamp('2025-03-01T08:00:00Z')!;
    expect(a.ms).toBe(b.ms);
    expect(parseTimestamp('2025-03-01T08:00:01.250Z')!.ms - b.ms).toBe(1250);
  });
  test('lenient forms are read as UTC and flagged; impossible dates and other text are unreadable', () => {
    expect(parseTimestamp('2025-03-01 08:00:00')).toMatchObject({ ms: parseTimestamp('2025-03-01T08:00:00Z')!.ms, lenient: true });
    for (const bad of ['2025-02-30T00:00:00Z', '2025-03-01', 'yesterday', true, null, {}]) expect(parseTimestamp(bad)).toBeUndefined();
  });
});

describe('interpretation notes (one line in the test output)', () => {
  test('a verdict on the inclusive lookback boundary names A2', () => {
    const item = rule(
      '  - Group: [{ID: A, RuleID: r.a}, {ID: B, RuleID: r.b}]\n    LookbackWindowMinutes: 45\n',
      '  - Name: edge\n    ExpectedResult: true\n    RuleOutputs: [{ID: A, Matches: {f: {x: [0]}}}, {ID: B, Matches: {f: {x: [45]}}}]\n  - Name: inside\n    ExpectedResult: true\n    RuleOutputs: [{ID: A, Matches: {f: {x: [0]}}}, {ID: B, Matches: {f: {x: [20]}}}]\n',
    );
    const [edge, inside] = runCorrelationTests(item).runs.map((r) => r.result);
    expect(edge.passed).toBe(true);
    expect(edge.output).toMatch(/^interpretation: .*\bA2 \(window and absence boundaries are inclusive\)/);
    expect(edge.output!.split('\n')).toHaveLength(1);
    expect(inside.output).toBeUndefined(); // no reading changes it
  });
  test('CreateAlert: false does not stop a match, and says so (A19)', () => {
    const item = makeItem(
      `${HEAD}CreateAlert: false\nDetection:\n  - Group: [{ID: A, RuleID: r.a}]\n${SCHEDULE}Tests:\n  - Name: t\n    ExpectedResult: true\n    RuleOutputs: [{ID: A, Matches: {f: {x: [0]}}}]\n`,
      'c.yml',
    );
    const r = runCorrelationTests(item).runs[0].result;
    expect([r.actual, r.passed]).toEqual([true, true]);
    expect(r.output).toContain('A19');
  });
});

describe('results and failures', () => {
  const det = '  - Sequence: [{ID: A, RuleID: r.a}, {ID: B, RuleID: r.b}]\n    Transitions: [{From: A, To: B, WithinTimeFrameMinutes: 10, Match: [{On: user}]}]\n';
  test('a wrong ExpectedResult fails with the verdict; the result sits on the test line', () => {
    const item = rule(det, '  - Name: late\n    ExpectedResult: true\n    RuleOutputs:\n      - {ID: A, Matches: {user: {kim: [0]}}}\n      - {ID: B, Matches: {user: {kim: [11]}}}\n');
    const { result, failure } = runCorrelationTests(item).runs[0];
    expect(result).toMatchObject({ name: 'late', line: 10, passed: false, expected: true, actual: false, failedFunction: 'rule' });
    expect(result.error).toBe('the correlation rule did not match (verdict false), expected true');
    expect(failure).toBeUndefined(); // the runner makes the test/failed finding, as for every test
  });
  test('a RuleOutputs ID that names no step: a correlation/bad-rule-outputs finding on its line; only that test fails', () => {
    const item = rule(
      det,
      '  - Name: typo\n    ExpectedResult: false\n    RuleOutputs:\n      - ID: a\n        Matches: {user: {kim: [0]}}\n  - Name: fine\n    ExpectedResult: false\n    RuleOutputs: [{ID: A, Matches: {user: {kim: [0]}}}]\n',
    );
    expect(validateCorrelation(item)).toEqual([]); // the rule itself is valid
    const found = validateCorrelationTests(item);
    expect(brief(found)).toEqual(['correlation/bad-rule-outputs@13']);
    expect(found[0].message).toContain('test "typo": RuleOutputs ID "a" names no entry of this rule (IDs must match exactly, case and spaces included: "A", "B")');
    const [typo, fine] = runCorrelationTests(item).runs;
    expect([typo.result.passed, typo.result.actual, typo.result.failedFunction, typo.failure]).toEqual([false, null, 'harness', undefined]);
    expect(typo.result.error).toMatch(/names no entry .* \(line 13\)$/);
    expect([fine.result.passed, fine.result.actual]).toEqual([true, false]);
  });
  test('an invalid rule runs no test: each fails, naming the rule error (spec §10)', () => {
    const item = rule('  - Sequence: [{ID: A, RuleID: r.a}]\n    Transitions: [{From: A, To: Z}]\n', '  - Name: t\n    ExpectedResult: false\n    RuleOutputs: []\n');
    expect(brief(validateCorrelation(item))).toEqual(['correlation/unknown-step@7']);
    const r = runCorrelationTests(item).runs[0].result;
    expect([r.passed, r.actual]).toEqual([false, null]);
    expect(r.error).toMatch(/^not evaluated: the correlation rule has errors \(line 7: To "Z" names no step/);
  });
  test('--test-names selects correlation tests too', () => {
    const item = rule(det, '  - Name: one\n    ExpectedResult: false\n    RuleOutputs: []\n  - Name: two\n    ExpectedResult: false\n    RuleOutputs: []\n');
    expect(runCorrelationTests(item, { testNames: ['two'] }).runs.map((r) => r.result.name)).toEqual(['two']);
  });
});

describe('hostile test data', () => {
  test('a Sequence too large to search is a correlation/unsupported finding, never a guess', () => {
    const times = Array.from({ length: 2500 }, (_, i) => i).join(', ');
    const item = rule(
      '  - Sequence: [{ID: A, RuleID: r.a, MinMatchCount: 2}, {ID: B, RuleID: r.b, MinMatchCount: 2}, {ID: X, RuleID: r.x, Absence: true}]\n    LookbackWindowMinutes: 5000\n',
      `  - Name: huge\n    ExpectedResult: true\n    RuleOutputs:\n      - {ID: A, Matches: {f: {v: [${times}]}}}\n      - {ID: B, Matches: {f: {v: [${times}]}}}\n      - {ID: X, Matches: {f: {v: [${times}]}}}\n`,
    );
    const { result, failure } = runCorrelationTests(item).runs[0];
    expect([result.passed, result.actual]).toEqual([false, null]);
    expect(failure).toMatchObject({ code: 'correlation/unsupported', line: 10 });
  });
  test('a Group with 40,000 signals is judged (its work grows linearly with the signals)', () => {
    const times = Array.from({ length: 20_000 }, (_, i) => i / 1000).join(',');
    const item = rule(
      '  - Group: [{ID: A, RuleID: r.a, MinMatchCount: 20000}, {ID: B, RuleID: r.b}]\n    LookbackWindowMinutes: 60\n',
      `  - Name: many\n    ExpectedResult: true\n    RuleOutputs: [{ID: A, Matches: {f: {v: [${times}]}}}, {ID: B, Matches: {f: {v: [${times}]}}}]\n`,
    );
    const r = runCorrelationTests(item).runs[0].result;
    expect([r.actual, r.passed]).toEqual([true, true]);
  });
  test('__proto__ and constructor as field, value and ID are plain text', () => {
    const item = rule(
      '  - Group: [{ID: __proto__, RuleID: r.a}, {ID: constructor, RuleID: r.b}]\n    MatchCriteria: {k: [{GroupID: __proto__, Match: __proto__}, {GroupID: constructor, Match: __proto__}]}\n',
      '  - Name: t\n    ExpectedResult: true\n    RuleOutputs:\n      - {ID: __proto__, Matches: {__proto__: {constructor: [0]}}}\n      - {ID: constructor, Matches: {__proto__: {constructor: [1]}}}\n',
    );
    expect(validateCorrelation(item)).toEqual([]);
    const r = runCorrelationTests(item).runs[0].result;
    expect([r.actual, r.passed]).toEqual([true, true]);
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });
});

describe('RuleIDs and pull requests', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-corr-'));
    fs.mkdirSync(path.join(root, '.git'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const corr = () =>
    makeItem(`${HEAD}Detection:\n  - Group:\n      - {ID: A, RuleID: Okta.Login}\n      - {ID: B, RuleID: Okta.Lgoin.Fail}\n${SCHEDULE}`, 'correlation_rules/c.yml', root);
  const okta = (id: string, file: string) => makeItem(`AnalysisType: rule\nRuleID: ${id}\nEnabled: true\nSeverity: Low\nLogTypes: [Okta.SystemLog]\nDetection: [{Key: a, Condition: Exists}]\n`, file, root);

  test('correlation/unknown-rule: a warning on the RuleID line, with a guess; only when the whole repository is loaded', () => {
    const items = [corr(), okta('Okta.Login', 'rules/login.yml'), okta('Okta.Login.Fail', 'rules/fail.yml')];
    const found = checkRepository(items, defaultOptions(root)).filter((f) => f.code.startsWith('correlation/'));
    expect(brief(found)).toEqual(['correlation/unknown-rule@8']);
    expect(found[0].message).toContain('Did you mean "Okta.Login.Fail"?');
    expect(checkRepository(items, defaultOptions(path.join(root, 'correlation_rules'))).filter((f) => f.code.startsWith('correlation/'))).toEqual([]);
  });
  test('changing a rule a correlation rule consumes re-tests the correlation rule', () => {
    const items = [corr(), okta('Okta.Login', 'rules/login.yml'), okta('Okta.Other', 'rules/other.yml')];
    const sel = selectChanged(items, ['rules/login.yml']);
    expect([...sel.selectedFiles].sort()).toEqual(['correlation_rules/c.yml', 'rules/login.yml']);
    expect(sel.reasons.find((r) => r.file === 'correlation_rules/c.yml')!.reason).toBe('correlates changed rule Okta.Login');
    expect([...selectChanged(items, ['rules/other.yml']).selectedFiles]).toEqual(['rules/other.yml']);
  });
});
