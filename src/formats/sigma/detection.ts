// A Sigma rule's detection as a model: selections → items {field, modifiers, values} with the key
// paths that locate them, built from the parsed YAML so quoting stays visible (spec §11.1).
import type { PathStep } from '../../core/types';
import { isRecord } from './load';

export interface DetectionValue {
  value: unknown;
  path: PathStep[];
}

export interface DetectionItem {
  selection: string;
  /** null for keywords (a list of scalars, or a `'|mod': …` map entry with an empty field). */
  field: string | null;
  modifiers: string[];
  /** The raw key (`Image|endswith`), or null for plain keyword lists. */
  key: string | null;
  /** Path of the key (map entry) or of the selection (keyword list). */
  path: PathStep[];
  values: DetectionValue[];
  /** The value was written as a list (even of one element). */
  isList: boolean;
}

export type SelectionShape = 'map' | 'list-of-maps' | 'keywords' | 'scalar' | 'empty' | 'mixed' | 'invalid';

export interface Selection {
  name: string;
  path: PathStep[];
  shape: SelectionShape;
  /** OR-groups: a map is one group; a list of maps is one group per map. */
  groups: DetectionItem[][];
}

function itemsOfMap(selection: string, map: Record<string, unknown>, base: PathStep[]): DetectionItem[] {
  const out: DetectionItem[] = [];
  for (const [key, raw] of Object.entries(map)) {
    const [field, ...modifiers] = key.split('|');
    const path = [...base, key];
    const isList = Array.isArray(raw);
    const values = isList ? (raw as unknown[]).map((value, i) => ({ value, path: [...path, i] })) : [{ value: raw, path }];
    out.push({ selection, field: field === '' ? null : field, modifiers, key, path, values, isList });
  }
  return out;
}

export function selectionsOf(detection: Record<string, unknown>): Selection[] {
  const out: Selection[] = [];
  for (const [name, v] of Object.entries(detection)) {
    if (name === 'condition' || name === 'timeframe') continue;
    const path: PathStep[] = ['detection', name];
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0)) {
      out.push({ name, path, shape: 'empty', groups: [] });
    } else if (isRecord(v)) {
      out.push({ name, path, shape: 'map', groups: [itemsOfMap(name, v, path)] });
    } else if (Array.isArray(v)) {
      if (v.every((x) => isRecord(x))) out.push({ name, path, shape: 'list-of-maps', groups: v.map((m, i) => itemsOfMap(name, m as Record<string, unknown>, [...path, i])) });
      else if (v.every((x) => !isRecord(x) && !Array.isArray(x)))
        out.push({
          name,
          path,
          shape: 'keywords',
          groups: [[{ selection: name, field: null, modifiers: [], key: null, path, values: v.map((value, i) => ({ value, path: [...path, i] })), isList: true }]],
        });
      else out.push({ name, path, shape: 'mixed', groups: [] });
    } else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      out.push({ name, path, shape: 'scalar', groups: [[{ selection: name, field: null, modifiers: [], key: null, path, values: [{ value: v, path }], isList: false }]] });
    } else out.push({ name, path, shape: 'invalid', groups: [] });
  }
  return out;
}
