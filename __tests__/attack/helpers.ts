import { loadYaml } from '../../src/load/yaml';
import { makeItem } from '../../src/load';
import type { Item, RawFinding } from '../../src/core/types';

/** An Item built from YAML lines (line n of the file is lines[n-1]). */
export function itemFrom(lines: string[], file = 'rules/test_rule.yml'): Item {
  const source = lines.join('\n') + '\n';
  const r = loadYaml(source);
  if (!r.ok) throw new Error(`bad test YAML: ${r.error.message} at ${r.error.line}`);
  return makeItem(r.value as Record<string, unknown>, r.positions, source, file, `/repo/${file}`, '/repo');
}

/** A rule whose Reports: MITRE ATT&CK: list holds `entries` (raw YAML list lines); the first entry is on line 5. */
export function ruleWithMitre(entries: string[], kind = 'rule'): Item {
  return itemFrom([
    `AnalysisType: ${kind}`,
    kind === 'policy' ? 'PolicyID: Test.Policy' : 'RuleID: Test.Rule',
    'Reports:',
    '  MITRE ATT&CK:',
    ...entries.map((e) => `    - ${e}`),
    'Severity: High',
  ]);
}

/** Findings as "line:column code" plus the message, for compact assertions. */
export function brief(findings: RawFinding[]): string[] {
  return findings.map((f) => `${f.line}:${f.column} ${f.code}`);
}
