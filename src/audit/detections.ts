// The audit's view of a pack: one record per detection (rule, scheduled rule, policy, correlation rule)
// with what every analysis needs — enabled or not, its tests and how they went, its ATT&CK mappings —
// so the analyses never re-read YAML. A derived detection (BaseDetection) inherits what it does not
// set itself from its base, as Panther does.
import type { Item, PathStep, TestResult } from '../core/types';
import { DETECTION_KINDS } from '../formats/panther/kinds';
import { MITRE_KEY } from '../attack/check';
import { parseMapping } from '../attack/mapping';
import type { AttackCatalog } from '../attack/catalog';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface AuditMapping {
  tactic: string;
  technique: string;
  /** The file and line of the entry (a derived detection's may sit in its base's file). */
  file: string;
  line: number;
  /** Active technique under that tactic in the catalog the run checks against. */
  valid: boolean;
}

export interface AuditTest {
  name: string;
  expected: unknown;
  /** p_log_type of the test's Log, when it sets one (a string). */
  logType?: string;
  /** Line of the test's p_log_type key (else of the test). */
  line: number;
}

export interface Detection {
  id: string;
  kind: string;
  file: string;
  item: Item;
  enabled: boolean;
  mappings: AuditMapping[];
  /** The tests that apply to it (its own, or its base's for a derived detection without Tests). */
  tests: AuditTest[];
  /** The item that holds `tests` (for lines). */
  testsOwner: Item;
  logTypes: string[];
  passed: number;
  failed: number;
  /** Why its tests did not run, when they did not (correlation rules, invalid specs, …). */
  notRun?: string;
}

/** The detections of a run, with test outcomes from the run's results. */
export function collectDetections(
  items: readonly Item[],
  tests: readonly TestResult[],
  notRun: ReadonlyArray<{ itemId: string; reason: string }>,
  catalog: AttackCatalog,
): Detection[] {
  const byId = new Map<string, Item>();
  for (const item of items) if (DETECTION_KINDS.has(String(item.kind)) && item.id !== undefined) byId.set(item.id, item);
  const outcome = new Map<string, { passed: number; failed: number }>();
  for (const t of tests) {
    const o = outcome.get(t.itemId) ?? { passed: 0, failed: 0 };
    if (t.passed) o.passed++;
    else o.failed++;
    outcome.set(t.itemId, o);
  }
  const why = new Map(notRun.map((n) => [n.itemId, n.reason]));

  const out: Detection[] = [];
  for (const item of items) {
    if (!DETECTION_KINDS.has(String(item.kind)) || item.id === undefined) continue;
    const base = typeof item.spec.BaseDetection === 'string' ? byId.get(item.spec.BaseDetection) : undefined;
    const own = (key: string) => Object.prototype.hasOwnProperty.call(item.spec, key);
    const testsOwner = !own('Tests') && base ? base : item;
    const reportsOwner = !own('Reports') && base ? base : item;
    const logTypesOwner = !own('LogTypes') && base ? base : item;
    const o = outcome.get(item.id) ?? { passed: 0, failed: 0 };
    out.push({
      id: item.id,
      kind: String(item.kind),
      file: item.file,
      item,
      enabled: item.spec.Enabled === true,
      mappings: mappingsOf(reportsOwner, catalog),
      tests: testsOf(testsOwner),
      testsOwner,
      logTypes: stringList(logTypesOwner.spec.LogTypes),
      passed: o.passed,
      failed: o.failed,
      notRun: why.get(item.id),
    });
  }
  return out;
}

/** A spec value of a detection or, when it does not set it, of its base detection. */
export function inherited(d: Detection, key: string, all: ReadonlyMap<string, Detection>): { value: unknown; owner: Item } {
  if (Object.prototype.hasOwnProperty.call(d.item.spec, key)) return { value: d.item.spec[key], owner: d.item };
  const baseId = d.item.spec.BaseDetection;
  const base = typeof baseId === 'string' ? all.get(baseId) : undefined;
  if (base && Object.prototype.hasOwnProperty.call(base.item.spec, key)) return { value: base.item.spec[key], owner: base.item };
  return { value: undefined, owner: d.item };
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function mappingsOf(item: Item, catalog: AttackCatalog): AuditMapping[] {
  const reports = item.spec.Reports;
  if (!isObj(reports)) return [];
  const entries = reports[MITRE_KEY];
  if (!Array.isArray(entries)) return [];
  const out: AuditMapping[] = [];
  entries.forEach((value, i) => {
    if (typeof value !== 'string') return;
    const m = parseMapping(value);
    if (!m) return;
    const tech = catalog.techniques.get(m.technique);
    const valid = !!tech && !tech.revoked && !tech.deprecated && catalog.tactics.has(m.tactic) && tech.tactics.includes(m.tactic);
    out.push({ tactic: m.tactic, technique: m.technique, file: item.file, line: item.positions.valueAt(['Reports', MITRE_KEY, i]).line, valid });
  });
  return out;
}

function testsOf(item: Item): AuditTest[] {
  const list = item.spec.Tests;
  if (!Array.isArray(list)) return [];
  return list.map((t, i) => {
    const test: AuditTest = { name: isObj(t) && t.Name !== undefined ? String(t.Name) : `Tests[${i}]`, expected: isObj(t) ? t.ExpectedResult : undefined, line: 0 };
    const log = isObj(t) ? t.Log : undefined;
    const path: PathStep[] = ['Tests', i];
    if (isObj(log) && typeof log.p_log_type === 'string') {
      test.logType = log.p_log_type;
      test.line = item.positions.keyAt([...path, 'Log', 'p_log_type']).line;
    } else test.line = item.positions.keyAt(isObj(t) && 'Name' in t ? [...path, 'Name'] : path).line;
    return test;
  });
}
