// Interpretation flags of the simple-detection evaluator (spec §16). Defaults follow pat's engine;
// each flag switches one documented alternative on.

export interface SimpleOptions {
  /**
   * A1: in Detection, DynamicSeverities, AlertTitle, AlertContext and GroupBy, a key that is not
   * found exactly is looked up case-insensitively (as Python rules see a PantherEvent).
   * InlineFilters stay exact-case. Default false: exact-case everywhere.
   */
  caseInsensitiveKeys?: boolean;
  /**
   * A3: the documented InlineFilters behaviour: a filter on a field the event lacks passes
   * (a field that is present with null still fails positive comparators). Default false: like pat's
   * engine, a missing field is treated as null.
   */
  filterMissingPasses?: boolean;
  /** §6.10 / A13: accept the prototype names Has / DoesNotHave as Contains / DoesNotContain, with a warning. */
  allowHas?: boolean;
}

let defaults: Required<SimpleOptions> = { caseInsensitiveKeys: false, filterMissingPasses: false, allowHas: false };

/** Sets the flags used when a call passes none (the front ends call this once from their options). */
export function setSimpleOptions(opts: SimpleOptions): void {
  defaults = { ...defaults, ...definedOnly(opts) };
}

export function getSimpleOptions(): Readonly<Required<SimpleOptions>> {
  return defaults;
}

export function resolveOptions(opts?: SimpleOptions): Required<SimpleOptions> {
  return opts ? { ...defaults, ...definedOnly(opts) } : defaults;
}

export function optionsKey(o: Required<SimpleOptions>): string {
  return `${+o.caseInsensitiveKeys}${+o.filterMissingPasses}${+o.allowHas}`;
}

function definedOnly(o: SimpleOptions): SimpleOptions {
  const out: SimpleOptions = {};
  if (o.caseInsensitiveKeys !== undefined) out.caseInsensitiveKeys = o.caseInsensitiveKeys;
  if (o.filterMissingPasses !== undefined) out.filterMissingPasses = o.filterMissingPasses;
  if (o.allowHas !== undefined) out.allowHas = o.allowHas;
  return out;
}
