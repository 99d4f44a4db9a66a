// Upgrade forecast: the mappings that are fine under the ATT&CK version the pack is checked against
// but that the newest shipped version revokes, deprecates, removes or moves to another tactic — each
// with what to write instead — so a team pinned to 18.1 sees the cost of moving to 19.2 before it moves.
import type { RawFinding } from '../core/types';
import { availableAttackVersions, loadAttackCatalog, type AttackCatalog } from '../attack/catalog';
import type { Detection } from './detections';

export interface ForecastEntry {
  id: string;
  file: string;
  line: number;
  mapping: string;
  change: 'revoked' | 'deprecated' | 'removed' | 'moved';
  /** Mappings to write instead under the newest version (empty: MITRE names none). */
  replacement: string[];
}

export interface Forecast {
  from: string;
  to: string;
  entries: ForecastEntry[];
}

/** Undefined when the run already uses the newest shipped version. */
export function forecastUpgrade(detections: readonly Detection[], current: AttackCatalog, newest: AttackCatalog = loadAttackCatalog(availableAttackVersions()[0])): Forecast | undefined {
  if (newest.version === current.version) return undefined;
  const entries: ForecastEntry[] = [];
  for (const d of detections)
    for (const m of d.mappings) {
      if (!m.valid) continue; // already a finding of the ATT&CK stage
      const change = changeOf(newest, m.tactic, m.technique);
      if (change) entries.push({ id: d.id, file: m.file, line: m.line, mapping: `${m.tactic}:${m.technique}`, ...change });
    }
  return { from: current.version, to: newest.version, entries };
}

function changeOf(newest: AttackCatalog, tactic: string, technique: string): Pick<ForecastEntry, 'change' | 'replacement'> | undefined {
  const t = newest.techniques.get(technique);
  if (!t) return { change: 'removed', replacement: [] };
  if (t.revoked) {
    const r = t.replacement ? newest.techniques.get(t.replacement) : undefined;
    if (!r) return { change: 'revoked', replacement: [] };
    return { change: 'revoked', replacement: r.tactics.includes(tactic) ? [`${tactic}:${r.id}`] : r.tactics.map((x) => `${x}:${r.id}`) };
  }
  if (t.deprecated) return { change: 'deprecated', replacement: [] };
  if (!newest.tactics.has(tactic) || !t.tactics.includes(tactic)) return { change: 'moved', replacement: t.tactics.map((x) => `${x}:${technique}`) };
  return undefined;
}

export function forecastFindings(forecast: Forecast | undefined, newest: AttackCatalog = loadAttackCatalog(availableAttackVersions()[0])): RawFinding[] {
  if (!forecast) return [];
  return forecast.entries.map((e) => {
    const tech = newest.techniques.get(e.mapping.split(':')[1]);
    const what =
      e.change === 'removed'
        ? `is not in ATT&CK v${forecast.to}`
        : e.change === 'moved'
          ? `is no longer under ${e.mapping.split(':')[0]} in ATT&CK v${forecast.to} (${tech?.name ?? ''} is under ${e.replacement.map((r) => r.split(':')[0]).join(', ')})`
          : `is ${e.change} in ATT&CK v${forecast.to}`;
    const instead = e.replacement.length ? `; when you upgrade, write ${e.replacement.map((r) => `"${r}"`).join(' or ')} instead` : '; MITRE names no replacement, so map the detection to a current technique when you upgrade';
    const f: RawFinding = { code: 'audit/attack-upgrade', file: e.file, line: e.line, itemId: e.id, message: `"${e.mapping}" is valid in ATT&CK v${forecast.from}, which this pack is checked against, but ${what}${instead}.` };
    if (e.replacement.length === 1) f.hint = `- ${e.replacement[0]}`;
    return f;
  });
}
