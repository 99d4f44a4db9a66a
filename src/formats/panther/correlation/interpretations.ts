// Which of the spec's interpretations (correlation-rules.md §13) a verdict depends on: the test is
// evaluated again under each alternative reading that applies to it; a different verdict means
// Panther's backend could judge the test differently, and the test's output says so in one line.
import type { CompiledRule } from './model';
import { DEFAULT_SEMANTICS, evaluate, SEARCH_BUDGET, TooLargeError, type Semantics } from './evaluate';
import { assembleSignals, type Assembled, type AssemblyOptions, DEFAULT_ASSEMBLY } from './outputs';
import type { PathStep } from '../../../core/types';

interface Alternative {
  code: string;
  /** The reading RuleGate adopted, in a few words. */
  adopted: string;
  applies(rule: CompiledRule, a: Assembled): boolean;
  sem?: Partial<Semantics>;
  assembly?: Partial<AssemblyOptions>;
}

const sequence = (r: CompiledRule) => r.form === 'Sequence';

/**
 * A1 can only matter when the signals span more than the lookback (otherwise every window of the
 * alternative sees a subset of ours, and fewer signals never make a match) or with MaxMatchCount.
 */
function spansBeyondLookback(r: CompiledRule, a: Assembled): boolean {
  if (r.steps.some((s) => s.max !== undefined)) return true;
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of a.signals) {
    if (s.t < lo) lo = s.t;
    if (s.t > hi) hi = s.t;
  }
  return hi - lo > r.lookbackMs;
}

/** A2 can only matter when two signals are exactly 0, a WithinTimeFrameMinutes or the lookback apart. */
function onABoundary(r: CompiledRule, a: Assembled): boolean {
  const gaps = new Set([0, r.lookbackMs, ...r.transitions.map((t) => t.withinMs ?? r.lookbackMs)]);
  const times = new Map<number, number>();
  for (const s of a.signals) times.set(s.t, (times.get(s.t) ?? 0) + 1);
  for (const [t, n] of times) for (const g of gaps) if (g === 0 ? n > 1 : times.has(t + g)) return true;
  return false;
}

const ALTERNATIVES: Alternative[] = [
  { code: 'A1', adopted: "the lookback window ends at the test's latest signal", applies: spansBeyondLookback, sem: { anchor: 'any' } },
  { code: 'A2', adopted: 'window and absence boundaries are inclusive', applies: onABoundary, sem: { inclusive: false } },
  { code: 'A3', adopted: 'WithinTimeFrameMinutes is measured from completion to completion', applies: (r) => sequence(r) && r.transitions.length > 0 && r.steps.some((s) => s.min > 1), sem: { limit: 'start' } },
  { code: 'A3', adopted: 'WithinTimeFrameMinutes is measured from completion to completion', applies: (r) => sequence(r) && r.transitions.length > 0 && r.steps.some((s) => s.min > 1), sem: { limit: 'first-to-last' } },
  { code: 'A5', adopted: 'an absent entry with MinMatchCount n needs n signals to suppress', applies: (r) => r.steps.some((s) => s.absent && s.min > 1), sem: { absentMin: false } },
  { code: 'A6', adopted: 'MaxMatchCount caps the signals in the window', applies: (r) => r.steps.some((s) => s.max !== undefined), sem: { maxCount: false } },
  { code: 'A7', adopted: "the Group's MinMatchCount counts present entries matched by one value", applies: (r) => r.groupMin !== undefined, sem: { groupMin: false } },
  { code: 'A8', adopted: 'ReverseChronological reverses the Sequence order', applies: (r) => r.reverse, sem: { reverse: false } },
  { code: 'A9', adopted: 'several fields of one output pair up by equal timestamps', applies: (_r, a) => a.multiField, assembly: { pairFields: false } },
  { code: 'A10', adopted: "outputs keyed by another field than the entry's join path cannot join", applies: (_r, a) => a.misKeyed, sem: { keyedJoin: false } },
  { code: 'A18', adopted: 'repeated RuleOutputs IDs are merged', applies: (_r, a) => a.repeated, assembly: { mergeRepeated: false } },
];

const A4 = 'a Sequence step that must be absent is judged in a zone beside its neighbouring steps';

/** The verdict under another reading; undefined when that reading is too costly to check (huge tests). */
function other(rule: CompiledRule, a: Assembled, sem: Partial<Semantics>): boolean | undefined {
  try {
    return evaluate(rule, a.signals, { ...DEFAULT_SEMANTICS, ...sem }, SEARCH_BUDGET / 10);
  } catch (e) {
    if (e instanceof TooLargeError) return undefined;
    throw e;
  }
}

/** One line naming the interpretations the verdict depends on, or undefined. */
export function interpretationNote(rule: CompiledRule, test: Record<string, unknown>, at: PathStep[], assembled: Assembled, verdict: boolean): string | undefined {
  const found = new Map<string, string>();
  for (const alt of ALTERNATIVES) {
    if (found.has(alt.code) || !alt.applies(rule, assembled)) continue;
    const a = alt.assembly ? assembleSignals(rule, test, at, { ...DEFAULT_ASSEMBLY, ...alt.assembly }) : assembled;
    if (a.error) continue;
    const v = other(rule, a, alt.sem ?? {});
    if (v !== undefined && v !== verdict) found.set(alt.code, alt.adopted);
  }
  // A4: only middle absent steps and absent steps without a transition have interpreted zones
  if (sequence(rule)) {
    const touched = new Set(rule.transitions.flatMap((t) => [t.early, t.late]));
    const order = rule.timeOrder;
    const interp = new Set(
      order.filter((i, p) => rule.steps[i].absent && (!touched.has(i) || (order.slice(0, p).some((j) => !rule.steps[j].absent) && order.slice(p + 1).some((j) => !rule.steps[j].absent)))),
    );
    if (interp.size) {
      const v = other(rule, assembled, { ignoreAbsent: interp });
      if (v !== undefined && v !== verdict) found.set('A4', A4);
    }
  }
  if (assembled.lenient) found.set('A12', 'date-times without a zone are UTC');
  if (assembled.usesDefaultedId) found.set('A13', 'an entry without ID is named by its RuleID');
  if (verdict && !rule.createAlert) found.set('A19', 'a match counts although CreateAlert is false');
  if (!found.size) return undefined;
  const list = [...found].map(([code, text]) => `${code} (${text})`).join('; ');
  return `interpretation: this verdict depends on RuleGate's reading ${list} — correlation-rules spec §13; Panther's backend could differ`;
}
