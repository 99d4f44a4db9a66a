import { loadYaml } from '../../src/load/yaml';
import type { Item, RawFinding } from '../../src/core/types';

const ID_KEYS: Record<string, string> = { rule: 'RuleID', scheduled_rule: 'RuleID', correlation_rule: 'RuleID', policy: 'PolicyID' };

/** An Item built from YAML lines (line n of the file is lines[n-1]). */
export function itemFrom(lines: string[], file = 'rules/test_rule.yml'): Item {
  const source = lines.join('\n') + '\n';
  const r = loadYaml(source);
  if (!r.ok) throw new Error(`bad test YAML: ${r.error.message} at ${r.error.line}`);
  const spec = r.value as Record<string, unknown>;
  const kind = String(spec.AnalysisType);
  const idKey = ID_KEYS[kind] ?? 'RuleID';
  return {
    kind,
    id: typeof spec[idKey] === 'string' ? (spec[idKey] as string) : undefined,
    idKey,
    file,
    absPath: `/repo/${file}`,
    spec,
    positions: r.positions,
    source,
    valid: true,
  };
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
