// Validates a correlation rule's Detection and compiles it for the evaluator (spec §4–§7, §11).
// Shape errors (wrong types, unknown keys) are the schema stage's (src/formats/panther/schema);
// they are recorded here as `covered` so the rule is not evaluated, without a second finding.
import type { PathStep } from '../../../core/types';
import { hasKey, isJsonInt, isMapping, quote, toNumber } from '../schema/values';
import { MINUTE_MS, type CompiledRule, type Problem, type Step, type Transition } from './model';

export const DEFAULT_LOOKBACK_MINUTES = 15;

export interface Compiled {
  /** Present only when the rule has no error (a rule with an error runs no test, §10). */
  rule?: CompiledRule;
  problems: Problem[];
}

export function compileCorrelation(spec: Record<string, unknown>): Compiled {
  const problems: Problem[] = [];
  const add = (p: Problem) => problems.push(p);
  const covered = (path: PathStep[], message: string) => add({ code: 'correlation/unsupported', spec: 'E', path, message, covered: true });
  const result = (): Compiled => (problems.some((p) => !p.spec.startsWith('W')) ? { problems } : { rule: rule as CompiledRule, problems });
  let rule: CompiledRule | undefined;

  const det = spec.Detection;
  if (!Array.isArray(det)) {
    covered(['Detection'], 'Detection must be a list');
    return { problems };
  }
  if (det.length !== 1) {
    add({
      code: 'correlation/unsupported',
      spec: 'E2',
      path: det.length ? ['Detection', 1] : ['Detection'],
      message: det.length
        ? `Detection has ${det.length} items; a correlation rule is evaluated with exactly one (pat reads only the first, and how the backend treats more is not documented)`
        : 'Detection is empty: a correlation rule needs one item with a Sequence or a Group',
      hint: det.length ? 'put each Sequence or Group in a correlation rule of its own' : 'add a Group or Sequence of the rules to correlate',
    });
    return { problems };
  }
  const base: PathStep[] = ['Detection', 0];
  const item = det[0];
  if (!isMapping(item)) {
    covered(base, 'the Detection item must be a mapping');
    return { problems };
  }
  const isSeq = hasKey(item, 'Sequence');
  if (isSeq === hasKey(item, 'Group')) {
    covered(base, 'the Detection item needs exactly one of Sequence and Group');
    return { problems };
  }
  const form = isSeq ? 'Sequence' : 'Group';
  const allowed = isSeq
    ? ['Sequence', 'Transitions', 'LookbackWindowMinutes', 'Schedule', 'EventEvaluationOrder']
    : ['Group', 'MatchCriteria', 'MinMatchCount', 'LookbackWindowMinutes', 'Schedule', 'EventEvaluationOrder'];
  for (const k of Object.keys(item)) if (!allowed.includes(k)) covered([...base, k], `${k} is not allowed in a ${form}`);

  schedule(item.Schedule, [...base, 'Schedule'], add, covered);

  // ---- LookbackWindowMinutes (§4.2) and EventEvaluationOrder (§4.3)
  let lookback = DEFAULT_LOOKBACK_MINUTES;
  if (hasKey(item, 'LookbackWindowMinutes')) {
    const v = item.LookbackWindowMinutes;
    if (!isJsonInt(v)) covered([...base, 'LookbackWindowMinutes'], 'LookbackWindowMinutes must be an integer');
    else if (toNumber(v) < 1)
      add({
        code: 'correlation/impossible-window',
        spec: 'E13',
        path: [...base, 'LookbackWindowMinutes'],
        message: `LookbackWindowMinutes is ${toNumber(v)}: a window of less than one minute holds no signals, so the rule can never match`,
        hint: 'give the number of minutes each run looks back (15 when omitted)',
      });
    else lookback = toNumber(v);
  }
  let reverse = false;
  if (hasKey(item, 'EventEvaluationOrder')) {
    const v = item.EventEvaluationOrder;
    if (v !== 'Chronological' && v !== 'ReverseChronological') covered([...base, 'EventEvaluationOrder'], 'EventEvaluationOrder is not Chronological or ReverseChronological');
    else if (!isSeq)
      add({
        code: 'correlation/doubtful',
        spec: 'W11',
        path: [...base, 'EventEvaluationOrder'],
        message: 'EventEvaluationOrder has no effect on a Group (its entries match in any order)',
        hint: 'remove it, or use a Sequence if the order matters',
      });
    else reverse = v === 'ReverseChronological';
  }

  // ---- entries (§5)
  const list = item[form];
  const steps: Step[] = [];
  if (!Array.isArray(list)) {
    covered([...base, form], `${form} must be a list`);
    return { problems };
  }
  if (list.length === 0) {
    add({ code: 'correlation/invalid-step', spec: 'E6', path: [...base, form], message: `${form} is empty: list the rules to correlate`, hint: 'add entries such as {ID: Login, RuleID: Some.Rule}' });
    return { problems };
  }
  const seen = new Map<string, Step>();
  list.forEach((e, i) => {
    const p: PathStep[] = [...base, form, i];
    if (!isMapping(e)) return covered(p, 'an entry must be a mapping');
    const ruleId = e.RuleID;
    if (typeof ruleId !== 'string') return covered([...p, 'RuleID'], 'RuleID must be a string');
    if (ruleId.trim() === '')
      return add({ code: 'correlation/invalid-step', spec: 'E6', path: [...p, 'RuleID'], message: 'RuleID is empty: name the rule whose signals this entry consumes' });
    let id = ruleId;
    let defaultedId = false;
    if (!hasKey(e, 'ID')) {
      defaultedId = true;
      add({
        code: 'correlation/doubtful',
        spec: 'W1',
        path: p,
        message: `this entry has no ID, so its RuleID ${quote(ruleId)} is used as its ID (tests must name it so in RuleOutputs)`,
        hint: 'add ID: a short name for the step',
      });
    } else if (typeof e.ID !== 'string') return covered([...p, 'ID'], 'ID must be a string');
    else if (e.ID === '') return add({ code: 'correlation/invalid-step', spec: 'E6', path: [...p, 'ID'], message: 'ID is empty: Transitions, MatchCriteria and test RuleOutputs refer to the entry by its ID' });
    else id = e.ID;
    if (hasKey(e, 'Absence') && typeof e.Absence !== 'boolean') return covered([...p, 'Absence'], 'Absence must be true or false');
    const absent = e.Absence === true;
    let min = 1;
    let max: number | undefined;
    if (hasKey(e, 'MinMatchCount')) {
      if (!isJsonInt(e.MinMatchCount)) return covered([...p, 'MinMatchCount'], 'MinMatchCount must be an integer');
      min = toNumber(e.MinMatchCount);
      if (min < 1)
        add({ code: 'correlation/count', spec: 'E8', path: [...p, 'MinMatchCount'], message: `MinMatchCount is ${min}; it must be at least 1 (the number of signals the entry needs)` });
    }
    if (hasKey(e, 'MaxMatchCount')) {
      if (!isJsonInt(e.MaxMatchCount)) return covered([...p, 'MaxMatchCount'], 'MaxMatchCount must be an integer');
      max = toNumber(e.MaxMatchCount);
      if (absent) {
        add({ code: 'correlation/doubtful', spec: 'W4', path: [...p, 'MaxMatchCount'], message: 'MaxMatchCount on an absent entry is ignored (only MinMatchCount says how many signals count as "it happened")' });
        max = undefined;
      } else if (max < min)
        add({ code: 'correlation/count', spec: 'E8', path: [...p, 'MaxMatchCount'], message: `MaxMatchCount ${max} is below MinMatchCount ${min}, so no number of signals satisfies the entry` });
    }
    const step: Step = { id, ruleId, absent, min, max, index: i, path: p, defaultedId };
    const dup = seen.get(id);
    if (dup) {
      add({
        code: 'correlation/invalid-step',
        spec: 'E7',
        path: defaultedId ? p : [...p, 'ID'],
        message: `two entries have the ID ${quote(id)} (the other is entry ${dup.index + 1}); Transitions, MatchCriteria and RuleOutputs could not tell them apart`,
        hint: 'give each entry its own ID',
      });
      return;
    }
    seen.set(id, step);
    steps.push(step);
  });
  if (steps.length !== list.length) return result();
  if (steps.every((s) => s.absent))
    add({ code: 'correlation/absence', spec: 'E9', path: [...base, form], message: `every entry of this ${form} has Absence: true; at least one must be a rule that happens`, hint: 'set Absence: false (or remove it) on the entry that must occur' });

  const byId = new Map(steps.map((s) => [s.id, s]));
  const joinPaths: string[][] = steps.map(() => []);
  const addJoin = (s: Step, path: string) => {
    if (!joinPaths[s.index].includes(path)) joinPaths[s.index].push(path);
  };
  const known = () => steps.map((s) => quote(s.id)).join(', ');
  const timeOrder = steps.map((s) => s.index);
  if (reverse) timeOrder.reverse();
  const lookbackMs = lookback * MINUTE_MS;
  const transitions: Transition[] = [];
  let groupMin: number | undefined;

  if (!isSeq) {
    // ---- MatchCriteria (§6.1)
    if (hasKey(item, 'MatchCriteria')) {
      const mc = item.MatchCriteria;
      if (!isMapping(mc)) covered([...base, 'MatchCriteria'], 'MatchCriteria must be a mapping');
      else
        for (const [key, entries] of Object.entries(mc)) {
          const kp: PathStep[] = [...base, 'MatchCriteria', key];
          if (!Array.isArray(entries)) {
            covered(kp, 'a MatchCriteria key takes a list of {GroupID, Match}');
            continue;
          }
          const named = new Set<Step>();
          let ok = true;
          entries.forEach((m, j) => {
            const mp: PathStep[] = [...kp, j];
            if (!isMapping(m) || typeof m.GroupID !== 'string' || typeof m.Match !== 'string' || Object.keys(m).some((k) => k !== 'GroupID' && k !== 'Match')) {
              ok = false;
              return covered(mp, 'a MatchCriteria item is exactly {GroupID, Match}');
            }
            if (m.Match === '') {
              ok = false;
              return add({ code: 'correlation/match-criteria', spec: 'E11', path: [...mp, 'Match'], message: 'Match is empty: give the field path whose value this entry contributes to the join' });
            }
            const s = byId.get(m.GroupID);
            if (!s) {
              ok = false;
              return add({
                code: 'correlation/unknown-step',
                spec: 'E11',
                path: [...mp, 'GroupID'],
                at: 'value',
                message: `GroupID ${quote(m.GroupID)} names no entry of this Group (IDs are exact, case and spaces included: ${known()})`,
              });
            }
            named.add(s);
            addJoin(s, m.Match);
          });
          if (!ok) continue;
          if (named.size && [...named].every((s) => s.absent))
            add({
              code: 'correlation/absence',
              spec: 'E11',
              path: kp,
              message: `MatchCriteria key ${quote(key)} joins only absent entries; a join needs a value from an entry that happens`,
              hint: 'add the present entry and the field that carries the value',
            });
          else if (named.size < 2)
            add({
              code: 'correlation/doubtful',
              spec: 'W5',
              path: kp,
              message: `MatchCriteria key ${quote(key)} names ${named.size ? 'only one entry' : 'no entry'}, so it joins nothing with another entry`,
            });
        }
    }
    // ---- group-level MinMatchCount (§6.2)
    if (hasKey(item, 'MinMatchCount')) {
      const v = item.MinMatchCount;
      const present = steps.filter((s) => !s.absent).length;
      if (!isJsonInt(v)) covered([...base, 'MinMatchCount'], 'MinMatchCount must be an integer');
      else if (toNumber(v) < 1 || toNumber(v) > present)
        add({
          code: 'correlation/count',
          spec: 'E12',
          path: [...base, 'MinMatchCount'],
          message: `the Group's MinMatchCount is ${toNumber(v)}; it counts the entries (not absent ones) that must match, so it must be between 1 and ${present}`,
        });
      else groupMin = toNumber(v);
    }
  } else if (hasKey(item, 'Transitions')) {
    // ---- Transitions (§7)
    const ts = item.Transitions;
    const posOf = new Map(timeOrder.map((idx, pos) => [idx, pos]));
    const neighbours = (s: Step): Step[] => {
      const pos = posOf.get(s.index)!;
      const out: Step[] = [];
      for (let q = pos - 1; q >= 0; q--) if (!steps[timeOrder[q]].absent) { out.push(steps[timeOrder[q]]); break; }
      for (let q = pos + 1; q < timeOrder.length; q++) if (!steps[timeOrder[q]].absent) { out.push(steps[timeOrder[q]]); break; }
      return out;
    };
    const pairs = new Map<string, number>();
    if (!Array.isArray(ts)) covered([...base, 'Transitions'], 'Transitions must be a list');
    else
      ts.forEach((t, i) => {
        const tp: PathStep[] = [...base, 'Transitions', i];
        if (!isMapping(t) || typeof t.From !== 'string' || typeof t.To !== 'string') return covered(tp, 'a transition needs From and To');
        const from = byId.get(t.From);
        const to = byId.get(t.To);
        let bad = false;
        for (const [k, s] of [['From', from], ['To', to]] as const)
          if (!s) {
            bad = true;
            add({
              code: 'correlation/unknown-step',
              spec: 'E10',
              path: [...tp, k],
              at: 'value',
              message: `${k} ${quote(t[k] as string)} names no step of this Sequence (IDs are exact, case and spaces included: ${known()})`,
            });
          }
        if (!from || !to || bad) return;
        if (from === to)
          return add({ code: 'correlation/transition', spec: 'E10', path: [...tp, 'To'], message: `this transition goes from ${quote(from.id)} to itself; a transition links two different steps`, hint: 'to require several signals of one step, use MinMatchCount on it' });
        const pairKey = [from.index, to.index].sort((a, b) => a - b).join(',');
        if (pairs.has(pairKey))
          return add({
            code: 'correlation/transition',
            spec: 'E10',
            path: tp,
            message: `a second transition between ${quote(from.id)} and ${quote(to.id)} (the first is transition ${pairs.get(pairKey)! + 1}); which time limit and join apply would be ambiguous`,
            hint: 'keep one transition per pair of steps',
          });
        pairs.set(pairKey, i);
        if (from.absent && to.absent)
          return add({ code: 'correlation/absence', spec: 'E10', path: tp, message: `this transition links two absent steps (${quote(from.id)}, ${quote(to.id)}); an absent step is timed from the step that happens next to it` });
        for (const [a, other] of [[from, to], [to, from]] as const)
          if (a.absent && !neighbours(a).includes(other)) {
            bad = true;
            add({
              code: 'correlation/absence',
              spec: 'E10',
              path: tp,
              message: `absent step ${quote(a.id)} is linked to ${quote(other.id)}, which is not the nearest step that happens before or after it; its "not within" window is measured from that neighbour`,
              hint: `link ${quote(a.id)} to ${neighbours(a).map((n) => quote(n.id)).join(' or ')}`,
            });
          }
        if (bad) return;
        const [early, late] = posOf.get(from.index)! <= posOf.get(to.index)! ? [from, to] : [to, from];
        if (early !== from)
          add({
            code: 'correlation/doubtful',
            spec: 'W2',
            path: tp,
            message: `this transition is written backwards: ${quote(from.id)} comes after ${quote(to.id)} in the Sequence${reverse ? ' (ReverseChronological)' : ''}; the list order decides which comes first`,
            hint: 'swap From and To (and the sides of Match, if it uses From/To)',
          });
        const tr: Transition = { early: early.index, late: late.index };
        if (hasKey(t, 'WithinTimeFrameMinutes')) {
          const w = t.WithinTimeFrameMinutes;
          if (!isJsonInt(w)) return covered([...tp, 'WithinTimeFrameMinutes'], 'WithinTimeFrameMinutes must be an integer');
          const n = toNumber(w);
          if (n < 1)
            return add({
              code: 'correlation/impossible-window',
              spec: 'E10',
              path: [...tp, 'WithinTimeFrameMinutes'],
              message: `WithinTimeFrameMinutes is ${n}; the time between two steps must be at least one minute`,
            });
          if (n > lookback)
            add({
              code: 'correlation/doubtful',
              spec: 'W3',
              path: [...tp, 'WithinTimeFrameMinutes'],
              message: `WithinTimeFrameMinutes ${n} is longer than LookbackWindowMinutes ${lookback}; steps can never be further apart than the lookback window, so the limit is ${lookback} in effect`,
              hint: `raise LookbackWindowMinutes to at least ${n}, or lower WithinTimeFrameMinutes`,
            });
          tr.withinMs = n * MINUTE_MS;
        }
        if (hasKey(t, 'Match')) {
          const m = t.Match;
          if (!Array.isArray(m) || m.length !== 1 || !isMapping(m[0])) return covered([...tp, 'Match'], 'Match must be a list of exactly one item');
          const mi = m[0];
          const keys = Object.keys(mi).sort().join(',');
          const strs = Object.values(mi).every((v) => typeof v === 'string' && v !== '');
          if (keys === 'On' && strs) {
            addJoin(from, mi.On as string);
            addJoin(to, mi.On as string);
          } else if (keys === 'From,To' && strs) {
            addJoin(from, mi.From as string);
            addJoin(to, mi.To as string);
          } else if (keys.split(',').some((k) => !['On', 'From', 'To'].includes(k))) return covered([...tp, 'Match', 0], 'unknown key in Match');
          else
            return add({
              code: 'correlation/transition',
              spec: 'E10',
              path: [...tp, 'Match', 0],
              message: `Match must be {On: field} (both steps share the field) or {From: field, To: field} (each step its own field), with non-empty field paths; this one has ${keys ? keys.split(',').join(' and ') : 'no key'}${strs ? '' : ' with an empty or non-text path'}`,
            });
        }
        transitions.push(tr);
      });
  }

  rule = { form, steps, timeOrder, reverse, lookbackMs, joinPaths, groupMin, transitions, createAlert: spec.CreateAlert !== false };
  return result();
}

/** §4.1: the shape is the schema's; pat's scheduled-query rules are warnings here (W9). */
function schedule(s: unknown, path: PathStep[], add: (p: Problem) => void, covered: (path: PathStep[], m: string) => void): void {
  if (!isMapping(s) || !hasKey(s, 'TimeoutMinutes')) return covered(path, 'Schedule needs TimeoutMinutes');
  const rate = hasKey(s, 'RateMinutes') && isJsonInt(s.RateMinutes) ? toNumber(s.RateMinutes) : undefined;
  const timeout = isJsonInt(s.TimeoutMinutes) ? toNumber(s.TimeoutMinutes) : undefined;
  const w = (at: PathStep[], message: string) => add({ code: 'correlation/doubtful', spec: 'W9', path: at, message });
  if (hasKey(s, 'RateMinutes') === hasKey(s, 'CronExpression'))
    w(path, `Schedule should have exactly one of RateMinutes and CronExpression (pat requires that of scheduled queries); this one has ${hasKey(s, 'RateMinutes') ? 'both' : 'neither'}`);
  if (rate !== undefined && rate <= 1) w([...path, 'RateMinutes'], `RateMinutes ${rate} is too short; pat requires more than 1 for scheduled queries`);
  if (rate !== undefined && timeout !== undefined && rate < timeout)
    w([...path, 'TimeoutMinutes'], `TimeoutMinutes ${timeout} is longer than RateMinutes ${rate}; a run could still be going when the next starts`);
}
