// Evaluating a compiled simple detection on one event: the detection result (InlineFilters AND
// Detection, §2) and the alert fields (§12–13).
import type { Item } from '../../../core/types';
import { dynamicSeverity, normalizeSeverity, truncate, type SeverityName } from './alert';
import type { Pred } from './combinators';
import type { SimpleOptions } from './options';
import { compileDetection, type CompiledRule } from './rule';
import { isObject, toJson, toPlain } from './values';

/** The alert functions of a simple detection, in pat's report order. */
export type AlertFunction = 'title' | 'severity' | 'dedup' | 'alertContext';

export interface FunctionOutcome {
  name: AlertFunction;
  value?: unknown;
  error?: string;
}

export interface SimpleEvaluation {
  /** InlineFilters AND Detection; null when the rule cannot be evaluated (invalid expressions). */
  result: boolean | null;
  error: string | null;
  /** False when InlineFilters exist and rejected the event (the Detection was not evaluated). */
  filtersPassed: boolean;
}

/** InlineFilters apply to rules only: pat and Panther ignore them on scheduled rules (§1, panther-format §6.8). */
function filtersApply(item: Item): boolean {
  return item.kind === 'rule';
}

/** The matcher of a compiled rule as one predicate (filters first), or the error that prevents it. */
export function matcher(item: Item, c: CompiledRule): { fn: Pred } | { error: string } {
  const d = c.detection;
  if (!d) return { error: 'the file has no Detection' };
  if (!d.ok) return { error: `invalid Detection (${d.error})` };
  const f = filtersApply(item) ? c.filters : undefined;
  if (f && !f.ok) return { error: `invalid InlineFilters (${f.error})` };
  const det = d.value;
  if (!f) return { fn: det };
  const fil = f.value;
  return { fn: (x, ev) => fil(x, ev) && det(x, ev) };
}

/** Evaluates the detection result of a simple detection for one event (a test Log). */
export function evaluateSimpleRule(item: Item, log: unknown, opts?: SimpleOptions): SimpleEvaluation {
  const c = compileDetection(item, opts);
  const d = c.detection;
  if (!d) return { result: null, error: 'the file has no Detection', filtersPassed: true };
  if (!d.ok) return { result: null, error: `invalid Detection (${d.error})`, filtersPassed: true };
  const f = filtersApply(item) ? c.filters : undefined;
  if (f && !f.ok) return { result: null, error: `invalid InlineFilters (${f.error})`, filtersPassed: false };
  if (f && !f.value(log, log)) return { result: false, error: null, filtersPassed: false };
  return { result: d.value(log, log), error: null, filtersPassed: true };
}

/**
 * Applies a rule's InlineFilters to an event (for Python rules: the runner calls this before rule()).
 * No InlineFilters → pass. Invalid InlineFilters → no pass, with the reason.
 */
export function evaluateInlineFilters(item: Item, log: unknown): { pass: boolean; error?: string } {
  const filters = item.spec?.InlineFilters;
  if (filters === undefined || filters === null) return { pass: true };
  const c = compileDetection(item);
  const f = c.filters;
  if (!f) return { pass: true };
  if (!f.ok) return { pass: false, error: `invalid InlineFilters (${f.error})` };
  return { pass: f.value(log, log) };
}

const MAX_CONTEXT = 204_800;

/**
 * Computes the alert functions for one event, in pat's order (title, severity, dedup, alertContext).
 * `createAlert: false` computes only the alert context (pat reports nothing else for such rules).
 * A function is listed only when the rule defines it (severity: DynamicSeverities; alertContext:
 * AlertContext); title and dedup always exist (title falls back to DisplayName, then the RuleID).
 */
export function evaluateAlertFunctions(item: Item, log: unknown, opts?: SimpleOptions, createAlert = item.spec?.CreateAlert !== false): FunctionOutcome[] {
  const c = compileDetection(item, opts);
  const spec = item.spec;
  const out: FunctionOutcome[] = [];
  const id = item.id ?? String(spec[item.idKey] ?? '');
  let title: FunctionOutcome | undefined;
  if (createAlert) {
    title = { name: 'title' };
    if (c.title) {
      if (c.title.ok) title.value = truncate(c.title.value(log));
      else title.error = `invalid AlertTitle (${c.title.error})`;
    } else title.value = truncate(typeof spec.DisplayName === 'string' && spec.DisplayName !== '' ? spec.DisplayName : id);
    out.push(title);

    if (c.severities) {
      const sev: FunctionOutcome = { name: 'severity' };
      if (c.severities.ok) sev.value = (dynamicSeverity(c.severities.value, log) ?? staticSeverity(spec.Severity)).toUpperCase();
      else sev.error = `invalid DynamicSeverities (${c.severities.error})`;
      out.push(sev);
    }

    const dedup: FunctionOutcome = { name: 'dedup' };
    const fallback = `defaultDedupString:${id}`;
    if (c.groupBy) {
      if (c.groupBy.ok) dedup.value = truncate(c.groupBy.value(log) || fallback);
      else dedup.error = `invalid GroupBy (${c.groupBy.error})`;
    } else dedup.value = typeof title.value === 'string' && title.value !== '' ? title.value : fallback;
    out.push(dedup);
  }
  if (c.context) {
    const ctx: FunctionOutcome = { name: 'alertContext' };
    if (c.context.ok) {
      try {
        const value = toPlain(c.context.value(log)) as Record<string, unknown>;
        const size = toJson(value).length;
        ctx.value = size > MAX_CONTEXT ? { _error: `alert_context size is [${size}] characters, bigger than maximum of [${MAX_CONTEXT}] characters` } : value;
      } catch (e) {
        ctx.error = (e as Error).message;
      }
    } else ctx.error = `invalid AlertContext (${c.context.error})`;
    out.push(ctx);
  }
  return out;
}

/** The static Severity in its canonical spelling (High), or the raw text when it is not a severity. */
export function staticSeverity(s: unknown): SeverityName | string {
  return normalizeSeverity(s) ?? String(s ?? '');
}

/** Convenience for callers and tests: result plus the alert fields by name. */
export function evaluateAlert(item: Item, log: unknown, opts?: SimpleOptions): SimpleEvaluation & { severity?: SeverityName | string; title?: string; dedup?: string; alertContext?: Record<string, unknown>; errors: Partial<Record<AlertFunction, string>> } {
  const r = evaluateSimpleRule(item, log, opts);
  const errors: Partial<Record<AlertFunction, string>> = {};
  const out: ReturnType<typeof evaluateAlert> = { ...r, errors };
  if (!isObject(log)) return out;
  for (const f of evaluateAlertFunctions(item, log, opts, true)) {
    if (f.error) errors[f.name] = f.error;
    else if (f.name === 'severity') out.severity = normalizeSeverity(f.value) ?? String(f.value);
    else if (f.name === 'title') out.title = f.value as string;
    else if (f.name === 'dedup') out.dedup = f.value as string;
    else out.alertContext = f.value as Record<string, unknown>;
  }
  if (out.severity === undefined && !errors.severity) out.severity = staticSeverity(item.spec.Severity);
  return out;
}
