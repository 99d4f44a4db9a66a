// pat's --minimum-tests (spec §6.7) as a validation check: it reads the Tests of each detection's YAML,
// so it needs no Python and holds for every detection kind (simple detections and correlation rules
// too), with or without --no-tests.
import type { Item, RawFinding } from '../../core/types';
import type { RunOptions } from '../../core/options';
import { DETECTION_KINDS } from './kinds';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: Obj, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** test/insufficient findings for the detections in `toRun`; `all` resolves derived rules' bases. */
export function checkTestCoverage(toRun: Item[], all: Item[], options: Pick<RunOptions, 'minimumTests' | 'skipDisabled'>): RawFinding[] {
  const n = options.minimumTests;
  if (!n || n <= 0) return [];
  const byRuleId = new Map<string, Item>();
  for (const item of all) if (DETECTION_KINDS.has(String(item.kind)) && item.id !== undefined && !byRuleId.has(item.id)) byRuleId.set(item.id, item);
  const out: RawFinding[] = [];
  for (const item of toRun) {
    if (!DETECTION_KINDS.has(String(item.kind)) || !item.valid) continue;
    if (options.skipDisabled && !item.spec.Enabled) continue; // skipped detections are not checked (as pat)
    // A derived rule without its own Tests runs its base's tests; with the base unknown there is nothing to count.
    let owner = item;
    const base = item.spec.BaseDetection;
    if (typeof base === 'string' && base !== '' && !has(item.spec, 'Tests')) {
      const found = byRuleId.get(base);
      if (!found) continue;
      owner = found;
    }
    out.push(...insufficient(owner, item, n));
  }
  return out;
}

function insufficient(owner: Item, item: Item, n: number): RawFinding[] {
  const id = item.id ?? String(item.spec[item.idKey] ?? item.file);
  const hasKey = has(owner.spec, 'Tests');
  const tests: unknown[] = Array.isArray(owner.spec.Tests) ? owner.spec.Tests : [];
  const line = hasKey ? owner.positions.keyAt(['Tests']).line : item.positions.keyAt([item.idKey]).line;
  const file = hasKey ? owner.file : item.file;
  const out: RawFinding[] = [];
  if (tests.length < n)
    out.push({
      code: 'test/insufficient',
      file,
      line,
      itemId: id,
      message: `${id}: Insufficient test coverage: ${n} tests required but only ${tests.length} found (--minimum-tests ${n})`,
    });
  if (hasKey && n > 1) {
    const pos = tests.some((t) => isObj(t) && !!t.ExpectedResult);
    const neg = tests.some((t) => isObj(t) && !t.ExpectedResult);
    if (!(pos && neg))
      out.push({
        code: 'test/insufficient',
        file,
        line,
        itemId: id,
        message: `${id}: Insufficient test coverage: expected at least one positive and one negative test (--minimum-tests ${n}); add a test with ExpectedResult: ${pos ? 'false' : 'true'}`,
      });
  }
  return out;
}
