// Where a failed test is fixed. The finding stays on the test (counted once, in the rule's file that the
// pull request changed); an exception raised in user code also names its innermost frame (the helper
// line) as a related place, which the annotation layers annotate too. The traceback, the test's Log and
// expected versus actual go into `details` (check-run raw_details, a collapsed block in the comment).
import type { Item, RawFinding, TestResult } from '../core/types';

const MAX_LOG_CHARS = 4000;

export function placeFailure(finding: RawFinding, owner: Item, testIndex: number, result: TestResult): RawFinding {
  const out: RawFinding = { ...finding };
  const displayName = typeof owner.spec.DisplayName === 'string' ? owner.spec.DisplayName : undefined;
  const tb = result.traceback ?? [];
  const inner = tb[tb.length - 1];
  // Raised outside the rule's own code (a helper, a data model): that line too. Only a file in the
  // repository can carry an annotation (site-packages frames cannot).
  if (inner && isRepoFile(inner.file) && inner.file !== owner.pythonFile)
    out.related = [{ file: inner.file, line: inner.line, message: `raised here, in ${inner.function}()` }];
  out.details = failureDetails(result, displayName, owner, testIndex);
  return out;
}

function isRepoFile(file: string): boolean {
  return !file.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(file) && !file.startsWith('../');
}

/** Plain text: what was expected and what happened, the chain of user frames, the Log. */
export function failureDetails(result: TestResult, displayName: string | undefined, owner: Item, index: number): string {
  const lines: string[] = [];
  if (displayName) lines.push(`Rule: ${displayName} (${result.itemId})`);
  lines.push(`Test: ${result.name}`);
  lines.push(`Expected: ${result.expected ? 'True' : 'False'}; actual: ${result.actual === null ? 'no result (an exception)' : result.actual ? 'True' : 'False'}`);
  if (result.error) lines.push(`Error: ${result.error}`);
  if (result.traceback?.length) {
    lines.push('Traceback (user code, outermost first):');
    for (const f of result.traceback) lines.push(`  ${f.file} line ${f.line}, in ${f.function}`);
  }
  const tests = owner.spec.Tests;
  const t = Array.isArray(tests) ? (tests[index] as Record<string, unknown> | undefined) : undefined;
  const input = t && typeof t === 'object' ? (t.Log ?? t.Resource) : undefined;
  if (input !== undefined) {
    let text: string;
    try {
      text = JSON.stringify(input, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2) ?? String(input);
    } catch {
      text = String(input);
    }
    if (text.length > MAX_LOG_CHARS) text = `${text.slice(0, MAX_LOG_CHARS)}\n… (${text.length - MAX_LOG_CHARS} more characters)`;
    lines.push(`${t && 'Resource' in t && !('Log' in t) ? 'Resource' : 'Log'}:`, text);
  }
  if (result.output) lines.push('Output:', result.output.slice(0, 2000));
  return lines.join('\n');
}
