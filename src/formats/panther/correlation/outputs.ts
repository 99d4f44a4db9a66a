// A test's RuleOutputs turned into signals (spec §8): one signal per timestamp occurrence; fields of
// one output pair up by equal timestamps (§8.4). Test errors T1–T3 and warnings W6–W8, W10.
import type { PathStep } from '../../../core/types';
import { YamlFloat } from '../../../load/yaml';
import { isMapping, quote } from '../schema/values';
import { MINUTE_MS, type CompiledRule, type Problem, type Signal } from './model';

export interface AssemblyOptions {
  /** §8.4 pairing of several fields by equal timestamps (interpretation A9); false: one signal per field value. */
  pairFields: boolean;
  /** Repeated RuleOutputs IDs are merged (A18); false: the last one wins. */
  mergeRepeated: boolean;
}

export const DEFAULT_ASSEMBLY: AssemblyOptions = { pairFields: true, mergeRepeated: true };

export interface Assembled {
  signals: Signal[];
  /** The first test error (T1–T3): the test fails without a verdict. */
  error?: Problem;
  warnings: Problem[];
  /** Some timestamp used a lenient date form (A12). */
  lenient: boolean;
  /** Steps the outputs name through an ID that defaulted to RuleID (A13). */
  usesDefaultedId: boolean;
  /** Some output carries several fields (A9 can matter). */
  multiField: boolean;
  /** Some ID is repeated (A18 can matter). */
  repeated: boolean;
  /** Some field is not a join path of its entry (A10 can matter). */
  misKeyed: boolean;
}

// RFC 3339 date-time; a space for `T` and a missing zone are accepted with W8 (§8.2).
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})([Tt ])(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/;

/** A timestamp in ms: numbers are minutes, strings absolute instants; undefined when unreadable. */
export function parseTimestamp(v: unknown): { ms: number; kind: 'minutes' | 'instant'; lenient: boolean } | undefined {
  if (typeof v === 'number' || v instanceof YamlFloat || typeof v === 'bigint') {
    const n = Number(v);
    return Number.isFinite(n) ? { ms: Math.round(n * MINUTE_MS), kind: 'minutes', lenient: false } : undefined;
  }
  if (typeof v !== 'string') return undefined;
  const m = DATE_TIME.exec(v.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[5], m[6], m[7]].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return undefined;
  let ms = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59));
  if (new Date(ms).getUTCDate() !== d) return undefined; // 2025-02-30
  if (m[8]) ms += Math.round(Number(`0${m[8]}`) * 1000);
  const zone = m[9];
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * MINUTE_MS;
  }
  return { ms, kind: 'instant', lenient: m[4] === ' ' || !zone };
}

/** Builds the signals of one test. `at` is the test's path in the file (['Tests', i]). */
export function assembleSignals(rule: CompiledRule, test: Record<string, unknown>, at: PathStep[], opts: AssemblyOptions = DEFAULT_ASSEMBLY): Assembled {
  const out: Assembled = { signals: [], warnings: [], lenient: false, usesDefaultedId: false, multiField: false, repeated: false, misKeyed: false };
  const fail = (spec: string, path: PathStep[], message: string, hint?: string): Assembled => {
    out.error = { code: 'correlation/bad-rule-outputs', spec, path, at: 'value', message, hint };
    return out;
  };
  const outputs = test.RuleOutputs;
  if (!Array.isArray(outputs)) return fail('E15', [...at, 'RuleOutputs'], 'RuleOutputs must be a list');
  const byId = new Map(rule.steps.map((s) => [s.id, s]));
  const known = rule.steps.map((s) => quote(s.id)).join(', ');
  // per step: the (field, value, t) triples in document order
  const triples = new Map<number, Array<{ field: string; value: string; t: number }>>();
  const firstAt = new Map<string, number>();
  let kind: string | undefined;
  for (let i = 0; i < outputs.length; i++) {
    const o = outputs[i];
    const op: PathStep[] = [...at, 'RuleOutputs', i];
    if (!isMapping(o) || typeof o.ID !== 'string') return fail('E15', op, 'a RuleOutputs item must be a mapping with an ID');
    const step = byId.get(o.ID);
    if (!step)
      return fail(
        'T1',
        [...op, 'ID'],
        `RuleOutputs ID ${quote(o.ID)} names no entry of this rule (IDs must match exactly, case and spaces included: ${known}); the test cannot be judged (RuleGate fails it, interpretation A20)`,
        'use the ID of the Sequence/Group entry, not its RuleID',
      );
    if (step.defaultedId) out.usesDefaultedId = true;
    if (firstAt.has(o.ID)) {
      out.repeated = true;
      out.warnings.push({
        code: 'correlation/doubtful',
        spec: 'W7',
        path: [...op, 'ID'],
        at: 'value',
        message: `RuleOutputs names ${quote(o.ID)} a second time (first in item ${firstAt.get(o.ID)! + 1}); the two are merged`,
        hint: 'list all its matches under one item',
      });
      if (!opts.mergeRepeated) triples.delete(step.index);
    } else firstAt.set(o.ID, i);
    if (o.Matches === undefined || o.Matches === null) continue;
    if (!isMapping(o.Matches)) return fail('E15', [...op, 'Matches'], 'Matches must map field → value → list of timestamps');
    const list = triples.get(step.index) ?? [];
    triples.set(step.index, list);
    const joins = rule.joinPaths[step.index];
    const fields = Object.keys(o.Matches);
    if (fields.length > 1) out.multiField = true;
    for (const field of fields) {
      const values = o.Matches[field];
      const fp: PathStep[] = [...op, 'Matches', field];
      if (!isMapping(values)) return fail('E15', fp, `Matches.${field} must map each value to a list of timestamps`);
      if (joins.length && !joins.includes(field)) {
        out.misKeyed = true;
        out.warnings.push({
          code: 'correlation/doubtful',
          spec: 'W6',
          path: fp,
          message: `${quote(field)} is not a field ${quote(step.id)} is joined on (${joins.map(quote).join(', ')}), so these signals cannot take part in the join (interpretation A10)`,
          hint: `key the matches by ${quote(joins[0])}`,
        });
      }
      for (const value of Object.keys(values)) {
        const times = values[value];
        const vp: PathStep[] = [...fp, value];
        if (!Array.isArray(times)) return fail('E15', vp, 'each value takes a list of timestamps, one per signal');
        for (let k = 0; k < times.length; k++) {
          const ts = parseTimestamp(times[k]);
          const tp = (): PathStep[] => [...vp, k];
          if (!ts)
            return fail(
              'T2',
              tp(),
              `timestamp ${typeof times[k] === 'string' ? quote(times[k] as string) : JSON.stringify(times[k]) ?? String(times[k])} is neither a number of minutes nor an RFC 3339 date-time`,
              'write minutes on a common time line (0, 30, 90) or a date-time such as 2025-01-01T10:00:00Z',
            );
          if (!kind) kind = ts.kind;
          else if (kind !== ts.kind)
            return fail('T3', tp(), `this test mixes numbers of minutes and date-times (the first timestamp was ${kind === 'minutes' ? 'a number' : 'a date-time'}); the two cannot be compared (interpretation A12)`, 'use one kind of timestamp throughout the test');
          if (ts.lenient) {
            out.lenient = true;
            out.warnings.push({
              code: 'correlation/doubtful',
              spec: 'W8',
              path: tp(),
              at: 'value',
              message: `timestamp ${quote(String(times[k]))} is not strict RFC 3339; it is read as ${new Date(ts.ms).toISOString()} (interpretation A12)`,
              hint: 'write it as 2025-01-01T10:00:00Z',
            });
          }
          list.push({ field, value, t: ts.ms });
        }
      }
    }
  }
  for (const [step, list] of triples) out.signals.push(...(opts.pairFields ? pair(step, list) : list.map((x) => ({ step, t: x.t, fields: new Map([[x.field, x.value]]) }))));
  if (!out.signals.length)
    out.warnings.push({
      code: 'correlation/doubtful',
      spec: 'W10',
      path: [...at, 'RuleOutputs'],
      message: 'this test gives no signal at all (no timestamps in RuleOutputs), so its verdict is necessarily false',
    });
  return out;
}

/** §8.4: within one timestamp, the k-th value of every field forms the k-th signal. */
function pair(step: number, list: Array<{ field: string; value: string; t: number }>): Signal[] {
  const byT = new Map<number, Map<string, string[]>>();
  for (const x of list) {
    let fields = byT.get(x.t);
    if (!fields) byT.set(x.t, (fields = new Map()));
    const vs = fields.get(x.field);
    if (vs) vs.push(x.value);
    else fields.set(x.field, [x.value]);
  }
  const out: Signal[] = [];
  for (const [t, fields] of byT) {
    const n = Math.max(...[...fields.values()].map((v) => v.length));
    for (let k = 0; k < n; k++) {
      const f = new Map<string, string>();
      for (const [name, vs] of fields) if (k < vs.length) f.set(name, vs[k]);
      out.push({ step, t, fields: f });
    }
  }
  return out;
}
