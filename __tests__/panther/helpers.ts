// Builds Items from YAML text with the real loader, the way src/load does, for schema and repository tests.
import * as path from 'path';
import type { Item, RawFinding } from '../../src/core/types';
import { loadYaml } from '../../src/load/yaml';
import { ID_KEYS, PYTHON_KINDS } from '../../src/formats/panther/kinds';

/** Strips the common indentation of a template literal, so fixtures can be indented with the test. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

export function makeItem(text: string, file = 'rules/example.yml', root = '/repo'): Item {
  const parsed = loadYaml(text);
  if (!parsed.ok) throw new Error(`fixture YAML does not parse: line ${parsed.error.line}: ${parsed.error.message}`);
  const spec = parsed.value as Record<string, unknown>;
  const kind = typeof spec.AnalysisType === 'string' ? spec.AnalysisType : String(spec.AnalysisType);
  const idKey = ID_KEYS[kind] ?? 'RuleID';
  const absPath = path.join(root, file);
  const item: Item = {
    kind,
    id: typeof spec[idKey] === 'string' ? (spec[idKey] as string) : undefined,
    idKey,
    file,
    absPath,
    spec,
    positions: parsed.positions,
    source: text,
    valid: true,
  };
  if (PYTHON_KINDS.has(kind) && typeof spec.Filename === 'string' && spec.Filename !== '') {
    item.pythonPath = path.resolve(path.dirname(absPath), spec.Filename);
    item.pythonFile = path.posix.join(path.posix.dirname(file), spec.Filename);
  }
  return item;
}

/** code@line pairs, the compact form most assertions use. */
export function brief(findings: RawFinding[]): string[] {
  return findings.map((f) => `${f.code}@${f.line}`);
}
