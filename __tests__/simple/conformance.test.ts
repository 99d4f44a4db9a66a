// The specification's test vectors (simple-detections.md §17), one jest case per vector.
import { fixture, itemFromSpec } from './helpers';
import { evaluateAlert, runSimpleTests, validateSimpleExpressions } from '../../src/formats/panther/simple';

interface MatchVector {
  id: string;
  basis: string;
  event: unknown;
  expr: unknown;
  expect: boolean;
  in?: string;
}
interface RuleVector {
  id: string;
  rule: Record<string, unknown>;
  event: unknown;
  result: boolean;
  severity?: string;
  title?: string;
}
type InvalidVector = { id: string } & Record<string, unknown>;

const doc = fixture('conformance.yml') as { match_vectors: MatchVector[]; rule_vectors: RuleVector[]; invalid_vectors: InvalidVector[] };
const errorsOf = (f: ReturnType<typeof validateSimpleExpressions>) => f.filter((x) => x.code === 'schema/match-expression');

describe('match vectors', () => {
  test.each(doc.match_vectors.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const exprs = Array.isArray(v.expr) ? v.expr : [v.expr];
    const spec =
      v.in === 'InlineFilters'
        ? { InlineFilters: exprs, Detection: [{ Condition: 'AlwaysTrue' }] }
        : { Detection: exprs };
    const item = itemFromSpec({ ...spec, Tests: [{ Name: v.id, ExpectedResult: v.expect, Log: v.event }] });
    expect(errorsOf(validateSimpleExpressions(item))).toEqual([]);
    const [r] = runSimpleTests(item);
    expect({ actual: r.actual, error: r.error }).toEqual({ actual: v.expect, error: null });
    expect(r.passed).toBe(true);
  });
});

describe('rule vectors', () => {
  test.each(doc.rule_vectors.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const item = itemFromSpec(v.rule);
    expect(errorsOf(validateSimpleExpressions(item))).toEqual([]);
    const r = evaluateAlert(item, v.event);
    expect(r.result).toBe(v.result);
    if (v.severity !== undefined) expect(r.severity).toBe(v.severity);
    if (v.title !== undefined) expect(r.title).toBe(v.title);
    expect(r.errors).toEqual({});
  });
});

describe('invalid vectors', () => {
  test.each(doc.invalid_vectors.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const { id: _ignored, ...rest } = v;
    const item = itemFromSpec(rest);
    const errors = errorsOf(validateSimpleExpressions(item));
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/\S/);
  });
});
