// Schema stage for Panther analysis files: pat's verdicts (spec §3–§5), one finding per violation.
import type { Item, RawFinding } from '../../../core/types';
import { ANALYSIS_TYPES, isKnownAnalysisType } from '../kinds';
import { Reporter } from './report';
import { checkDedupPeriod, checkSetFields, VARIANT_RULES } from './rules';
import { QUERY_KEYS, SCHEMAS, topLevelKeys, type Variant } from './schemas';
import { isMapping, pyTruthy } from './values';

export type { Variant } from './schemas';
export { topLevelKeys } from './schemas';

const TOP_KEYS = new Map<Variant, ReadonlySet<string>>();
function allowedTopKeys(variant: Variant): ReadonlySet<string> {
  let keys = TOP_KEYS.get(variant);
  if (!keys) TOP_KEYS.set(variant, (keys = new Set(topLevelKeys(variant))));
  return keys;
}

/**
 * Which schema pat applies (spec §3): the derived schema whenever BaseDetection is truthy,
 * the SQL lookup-table schema when a lookup table has a query key, else the AnalysisType's own.
 */
export function schemaVariant(spec: Record<string, unknown>): Variant | undefined {
  const type = spec.AnalysisType;
  if (!isKnownAnalysisType(type)) return undefined;
  if (pyTruthy(spec.BaseDetection)) return 'derived';
  if (type === 'lookup_table' && QUERY_KEYS.some((k) => Object.prototype.hasOwnProperty.call(spec, k))) return 'lookup_table_sql';
  return type as Variant;
}

export function validatePantherItem(item: Item): RawFinding[] {
  const spec = item.spec;
  if (!isMapping(spec)) return [];
  const variant = schemaVariant(spec);
  if (!variant) {
    const rep = new Reporter(item, 'rule');
    rep.invalidChoice(['AnalysisType'], ANALYSIS_TYPES, spec.AnalysisType);
    return rep.finish();
  }
  const rep = new Reporter(item, variant);
  rep.check(SCHEMAS[variant], []);
  VARIANT_RULES[variant]?.(rep);
  const allowed = allowedTopKeys(variant);
  checkSetFields(rep, allowed);
  if (allowed.has('DedupPeriodMinutes')) checkDedupPeriod(rep);
  return rep.finish();
}
