// evaluateInlineFilters (used by the Python runner) and the interpretation flags of §16.
import { join } from 'path';
import { FIXTURES, itemFromFile, itemFromSpec } from './helpers';
import { evaluateInlineFilters, evaluateSimpleRule, runSimpleTests, setSimpleOptions, getSimpleOptions, validateSimpleExpressions } from '../../src/formats/panther/simple';

const pyRule = () => itemFromFile(join(FIXTURES, 'rules', 'python_filters.yml'), 'rules/python_filters.yml');

describe('evaluateInlineFilters', () => {
  test('filters of a Python rule, exact-case keys', () => {
    const item = pyRule();
    const [outside, wrongCase] = (item.spec.Tests as Array<{ Log: unknown }>).map((t) => t.Log);
    expect(evaluateInlineFilters(item, outside)).toEqual({ pass: true });
    expect(evaluateInlineFilters(item, wrongCase)).toEqual({ pass: false });
    expect(evaluateInlineFilters(item, { outcome: { result: 'FAILURE' }, client: { ipAddress: '10.2.3.4' } })).toEqual({ pass: false });
  });
  test('no InlineFilters → pass; the public pack\'s All: [] → pass', () => {
    expect(evaluateInlineFilters(itemFromSpec({ Filename: 'x.py' }), {})).toEqual({ pass: true });
    expect(evaluateInlineFilters(itemFromSpec({ Filename: 'x.py', InlineFilters: [{ All: [] }] }), { a: 1 })).toEqual({ pass: true });
  });
  test('invalid filters do not pass and say why', () => {
    const r = evaluateInlineFilters(itemFromSpec({ Filename: 'x.py', InlineFilters: [{ KeyPath: 'a', Condition: 'Exists' }] }), {});
    expect(r.pass).toBe(false);
    expect(r.error).toContain('Exists is not available in InlineFilters');
  });
  test('a non-mapping event resolves every field as missing', () => {
    const item = itemFromSpec({ Filename: 'x.py', InlineFilters: [{ KeyPath: 'a', Condition: 'DoesNotEqual', Value: 1 }] });
    expect(evaluateInlineFilters(item, ['x'])).toEqual({ pass: true });
  });
});

describe('A3: missing fields in InlineFilters', () => {
  const item = () =>
    itemFromSpec({
      InlineFilters: [{ KeyPath: 'env', Condition: 'Equals', Value: 'prod' }],
      Detection: [{ Condition: 'AlwaysTrue' }],
    });
  afterEach(() => setSimpleOptions({ filterMissingPasses: false }));
  test('default: like pat\'s engine, missing is null and fails a positive comparator', () => {
    expect(evaluateSimpleRule(item(), {}).result).toBe(false);
    expect(evaluateInlineFilters(item(), {})).toEqual({ pass: false });
  });
  test('flag: the documented behaviour, a missing field passes; a present null still fails', () => {
    expect(evaluateSimpleRule(item(), {}, { filterMissingPasses: true }).result).toBe(true);
    expect(evaluateSimpleRule(item(), { env: null }, { filterMissingPasses: true }).result).toBe(false);
    expect(evaluateSimpleRule(item(), { env: 'dev' }, { filterMissingPasses: true }).result).toBe(false);
    setSimpleOptions({ filterMissingPasses: true });
    expect(getSimpleOptions().filterMissingPasses).toBe(true);
    expect(evaluateInlineFilters(item(), {})).toEqual({ pass: true });
  });
  test('the flag does not touch Detection', () => {
    const d = itemFromSpec({ Detection: [{ Key: 'env', Condition: 'Equals', Value: 'prod' }] });
    expect(evaluateSimpleRule(d, {}, { filterMissingPasses: true }).result).toBe(false);
  });
});

describe('A1: case-insensitive keys', () => {
  const spec = {
    InlineFilters: [{ KeyPath: 'Source', Condition: 'Equals', Value: 'x' }],
    Detection: [{ KeyPath: 'userIdentity.userName', Condition: 'Equals', Value: 'bob' }],
    Tests: [{ Name: 't', ExpectedResult: true, Log: { Source: 'x', UserIdentity: { USERNAME: 'bob' } } }],
  };
  test('default exact-case', () => {
    expect(runSimpleTests(itemFromSpec(spec))[0]).toMatchObject({ passed: false, actual: false });
  });
  test('flag: Detection falls back to a case-insensitive match; filters stay exact', () => {
    expect(runSimpleTests(itemFromSpec(spec), { caseInsensitiveKeys: true })[0]).toMatchObject({ passed: true, actual: true });
    const lowerFilter = itemFromSpec({ ...spec, InlineFilters: [{ KeyPath: 'source', Condition: 'Equals', Value: 'x' }] });
    expect(runSimpleTests(lowerFilter, { caseInsensitiveKeys: true })[0]).toMatchObject({ passed: false, actual: false });
  });
});

describe('caching', () => {
  test('one compilation per spec and option set', () => {
    const item = itemFromSpec({ Detection: [{ Key: 'a', Condition: 'Nope' }] });
    const a = validateSimpleExpressions(item);
    const b = validateSimpleExpressions(item);
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
  });
});
