// One analysis file's match-expression keys, validated and compiled once (cached per parsed spec
// and option set): Detection, InlineFilters, DynamicSeverities, AlertTitle, AlertContext, GroupBy.
import type { Item, RawFinding } from '../../../core/types';
import { compileAlertContext, compileGroupBy, compileSeverities, compileTitle, type DynamicSeverity } from './alert';
import type { Pred } from './combinators';
import { compileExpressionList, type CompileContext } from './compile';
import { Diagnostics, WARNING_CODE, type Path } from './diagnostics';
import { optionsKey, resolveOptions, type SimpleOptions } from './options';

/** A compiled part: its closure, or the first error that made it invalid. */
export type Part<T> = { ok: true; value: T } | { ok: false; error: string };

export interface CompiledRule {
  /** Findings of validation (schema/match-expression and schema/match-expression-warning). */
  findings: RawFinding[];
  detection?: Part<Pred>;
  filters?: Part<Pred>;
  severities?: Part<DynamicSeverity[]>;
  title?: Part<(ev: unknown) => string>;
  context?: Part<(ev: unknown) => Record<string, unknown>>;
  groupBy?: Part<(ev: unknown) => string>;
  /** Paths of expressions (in Detection, InlineFilters, DynamicSeverities) that read enrichment data. */
  enrichment: Path[];
}

export const SIMPLE_KEYS = ['Detection', 'InlineFilters', 'DynamicSeverities', 'AlertTitle', 'AlertContext', 'GroupBy'] as const;

const EMPTY: CompiledRule = Object.freeze({ findings: [], enrichment: [] }) as CompiledRule;
const cache = new WeakMap<object, Map<string, CompiledRule>>();

/** A file is a simple detection when it has a non-null Detection and is neither a correlation rule nor a policy (§1). */
export function isSimpleDetection(item: Item): boolean {
  const d = item.spec?.Detection;
  return d !== undefined && d !== null && item.kind !== 'correlation_rule' && item.kind !== 'policy';
}

/** Kinds whose match-expression keys are ours to validate (correlation rules' Detection is another grammar). */
function inScope(item: Item): boolean {
  return item.kind === 'rule' || item.kind === 'scheduled_rule';
}

function hasAnyKey(spec: Record<string, unknown>): boolean {
  for (const k of SIMPLE_KEYS) if (spec[k] !== undefined && spec[k] !== null) return true;
  return false;
}

/** Validates and compiles every match-expression key of the item, once per spec object and option set. */
export function compileDetection(item: Item, opts?: SimpleOptions): CompiledRule {
  const spec = item.spec;
  if (!spec || typeof spec !== 'object' || !inScope(item) || !hasAnyKey(spec)) return EMPTY;
  const o = resolveOptions(opts);
  const key = optionsKey(o);
  let byOpts = cache.get(spec);
  if (!byOpts) cache.set(spec, (byOpts = new Map()));
  const hit = byOpts.get(key);
  if (hit) return hit;

  const diag = new Diagnostics(item);
  const enrichment: Path[] = [];
  const cx = (filter: boolean): CompileContext => ({
    diag,
    filter,
    ci: o.caseInsensitiveKeys && !filter,
    filterMissingPasses: o.filterMissingPasses,
    allowHas: o.allowHas,
    enrichment,
  });
  const part = <T>(fn: () => T | null): Part<T> => {
    const before = diag.findings.length;
    const v = fn();
    if (v !== null) return { ok: true, value: v };
    const f = diag.findings.slice(before).find((x) => x.code !== WARNING_CODE);
    return { ok: false, error: f ? `line ${f.line}: ${f.message}` : 'invalid' };
  };
  const ci = o.caseInsensitiveKeys;
  const out: CompiledRule = { findings: diag.findings, enrichment };
  const present = (k: string) => spec[k] !== undefined && spec[k] !== null;

  if (present('Detection')) out.detection = part(() => compileExpressionList(spec.Detection, ['Detection'], cx(false), 'Detection'));
  if (present('InlineFilters')) out.filters = part(() => compileExpressionList(spec.InlineFilters, ['InlineFilters'], cx(true), 'InlineFilters'));
  if (present('DynamicSeverities')) out.severities = part(() => compileSeverities(spec.DynamicSeverities, ['DynamicSeverities'], cx(false)));
  if (present('AlertTitle')) out.title = part(() => compileTitle(spec.AlertTitle, ['AlertTitle'], diag, ci));
  if (present('AlertContext')) out.context = part(() => compileAlertContext(spec.AlertContext, ['AlertContext'], diag, ci));
  if (present('GroupBy')) out.groupBy = part(() => compileGroupBy(spec.GroupBy, ['GroupBy'], diag, ci));

  if (Array.isArray(spec.Detection) && spec.Detection.length === 0)
    diag.warn(['Detection'], 'Detection is an empty list, so the rule matches every event', { hint: 'add match expressions, or write {Condition: AlwaysTrue} to make it explicit' });

  byOpts.set(key, out);
  return out;
}

/**
 * Validates every match expression of a rule or scheduled rule (Detection, InlineFilters,
 * DynamicSeverities, AlertTitle, AlertContext, GroupBy): one finding per problem, at its exact line.
 * Returns [] at once for files with none of these keys.
 */
export function validateSimpleExpressions(item: Item, opts?: SimpleOptions): RawFinding[] {
  const c = compileDetection(item, opts);
  if (!c.findings.length) return [];
  return c.findings.map((f) => ({ ...f })).sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
}
