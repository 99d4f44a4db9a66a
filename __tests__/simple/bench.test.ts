// The benchmark hook counts what it evaluates. How fast it is (evaluations per second) is measured
// by `npm run bench -- --micro`, never asserted here: a test asserts behaviour, not speed.
import { readdirSync } from 'fs';
import { join } from 'path';
import { FIXTURES, itemFromFile } from './helpers';
import { benchmarkEvaluate, validateSimpleExpressions } from '../../src/formats/panther/simple';

const rules = readdirSync(join(FIXTURES, 'rules'))
  .filter((f) => f.endsWith('.yml'))
  .map((f) => itemFromFile(join(FIXTURES, 'rules', f), `rules/${f}`));

test('benchmarkEvaluate counts every (rule, test Log) pair per iteration', () => {
  const once = benchmarkEvaluate(rules, 1);
  expect(once.evaluations).toBeGreaterThan(30);
  expect(benchmarkEvaluate(rules, 3).evaluations).toBe(once.evaluations * 3);
});

test('an item without match-expression keys has nothing to validate', () => {
  const item = itemFromFile(join(FIXTURES, 'rules', 'strings.yml'));
  const plain = { ...item, spec: { AnalysisType: 'rule', RuleID: 'x', Filename: 'x.py' } };
  expect(validateSimpleExpressions(plain)).toEqual([]);
});
