// The fast evaluator must report exactly what zod's safeParse reports for the same schema.
import { SCHEMAS, correlationGroup, correlationSequence } from '../../src/formats/panther/schema/schemas';
import { walk } from '../../src/formats/panther/schema/walk';
import { loadYaml } from '../../src/load/yaml';
import { z } from 'zod';

const DOCS = [
  'AnalysisType: rule\nRuleID: R\nEnabled: true\nSeverity: Low\nFilename: r.py\nLogTypes: [A]\n',
  'AnalysisType: rule\nruleID: 5\nEnabled: yes\nSeverity: high\nThreshold: 60.0\nTags: [a, 5]\nReports: {X: [1, true], Y: z}\n',
  'AnalysisType: rule\nRuleID: "a<b"\nTests:\n  - Name: 5\n    ExpectedResult: "no"\n    Resource: {}\n    Mocks:\n      - objectName: f\n        returnValue: 5\n        extra: 1\n  - x\n',
  'AnalysisType: policy\nPolicyID: P\nResourceTypes: [AWS.S3.Bucket, nope, 5]\nTests: {}\nSuppressions: null\n',
  'AnalysisType: correlation_rule\nRuleID: C\nDetection:\n  - Sequence: [{RuleID: a, X: 1}]\n    Schedule: {RateMinutes: 1.5}\n    Transitions: [{From: a, Match: []}]\nTests:\n  - Name: t\n    ExpectedResult: true\n    RuleOutputs: [{ID: 1, Matches: {a: {b: 1}}}]\n',
  'AnalysisType: datamodel\nDataModelID: D\nEnabled: true\nLogTypes: A\nMappings:\n  - {Name: a, Path: 1, Other: x}\n  - 7\n',
  'AnalysisType: pack\nPackID: ""\nPackDefinition: [IDs]\n',
  'AnalysisType: pack\nPackID: P\nPackDefinition:\n  IDs: [a, 1]\n  Extra: 1\n',
  'AnalysisType: scheduled_query\nQueryName: Q\nEnabled: 1\nQuery: 5\nSchedule: {RateMinutes: true, TimeoutMinutes: 5.0, Cron: x}\nEmailConfig: {Recipients: a}\n',
  'AnalysisType: lookup_table\nLookupName: 5\nRefresh: {ObjectPath: 1, PeriodMinutes: "60", Role: x}\nLogTypeMap: {PrimaryKey: k, AssociatedLogTypes: [{LogType: A}, {Selectors: [1]}]}\n',
  'AnalysisType: lookup_table\nQuery: x\nRefresh: 5\nIndicators: [{Field: f}]\nValidations: {}\n',
  'AnalysisType: scheduled_prompt\nPromptName: Bad-Name\nRunAsUser: ""\nPrivate: true\nOutputLength: huge\nSchedule: []\n',
  'AnalysisType: rule\nRuleID: D\nBaseDetection: B\nTests:\n  - Log: {}\n    Mocks: [{a: null}, 5]\n    RuleOutputs: [{}]\n',
  'Sequence: [{RuleID: a}]\nGroup: x\nSchedule: {TimeoutMinutes: 5}\nMatchCriteria: {k: [{GroupID: 1}]}\nEventEvaluationOrder: x\n',
];

function normalize(issues: Array<{ code: string; path: PropertyKey[]; expected?: string; keys?: string[]; values?: unknown[] }>): string[] {
  return issues
    .map((i) => JSON.stringify([i.code, i.path, i.expected ?? null, [...(i.keys ?? [])].sort(), i.values ?? null]))
    .sort();
}

const schemas: Array<[string, z.ZodType]> = [...Object.entries(SCHEMAS), ['correlationSequence', correlationSequence], ['correlationGroup', correlationGroup]];

describe('walk agrees with zod safeParse', () => {
  test.each(schemas)('%s', (_name, schema) => {
    for (const text of DOCS) {
      const parsed = loadYaml(text);
      if (!parsed.ok) throw new Error(parsed.error.message);
      const fast = walk(schema, parsed.value);
      expect(fast).toBeDefined();
      const slow = schema.safeParse(parsed.value);
      const zodIssues = slow.success ? [] : slow.error.issues;
      expect(normalize(fast!)).toEqual(normalize(zodIssues as never));
    }
  });

  test('unsupported zod features make walk() decline, so the caller uses zod', () => {
    expect(walk(z.union([z.string(), z.number()]), 'x')).toBeUndefined();
    expect(walk(z.strictObject({ a: z.number() }), { a: 1 })).toBeUndefined();
  });
});
