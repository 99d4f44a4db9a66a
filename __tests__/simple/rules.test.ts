// Whole-rule fixtures: Detection + Tests files of our own, run through runSimpleTests.
import { join } from 'path';
import { FIXTURES, itemFromFile } from './helpers';
import { enrichmentNotes, evaluateAlert, runSimpleTests, validateSimpleExpressions } from '../../src/formats/panther/simple';
import type { TestResult } from '../../src/core/types';

const rule = (name: string) => itemFromFile(join(FIXTURES, 'rules', name), `rules/${name}`);
const byName = (rs: TestResult[]) => Object.fromEntries(rs.map((r) => [r.name, r]));
const fn = (r: TestResult, name: string) => r.functions?.find((f) => f.name === name);

describe.each(['strings.yml', 'numbers.yml', 'network.yml', 'structure.yml', 'enrichment.yml', 'filters.yml', 'alerting.yml', 'create_alert_false.yml', 'scheduled.yml'])(
  'fixture %s',
  (file) => {
    const item = rule(file);
    test('validates without errors', () => {
      expect(validateSimpleExpressions(item).filter((f) => f.code === 'schema/match-expression')).toEqual([]);
    });
    const results = runSimpleTests(item);
    test('has tests', () => expect(results.length).toBeGreaterThan(0));
    test.each(results.map((r) => [r.name, r] as const))('%s', (_n, r) => {
      expect({ passed: r.passed, error: r.error, failedFunction: r.failedFunction }).toEqual({ passed: true, error: null, failedFunction: undefined });
    });
  },
);

describe('result fields', () => {
  test('line is the line of the Name key, file and itemId are the item', () => {
    const item = rule('strings.yml');
    const [first, second] = runSimpleTests(item);
    expect(first).toMatchObject({ itemId: 'Fixture.Strings', file: 'rules/strings.yml', line: 43, expected: true, actual: true });
    expect(second.line).toBe(53);
    expect(typeof first.durationMs).toBe('number');
  });

  test('testNames selects tests', () => {
    const rs = runSimpleTests(rule('strings.yml'), { testNames: ['denied call'] });
    expect(rs.map((r) => r.name)).toEqual(['denied call']);
  });

  test('non-alerting tests report only the matcher', () => {
    const r = byName(runSimpleTests(rule('strings.yml')))['denied call'];
    expect(r.functions).toEqual([{ name: 'rule', value: false, matched: true }]);
  });
});

describe('dynamic severities', () => {
  const rs = byName(runSimpleTests(rule('network.yml')));
  test('first matching entry wins, case normalised', () => {
    expect(fn(rs['public v4 source to internal host'], 'severity')?.value).toBe('HIGH');
    expect(fn(rs['public v6 source'], 'severity')?.value).toBe('CRITICAL');
  });
  test('evaluateAlert gives the canonical spelling', () => {
    const item = rule('network.yml');
    const log = (item.spec.Tests as any[])[1].Log;
    expect(evaluateAlert(item, log).severity).toBe('Critical');
  });
});

describe('titles, alert context, dedup', () => {
  const rs = byName(runSimpleTests(rule('alerting.yml')));
  test('placeholders, lists as JSON, missing as empty, big integers exact', () => {
    const r = rs['public repo in acme'];
    expect(fn(r, 'title')?.value).toBe('[cat] changed acme-corp/site to public (count 3, tags ["web","prod"], |0.5|12345678901234567890)');
    expect(fn(r, 'severity')?.value).toBe('HIGH');
    expect(fn(r, 'dedup')?.value).toBe('ACME-corp:US:acme-corp/site');
    expect(fn(r, 'alertContext')?.value).toEqual({ actor: 42, first_tag: 'web', location: 'US' });
    expect(r.functions?.map((f) => f.name)).toEqual(['rule', 'title', 'severity', 'dedup', 'alertContext']);
  });
  test('later entries and empty Conditions', () => {
    expect(fn(rs['archived repo'], 'severity')?.value).toBe('LOW');
    expect(fn(rs['archived repo'], 'dedup')?.value).toBe('other::other/r');
    expect(fn(rs['archived repo'], 'alertContext')?.value).toEqual({ actor: null, first_tag: null, location: null });
    expect(fn(rs['anything else matched falls to the empty-conditions entry'], 'severity')?.value).toBe('INFO');
  });
  test('without AlertTitle the title is the DisplayName and the dedup falls back to it', () => {
    const item = rule('strings.yml');
    const r = runSimpleTests(item)[0];
    expect(fn(r, 'title')?.value).toBe('String conditions');
    expect(fn(r, 'dedup')?.value).toBe('String conditions');
    expect(fn(r, 'severity')).toBeUndefined();
  });
});

describe('CreateAlert: false', () => {
  test('only the matcher and the alert context are reported', () => {
    const [archived] = runSimpleTests(rule('create_alert_false.yml'));
    expect(archived.passed).toBe(true);
    expect(archived.functions).toEqual([
      { name: 'rule', value: true, matched: true },
      { name: 'alertContext', value: { repo: 'my-org/r', country: null }, matched: true },
    ]);
  });
});

describe('failing tests', () => {
  const rs = byName(runSimpleTests(rule('failing.yml')));
  test.each([
    ['wrong expectation (rule)', 'rule', true],
    ['expected alert that does not match (rule)', 'rule', false],
    ['NaN in the alert context (alertContext)', 'alertContext', true],
    ['Log is a list (harness)', 'harness', null],
    ['Log is missing (harness)', 'harness', null],
  ])('%s', (name, failed, actual) => {
    const r = rs[name];
    expect(r.passed).toBe(false);
    expect(r.failedFunction).toBe(failed);
    expect(r.actual).toBe(actual);
    if (failed !== 'rule') expect(r.error).toMatch(/\S/);
    else expect(r.error).toBe(`rule returned ${actual}, expected ${!actual}`);
  });
  test('an alert-function error does not matter when no alert is expected', () => {
    expect(rs['NaN does not matter when no alert is expected'].passed).toBe(true);
  });
  test('NaN error message is the one Python gives', () => {
    expect(rs['NaN in the alert context (alertContext)'].error).toContain('Out of range float values are not JSON compliant');
  });

  test('invalid alert fields: validation errors, and alerting tests fail on the first bad function', () => {
    const item = rule('failing_aux.yml');
    const errors = validateSimpleExpressions(item).filter((f) => f.code === 'schema/match-expression');
    expect(errors.map((f) => [f.line, f.message.split(':')[0]])).toEqual([
      [12, 'DynamicSeverities[0].ChangeTo'],
      // AlertTitle of the wrong type (line 14) is reported by the schema stage as schema/type
      [16, 'GroupBy[0]'],
    ]);
    const [alerting, quiet] = runSimpleTests(item);
    expect(alerting).toMatchObject({ passed: false, failedFunction: 'title', actual: true });
    expect(alerting.error).toContain('AlertTitle');
    expect(alerting.functions?.filter((f) => f.error).map((f) => f.name)).toEqual(['title', 'severity', 'dedup']);
    expect(quiet.passed).toBe(true);
  });

  test('an invalid Detection fails every test on the rule with the reason', () => {
    const item = rule('failing_aux.yml');
    (item.spec.Detection as any[])[0] = { Key: 'kind', Condition: 'Equal', Value: 'bad' };
    const rs2 = runSimpleTests(item);
    expect(rs2.every((r) => !r.passed && r.failedFunction === 'rule' && r.actual === null)).toBe(true);
    expect(rs2[0].error).toContain('unknown Condition "Equal"; did you mean "Equals"?');
  });
});

describe('enrichment', () => {
  test('tests without p_enrichment still run and get a note', () => {
    const item = rule('enrichment.yml');
    const notes = enrichmentNotes(item);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ code: 'test/enrichment-absent', severity: 'note', line: 37, itemId: 'Fixture.Enrichment' });
    expect(notes[0].message).toContain('not enriched');
  });
  test('rules without enrichment get no notes', () => {
    expect(enrichmentNotes(rule('strings.yml'))).toEqual([]);
  });
  test('plain key specifiers under p_enrichment count as enrichment', () => {
    const item = rule('strings.yml');
    item.spec = { ...item.spec, Detection: [{ KeyPath: 'p_enrichment.t.ip.name', Condition: 'Exists' }] };
    expect(enrichmentNotes(item).length).toBe((item.spec.Tests as unknown[]).length);
  });
});
