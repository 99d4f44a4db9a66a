// Quality lints: each problem its own code, on the line of the thing to fix; a clean rule has none.
import { qualityLints, logTypeMismatches } from '../../src/audit/lints';
import { detect, goodRule, rule } from './helpers';

const brief = (fs: Array<{ code: string; line: number; file: string }>) => fs.map((f) => `${f.code}@${f.file}:${f.line}`);

test('a well-formed rule has no lint', () => {
  expect(qualityLints(detect([goodRule('Clean')]))).toEqual([]);
  expect(logTypeMismatches(detect([goodRule('Clean')]))).toEqual([]);
});

test('each lint on its own line', () => {
  const item = rule('Messy', [
    'Enabled: false', // 3
    'Filename: x.py', // 4
    'LogTypes:', // 5
    '  - AWS.CloudTrail', // 6
    '  - Okta.SystemLog', // 7
    'Severity: High', // 8
    'Description: ""', // 9
    'Reference: see the wiki', // 10
    'Tests:', // 11
    '  - Name: one', // 12
    '    ExpectedResult: true', // 13
    '    Log:', // 14
    '      p_log_type: GSuite.Reports', // 15
  ]);
  expect(brief(qualityLints(detect([item])))).toEqual([
    'audit/disabled@rules/Messy.yml:3',
    'audit/no-false-test@rules/Messy.yml:11',
    'audit/log-type-untested@rules/Messy.yml:6',
    'audit/log-type-untested@rules/Messy.yml:7',
    'audit/no-description@rules/Messy.yml:9',
    'audit/no-runbook@rules/Messy.yml:2',
    'audit/reference-not-url@rules/Messy.yml:10',
  ]);
  const mismatch = logTypeMismatches(detect([item]));
  expect(brief(mismatch)).toEqual(['ref/log-type-mismatch@rules/Messy.yml:15']);
  expect(mismatch[0].message).toContain('GSuite.Reports');
});

test('no tests, and tests that never expect true', () => {
  const none = rule('None', ['Enabled: true', 'Description: d', 'Runbook: r']);
  const quiet = rule('Quiet', ['Enabled: true', 'Description: d', 'Runbook: r', 'Tests:', '  - Name: q', '    ExpectedResult: false', '    Log: {}']);
  expect(brief(qualityLints(detect([none, quiet])))).toEqual(['audit/no-tests@rules/None.yml:2', 'audit/no-true-test@rules/Quiet.yml:6']);
});

test('a test without p_log_type exercises the only log type; with several, each needs its own', () => {
  const one = goodRule('One');
  expect(qualityLints(detect([one])).filter((f) => f.code === 'audit/log-type-untested')).toEqual([]);
  const two = rule('Two', [
    'Enabled: true',
    'Description: d',
    'Runbook: r',
    'LogTypes: [AWS.CloudTrail, Okta.SystemLog]', // 6
    'Tests:',
    '  - Name: a',
    '    ExpectedResult: true',
    '    Log: {p_log_type: AWS.CloudTrail}',
    '  - Name: b',
    '    ExpectedResult: false',
    '    Log: {x: 1}',
  ]);
  const got = qualityLints(detect([two])).filter((f) => f.code === 'audit/log-type-untested');
  expect(got.map((f) => f.message)).toEqual([expect.stringContaining('Okta.SystemLog')]);
});

test('references: URLs pass, anything else is flagged; hostile text is quoted and cut, never interpreted', () => {
  const ok = rule('Ok', ['Enabled: true', 'Description: d', 'Runbook: r', 'Reference: https://docs.example.com/a?b=c#d', 'Tests:', '  - {Name: a, ExpectedResult: true, Log: {}}', '  - {Name: b, ExpectedResult: false, Log: {}}']);
  const bad = rule('Bad', ['Enabled: true', 'Description: d', 'Runbook: r', `Reference: "javascript:alert(1)${'x'.repeat(200)}"`, 'Tests:', '  - {Name: a, ExpectedResult: true, Log: {}}', '  - {Name: b, ExpectedResult: false, Log: {}}']);
  const found = qualityLints(detect([ok, bad]));
  expect(brief(found)).toEqual(['audit/reference-not-url@rules/Bad.yml:6']);
  expect(found[0].message.length).toBeLessThan(300);
});

test('a derived detection inherits Description, Runbook and tests from its base', () => {
  const base = goodRule('Base');
  const derived = rule('Derived', ['Enabled: true', 'BaseDetection: Base']);
  expect(qualityLints(detect([base, derived]))).toEqual([]);
});
