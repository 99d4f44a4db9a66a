// Builds Items from YAML text with the real loader, the way src/load does, for schema and repository tests.
import * as path from 'path';
import type { Item, RawFinding } from '../../src/core/types';
import { loadYaml } from '../../src/load/yaml';
import { makeItem as makeLoadedItem } from '../../src/load';

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
  return makeLoadedItem(parsed.value as Record<string, unknown>, parsed.positions, text, file, path.join(root, file), root);
}

/** code@line pairs, the compact form most assertions use. */
export function brief(findings: RawFinding[]): string[] {
  return findings.map((f) => `${f.code}@${f.line}`);
}
