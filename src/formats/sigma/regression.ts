// Regression tests as the rules' tests: each `regression_tests_path` info.yml lists JSON event
// dumps; the rule must match at least `match_count` of their events (SigmaHQ's runner does the same
// with evtx files). Everything runs offline, in-process.
import * as fs from 'fs';
import type { TestResult } from '../../core/types';
import type { RegressionInfo } from './repository';
import { compileRule, parseEventsFile, SigmaCompileError } from './match';
import type { SigmaFinding } from './findings';
import { emitterFor } from './findings';

const MAX_EVENTS_BYTES = 50 * 1024 * 1024;

function readEventsFile(jsonPath: string): unknown[] {
  if (fs.statSync(jsonPath).size > MAX_EVENTS_BYTES) throw new Error(`${jsonPath} is over ${MAX_EVENTS_BYTES / 1048576} MiB`);
  return parseEventsFile(fs.readFileSync(jsonPath, 'utf8'));
}

export interface RegressionOutput {
  results: TestResult[];
  findings: SigmaFinding[];
}

/** The JSON sibling of a test file (`x.evtx` → `x.json`): SigmaHQ commits both. */
function jsonOf(p: string): string {
  return p.replace(/\.evtx$/i, '.json');
}

/** `readEvents` lets scripts/sigma-mutate.ts substitute events; the default reads the JSON dump. */
export function runRegressionTests(infos: RegressionInfo[], readEvents: (jsonPath: string) => unknown[] = readEventsFile): RegressionOutput {
  const results: TestResult[] = [];
  const findings: SigmaFinding[] = [];
  for (const info of infos) {
    const it = info.item;
    const id = it.id ?? it.file;
    const line = it.positions.keyAt(['regression_tests_path']).line;
    let compiled: ReturnType<typeof compileRule> | undefined;
    let compileError: string | undefined;
    try {
      compiled = compileRule(it.spec);
    } catch (e) {
      if (!(e instanceof SigmaCompileError)) throw e;
      compileError = e.message;
    }
    for (const t of info.tests) {
      const t0 = performance.now();
      const base: Omit<TestResult, 'passed' | 'actual' | 'error' | 'durationMs'> = { itemId: id, name: `${t.name} (${t.path})`, file: it.file, line, expected: true };
      const fail = (error: string, actual: boolean | null, harness: boolean) => {
        const r: TestResult = { ...base, passed: false, actual, error, durationMs: performance.now() - t0, failedFunction: harness ? 'harness' : 'rule' };
        results.push(r);
        emitterFor(it, findings)({ code: harness ? 'test/error' : 'test/failed', path: ['regression_tests_path'], key: true, message: `regression test "${t.name}" of ${id} ${harness ? 'could not run' : 'failed'}: ${error}` });
      };
      if (!t.exists) continue; // reported as ref/missing-file
      if (compileError) {
        fail(`the rule cannot be evaluated: ${compileError}`, null, true);
        continue;
      }
      const jsonPath = jsonOf(t.absPath);
      let events: unknown[];
      try {
        events = readEvents(jsonPath);
      } catch (e) {
        fail(`the JSON events next to ${t.path} cannot be read: ${(e as Error).message}`, null, true);
        continue;
      }
      let matches = 0;
      try {
        for (const ev of events) if (compiled!.matches(ev)) matches++;
      } catch (e) {
        fail(`the events of ${t.path} cannot be evaluated: ${(e as Error).message}`, null, true);
        continue;
      }
      const want = t.matchCount ?? 1;
      const durationMs = Math.round((performance.now() - t0) * 10) / 10;
      if (matches >= want && matches > 0) results.push({ ...base, passed: true, actual: true, error: null, durationMs });
      else fail(`the rule matched ${matches} of ${events.length} event(s), expected at least ${want}`, false, false);
    }
  }
  return { results, findings };
}
