// Builds Items for the simple-detection tests the way the loader does: YAML read with pat's
// scalar rules (src/load/yaml.ts), positions from the same parse.
import { readFileSync } from 'fs';
import { join } from 'path';
import { loadYaml } from '../../src/load/yaml';
import type { Item, PositionMap } from '../../src/core/types';

export const FIXTURES = join(__dirname, 'fixtures');

export function parseYaml(text: string): { value: unknown; positions: PositionMap } {
  const r = loadYaml(text);
  if (!r.ok) throw new Error(`YAML error line ${r.error.line}: ${r.error.message}`);
  return { value: r.value, positions: r.positions };
}

export function itemFromYaml(text: string, file = 'rules/test.yml'): Item {
  const { value, positions } = parseYaml(text);
  const spec = value as Record<string, unknown>;
  return {
    kind: String(spec.AnalysisType),
    id: typeof spec.RuleID === 'string' ? spec.RuleID : undefined,
    idKey: 'RuleID',
    file,
    absPath: `/repo/${file}`,
    spec,
    positions,
    source: text,
    valid: true,
  };
}

export function itemFromFile(path: string, file = path): Item {
  return itemFromYaml(readFileSync(path, 'utf8'), file);
}

/** Every position is line 1: for specs built from already-parsed values. */
const FLAT: PositionMap = {
  valueAt: () => ({ line: 1, column: 1 }),
  keyAt: () => ({ line: 1, column: 1 }),
  endLineAt: () => 1,
  commentAt: () => undefined,
};

export function itemFromSpec(spec: Record<string, unknown>, file = 'rules/vector.yml'): Item {
  const full = { AnalysisType: 'rule', RuleID: 'Vector.Rule', Severity: 'Info', ...spec };
  return {
    kind: String(full.AnalysisType),
    id: full.RuleID as string,
    idKey: 'RuleID',
    file,
    absPath: `/repo/${file}`,
    spec: full,
    positions: FLAT,
    source: '',
    valid: true,
  };
}

export function fixture(name: string): unknown {
  return parseYaml(readFileSync(join(FIXTURES, name), 'utf8')).value;
}
