// In-process speed figures that unit tests must not assert (a shared CI machine is no stopwatch):
// simple-detection match evaluations per second and schema validation of many items.
// Run with `npm run bench -- --micro` (uses tsx on the TypeScript sources).
import { readdirSync } from 'fs';
import { join } from 'path';
import { benchmarkEvaluate, validateSimpleExpressions } from '../src/formats/panther/simple';
import { validatePantherItem } from '../src/formats/panther/schema';
import { itemFromFile, FIXTURES } from '../__tests__/simple/helpers';
import { makeItem } from '../__tests__/panther/helpers';

const rules = readdirSync(join(FIXTURES, 'rules'))
  .filter((f) => f.endsWith('.yml'))
  .map((f) => itemFromFile(join(FIXTURES, 'rules', f), `rules/${f}`));
benchmarkEvaluate(rules, 200); // warm-up
const { evaluations, ms } = benchmarkEvaluate(rules, 2000);
console.log(`  simple match    ${Math.round((evaluations / ms) * 1000).toLocaleString('en-US')} evaluations/s (target > 100,000)`);

const plain = { ...rules[0], spec: { AnalysisType: 'rule', RuleID: 'x', Filename: 'x.py' } };
let t0 = performance.now();
for (let i = 0; i < 10_000; i++) validateSimpleExpressions(plain);
console.log(`  no-match items  10,000 expression validations of an item without match keys in ${(performance.now() - t0).toFixed(1)} ms (target < 200)`);

const text = `AnalysisType: rule\nRuleID: Bench.Rule\nEnabled: true\nSeverity: Low\nFilename: r.py\nLogTypes: [A, B]\nTags: [x, y]\nReports:\n  MITRE ATT&CK: [TA0001:T1078]\nTests:\n${Array.from(
  { length: 4 },
  (_, i) => `  - Name: t${i}\n    ExpectedResult: true\n    Log: {a: 1, b: [1, 2], c: {d: e}}\n`,
).join('')}`;
const items = Array.from({ length: 1300 }, () => makeItem(text));
validatePantherItem(items[0]);
t0 = performance.now();
let findings = 0;
for (const item of items) findings += validatePantherItem(item).length;
console.log(`  schema          1,300 items validated in ${(performance.now() - t0).toFixed(1)} ms, ${findings} findings (target < 1,000 ms)`);
