// Detections for the audit's unit tests: items from YAML with the real loader, test outcomes as the runner reports them.
import type { Item, TestResult } from '../../src/core/types';
import { makeItem, yaml } from '../panther/helpers';
import { collectDetections, type Detection } from '../../src/audit/detections';
import { loadAttackCatalog } from '../../src/attack';

export { yaml };

/** A rule with the given extra YAML lines (after the header), in rules/<id>.yml. */
export function rule(id: string, extra: string[], kind = 'rule'): Item {
  const idKey = kind === 'policy' ? 'PolicyID' : 'RuleID';
  return makeItem([`AnalysisType: ${kind}`, `${idKey}: ${id}`, ...extra, ''].join('\n'), `rules/${id}.yml`);
}

/** A standard, well-formed rule: enabled, mapped, one true and one false test. */
export function goodRule(id: string, mitre: string[] = ['TA0006:T1555'], over: { enabled?: boolean } = {}): Item {
  return rule(id, [
    `Enabled: ${over.enabled ?? true}`,
    'Filename: x.py',
    'LogTypes: [AWS.CloudTrail]',
    'Severity: High',
    'Description: Something bad.',
    'Runbook: Check it.',
    'Reference: https://example.com/doc',
    'Reports:',
    '  MITRE ATT&CK:',
    ...mitre.map((m) => `    - ${m}`),
    'Tests:',
    '  - Name: alerts',
    '    ExpectedResult: true',
    '    Log: {a: 1}',
    '  - Name: quiet',
    '    ExpectedResult: false',
    '    Log: {a: 2}',
  ]);
}

/** Results for every test of the items: passing unless listed in `failing` as "ID/test name". */
export function results(items: Item[], failing: string[] = []): TestResult[] {
  const out: TestResult[] = [];
  for (const item of items) {
    const tests = Array.isArray(item.spec.Tests) ? (item.spec.Tests as Array<Record<string, unknown>>) : [];
    for (const t of tests) {
      const name = String(t.Name);
      const passed = !failing.includes(`${item.id}/${name}`);
      out.push({ itemId: item.id!, name, file: item.file, line: 1, passed, expected: t.ExpectedResult === true, actual: passed ? t.ExpectedResult === true : t.ExpectedResult !== true, error: null, durationMs: 1 });
    }
  }
  return out;
}

export function detect(items: Item[], failing: string[] = [], version = '19.2'): Detection[] {
  return collectDetections(items, results(items, failing), [], loadAttackCatalog(version));
}
