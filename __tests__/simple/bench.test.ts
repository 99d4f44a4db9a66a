// Speed: compiled match expressions must evaluate well over 100,000 times per second.
import { readdirSync } from 'fs';
import { join } from 'path';
import { FIXTURES, itemFromFile } from './helpers';
import { benchmarkEvaluate, validateSimpleExpressions } from '../../src/simple';

const rules = readdirSync(join(FIXTURES, 'rules'))
  .filter((f) => f.endsWith('.yml'))
  .map((f) => itemFromFile(join(FIXTURES, 'rules', f), `rules/${f}`));

test('benchmarkEvaluate counts every (rule, test Log) pair per iteration', () => {
  const once = benchmarkEvaluate(rules, 1);
  expect(once.evaluations).toBeGreaterThan(30);
  expect(benchmarkEvaluate(rules, 3).evaluations).toBe(once.evaluations * 3);
});

test('more than 100,000 evaluations per second', () => {
  benchmarkEvaluate(rules, 200); // warm-up
  const { evaluations, ms } = benchmarkEvaluate(rules, 2000);
  const perSecond = (evaluations / ms) * 1000;
  expect(perSecond).toBeGreaterThan(100_000);
});

test('validation of an item without match-expression keys is immediate', () => {
  const item = itemFromFile(join(FIXTURES, 'rules', 'strings.yml'));
  const plain = { ...item, spec: { AnalysisType: 'rule', RuleID: 'x', Filename: 'x.py' } };
  const t0 = performance.now();
  for (let i = 0; i < 10_000; i++) validateSimpleExpressions(plain);
  expect(performance.now() - t0).toBeLessThan(200);
});
