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

/** The trend's lists in reading order, each with its label and whether growing it is bad (a regression) or good. */
export function trendGroups(t: Trend): Array<{ label: string; ids: string[]; tone: 'bad' | 'good' | 'neutral' }> {
  return [
    { label: 'new failures', ids: t.newFailures, tone: 'bad' },
    { label: 'fixed failures', ids: t.fixedFailures, tone: 'good' },
    { label: 'coverage gained', ids: t.coverageGained, tone: 'good' },
    { label: 'coverage lost', ids: t.coverageLost, tone: 'bad' },
    { label: 'detections added', ids: t.added, tone: 'neutral' },
    { label: 'detections removed', ids: t.removed, tone: 'bad' },
    { label: 'detections disabled', ids: t.disabled, tone: 'bad' },
    { label: 'detections enabled', ids: t.enabled, tone: 'neutral' },
  ];
}

/** Whether a trend has anything to say. */
export function isQuiet(t: Trend): boolean {
  return trendGroups(t).every((g) => g.ids.length === 0);
}
