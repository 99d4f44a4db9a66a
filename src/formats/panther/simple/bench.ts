// A tiny benchmark hook: evaluates the matcher (InlineFilters AND Detection) of every simple
// detection on every one of its test Logs, `iterations` times over.
import type { Item } from '../../../core/types';
import type { Pred } from './combinators';
import { matcher } from './evaluate';
import { compileDetection, isSimpleDetection } from './rule';
import { isObject, own } from './values';

export function benchmarkEvaluate(rules: Item[], iterations = 1000): { evaluations: number; ms: number } {
  const cases: Array<[Pred, unknown]> = [];
  for (const item of rules) {
    if (!isSimpleDetection(item)) continue;
    const m = matcher(item, compileDetection(item));
    if (!('fn' in m)) continue;
    const tests = item.spec.Tests;
    if (!Array.isArray(tests)) continue;
    for (const t of tests) {
      if (!isObject(t)) continue;
      const log = own(t, 'Resource') ? t.Resource : t.Log;
      if (isObject(log)) cases.push([m.fn, log]);
    }
  }
  let evaluations = 0;
  let hits = 0;
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) {
    for (let j = 0; j < cases.length; j++) {
      const [fn, log] = cases[j];
      if (fn(log, log)) hits++;
      evaluations++;
    }
  }
  const ms = performance.now() - t0;
  if (hits < 0) throw new Error('unreachable'); // keeps the work observable
  return { evaluations, ms: Math.round(ms * 1000) / 1000 };
}
