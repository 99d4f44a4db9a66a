// Runs the `Tests:` of a simple detection with pat's judgement rules (panther-format §6.6):
// the matcher result must equal ExpectedResult; when ExpectedResult is true (the alert value),
// the alert functions are evaluated and reported too, and an error in one of them fails the test
// (with CreateAlert: false only the alert context counts).
import type { Item, RawFinding, TestResult } from '../../../core/types';
import { pathText } from './diagnostics';
import { evaluateAlertFunctions, evaluateSimpleRule } from './evaluate';
import type { SimpleOptions } from './options';
import { compileDetection, isSimpleDetection } from './rule';
import { isObject, own, typeName } from './values';

export interface RunSimpleOptions extends SimpleOptions {
  /** Only run the tests with these names (pat --test-names). */
  testNames?: string[];
}

type Fn = NonNullable<TestResult['functions']>[number];

export function runSimpleTests(item: Item, opts?: RunSimpleOptions): TestResult[] {
  if (!isSimpleDetection(item) || (item.kind !== 'rule' && item.kind !== 'scheduled_rule')) return [];
  const tests = item.spec.Tests;
  if (!Array.isArray(tests)) return [];
  const only = opts?.testNames && opts.testNames.length ? new Set(opts.testNames) : undefined;
  const itemId = item.id ?? '';
  const results: TestResult[] = [];
  tests.forEach((test, i) => {
    const t0 = performance.now();
    const name = isObject(test) && test.Name !== undefined && test.Name !== null ? String(test.Name) : `Tests[${i}]`;
    if (only && !only.has(name)) return;
    const line = item.positions.keyAt(isObject(test) && own(test, 'Name') ? ['Tests', i, 'Name'] : ['Tests', i]).line;
    const expected = isObject(test) && test.ExpectedResult === true;
    const base = { itemId, name, file: item.file, line, expected };
    const done = (r: Omit<TestResult, keyof typeof base | 'durationMs'>): void => {
      results.push({ ...base, ...r, durationMs: Math.round((performance.now() - t0) * 1000) / 1000 });
    };

    if (!isObject(test)) {
      done({ passed: false, actual: null, error: `the test entry must be a mapping with Name, ExpectedResult and Log, not ${typeName(test)}`, failedFunction: 'harness', functions: [] });
      return;
    }
    const entry = own(test, 'Resource') ? test.Resource : test.Log;
    if (!isObject(entry)) {
      done({
        passed: false,
        actual: null,
        error: `the test's ${own(test, 'Resource') ? 'Resource' : 'Log'} must be a mapping (a JSON object), not ${typeName(entry)}`,
        failedFunction: 'harness',
        functions: [],
      });
      return;
    }

    const r = evaluateSimpleRule(item, entry, opts);
    const functions: Fn[] = [];
    if (r.result === null) {
      functions.push({ name: 'rule', error: r.error ?? 'error', matched: false });
      done({ passed: false, actual: null, error: r.error, failedFunction: 'rule', functions });
      return;
    }
    const ruleMatched = r.result === expected;
    functions.push({ name: 'rule', value: r.result, matched: ruleMatched });

    let failedFunction: string | undefined = ruleMatched ? undefined : 'rule';
    let error: string | null = ruleMatched ? null : `rule returned ${r.result}, expected ${expected}`;
    if (expected) {
      // ExpectedResult equals the alert value: the alert functions are reported, and their errors count
      for (const f of evaluateAlertFunctions(item, entry, opts)) {
        const fn: Fn = { name: f.name, matched: f.error === undefined };
        if (f.error !== undefined) fn.error = f.error;
        else fn.value = f.value;
        functions.push(fn);
        if (f.error !== undefined && failedFunction === undefined) {
          failedFunction = f.name;
          error = f.error;
        }
      }
    }
    const out: Omit<TestResult, keyof typeof base | 'durationMs'> = { passed: failedFunction === undefined, actual: r.result, error, functions };
    if (failedFunction) out.failedFunction = failedFunction;
    done(out);
  });
  return results;
}

/**
 * test/enrichment-absent notes: one per test whose Log lacks p_enrichment while the rule's
 * Detection, InlineFilters or DynamicSeverities read enrichment data. Such tests still run (the
 * enrichment value is missing and its missing rule applies) but do not exercise the enrichment.
 */
export function enrichmentNotes(item: Item, opts?: SimpleOptions): RawFinding[] {
  const c = compileDetection(item, opts);
  if (!c.enrichment.length) return [];
  const tests = item.spec.Tests;
  if (!Array.isArray(tests)) return [];
  const first = c.enrichment[0];
  const where = `${pathText(first)} (line ${item.positions.valueAt(first).line})`;
  const out: RawFinding[] = [];
  tests.forEach((test, i) => {
    if (!isObject(test)) return;
    const entry = own(test, 'Resource') ? test.Resource : test.Log;
    if (!isObject(entry) || own(entry, 'p_enrichment')) return;
    const name = test.Name !== undefined && test.Name !== null ? String(test.Name) : `Tests[${i}]`;
    const pos = item.positions.keyAt(own(test, 'Name') ? ['Tests', i, 'Name'] : ['Tests', i]);
    const f: RawFinding = {
      code: 'test/enrichment-absent',
      severity: 'note',
      file: item.file,
      line: pos.line,
      column: pos.column,
      message: `test ${JSON.stringify(name)} has no p_enrichment in its Log, so the enrichment expression${c.enrichment.length > 1 ? 's' : ''} at ${where}${c.enrichment.length > 1 ? ' and others' : ''} read a missing value; the test does not exercise the enrichment`,
      hint: 'add the enrichment data to the Log (pat enrich-test-data writes it from a Panther instance)',
    };
    if (item.id !== undefined) f.itemId = item.id;
    out.push(f);
  });
  return out;
}

/** test/mocks-ignored notes: Mocks patch Python module attributes, so a simple detection's test cannot use them. */
export function mocksIgnoredNotes(item: Item): RawFinding[] {
  const tests = item.spec.Tests;
  if (!Array.isArray(tests)) return [];
  const out: RawFinding[] = [];
  tests.forEach((test, i) => {
    if (!isObject(test) || !own(test, 'Mocks')) return;
    const pos = item.positions.keyAt(['Tests', i, 'Mocks']);
    const name = test.Name !== undefined && test.Name !== null ? String(test.Name) : `Tests[${i}]`;
    const f: RawFinding = {
      code: 'test/mocks-ignored',
      file: item.file,
      line: pos.line,
      column: pos.column,
      message: `test ${JSON.stringify(name)} has Mocks, but this is a simple detection (no Python module to patch), so they are ignored; remove them`,
    };
    if (item.id !== undefined) f.itemId = item.id;
    out.push(f);
  });
  return out;
}
