// One zod schema per schema variant of spec §5: pat's Python schema (schemas.py) narrowed by the
// JSON Schema it applies afterwards (§5.10), so one pass gives pat's combined verdict.
//
// Keys that exclude each other (Filename xor Detection, …) or of which at least one is needed
// (query keys, …) are optional here; rules.ts checks those combinations, the rate limits,
// duplicates and the correlation-rule Detection forms.
import { z } from 'zod';
import {
  any,
  bool,
  id,
  int,
  jsonInt,
  list,
  mockValue,
  obj,
  rec,
  RESOURCE_TYPES,
  severity,
  str,
  strList,
  strOrBool,
  strOrNumber,
} from './primitives';

export type Variant =
  | 'rule'
  | 'scheduled_rule'
  | 'derived'
  | 'policy'
  | 'correlation_rule'
  | 'datamodel'
  | 'global'
  | 'pack'
  | 'saved_query'
  | 'scheduled_query'
  | 'lookup_table'
  | 'lookup_table_sql'
  | 'scheduled_prompt';

const opt = <T extends z.ZodType>(t: T) => t.optional();

const reports = rec(z.array(strOrNumber));

const mock = obj({ objectName: str, returnValue: strOrBool });

const ruleTest = obj({
  Name: str,
  ExpectedResult: bool,
  Log: any,
  LogType: opt(str),
  Mocks: opt(z.array(mock)),
});

const policyTest = obj({
  Name: str,
  ExpectedResult: bool,
  Resource: any,
  ResourceType: opt(str),
  Mocks: opt(z.array(mock)),
});

/** RuleOutputs[i]: {ID, Matches?: field → value → list of event indexes}. */
const ruleOutput = obj({
  ID: str,
  Matches: opt(rec(rec(z.array(z.unknown())))),
});

const correlationTest = obj({
  Name: str,
  ExpectedResult: bool,
  RuleOutputs: z.array(ruleOutput),
});

/** Derived rules' tests escape the Python schema, but pat's JSON Schema still checks them (§5.10). */
const derivedTest = obj({
  Name: str,
  ExpectedResult: bool,
  LogType: opt(str),
  ResourceType: opt(str),
  Mocks: opt(z.array(rec(mockValue))),
  Log: opt(any),
  Resource: opt(any),
  RuleOutputs: opt(z.array(ruleOutput)),
});

/** Keys common to rules and derived rules (spec §5.1/§5.2). */
const detectionOptionals = {
  Description: opt(str),
  DedupPeriodMinutes: opt(int),
  InlineFilters: opt(list),
  DisplayName: opt(id),
  OnlyUseBaseRiskScore: opt(bool),
  OutputIds: opt(strList),
  Reference: opt(str),
  Runbook: opt(str),
  Status: opt(str),
  SummaryAttributes: opt(strList),
  Threshold: opt(int),
  Tags: opt(strList),
  Reports: opt(reports),
  DynamicSeverities: opt(list),
  AlertTitle: opt(str),
  AlertContext: opt(list),
  GroupBy: opt(list),
  CreateAlert: opt(bool),
  BaseVersion: opt(int),
};

const rule = obj({
  AnalysisType: any,
  RuleID: id,
  Enabled: bool,
  Severity: severity,
  Filename: opt(str), // xor Detection
  Detection: opt(list),
  LogTypes: opt(strList), // xor ScheduledQueries
  ScheduledQueries: opt(strList),
  CreatedBy: opt(str),
  ...detectionOptionals,
  Tests: opt(z.array(ruleTest)),
});

const derived = obj({
  AnalysisType: any, // must be "rule": checked in rules.ts with its own message
  RuleID: id,
  BaseDetection: id,
  Enabled: opt(bool),
  Severity: opt(severity),
  ...detectionOptionals,
  Tests: opt(z.array(derivedTest)),
});

const policy = obj({
  AnalysisType: any,
  PolicyID: id,
  Enabled: bool,
  Filename: str,
  Severity: severity,
  ResourceTypes: opt(z.array(z.enum(RESOURCE_TYPES))),
  ActionDelaySeconds: opt(int),
  AutoRemediationID: opt(str),
  AutoRemediationParameters: opt(any),
  Description: opt(str),
  DisplayName: opt(id),
  OnlyUseBaseRiskScore: opt(bool),
  OutputIds: opt(strList),
  CreatedBy: opt(str),
  Reference: opt(str),
  Runbook: opt(str),
  Status: opt(str),
  Suppressions: opt(strList),
  Tags: opt(strList),
  Reports: opt(reports),
  Tests: opt(z.array(policyTest)),
  BaseVersion: opt(int),
});

const correlationRule = obj({
  AnalysisType: any,
  RuleID: id,
  Enabled: bool,
  Detection: any, // Sequence / Group forms: rules.ts
  Severity: severity,
  Description: opt(str),
  DisplayName: opt(id),
  OnlyUseBaseRiskScore: opt(bool),
  OutputIds: opt(strList),
  CreatedBy: opt(str),
  Reference: opt(str),
  Runbook: opt(str),
  Status: opt(str),
  SummaryAttributes: opt(strList),
  Tags: opt(strList),
  Reports: opt(reports),
  CreateAlert: opt(bool),
  Tests: opt(z.array(correlationTest)),
  BaseVersion: opt(int),
});

// ---- correlation-rule Detection entries (spec §5.4; JSON Schema only, so `60.0` passes as integer)
const correlationSchedule = obj({ TimeoutMinutes: jsonInt, RateMinutes: opt(jsonInt), CronExpression: opt(str) });
const correlationStep = obj({
  RuleID: str,
  ID: opt(str),
  MinMatchCount: opt(jsonInt),
  MaxMatchCount: opt(jsonInt),
  Absence: opt(bool),
});
const evaluationOrder = z.enum(['Chronological', 'ReverseChronological']);
export const correlationSequence = obj({
  Sequence: z.array(correlationStep),
  Schedule: correlationSchedule,
  Transitions: opt(
    z.array(
      obj({
        From: str,
        To: str,
        ID: opt(str),
        WithinTimeFrameMinutes: opt(jsonInt),
        Match: opt(z.array(obj({ On: opt(str), From: opt(str), To: opt(str) })).length(1, { message: 'must hold exactly one entry' })),
      }),
    ),
  ),
  LookbackWindowMinutes: opt(jsonInt),
  EventEvaluationOrder: opt(evaluationOrder),
});
export const correlationGroup = obj({
  Group: z.array(correlationStep),
  Schedule: correlationSchedule,
  MatchCriteria: opt(rec(z.array(obj({ GroupID: str, Match: str })))),
  MinMatchCount: opt(jsonInt),
  LookbackWindowMinutes: opt(jsonInt),
  EventEvaluationOrder: opt(evaluationOrder),
});

const datamodel = obj({
  AnalysisType: any,
  DataModelID: id,
  Enabled: bool,
  LogTypes: strList,
  Mappings: z.array(obj({ Name: str, Path: opt(str), Method: opt(str) })), // Path xor Method
  DisplayName: opt(id),
  Filename: opt(str),
  BaseVersion: opt(int),
});

const global = obj({
  AnalysisType: any,
  GlobalID: id,
  Filename: str,
  Description: opt(str),
  Tags: opt(strList),
  BaseVersion: opt(int),
});

const pack = obj({
  AnalysisType: any,
  PackID: id,
  PackDefinition: obj({ IDs: strList }),
  Description: opt(str),
  DisplayName: opt(id),
});

/** At least one of these is required (not exclusive) in queries and SQL lookup tables. */
export const QUERY_KEYS = ['Query', 'AthenaQuery', 'SnowflakeQuery', 'DatabricksQuery'] as const;
const queryKeys = { Query: opt(str), AthenaQuery: opt(str), SnowflakeQuery: opt(str), DatabricksQuery: opt(str) };

/** Schedule of scheduled queries and prompts: CronExpression xor RateMinutes (rules.ts), TimeoutMinutes. */
const querySchedule = obj({ CronExpression: opt(str), RateMinutes: opt(int), TimeoutMinutes: int });

const savedQuery = obj({
  AnalysisType: any,
  QueryName: id,
  ...queryKeys,
  Description: opt(str),
  Tags: opt(strList),
  Lookback: opt(bool),
  LookbackWindowSeconds: opt(int),
  BaseVersion: opt(int),
});

const scheduledQuery = obj({
  AnalysisType: any,
  QueryName: id,
  Enabled: bool,
  ...queryKeys,
  Schedule: querySchedule,
  Description: opt(str),
  Tags: opt(strList),
  Lookback: opt(bool),
  LookbackWindowSeconds: opt(int),
  EmailConfig: opt(obj({ Recipients: strList, SendEmpty: opt(bool), PreferAttachment: opt(bool) })),
  BaseVersion: opt(int),
});

const logTypeMap = obj({
  PrimaryKey: str,
  AssociatedLogTypes: opt(z.array(obj({ LogType: str, Selectors: strList }))),
});

const lookupTable = obj({
  AnalysisType: any,
  LookupName: str,
  Enabled: bool,
  Filename: opt(str), // at least one of Filename / Refresh
  Refresh: opt(
    obj({
      ObjectPath: str,
      PeriodMinutes: int,
      RoleARN: opt(str), // xor GCSCredentials
      GCSCredentials: opt(str),
      AlarmPeriodMinutes: opt(int),
      ObjectKMSKey: opt(str),
      StorageProvider: opt(str),
    }),
  ),
  Schema: str,
  LogTypeMap: logTypeMap,
  Description: opt(str),
  Reference: opt(str),
  BaseVersion: opt(int),
});

const lookupTableSql = obj({
  AnalysisType: any,
  LookupName: str,
  Enabled: bool,
  ...queryKeys,
  LogTypeMap: logTypeMap,
  Refresh: obj({ PeriodMinutes: opt(int), CronExpression: opt(str) }), // exactly one
  Indicators: opt(z.array(obj({ Field: str, Indicators: strList }))),
  Validations: opt(z.array(obj({ Field: str, Validations: strList }))),
  Description: opt(str),
  Reference: opt(str),
  BaseVersion: opt(int),
});

const scheduledPrompt = obj({
  AnalysisType: any,
  PromptName: z.string().regex(/^[a-z][a-z0-9_]*$/, {
    message: 'must start with a lower-case letter and use only lower-case letters, digits and _',
  }),
  DisplayName: str,
  PromptText: str,
  RunAsUser: z.string().min(1, { message: 'must not be empty (a user e-mail or an API-token id)' }),
  Schedule: querySchedule,
  Description: opt(str),
  OutputLength: opt(z.enum(['small', 'medium', 'largest'])),
  Enabled: opt(bool),
  Private: opt(z.literal(false)),
});

export const SCHEMAS: Record<Variant, z.ZodType> = {
  rule,
  scheduled_rule: rule,
  derived,
  policy,
  correlation_rule: correlationRule,
  datamodel,
  global,
  pack,
  saved_query: savedQuery,
  scheduled_query: scheduledQuery,
  lookup_table: lookupTable,
  lookup_table_sql: lookupTableSql,
  scheduled_prompt: scheduledPrompt,
};

/** Top-level keys a variant allows (for filters and messages). */
export function topLevelKeys(variant: Variant): string[] {
  return allowedKeysAt(SCHEMAS[variant], []) ?? [];
}

interface Def {
  type: string;
  out?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
}

function defOf(t: z.ZodType): Def {
  return (t as unknown as { _zod: { def: Def } })._zod.def;
}

function unwrap(t: z.ZodType): z.ZodType {
  for (;;) {
    const d = defOf(t);
    if (d.type === 'pipe' && d.out) t = d.out;
    else if (d.type === 'optional' && d.innerType) t = d.innerType;
    else return t;
  }
}

/** The keys the object schema at `path` allows, or undefined when `path` is not an object schema. */
export function allowedKeysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] | undefined {
  let t = unwrap(schema);
  for (const step of path) {
    const d = defOf(t);
    if (d.type === 'object' && d.shape && typeof step === 'string' && d.shape[step]) t = unwrap(d.shape[step]);
    else if (d.type === 'array' && d.element && typeof step === 'number') t = unwrap(d.element);
    else if (d.type === 'record' && d.valueType) t = unwrap(d.valueType);
    else return undefined;
  }
  const d = defOf(t);
  return d.type === 'object' && d.shape ? Object.keys(d.shape) : undefined;
}
