// AnalysisType tables shared by the loader, the schema stage and the repository checks (spec §3).

/** The key that holds the ID of each AnalysisType. */
export const ID_KEYS: Record<string, string> = {
  rule: 'RuleID',
  scheduled_rule: 'RuleID',
  policy: 'PolicyID',
  correlation_rule: 'RuleID',
  datamodel: 'DataModelID',
  global: 'GlobalID',
  pack: 'PackID',
  saved_query: 'QueryName',
  scheduled_query: 'QueryName',
  lookup_table: 'LookupName',
  scheduled_prompt: 'PromptName',
};

/** Every AnalysisType pat knows, in the order its error messages list them. */
export const ANALYSIS_TYPES: readonly string[] = Object.keys(ID_KEYS);

/** Kinds that are detections (have tests, alert functions, may be referenced by BaseDetection). */
export const DETECTION_KINDS: ReadonlySet<string> = new Set(['rule', 'scheduled_rule', 'policy', 'correlation_rule']);

/** Kinds whose `Filename` names a Python file. Lookup tables' Filename is a data file. */
export const PYTHON_KINDS: ReadonlySet<string> = new Set(['rule', 'scheduled_rule', 'policy', 'global', 'datamodel']);

/** Kinds that are queries (referenced by scheduled rules' ScheduledQueries). */
export const QUERY_KINDS: ReadonlySet<string> = new Set(['saved_query', 'scheduled_query']);

export function isKnownAnalysisType(t: unknown): boolean {
  return typeof t === 'string' && Object.prototype.hasOwnProperty.call(ID_KEYS, t);
}
