// The verdict of one test (spec §9): one run of the rule over the signals in the lookback window
// ending at the test's latest signal; `true` when some correlation value satisfies the Group (§9.3)
// or the Sequence (§9.4). The Semantics switches select the alternatives of the spec's
// interpretations (§13), so a test can say when its verdict depends on one (see interpretations.ts).
import type { CompiledRule, Signal } from './model';

export interface Semantics {
  /**
   * A1: the window ends at the latest signal of the test ('latest'); or ('any') it may end at any
   * signal of a present step, with absent signals judged within the lookback of it on either side.
   */
  anchor: 'latest' | 'any';
  /** A2: window and absence-zone boundaries are inclusive. */
  inclusive: boolean;
  /** A3: a transition limit is measured completion→completion, start→start or first→last signal. */
  limit: 'completion' | 'start' | 'first-to-last';
  /** A5: an absent entry counts as "happened" only with MinMatchCount signals (false: one is enough). */
  absentMin: boolean;
  /** A6: MaxMatchCount applies. */
  maxCount: boolean;
  /** A7: the Group-level MinMatchCount applies (false: every present entry is needed). */
  groupMin: boolean;
  /** A8: ReverseChronological reverses the Sequence's time order. */
  reverse: boolean;
  /** A10: a signal joins only through its entry's join paths (false: through any field). */
  keyedJoin: boolean;
  /** A4: absent Sequence steps left out of the evaluation (to see whether their zone decided). */
  ignoreAbsent?: ReadonlySet<number>;
}

export const DEFAULT_SEMANTICS: Semantics = { anchor: 'latest', inclusive: true, limit: 'completion', absentMin: true, maxCount: true, groupMin: true, reverse: true, keyedJoin: true };

/** Thrown when a test is too large to search (hostile or generated input): reported, never a silent verdict. */
export class TooLargeError extends Error {}

/** Work units (signals looked at, span choices tried) one verdict may take. */
export const SEARCH_BUDGET = 2_000_000;

export function evaluate(rule: CompiledRule, signals: Signal[], sem: Semantics = DEFAULT_SEMANTICS, limit = SEARCH_BUDGET): boolean {
  if (!signals.length) return false;
  const budget = { left: limit };
  const L = rule.lookbackMs;
  const inWindow = (t: number, end: number) => (sem.inclusive ? end - t <= L : end - t < L) && t <= end;
  if (sem.anchor === 'latest') {
    let T = -Infinity;
    for (const s of signals) if (s.t > T) T = s.t;
    return holds(rule, signals.filter((s) => inWindow(s.t, T)), sem, budget);
  }
  const absent = (x: Signal) => rule.steps[x.step].absent;
  const ends = [...new Set(signals.filter((x) => !absent(x)).map((x) => x.t))].sort((a, b) => b - a);
  return ends.some((end) => holds(rule, signals.filter((x) => inWindow(x.t, end) || (absent(x) && inWindow(end, x.t))), sem, budget));
}

/** Sorted timestamps per step for one correlation value. */
type Times = number[][];

function holds(rule: CompiledRule, window: Signal[], sem: Semantics, budget: { left: number }): boolean {
  spend(budget, window.length);
  const n = rule.steps.length;
  const joined = rule.joinPaths.map((p) => p.length > 0);
  // The value a signal can join with: every join path of its entry carries the same value (§9.2).
  const valueOf = (s: Signal): string | undefined => {
    const paths = rule.joinPaths[s.step];
    let v: string | undefined;
    for (const p of paths) {
      const x = s.fields.get(p);
      if (x === undefined || (v !== undefined && x !== v)) {
        v = undefined;
        break;
      }
      v = x;
    }
    if (v === undefined && !sem.keyedJoin && !paths.some((p) => s.fields.has(p))) {
      const vs = new Set(s.fields.values());
      if (vs.size === 1) v = [...vs][0];
    }
    return v;
  };
  const free: Times = Array.from({ length: n }, () => []);
  const byValue = new Map<string, Times>();
  const candidates = new Set<string>();
  for (const s of window) {
    if (!joined[s.step]) {
      free[s.step].push(s.t);
      continue;
    }
    const present = !rule.steps[s.step].absent;
    if (present) for (const p of rule.joinPaths[s.step]) if (s.fields.has(p)) candidates.add(s.fields.get(p)!);
    const v = valueOf(s);
    if (v === undefined) continue;
    if (present) candidates.add(v);
    let t = byValue.get(v);
    if (!t) byValue.set(v, (t = Array.from({ length: n }, () => [])));
    t[s.step].push(s.t);
  }
  const sort = (t: Times) => t.forEach((x) => x.sort((a, b) => a - b));
  sort(free);
  const check = (K: Times) => (rule.form === 'Group' ? groupHolds(rule, K, sem) : sequenceHolds(rule, K, sem, budget));
  if (!joined.some(Boolean)) return check(free);
  for (const v of candidates) {
    spend(budget, n);
    const own = byValue.get(v);
    if (own) sort(own);
    const K = free.map((f, i) => (joined[i] ? own?.[i] ?? [] : f));
    if (check(K)) return true;
  }
  return false;
}

function spend(budget: { left: number }, units: number): void {
  budget.left -= units;
  if (budget.left < 0) throw new TooLargeError('too many signals to evaluate');
}

function absentThreshold(min: number, sem: Semantics): number {
  return sem.absentMin ? min : 1;
}

/** §9.3 */
function groupHolds(rule: CompiledRule, K: Times, sem: Semantics): boolean {
  let satisfied = 0;
  let present = 0;
  for (const s of rule.steps) {
    const c = K[s.index].length;
    if (s.absent) {
      if (c >= absentThreshold(s.min, sem)) return false;
      continue;
    }
    present++;
    if (c >= s.min && (!sem.maxCount || s.max === undefined || c <= s.max)) satisfied++;
  }
  const need = sem.groupMin && rule.groupMin !== undefined ? rule.groupMin : present;
  return satisfied >= need;
}

/** Number of sorted times in [lo, hi] (or (lo, hi) when the boundaries are exclusive). */
function countIn(times: number[], lo: number, hi: number, inclusive: boolean): number {
  const first = inclusive ? lowerBound(times, lo) : upperBound(times, lo);
  const end = inclusive ? upperBound(times, hi) : lowerBound(times, hi);
  return Math.max(0, end - first);
}
function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (a[m] < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}
function upperBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (a[m] <= x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

interface Span {
  lo: number;
  hi: number;
}

/**
 * All spans [lo, hi] of a step (§9.4.1): the earliest and latest of `min` chosen signals. So at least
 * `min` occurrences lie in [lo, hi], and lo < hi needs min ≥ 2 (one signal has lo = hi).
 */
function spansOf(times: number[], min: number, budget: { left: number }): Span[] {
  const distinct: number[] = [];
  const before: number[] = []; // occurrences strictly before distinct[i]
  times.forEach((t, i) => {
    if (!distinct.length || distinct[distinct.length - 1] !== t) {
      distinct.push(t);
      before.push(i);
    }
  });
  before.push(times.length);
  const out: Span[] = [];
  for (let j = 0; j < distinct.length; j++)
    for (let i = min > 1 ? 0 : j; i <= j; i++)
      if (before[j + 1] - before[i] >= min) {
        spend(budget, 1);
        out.push({ lo: distinct[i], hi: distinct[j] });
      }
  return out;
}

/** §9.4: is there a choice of one span per present step that meets order, transitions and absences? */
function sequenceHolds(rule: CompiledRule, K: Times, sem: Semantics, budget: { left: number }): boolean {
  const order = sem.reverse || !rule.reverse ? rule.timeOrder : [...rule.timeOrder].reverse();
  const pos = new Map(order.map((idx, p) => [idx, p]));
  const P = order.filter((i) => !rule.steps[i].absent); // present steps, time order
  if (sem.maxCount && P.some((i) => rule.steps[i].max !== undefined && K[i].length > rule.steps[i].max!)) return false;
  const L = rule.lookbackMs;
  const within = (a: number, b: number): number | undefined => {
    const t = rule.transitions.find((x) => (x.early === a && x.late === b) || (x.early === b && x.late === a));
    return t ? t.withinMs ?? L : undefined;
  };
  // limits between present steps, by index in P of the later step
  const limits: Array<Array<{ j: number; w: number }>> = P.map(() => []);
  for (let y = 0; y < P.length; y++)
    for (let x = 0; x < y; x++) {
      const w = within(P[x], P[y]);
      if (w !== undefined) limits[y].push({ j: x, w });
    }
  // absent steps grouped by the gap they sit in: gap g lies before P[g] (g = P.length: after the last)
  const gaps: Array<Array<{ a: number; wPrev: number; wNext: number; min: number }>> = Array.from({ length: P.length + 1 }, () => []);
  for (const a of order) {
    const s = rule.steps[a];
    if (!s.absent || sem.ignoreAbsent?.has(a)) continue;
    const g = P.findIndex((p) => pos.get(p)! > pos.get(a)!);
    const gap = g === -1 ? P.length : g;
    gaps[gap].push({ a, wPrev: gap > 0 ? within(P[gap - 1], a) ?? L : L, wNext: gap < P.length ? within(a, P[gap]) ?? L : L, min: absentThreshold(s.min, sem) });
  }
  const spans = P.map((i) => spansOf(K[i], rule.steps[i].min, budget));
  if (spans.some((s) => !s.length)) return false;
  // steps whose span later steps still need (non-adjacent transitions): part of the memo key
  const neededAfter = P.map((_, x) => limits.some((l, y) => y > x + 1 && l.some((e) => e.j === x)));
  const chosen: number[] = [];
  const failed = new Set<string>();
  const gapOk = (g: number, prev: Span | undefined, next: Span | undefined): boolean => {
    for (const z of gaps[g]) {
      let lo = -Infinity;
      let hi = Infinity;
      if (prev) {
        lo = prev.hi;
        hi = prev.hi + z.wPrev;
      }
      if (next) {
        hi = Math.min(hi, next.lo);
        lo = Math.max(lo, next.lo - z.wNext);
      }
      if (lo <= hi && countIn(K[z.a], lo, hi, sem.inclusive) >= z.min) return false;
    }
    return true;
  };
  const limitOk = (early: Span, late: Span, w: number): boolean => {
    if (sem.limit === 'start') return late.lo - early.lo <= w;
    if (sem.limit === 'first-to-last') return late.hi - early.lo <= w;
    return late.hi - early.hi <= w;
  };
  const search = (y: number): boolean => {
    if (y === P.length) return gapOk(P.length, y ? spans[y - 1][chosen[y - 1]] : undefined, undefined);
    const prev = y ? spans[y - 1][chosen[y - 1]] : undefined;
    for (let c = 0; c < spans[y].length; c++) {
      spend(budget, 1);
      const span = spans[y][c];
      if (prev && prev.hi > span.lo) continue;
      if (!limits[y].every((l) => limitOk(spans[l.j][chosen[l.j]], span, l.w))) continue;
      if (!gapOk(y, prev, span)) continue;
      chosen[y] = c;
      let key = `${y}:${c}`;
      for (let x = 0; x < y; x++) if (neededAfter[x]) key += `,${chosen[x]}`;
      if (failed.has(key)) continue;
      if (search(y + 1)) return true;
      failed.add(key);
    }
    return false;
  };
  return search(0);
}
