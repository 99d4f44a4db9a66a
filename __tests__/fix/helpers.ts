// Runs the real checks (schema + ATT&CK) on YAML text and applies their fixes in passes, in memory.
import { loadYaml } from '../../src/load/yaml';
import { makeItem } from '../../src/load';
import { validatePantherItem } from '../../src/formats/panther/schema';
import { checkAttackMappings, loadAttackCatalog } from '../../src/attack';
import { applyFixes } from '../../src/fix/edits';
import type { Fix, RawFinding } from '../../src/core/types';

export const FILE = 'rules/r.yml';

export function findingsOf(text: string): RawFinding[] {
  const r = loadYaml(text);
  if (!r.ok) throw new Error(`fixture does not parse: ${r.error.message} (line ${r.error.line})`);
  const item = makeItem(r.value as Record<string, unknown>, r.positions, text, FILE, `/repo/${FILE}`, '/repo');
  return [...validatePantherItem(item), ...checkAttackMappings(item, loadAttackCatalog())];
}

/** Applies every fix, pass after pass (at most 10), as `rulegate fix` does; returns the final text and passes. */
export function fixText(text: string): { text: string; passes: number; left: RawFinding[] } {
  let passes = 0;
  for (; passes < 10; passes++) {
    const fixes = findingsOf(text)
      .map((f) => f.fix)
      .filter((f): f is Fix => !!f)
      .sort((a, b) => a.edits[0].start - b.edits[0].start);
    if (fixes.length === 0) break;
    const out = applyFixes(text, fixes);
    if (out.text === text) break;
    text = out.text;
  }
  return { text, passes, left: findingsOf(text).filter((f) => f.fix) };
}

/** A rule file from lines joined by `eol`, with the Reports block given as raw lines. */
export function rule(reports: string[], { eol = '\n', finalNewline = true, extra = [] as string[] } = {}): string {
  const lines = [
    'AnalysisType: rule  # a comment that must survive',
    "RuleID: 'Test.Rule'",
    'Enabled: true',
    'LogTypes: [AWS.CloudTrail]',
    'Severity: High',
    'Filename: r.py',
    ...extra,
    'Reports:',
    ...reports,
    'Tests: []',
  ];
  return lines.join(eol) + (finalNewline ? eol : '');
}
