// Runs a correlation rule's `Tests:` offline (spec §8–§10): each test's RuleOutputs are the signals,
// its ExpectedResult is compared with the verdict. Results have the same shape as every other test.
import type { Item, PathStep, RawFinding, TestResult } from '../../../core/types';
import { hasKey, isMapping } from '../schema/values';
import { compileCorrelation } from './compile';
import { evaluate, TooLargeError } from './evaluate';
import { interpretationNote } from './interpretations';
import type { Problem } from './model';
import { assembleSignals } from './outputs';

export interface CorrelationTestRun {
  result: TestResult;
  /** The finding for a test too large to judge (correlation/unsupported); other failures get test/failed or test/error from the runner. */
  failure?: RawFinding;
}

export interface CorrelationRun {
  runs: CorrelationTestRun[];
}

/** A compile/assembly problem as a finding on its exact line. */
export function problemFinding(item: Item, p: Problem): RawFinding {
  const pos = p.at === 'value' ? item.positions.valueAt(p.path) : item.positions.keyAt(p.path);
  const f: RawFinding = { code: p.code, file: item.file, line: pos.line, column: pos.column, message: p.message };
  if (p.spec.startsWith('W')) f.severity = 'warning';
  if (p.hint) f.hint = p.hint;
  if (item.id !== undefined) f.itemId = item.id;
  return f;
}

/** Rule-level findings (errors and warnings the schema stage cannot see); an error makes the rule invalid. */
export function validateCorrelation(item: Item): RawFinding[] {
  if (item.kind !== 'correlation_rule') return [];
  return compileCorrelation(item.spec)
    .problems.filter((p) => !p.covered)
    .map((p) => problemFinding(item, p));
}

/**
 * Test-data findings of a valid rule: RuleOutputs naming no entry, unreadable or mixed timestamps
 * (correlation/bad-rule-outputs: that test fails, the others run) and doubtful test data.
 */
export function validateCorrelationTests(item: Item): RawFinding[] {
  const tests = item.spec.Tests;
  if (item.kind !== 'correlation_rule' || !Array.isArray(tests)) return [];
  const { rule } = compileCorrelation(item.spec);
  if (!rule) return [];
  const out: RawFinding[] = [];
  tests.forEach((test, i) => {
    if (!isMapping(test)) return;
    const a = assembleSignals(rule, test, ['Tests', i]);
    if (a.error && a.error.spec.startsWith('T')) {
      const f = problemFinding(item, a.error);
      f.message = `test ${JSON.stringify(test.Name ?? `Tests[${i}]`)}: ${a.error.message}`;
      out.push(f);
    }
    out.push(...a.warnings.map((w) => problemFinding(item, w)));
  });
  return out;
}

export function runCorrelationTests(item: Item, opts?: { testNames?: string[] }): CorrelationRun {
  const tests = item.spec.Tests;
  const out: CorrelationRun = { runs: [] };
  if (item.kind !== 'correlation_rule' || !Array.isArray(tests)) return out;
  const only = opts?.testNames?.length ? new Set(opts.testNames) : undefined;
  const compiled = compileCorrelation(item.spec);
  const ruleError = compiled.problems.find((p) => !p.spec.startsWith('W'));
  const itemId = item.id ?? '';
  tests.forEach((test, i) => {
    const t0 = performance.now();
    const at: PathStep[] = ['Tests', i];
    const name = isMapping(test) && test.Name !== undefined && test.Name !== null ? String(test.Name) : `Tests[${i}]`;
    if (only && !only.has(name)) return;
    const line = item.positions.keyAt(isMapping(test) && hasKey(test, 'Name') ? [...at, 'Name'] : at).line;
    const expected = isMapping(test) && test.ExpectedResult === true;
    const ms = () => Math.round((performance.now() - t0) * 1000) / 1000;
    const cannotRun = (error: string, failure?: RawFinding) =>
      out.runs.push({ result: { itemId, name, file: item.file, line, passed: false, expected, actual: null, error, failedFunction: 'harness', functions: [], durationMs: ms() }, failure });

    // §10: a rule with an error is invalid and none of its tests is evaluated
    if (!compiled.rule || !item.valid || !isMapping(test)) {
      const where = ruleError ? ` (line ${item.positions.keyAt(ruleError.path).line}: ${ruleError.message})` : '';
      return cannotRun(`not evaluated: the correlation rule has errors${where}; see its findings`);
    }
    // bad test data fails this test only; validateCorrelationTests reports it at its exact line
    const assembled = assembleSignals(compiled.rule, test, at);
    if (assembled.error) return cannotRun(`${assembled.error.message} (line ${item.positions.valueAt(assembled.error.path).line})`);
    let verdict: boolean;
    let note: string | undefined;
    try {
      verdict = evaluate(compiled.rule, assembled.signals);
      note = interpretationNote(compiled.rule, test, at, assembled, verdict);
    } catch (e) {
      if (!(e instanceof TooLargeError)) throw e;
      const message = `test "${name}" of ${itemId} has too many signals to evaluate (over 2,000,000 steps of work); RuleGate does not judge it rather than guess`;
      return cannotRun(message, { code: 'correlation/unsupported', file: item.file, line, itemId, message, hint: 'keep correlation-rule tests to the few signals that show the case' });
    }
    const passed = verdict === expected;
    const result: TestResult = {
      itemId,
      name,
      file: item.file,
      line,
      passed,
      expected,
      actual: verdict,
      error: passed ? null : `the correlation rule ${verdict ? 'matched' : 'did not match'} (verdict ${verdict}), expected ${expected}`,
      functions: [{ name: 'rule', value: verdict, matched: passed }],
      durationMs: ms(),
    };
    if (!passed) result.failedFunction = 'rule';
    if (note) result.output = note;
    out.runs.push({ result });
  });
  return out;
}
