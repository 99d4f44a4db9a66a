// What changed since the previous audit, from two snapshots: new and fixed failures, techniques whose
// coverage was gained or lost, detections added, removed, disabled or enabled. "Regressed" (what may
// reopen a closed audit issue) is any new failure, lost technique, removed or newly disabled detection.
import type { Snapshot } from './snapshot';

export interface Trend {
  /** When the previous audit ran, and its commit. */
  since: string;
  sinceSha?: string;
  newFailures: string[];
  fixedFailures: string[];
  coverageGained: string[];
  coverageLost: string[];
  added: string[];
  removed: string[];
  disabled: string[];
  enabled: string[];
  regressed: boolean;
}

export function compareSnapshots(previous: Snapshot, current: Snapshot): Trend {
  const minus = (a: Iterable<string>, b: Iterable<string>) => {
    const drop = new Set(b);
    return [...new Set(a)].filter((x) => !drop.has(x)).sort();
  };
  const has = (snap: Snapshot, id: string) => Object.prototype.hasOwnProperty.call(snap.detections, id);
  const prevIds = Object.keys(previous.detections);
  const curIds = Object.keys(current.detections);
  const both = curIds.filter((id) => has(previous, id));
  const isOn = (snap: Snapshot, id: string) => snap.detections[id].includes('e');
  const trend: Trend = {
    since: previous.at,
    newFailures: minus(current.failures, previous.failures),
    fixedFailures: minus(previous.failures, current.failures),
    coverageGained: minus(current.covered, previous.covered),
    coverageLost: minus(previous.covered, current.covered),
    added: minus(curIds, prevIds),
    removed: minus(prevIds, curIds),
    disabled: both.filter((id) => isOn(previous, id) && !isOn(current, id)).sort(),
    enabled: both.filter((id) => !isOn(previous, id) && isOn(current, id)).sort(),
    regressed: false,
  };
  if (previous.sha) trend.sinceSha = previous.sha;
  trend.regressed = trend.newFailures.length + trend.coverageLost.length + trend.removed.length + trend.disabled.length > 0;
  return trend;
}

/** Whether a trend has anything to say. */
export function isQuiet(t: Trend): boolean {
  return [t.newFailures, t.fixedFailures, t.coverageGained, t.coverageLost, t.added, t.removed, t.disabled, t.enabled].every((l) => l.length === 0);
}
