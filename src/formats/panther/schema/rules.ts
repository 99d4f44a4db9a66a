// The checks a structural schema cannot express: keys that exclude each other, "at least one of",
// schedules' rate limits, duplicate values in set fields, DedupPeriodMinutes warnings, and the
// Sequence/Group forms of correlation-rule Detection entries.
import type { PathStep } from '../../../core/types';
import type { Reporter } from './report';
import { allowedKeysAt, correlationGroup, correlationSequence, QUERY_KEYS, type Variant } from './schemas';
import { hasKey, isInt, isMapping, quote, toNumber } from './values';

/** pat's SET_FIELDS (constants.py); PackIDs is listed there but allowed by no schema. */
const SET_FIELDS = ['LogTypes', 'OutputIds', 'SummaryAttributes', 'Suppressions', 'Tags'] as const;

/** Exactly one of `a`/`b` (or at most one when `required` is false) in the mapping at `parent`. */
function exclusive(
  rep: Reporter,
  parent: readonly PathStep[],
  a: string,
  b: string,
  required: boolean,
  both: string,
  neither: string,
): void {
  const o = rep.valueAt(parent);
  if (!isMapping(o)) return;
  const hasA = hasKey(o, a);
  const hasB = hasKey(o, b);
  const where = parent.length === 0 ? `this ${rep.variantLabel}` : rep.label(parent);
  if (hasA && hasB) {
    const pa = rep.item.positions.keyAt([...parent, a]);
    const pb = rep.item.positions.keyAt([...parent, b]);
    const [first, second, secondPos] = pa.line <= pb.line ? [a, b, pb] : [b, a, pa];
    rep.add('schema/conflict', secondPos, `${first} and ${second} cannot both be set in ${where}: ${both}.`);
  } else if (required && !hasA && !hasB) {
    rep.require(parent, [a, b], 'schema/conflict', `${capitalize(where)} needs either ${a} or ${b}: ${neither}.`);
  }
}

function atLeastOne(rep: Reporter, parent: readonly PathStep[], keys: readonly string[], advice: string): void {
  const o = rep.valueAt(parent);
  if (!isMapping(o) || keys.some((k) => hasKey(o, k))) return;
  const where = parent.length === 0 ? `this ${rep.variantLabel}` : rep.label(parent);
  rep.require(parent, keys, 'schema/missing-key', `${capitalize(where)} needs at least one of ${keys.join(', ')}: ${advice}.`);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Schedule of scheduled queries and prompts (pat's QueryScheduleSchema). */
function querySchedule(rep: Reporter, path: readonly PathStep[]): void {
  exclusive(
    rep,
    path,
    'CronExpression',
    'RateMinutes',
    true,
    'a schedule runs either on a cron expression or every RateMinutes minutes; keep one',
    'add RateMinutes: 60 (every hour) or CronExpression: "0 * * * *"',
  );
  const s = rep.valueAt(path);
  if (!isMapping(s) || !isInt(s.RateMinutes)) return;
  const rate = toNumber(s.RateMinutes);
  if (rate <= 1) {
    rep.atValue('schema/invalid-value', [...path, 'RateMinutes'], `RateMinutes must be more than 1, not ${rate} — write RateMinutes: 2 or more.`);
  } else if (isInt(s.TimeoutMinutes) && rate < toNumber(s.TimeoutMinutes)) {
    rep.atValue(
      'schema/invalid-value',
      [...path, 'RateMinutes'],
      `RateMinutes (${rate}) must be at least TimeoutMinutes (${toNumber(s.TimeoutMinutes)}), so that one run ends before the next starts — raise RateMinutes or lower TimeoutMinutes.`,
    );
  }
}

function queryKeys(rep: Reporter): void {
  atLeastOne(rep, [], QUERY_KEYS, 'add the SQL as Query: "SELECT …" (or use AthenaQuery, SnowflakeQuery or DatabricksQuery)');
}

/** Duplicates in set fields; Tags also case-insensitively (spec §4.1 step 5). */
export function checkSetFields(rep: Reporter, allowed: ReadonlySet<string>): void {
  for (const field of SET_FIELDS) {
    if (!allowed.has(field)) continue;
    const list = rep.item.spec[field];
    if (!Array.isArray(list)) continue;
    const seen = new Map<string, number>();
    const seenLower = new Map<string, number>();
    list.forEach((v, i) => {
      if (typeof v !== 'string') return;
      const exact = seen.get(v);
      if (exact !== undefined) {
        rep.atValue(
          'schema/invalid-value',
          [field, i],
          `${field} lists ${quote(v)} twice (entries ${exact + 1} and ${i + 1}); ${field} is a set — remove the repeated entry.`,
        );
        return;
      }
      seen.set(v, i);
      if (field !== 'Tags') return;
      const lower = v.toLowerCase();
      const other = seenLower.get(lower);
      if (other !== undefined) {
        rep.atValue(
          'schema/invalid-value',
          [field, i],
          `Tags lists ${quote(list[other] as string)} and ${quote(v)}, which Panther counts as the same tag (tags are compared without case) — remove one.`,
        );
        return;
      }
      seenLower.set(lower, i);
    });
  }
}

export function checkDedupPeriod(rep: Reporter): void {
  const v = rep.item.spec.DedupPeriodMinutes;
  if (!isInt(v)) return;
  const n = toNumber(v);
  if (n === 0) {
    rep.atValue(
      'schema/dedup-period',
      ['DedupPeriodMinutes'],
      'DedupPeriodMinutes: 0 is ignored by the Panther backend; to turn deduplication off, make dedup() return the event\'s p_row_id instead, and remove the key.',
    );
  } else if (n < 5) {
    rep.atValue(
      'schema/dedup-period',
      ['DedupPeriodMinutes'],
      `DedupPeriodMinutes is ${n}, below Panther's minimum of 5; it is treated as 5 on upload — write DedupPeriodMinutes: 5 or more.`,
    );
  }
}

function detectionRule(rep: Reporter): void {
  exclusive(
    rep,
    [],
    'Filename',
    'Detection',
    true,
    'a rule is either a Python rule (Filename) or a simple detection (Detection); remove one',
    'add Filename: my_rule.py for a Python rule, or Detection: [ … ] for a simple detection',
  );
  exclusive(
    rep,
    [],
    'LogTypes',
    'ScheduledQueries',
    true,
    'a rule runs either on streamed logs (LogTypes) or on the results of scheduled queries (ScheduledQueries); remove one',
    'add LogTypes: [Vendor.LogType] for a streaming rule, or ScheduledQueries: [Query Name] for a scheduled rule',
  );
}

function derivedRule(rep: Reporter): void {
  const t = rep.item.spec.AnalysisType;
  if (t !== 'rule')
    rep.invalidChoice(['AnalysisType'], ['rule'], t, ' in a derived rule (a file with BaseDetection)');
}

const CORRELATION_ENTRY_KEYS = [
  ...new Set([...(allowedKeysAt(correlationSequence, []) ?? []), ...(allowedKeysAt(correlationGroup, []) ?? [])]),
];

function correlationDetection(rep: Reporter): void {
  const det = rep.item.spec.Detection;
  if (det === undefined) return; // missing: reported by the schema
  if (!Array.isArray(det)) {
    rep.typeError(['Detection'], 'array', det);
    return;
  }
  det.forEach((entry, i) => {
    const path = ['Detection', i];
    if (!isMapping(entry)) {
      rep.typeError(path, 'mapping', entry);
      return;
    }
    const seq = hasKey(entry, 'Sequence');
    const group = hasKey(entry, 'Group');
    if (seq && group) {
      exclusive(rep, path, 'Sequence', 'Group', true, 'an entry correlates either an ordered Sequence or an unordered Group of rules; split it into two rules', '');
    } else if (seq) rep.check(correlationSequence, path);
    else if (group) rep.check(correlationGroup, path);
    else {
      // no Sequence/Group: a misspelt one is reported as an unknown key (finish() drops this requirement)
      for (const key of Object.keys(entry)) if (!CORRELATION_ENTRY_KEYS.includes(key)) rep.unknownKey(path, key, CORRELATION_ENTRY_KEYS);
      rep.require(
        path,
        ['Sequence', 'Group'],
        'schema/missing-key',
        `${rep.label(path)} needs Sequence (rules that must match in order) or Group (rules that match in any order), together with Schedule.`,
      );
    }
  });
}

function datamodel(rep: Reporter): void {
  const mappings = rep.item.spec.Mappings;
  if (!Array.isArray(mappings)) return;
  mappings.forEach((_, i) =>
    exclusive(
      rep,
      ['Mappings', i],
      'Path',
      'Method',
      true,
      'a mapping takes its value either from a JSON path (Path) or from a Python function (Method); keep one',
      'add Path: $.field.in.the.event, or Method: function_in_the_data_model_file',
    ),
  );
}

function lookupTable(rep: Reporter): void {
  atLeastOne(rep, [], ['Filename', 'Refresh'], 'add Filename (a data file uploaded with the table) or Refresh (to load the data from S3 or GCS)');
  exclusive(
    rep,
    ['Refresh'],
    'RoleARN',
    'GCSCredentials',
    true,
    'the data comes either from S3 (RoleARN) or from Google Cloud Storage (GCSCredentials); keep one',
    'add RoleARN: arn:aws:iam::…:role/… for S3, or GCSCredentials for Google Cloud Storage',
  );
}

function lookupTableSql(rep: Reporter): void {
  queryKeys(rep);
  exclusive(
    rep,
    ['Refresh'],
    'PeriodMinutes',
    'CronExpression',
    true,
    'the table refreshes either every PeriodMinutes minutes or on a cron expression; keep one',
    'add PeriodMinutes: 60 or CronExpression: "0 * * * *"',
  );
}

/** Variant-specific checks, run after the structural schema. */
export const VARIANT_RULES: Partial<Record<Variant, (rep: Reporter) => void>> = {
  rule: detectionRule,
  scheduled_rule: detectionRule,
  derived: derivedRule,
  correlation_rule: correlationDetection,
  datamodel,
  saved_query: queryKeys,
  scheduled_query: (rep) => {
    queryKeys(rep);
    querySchedule(rep, ['Schedule']);
  },
  scheduled_prompt: (rep) => querySchedule(rep, ['Schedule']),
  lookup_table: lookupTable,
  lookup_table_sql: lookupTableSql,
};
