// Hostile and tricky simple detections (fixtures/simple) through the whole pipeline.
//
// matrix/: every condition × missing, null and wrongly typed fields (28 event values); ipmatrix/:
//   every IP condition × 52 tricky strings (leading zeros, zone ids, mapped v6, CIDR text, spaces).
//   Each test's ExpectedResult was computed by an independent reference of simple-detections.md
//   §5–§6 (Python semantics: bool == 1, 5 == 5.0, exact big ints; Python 3.11's ipaddress for IPs),
//   not by RuleGate.
// rules/: wildcards on non-arrays, comprehensions, multi-key, 60-level nesting, 20 000 Values,
//   enrichment present/absent, alert fields with runtime errors in alerting and non-alerting tests,
//   CreateAlert false, odd Logs, YAML values, InlineFilters on a scheduled rule.
// invalid/: one invalid expression per file: a finding at its line, the file's tests not run.
import * as path from 'path';
import type { Report } from '../../src/core/types';
import { checkAccounting, FIXTURES, runPack, verdicts, type Verdict } from './helpers';

const SIMPLE = path.join(FIXTURES, 'simple');
let report: Report;

beforeAll(async () => {
  report = await runPack(SIMPLE);
}, 30_000);

const NAN = 'ValueError: Out of range float values are not JSON compliant';

const EXPECTED: Verdict[] = [
  ['Simple.Wildcards', 'wildcard over a list of objects', true],
  ['Simple.Wildcards', 'wildcard on a mapping is missing', true],
  ['Simple.Wildcards', 'wildcard on a string is missing', true],
  ['Simple.Wildcards', 'wildcard on null', true],
  ['Simple.Wildcards', 'elements without the key or null are dropped', true],
  ['Simple.Wildcards', 'Equals on a wildcard compares the whole list', true],
  ['Simple.Wildcards', 'negative index', true],
  ['Simple.Wildcards', 'index into a nested list', true],
  ['Simple.Wildcards', 'index out of range', true],
  ['Simple.Wildcards', 'dotted key is not a path in KeyPath', true],
  ['Simple.Comprehension', 'same element matches both (and none_of is missing, so NoElement is true too)', true],
  ['Simple.Comprehension', 'conditions split across elements', true],
  ['Simple.Comprehension', 'AnyElement on a mapping', true],
  ['Simple.Comprehension', 'AnyElement on scalars', true],
  ['Simple.Comprehension', 'NoElement on an empty list', true],
  ['Simple.Comprehension', 'NoElement on a non-empty list', true],
  ['Simple.MultiKey', 'both missing are equal', true],
  ['Simple.MultiKey', 'null and missing are equal', true],
  ['Simple.MultiKey', 'int and float', true],
  ['Simple.MultiKey', 'bool and int', true],
  ['Simple.MultiKey', 'string and number', true],
  ['Simple.MultiKey', 'lists', true],
  ['Simple.MultiKey', 'big ints differ in the last digit', true],
  ['Simple.MultiKey', 'big ints equal', true],
  ['Simple.DeepNesting', 'innermost matches', true],
  ['Simple.DeepNesting', 'innermost does not match', true],
  ['Simple.HugeValues', 'last value of 20000', true],
  ['Simple.HugeValues', 'not in the list', true],
  ['Simple.HugeValues', 'number excluded', true],
  ['Simple.Enrichment', 'enrichment present and different', true],
  ['Simple.Enrichment', 'enrichment present and equal', true],
  ['Simple.Enrichment', 'enrichment absent (missing means DoesNotEqual holds)', true],
  ['Simple.Enrichment', 'several rows for the selector', true],
  ['Simple.Enrichment', 'p_enrichment is not a mapping', true],
  // alert fields: a runtime error counts only when ExpectedResult is true (the alert value)
  ['Simple.AlertFields', 'alerting with every field', true],
  ['Simple.AlertFields', 'NaN in the alert context fails an alerting test', false, 'alertContext', NAN],
  ['Simple.AlertFields', 'NaN in the alert context is not evaluated when not alerting', true],
  ['Simple.AlertFields', 'infinity in the alert context', false, 'alertContext', NAN],
  ['Simple.AlertFields', 'a huge alert context is replaced, not an error', true],
  ['Simple.AlertFields', 'missing fields render empty', true],
  ['Simple.AlertFields', 'wrong expectation', false, 'rule', 'rule returned true, expected false'],
  // CreateAlert: false — only the matcher and the alert context are judged
  ['Simple.Signal', 'alerting, context fine', true],
  ['Simple.Signal', 'alerting, NaN context still counts', false, 'alertContext', NAN],
  ['Simple.Signal', 'not alerting', true],
  ['Simple.OddLogs', 'Log is a list', false, 'harness', "the test's Log must be a mapping (a JSON object), not a list"],
  ['Simple.OddLogs', 'Log is a string', false, 'harness', "the test's Log must be a mapping (a JSON object), not a string"],
  ['Simple.OddLogs', 'Log is null', false, 'harness', "the test's Log must be a mapping (a JSON object), not null"],
  ['Simple.OddLogs', 'empty Log', true],
  ['Simple.OddLogs', 'with Mocks (meaningless for simple detections)', true],
  ['Simple.YamlValues', 'values as pat reads them', true],
  ['Simple.YamlValues', 'quoted numbers are strings', true],
  ['Simple.ScheduledFilters', 'InlineFilters are ignored on scheduled rules', true],
];

const INVALID: Array<[file: string, code: string, line: number]> = [
  ['bad_cidr.yml', 'schema/match-expression', 9],
  ['bad_keypath.yml', 'schema/match-expression', 7],
  ['bad_severity.yml', 'schema/match-expression', 9],
  ['bare_exists.yml', 'schema/match-expression', 7],
  ['context_bad.yml', 'schema/match-expression', 10],
  ['deep_invalid.yml', 'schema/match-expression', 11],
  ['detection_not_list.yml', 'schema/type', 7],
  ['filter_onlyone.yml', 'schema/match-expression', 9],
  ['filter_uses_key.yml', 'schema/match-expression', 9],
  ['groupby_bad.yml', 'schema/match-expression', 9],
  ['isin_with_value.yml', 'schema/match-expression', 9],
  ['mixed_values.yml', 'schema/match-expression', 9],
  ['noelements.yml', 'schema/match-expression', 8],
  ['three_keys.yml', 'schema/match-expression', 9],
  ['title_not_string.yml', 'schema/type', 8],
  ['two_specifiers.yml', 'schema/match-expression', 7],
  ['unknown_condition.yml', 'schema/match-expression', 8],
  ['value_null.yml', 'schema/match-expression', 9],
];

describe('hostile simple detections', () => {
  test('the condition matrix: every verdict equals the reference (missing/null/wrong types)', () => {
    const matrix = report.tests.filter((t) => /^(Ip)?Matrix\./.test(t.itemId));
    expect(matrix.length).toBe(1484 + 689);
    expect(matrix.filter((t) => !t.passed).map((t) => `${t.itemId} / ${t.name}: expected ${t.expected}, got ${t.actual}`)).toEqual([]);
  });

  test('structural and alert-field cases', () => {
    const { got, want } = verdicts(report, EXPECTED);
    expect(got).toEqual(want);
    const known = new Set(EXPECTED.map(([id, n]) => `${id}\0${n}`));
    expect(report.tests.filter((t) => !/^(Ip)?Matrix\./.test(t.itemId) && !known.has(`${t.itemId}\0${t.name}`)).map((t) => t.name)).toEqual([]);
  });

  test('alert fields are computed for alerting tests', () => {
    const t = report.tests.find((x) => x.name === 'alerting with every field')!;
    const fn = Object.fromEntries(t.functions!.map((f) => [f.name, f.value]));
    expect(fn).toEqual({
      rule: true,
      title: 'alice did delete (3) {not a placeholder',
      severity: 'CRITICAL',
      dedup: 'delete:alice',
      alertContext: { who: 'alice', value: 1.5 },
    });
    const big = report.tests.find((x) => x.name === 'a huge alert context is replaced, not an error')!;
    expect(big.functions!.find((f) => f.name === 'alertContext')!.value).toEqual({ _error: expect.stringMatching(/^alert_context size is \[\d+\] characters, bigger than maximum of \[204800\] characters$/) });
    const signal = report.tests.find((x) => x.name === 'alerting, NaN context still counts')!;
    expect(signal.functions!.map((f) => f.name)).toEqual(['rule', 'alertContext']);
  });

  test('invalid expressions: a finding at the line, the item is not run but reported', () => {
    const rows = report.findings
      .filter((f) => f.file.includes('/simple/invalid/') && f.severity === 'error')
      .map((f) => [path.basename(f.file), f.code, f.line]);
    expect(rows).toEqual(INVALID);
    for (const [file] of INVALID) {
      const item = report.items.find((i) => i.file.endsWith(`/invalid/${file}`))!;
      expect(report.notRun.find((n) => n.itemId === item.id)).toMatchObject({ tests: 2 });
      expect(report.tests.filter((t) => t.itemId === item.id)).toEqual([]);
    }
  });

  test('enrichment read from a Log without p_enrichment gets a note, at the test', () => {
    const notes = report.findings.filter((f) => f.code === 'test/enrichment-absent');
    expect(notes.map((f) => [path.basename(f.file), f.line, f.severity])).toEqual([['enrichment.yml', 20, 'note']]);
  });

  test('nothing is silent', () => {
    expect(checkAccounting(report, SIMPLE)).toEqual([]);
    const wrong = report.findings.find((f) => f.code === 'test/failed' && f.message.includes('"wrong expectation"'))!;
    expect(wrong.message).toContain('rule returned true, expected false');
    const nan = report.findings.find((f) => f.code === 'test/failed' && f.message.includes('"infinity in the alert context"'))!;
    expect(nan.message).toContain(`alertContext failed: ${NAN}`);
  });
});
