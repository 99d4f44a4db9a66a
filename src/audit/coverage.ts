// ATT&CK coverage (the README's definition): a detection counts when it is enabled, has at least
// one passing unit test in this run, and detects (rule, scheduled rule, policy, correlation rule).
// Its valid mappings (an active technique under that tactic, in the catalog in use) cover that
// technique or sub-technique under that tactic. Disabled detections and enabled ones without a
// passing test are listed apart and never count.
import type { AttackCatalog, AttackTechnique } from '../attack/catalog';
import type { Detection } from './detections';

/** One technique or sub-technique under one tactic: a cell of the matrix, an entry of the layer. */
export interface CoverageEntry {
  tactic: string; // TA0006
  technique: string; // T1555 or T1555.003
  name: string;
  parent: string | null;
  /** Counted detections mapped to exactly this technique under this tactic. */
  ruleIds: string[];
}

export interface TacticCoverage {
  id: string;
  name: string;
  shortname: string;
  /** Techniques (not sub-techniques) under the tactic, and those covered directly or through a sub-technique. */
  techniques: number;
  covered: number;
}

export interface UncountedDetection {
  id: string;
  file: string;
  reason: string;
  /** Techniques it maps to that it would cover. */
  techniques: string[];
}

export interface Gap {
  tactic: string;
  technique: string;
  name: string;
  /** Detections mapped here that do not count (disabled, untested, failing). */
  waiting: string[];
}

export interface Coverage {
  attackVersion: string;
  detections: number;
  counted: number;
  entries: CoverageEntry[];
  tactics: TacticCoverage[];
  disabled: UncountedDetection[];
  untested: UncountedDetection[];
  /** Uncovered techniques some uncounted detection maps to: the cheapest gaps to close first. */
  gaps: Gap[];
  /** Distinct techniques and sub-techniques covered under any tactic. */
  coveredTechniques: string[];
}

/** Whether a detection counts as coverage, and why not. */
export function uncountedReason(d: Detection): string | undefined {
  if (!d.enabled) return 'disabled';
  if (d.passed > 0) return undefined;
  if (d.failed > 0) return 'every test fails';
  if (d.notRun) return `tests not run: ${d.notRun}`;
  return d.tests.length ? 'no test ran' : 'no tests';
}

export function computeCoverage(detections: readonly Detection[], catalog: AttackCatalog): Coverage {
  const entries = matrixEntries(catalog);
  const byKey = new Map(entries.map((e) => [`${e.tactic}:${e.technique}`, e]));
  const disabled: UncountedDetection[] = [];
  const untested: UncountedDetection[] = [];
  const waiting = new Map<string, string[]>();
  let counted = 0;
  for (const d of detections) {
    const reason = uncountedReason(d);
    const valid = d.mappings.filter((m) => m.valid);
    if (reason === undefined) {
      counted++;
      for (const m of valid) {
        const e = byKey.get(`${m.tactic}:${m.technique}`);
        if (e && !e.ruleIds.includes(d.id)) e.ruleIds.push(d.id);
      }
      continue;
    }
    const rec = { id: d.id, file: d.file, reason, techniques: [...new Set(valid.map((m) => m.technique))] };
    (reason === 'disabled' ? disabled : untested).push(rec);
    for (const m of valid) {
      const key = `${m.tactic}:${m.technique}`;
      const list = waiting.get(key) ?? [];
      if (!list.includes(d.id)) list.push(d.id);
      waiting.set(key, list);
    }
  }
  for (const e of entries) e.ruleIds.sort();

  const tactics: TacticCoverage[] = [];
  for (const t of catalog.tactics.values()) {
    const parents = entries.filter((e) => e.tactic === t.id && e.parent === null);
    const covered = parents.filter((p) => aggregateRuleIds(entries, p).length > 0).length;
    tactics.push({ id: t.id, name: t.name, shortname: t.shortname, techniques: parents.length, covered });
  }
  const gaps: Gap[] = [];
  for (const [key, ids] of waiting) {
    const e = byKey.get(key);
    if (!e || e.ruleIds.length) continue;
    gaps.push({ tactic: e.tactic, technique: e.technique, name: e.name, waiting: ids.sort() });
  }
  gaps.sort((a, b) => b.waiting.length - a.waiting.length || a.technique.localeCompare(b.technique) || a.tactic.localeCompare(b.tactic));
  const coveredTechniques = [...new Set(entries.filter((e) => e.ruleIds.length).map((e) => e.technique))].sort();
  return { attackVersion: catalog.version, detections: detections.length, counted, entries, tactics, disabled, untested, gaps, coveredTechniques };
}

/** Every active technique and sub-technique under each of its tactics, tactics in matrix order, IDs ascending. */
export function matrixEntries(catalog: AttackCatalog): CoverageEntry[] {
  const active = [...catalog.techniques.values()].filter((t) => !t.revoked && !t.deprecated);
  active.sort((a, b) => compareTechniqueIds(a.id, b.id));
  const out: CoverageEntry[] = [];
  for (const tactic of catalog.tactics.keys())
    for (const t of active) if (t.tactics.includes(tactic)) out.push(entryOf(catalog, tactic, t));
  return out;
}

function entryOf(catalog: AttackCatalog, tactic: string, t: AttackTechnique): CoverageEntry {
  const parent = t.parent ? catalog.techniques.get(t.parent) : undefined;
  return { tactic, technique: t.id, name: parent ? `${parent.name}: ${t.name}` : t.name, parent: t.parent, ruleIds: [] };
}

/** A technique's own detections and those of its sub-techniques under the same tactic (the folded cell). */
export function aggregateRuleIds(entries: readonly CoverageEntry[], parent: CoverageEntry): string[] {
  const ids = new Set(parent.ruleIds);
  for (const e of entries) if (e.tactic === parent.tactic && e.parent === parent.technique) for (const id of e.ruleIds) ids.add(id);
  return [...ids].sort();
}

export function compareTechniqueIds(a: string, b: string): number {
  const [pa, sa] = a.slice(1).split('.');
  const [pb, sb] = b.slice(1).split('.');
  return Number(pa) - Number(pb) || Number(sa ?? -1) - Number(sb ?? -1);
}
