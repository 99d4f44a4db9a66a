// One violation → one finding, at its own line, with pat's verdict (spec §4, §5).
import { validatePantherItem } from '../../src/formats/panther/schema';
import type { RawFinding } from '../../src/core/types';
import { brief, makeItem, yaml } from './helpers';

function check(text: string): RawFinding[] {
  return validatePantherItem(makeItem(text));
}

const RULE_HEAD = `AnalysisType: rule
RuleID: Test.Rule
Enabled: true
Severity: Low`;

/** [name, yaml, expected code@line list] — the list is exact, so cascades fail the test. */
const CASES: Array<[string, string, string[]]> = [
  // ---- AnalysisType
  ['unknown AnalysisType gives one finding only', 'AnalysisType: rules\nRuleID: 5\nFoo: bar\n', ['schema/invalid-value@1']],
  ['AnalysisType that is not a string', 'AnalysisType: 5\n', ['schema/invalid-value@1']],
  ['"derived" is not an AnalysisType', 'AnalysisType: derived\nRuleID: x\n', ['schema/invalid-value@1']],

  // ---- strict types (spec §4.2)
  ['Threshold: true is rejected (bool is not int)', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nThreshold: true\n`, ['schema/type@7']],
  ['Threshold: 60.0 is rejected (float is not int)', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nThreshold: 60.0\n`, ['schema/type@7']],
  ['Threshold: "5" is rejected (string is not int)', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nThreshold: "5"\n`, ['schema/type@7']],
  ['a big integer is still an int', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nThreshold: 123456789012345678901234567890\n`, []],
  ['RuleID: 123 is rejected (number is not str)', 'AnalysisType: rule\nRuleID: 123\nEnabled: true\nSeverity: Low\nFilename: r.py\nLogTypes: [A]\n', ['schema/type@2']],
  ['Enabled: yes is a string, not a boolean', 'AnalysisType: rule\nRuleID: R\nEnabled: yes\nSeverity: Low\nFilename: r.py\nLogTypes: [A]\n', ['schema/type@3']],
  ['quoted "true" is not a boolean', 'AnalysisType: rule\nRuleID: R\nEnabled: "true"\nSeverity: Low\nFilename: r.py\nLogTypes: [A]\n', ['schema/type@3']],
  ['Tags must be a list of strings', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nTags:\n  - ok\n  - 5\n`, ['schema/type@9']],
  ['Tags as a plain string', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nTags: AWS\n`, ['schema/type@7']],
  ['Reports values must be lists', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nReports:\n  MITRE ATT&CK: TA0001:T1078\n`, ['schema/type@8']],
  ['Reports list items are strings or numbers, not booleans', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nReports:\n  CIS:\n    - 1.1\n    - true\n`, ['schema/type@10']],
  ['Reports must be a mapping', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nReports:\n  - a\n`, ['schema/type@8']],
  ['Detection must be a list (container type only)', `${RULE_HEAD}\nDetection: {Key: a}\nLogTypes: [A]\n`, ['schema/type@5']],
  ['InlineFilters must be a list', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nInlineFilters: null\n`, ['schema/type@7']],
  ['AlertTitle must be a string', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nAlertTitle: [a]\n`, ['schema/type@7']],
  ['GroupBy and AlertContext and DynamicSeverities must be lists', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nGroupBy: a\nAlertContext: {}\nDynamicSeverities: 1\n`, ['schema/type@7', 'schema/type@8', 'schema/type@9']],

  // ---- enums and patterns
  ['Severity is case-sensitive', 'AnalysisType: rule\nRuleID: R\nEnabled: true\nSeverity: HIGH\nFilename: r.py\nLogTypes: [A]\n', ['schema/invalid-value@4']],
  ['ID pattern: no < > & " %', 'AnalysisType: rule\nRuleID: "A&B"\nEnabled: true\nSeverity: Low\nFilename: r.py\nLogTypes: [A]\n', ['schema/invalid-value@2']],
  ['ID pattern: not empty', 'AnalysisType: global\nGlobalID: ""\nFilename: g.py\n', ['schema/invalid-value@2']],
  ['DisplayName follows the ID pattern', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nDisplayName: 100% bad\n`, ['schema/invalid-value@7']],
  ['ResourceTypes entries come from the static list', 'AnalysisType: policy\nPolicyID: P\nEnabled: true\nFilename: p.py\nSeverity: Low\nResourceTypes:\n  - AWS.S3.Bucket\n  - AWS.S3.Buckets\n', ['schema/invalid-value@8']],

  // ---- unknown and missing keys
  ['ruleID is one typo: one finding', 'AnalysisType: rule\nruleID: R\nEnabled: true\nSeverity: Low\nFilename: r.py\nLogTypes: [A]\n', ['schema/unknown-key@2']],
  ['a missing required key is reported on line 1', 'AnalysisType: rule\nRuleID: R\nEnabled: true\nFilename: r.py\nLogTypes: [A]\n', ['schema/missing-key@1']],
  ['a query-key typo is one finding, not also "needs a query"', 'AnalysisType: saved_query\nQueryName: Q\nquery: SELECT 1\n', ['schema/unknown-key@3']],
  ['an empty value is reported at its own key, not at line 1', 'AnalysisType: rule\nRuleID: R\nSeverity: Low\nFilename: r.py\nLogTypes: [A]\nEnabled:\n', ['schema/type@6']],
  ['Enabled on a saved_query is unknown', 'AnalysisType: saved_query\nQueryName: Q\nQuery: SELECT 1\nEnabled: true\n', ['schema/unknown-key@4']],
  ['Detection on a policy is unknown', 'AnalysisType: policy\nPolicyID: P\nEnabled: true\nFilename: p.py\nSeverity: Low\nDetection: []\n', ['schema/unknown-key@6']],
  ['Enabled on a pack is unknown', 'AnalysisType: pack\nPackID: P\nEnabled: true\nPackDefinition:\n  IDs: []\n', ['schema/unknown-key@3']],
  ['Enabled on a global is unknown', 'AnalysisType: global\nGlobalID: g\nFilename: g.py\nEnabled: true\n', ['schema/unknown-key@4']],
  ['unknown key inside PackDefinition', 'AnalysisType: pack\nPackID: P\nPackDefinition:\n  IDs: []\n  Ids: []\n', ['schema/unknown-key@5']],
  ['PackDefinition.IDs must be strings', 'AnalysisType: pack\nPackID: P\nPackDefinition:\n  IDs:\n    - a\n    - 7\n', ['schema/type@6']],

  // ---- xor rules
  ['Filename and Detection both set', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nDetection: []\n`, ['schema/conflict@7']],
  ['neither Filename nor Detection', `${RULE_HEAD}\nLogTypes: [A]\n`, ['schema/conflict@1']],
  ['FileName typo: reported once, as the unknown key', `${RULE_HEAD}\nFileName: r.py\nLogTypes: [A]\n`, ['schema/unknown-key@5']],
  ['LogTypes and ScheduledQueries both set', `${RULE_HEAD}\nFilename: r.py\nScheduledQueries: [Q]\nLogTypes: [A]\n`, ['schema/conflict@7']],
  ['neither LogTypes nor ScheduledQueries', `${RULE_HEAD}\nFilename: r.py\n`, ['schema/conflict@1']],

  // ---- set fields (spec §4.1 step 5)
  ['Tags [a, A] are duplicates', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nTags:\n  - a\n  - A\n`, ['schema/invalid-value@9']],
  ['Tags [a, a] is one finding', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nTags: [a, a]\n`, ['schema/invalid-value@7']],
  ['LogTypes duplicates', `${RULE_HEAD}\nFilename: r.py\nLogTypes:\n  - A\n  - B\n  - A\n`, ['schema/invalid-value@9']],
  ['OutputIds, SummaryAttributes duplicates', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nOutputIds: [o, o]\nSummaryAttributes: [s, s]\n`, ['schema/invalid-value@7', 'schema/invalid-value@8']],
  ['Suppressions duplicates (policy)', 'AnalysisType: policy\nPolicyID: P\nEnabled: true\nFilename: p.py\nSeverity: Low\nSuppressions: [x, x]\n', ['schema/invalid-value@6']],
  ['LogTypes are case-sensitive (only Tags are not)', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A, a]\n`, []],
  ['data model LogTypes duplicates', 'AnalysisType: datamodel\nDataModelID: D\nEnabled: true\nLogTypes: [A, A]\nMappings: []\n', ['schema/invalid-value@4']],

  // ---- DedupPeriodMinutes (warnings)
  ['DedupPeriodMinutes: 0 warns', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nDedupPeriodMinutes: 0\n`, ['schema/dedup-period@7']],
  ['DedupPeriodMinutes: 4 warns', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nDedupPeriodMinutes: 4\n`, ['schema/dedup-period@7']],
  ['DedupPeriodMinutes: 5 is fine', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nDedupPeriodMinutes: 5\n`, []],
  ['DedupPeriodMinutes: 3.0 is a type error, not a warning', `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nDedupPeriodMinutes: 3.0\n`, ['schema/type@7']],
];

describe('schema violations', () => {
  test.each(CASES)('%s', (_name, text, expected) => {
    expect(brief(check(text))).toEqual(expected);
  });
});

describe('rule tests (spec §5.9)', () => {
  const head = `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nTests:\n`;
  test('ExpectedResult: yes is a string', () => {
    const f = check(`${head}  - Name: t\n    ExpectedResult: yes\n    Log: {}\n`);
    expect(brief(f)).toEqual(['schema/type@9']);
    expect(f[0].message).toContain('not the string "yes"');
    expect(f[0].message).toContain('write ExpectedResult: true');
  });
  test('a rule test using Resource: one finding at the key, not also "Log is missing"', () => {
    const f = check(`${head}  - Name: t\n    ExpectedResult: true\n    Resource: {}\n`);
    expect(brief(f)).toEqual(['schema/unknown-key@10']);
    expect(f[0].message).toMatch(/rename Resource to Log/);
  });
  test('a wrong type inside a test gives no "Tests is invalid" finding', () => {
    expect(brief(check(`${head}  - Name: 5\n    ExpectedResult: true\n    Log: {}\n`))).toEqual(['schema/type@8']);
  });
  test('a missing key in a test entry points at the entry', () => {
    expect(brief(check(`${head}  - Log: {}\n    Name: t\n`))).toEqual(['schema/missing-key@8']);
  });
  test('Log may be null but must be present', () => {
    expect(brief(check(`${head}  - Name: t\n    ExpectedResult: false\n    Log:\n`))).toEqual([]);
  });
  test('Mock returnValue must be a string or boolean', () => {
    const text = `${head}  - Name: t\n    ExpectedResult: true\n    Log: {}\n    Mocks:\n      - objectName: f\n        returnValue: 5\n      - objectName: g\n        returnValue: [a]\n      - objectName: h\n        returnValue:\n`;
    expect(brief(check(text))).toEqual(['schema/type@13', 'schema/type@15', 'schema/type@17']);
  });
  test('Mock entries allow exactly objectName and returnValue', () => {
    const text = `${head}  - Name: t\n    ExpectedResult: true\n    Log: {}\n    Mocks:\n      - objectName: f\n        returnValue: "1"\n        sideEffect: x\n      - returnValue: "2"\n`;
    expect(brief(check(text))).toEqual(['schema/unknown-key@14', 'schema/missing-key@15']);
  });
  test('Tests must be a list of mappings', () => {
    expect(brief(check(`${head}  - just a string\n`))).toEqual(['schema/type@8']);
    expect(brief(check(`${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nTests: {}\n`))).toEqual(['schema/type@7']);
  });
  test('LogType is accepted (legacy) but must be a string', () => {
    expect(brief(check(`${head}  - Name: t\n    ExpectedResult: true\n    LogType: 5\n    Log: {}\n`))).toEqual(['schema/type@10']);
  });
});

describe('policy tests', () => {
  const head = 'AnalysisType: policy\nPolicyID: P\nEnabled: true\nFilename: p.py\nSeverity: Low\nTests:\n';
  test('a policy test using Log is one unknown key', () => {
    expect(brief(check(`${head}  - Name: t\n    ExpectedResult: true\n    Log: {}\n`))).toEqual(['schema/unknown-key@9']);
  });
  test('Resource is required', () => {
    expect(brief(check(`${head}  - Name: t\n    ExpectedResult: true\n`))).toEqual(['schema/missing-key@7']);
  });
});

describe('derived rules (spec §5.2)', () => {
  const head = 'AnalysisType: rule\nRuleID: D\nBaseDetection: Base.Rule\n';
  test('Filename is not allowed', () => {
    const f = check(`${head}Filename: d.py\n`);
    expect(brief(f)).toEqual(['schema/unknown-key@4']);
    expect(f[0].message).toMatch(/base detection/);
  });
  test('LogTypes, Detection, ScheduledQueries, CreatedBy are not allowed', () => {
    expect(brief(check(`${head}LogTypes: [A]\nDetection: []\nScheduledQueries: [q]\nCreatedBy: me\n`))).toEqual([
      'schema/unknown-key@4',
      'schema/unknown-key@5',
      'schema/unknown-key@6',
      'schema/unknown-key@7',
    ]);
  });
  test('AnalysisType must be rule', () => {
    expect(brief(check('AnalysisType: scheduled_rule\nRuleID: D\nBaseDetection: Base.Rule\n'))).toEqual(['schema/invalid-value@1']);
  });
  test('Enabled and Severity are optional but typed', () => {
    expect(brief(check(`${head}Enabled: "no"\nSeverity: low\n`))).toEqual(['schema/type@4', 'schema/invalid-value@5']);
  });
  test('tests escape the Python schema but pat\'s JSON Schema still needs Name and ExpectedResult', () => {
    expect(brief(check(`${head}Tests:\n  - Name: t\n    ExpectedResult: true\n    Resource: {}\n    Log: {}\n`))).toEqual([]);
    expect(brief(check(`${head}Tests:\n  - Log: {}\n`))).toEqual(['schema/missing-key@5', 'schema/missing-key@5']);
  });
  test('BaseDetection follows the ID pattern', () => {
    expect(brief(check('AnalysisType: rule\nRuleID: D\nBaseDetection: "a<b"\n'))).toEqual(['schema/invalid-value@3']);
  });
  test('an empty BaseDetection makes it an ordinary rule, where BaseDetection is unknown', () => {
    expect(brief(check(`${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nBaseDetection: ""\n`))).toEqual(['schema/unknown-key@7']);
  });
});

describe('correlation rules (spec §5.4)', () => {
  const head = 'AnalysisType: correlation_rule\nRuleID: C\nEnabled: true\nSeverity: High\n';
  test('Detection is required', () => {
    expect(brief(check(head))).toEqual(['schema/missing-key@1']);
  });
  test('Detection must be a list', () => {
    expect(brief(check(`${head}Detection: {}\n`))).toEqual(['schema/type@5']);
  });
  test('an entry needs Sequence or Group, not both', () => {
    const text = `${head}Detection:\n  - Schedule: {TimeoutMinutes: 5}\n  - Sequence: []\n    Group: []\n    Schedule: {TimeoutMinutes: 5}\n`;
    expect(brief(check(text))).toEqual(['schema/missing-key@6', 'schema/conflict@8']);
  });
  test('a misspelt Sequence is one unknown key', () => {
    const f = check(`${head}Detection:\n  - Sequense: []\n    Schedule: {TimeoutMinutes: 5}\n`);
    expect(brief(f)).toEqual(['schema/unknown-key@6']);
    expect(f[0].message).toContain('Did you mean "Sequence"');
  });
  test('Schedule needs TimeoutMinutes; steps allow only their keys', () => {
    const text = `${head}Detection:\n  - Sequence:\n      - RuleID: a\n        Rule: b\n    Schedule:\n      RateMinutes: 5\n`;
    expect(brief(check(text))).toEqual(['schema/unknown-key@8', 'schema/missing-key@9']);
  });
  test('Transitions need From and To and a Match of exactly one entry', () => {
    const text = `${head}Detection:\n  - Sequence: [{RuleID: a}]\n    Schedule: {TimeoutMinutes: 5}\n    Transitions:\n      - From: a\n        Match:\n          - On: x\n          - On: y\n`;
    expect(brief(check(text))).toEqual(['schema/missing-key@9', 'schema/invalid-value@11']);
  });
  test('EventEvaluationOrder is an enum', () => {
    const text = `${head}Detection:\n  - Group: [{RuleID: a}]\n    Schedule: {TimeoutMinutes: 5}\n    EventEvaluationOrder: chronological\n`;
    expect(brief(check(text))).toEqual(['schema/invalid-value@8']);
  });
  test('integers inside Detection follow the JSON Schema (60.0 passes, true does not)', () => {
    const text = `${head}Detection:\n  - Group: [{RuleID: a, MinMatchCount: true}]\n    Schedule: {TimeoutMinutes: 5.0}\n`;
    expect(brief(check(text))).toEqual(['schema/type@6']);
  });
  test('not allowed: LogTypes, Filename, DedupPeriodMinutes, Threshold, InlineFilters', () => {
    const text = `${head}Detection: []\nLogTypes: [A]\nFilename: c.py\nDedupPeriodMinutes: 60\nThreshold: 1\nInlineFilters: []\n`;
    expect(brief(check(text))).toEqual([6, 7, 8, 9, 10].map((l) => `schema/unknown-key@${l}`));
  });
  test('tests use RuleOutputs; Matches maps field → value → list', () => {
    const ok = `${head}Detection: []\nTests:\n  - Name: t\n    ExpectedResult: true\n    RuleOutputs:\n      - ID: a\n        Matches:\n          user:\n            bob: [0]\n`;
    expect(brief(check(ok))).toEqual([]);
    const bad = `${head}Detection: []\nTests:\n  - Name: t\n    ExpectedResult: true\n    Log: {}\n    RuleOutputs:\n      - Matches:\n          user: [0]\n`;
    expect(brief(check(bad))).toEqual(['schema/unknown-key@9', 'schema/missing-key@11', 'schema/type@12']);
  });
});

describe('data models (spec §5.5)', () => {
  const head = 'AnalysisType: datamodel\nDataModelID: D\nEnabled: true\nLogTypes: [A]\nMappings:\n';
  test('Path xor Method', () => {
    const text = `${head}  - Name: a\n    Path: $.a\n    Method: f\n  - Name: b\n  - Name: c\n    Path: $.c\n`;
    expect(brief(check(text))).toEqual(['schema/conflict@8', 'schema/conflict@9']);
  });
  test('unknown keys in a mapping', () => {
    expect(brief(check(`${head}  - Name: a\n    path: $.a\n`))).toEqual(['schema/unknown-key@7']);
  });
  test('no Tests on data models', () => {
    expect(brief(check(`${head}  - {Name: a, Path: $.a}\nTests: []\n`))).toEqual(['schema/unknown-key@7']);
  });
});

describe('queries (spec §5.8)', () => {
  const sched = 'AnalysisType: scheduled_query\nQueryName: Q\nEnabled: true\nQuery: SELECT 1\n';
  test('a saved query needs a query key', () => {
    expect(brief(check('AnalysisType: saved_query\nQueryName: Q\n'))).toEqual(['schema/missing-key@1']);
  });
  test('Schedule: CronExpression xor RateMinutes', () => {
    expect(brief(check(`${sched}Schedule:\n  TimeoutMinutes: 5\n`))).toEqual(['schema/conflict@5']); // at the Schedule: line
    expect(brief(check(`${sched}Schedule:\n  RateMinutes: 10\n  CronExpression: "* * * * *"\n  TimeoutMinutes: 5\n`))).toEqual(['schema/conflict@7']);
  });
  test('RateMinutes must be > 1 and >= TimeoutMinutes', () => {
    expect(brief(check(`${sched}Schedule:\n  RateMinutes: 1\n  TimeoutMinutes: 1\n`))).toEqual(['schema/invalid-value@6']);
    const f = check(`${sched}Schedule:\n  RateMinutes: 5\n  TimeoutMinutes: 10\n`);
    expect(brief(f)).toEqual(['schema/invalid-value@6']);
    expect(f[0].message).toContain('at least TimeoutMinutes (10)');
  });
  test('RateMinutes: 60.0 and CronExpression: 5 are type errors', () => {
    expect(brief(check(`${sched}Schedule:\n  RateMinutes: 60.0\n  TimeoutMinutes: 5\n`))).toEqual(['schema/type@6']);
    expect(brief(check(`${sched}Schedule:\n  CronExpression: 5\n  TimeoutMinutes: 5\n`))).toEqual(['schema/type@6']);
  });
  test('unknown key in Schedule and in EmailConfig', () => {
    const text = `${sched}Schedule:\n  RateMinutes: 60\n  TimeoutMinutes: 5\n  Timezone: UTC\nEmailConfig:\n  Recipients: [a]\n  Cc: [b]\n`;
    expect(brief(check(text))).toEqual(['schema/unknown-key@8', 'schema/unknown-key@11']);
  });
  test('a scheduled query needs Enabled and Schedule', () => {
    expect(brief(check('AnalysisType: scheduled_query\nQueryName: Q\nQuery: SELECT 1\n'))).toEqual(['schema/missing-key@1', 'schema/missing-key@1']);
  });
});

describe('lookup tables (spec §5.8)', () => {
  const file = 'AnalysisType: lookup_table\nLookupName: l\nEnabled: true\nSchema: Custom.T\nLogTypeMap:\n  PrimaryKey: ip\n';
  test('needs Filename or Refresh', () => {
    expect(brief(check(file))).toEqual(['schema/missing-key@1']);
  });
  test('S3 Refresh needs ObjectPath, PeriodMinutes and exactly one of RoleARN / GCSCredentials', () => {
    expect(brief(check(`${file}Refresh:\n  ObjectPath: s3://b/k\n`))).toEqual(['schema/missing-key@7', 'schema/conflict@7']);
    const both = `${file}Refresh:\n  ObjectPath: s3://b/k\n  PeriodMinutes: 60\n  RoleARN: arn\n  GCSCredentials: creds\n`;
    expect(brief(check(both))).toEqual(['schema/conflict@11']);
  });
  test('AssociatedLogTypes entries need LogType and Selectors (JSON Schema)', () => {
    const text = `${file}  AssociatedLogTypes:\n    - LogType: A\nFilename: data.csv\n`;
    expect(brief(check(text))).toEqual(['schema/missing-key@8']);
  });
  test('unknown key in LogTypeMap', () => {
    expect(brief(check(`${file}  Selectors: [a]\nFilename: d.csv\n`))).toEqual(['schema/unknown-key@7']);
  });
  test('SQL lookup: Refresh is PeriodMinutes xor CronExpression', () => {
    const sql = 'AnalysisType: lookup_table\nLookupName: l\nEnabled: true\nQuery: SELECT 1\nLogTypeMap: {PrimaryKey: ip}\n';
    expect(brief(check(`${sql}Refresh: {PeriodMinutes: 5, CronExpression: "x"}\n`))).toEqual(['schema/conflict@6']);
    expect(brief(check(`${sql}Refresh: {}\n`))).toEqual(['schema/conflict@6']);
    expect(brief(check(`${sql}Refresh: {PeriodMinutes: 5}\nSchema: x\n`))).toEqual(['schema/unknown-key@7']);
  });
  test('Indicators entries need Field and Indicators', () => {
    const sql = 'AnalysisType: lookup_table\nLookupName: l\nEnabled: true\nQuery: SELECT 1\nLogTypeMap: {PrimaryKey: ip}\nRefresh: {PeriodMinutes: 5}\n';
    expect(brief(check(`${sql}Indicators:\n  - Field: ip\n`))).toEqual(['schema/missing-key@8']);
  });
});

describe('scheduled prompts (spec §5.8)', () => {
  const head = 'AnalysisType: scheduled_prompt\nDisplayName: d\nPromptText: p\nSchedule: {RateMinutes: 60, TimeoutMinutes: 5}\n';
  test('PromptName pattern', () => {
    expect(brief(check(`${head}PromptName: Daily\nRunAsUser: u\n`))).toEqual(['schema/invalid-value@5']);
  });
  test('RunAsUser must not be empty', () => {
    expect(brief(check(`${head}PromptName: daily\nRunAsUser: ""\n`))).toEqual(['schema/invalid-value@6']);
  });
  test('Private can only be false; OutputLength is an enum', () => {
    expect(brief(check(`${head}PromptName: daily\nRunAsUser: u\nPrivate: true\nOutputLength: large\n`))).toEqual([
      'schema/invalid-value@7',
      'schema/invalid-value@8',
    ]);
  });
});

describe('messages', () => {
  test('type errors say what was expected and what was found, and how to fix it', () => {
    const [f] = check('AnalysisType: rule\nRuleID: R\nEnabled: yes\nSeverity: Low\nFilename: r.py\nLogTypes: [A]\n');
    expect(f.message).toBe('Enabled must be true or false, not the string "yes" — write Enabled: true (no quotes).');
    expect(f).toMatchObject({ file: 'rules/example.yml', itemId: 'R', line: 3, column: 10 });
    expect(f.severity).toBeUndefined();
  });
  test('a float where an int is wanted', () => {
    const [f] = check(`${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nThreshold: 60.0\n`);
    expect(f.message).toContain('not the decimal number 60.0');
    expect(f.message).toContain('write Threshold: 60');
  });
  test('a number where a string is wanted', () => {
    const [f] = check('AnalysisType: rule\nRuleID: 123\nEnabled: true\nSeverity: Low\nFilename: r.py\nLogTypes: [A]\n');
    expect(f.message).toContain('quote it: RuleID: "123"');
  });
  test('unknown keys name the key, suggest the closest and list the valid keys', () => {
    const [f] = check('AnalysisType: rule\nruleID: R\nEnabled: true\nSeverity: Low\nFilename: r.py\nLogTypes: [A]\n');
    expect(f.message).toContain('"ruleID" is not a valid key');
    expect(f.message).toContain('Did you mean "RuleID"?');
    expect(f.message).toMatch(/Valid keys: AnalysisType, RuleID, Enabled, .*Tests\./);
    expect(f.column).toBe(1);
  });
  test('enums list the allowed values and suggest the right case', () => {
    const [f] = check('AnalysisType: rule\nRuleID: R\nEnabled: true\nSeverity: high\nFilename: r.py\nLogTypes: [A]\n');
    expect(f.message).toBe('Severity must be one of Info, Low, Medium, High, Critical, not the string "high" — write Severity: High.');
  });
  test('unknown AnalysisType lists every allowed value', () => {
    const [f] = check('AnalysisType: rules\n');
    for (const t of ['rule', 'scheduled_rule', 'policy', 'correlation_rule', 'datamodel', 'global', 'pack', 'saved_query', 'scheduled_query', 'lookup_table', 'scheduled_prompt'])
      expect(f.message).toContain(t);
  });
  test('duplicates name the duplicated value', () => {
    const [f] = check(`${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nTags: [Okta, okta]\n`);
    expect(f.message).toContain('"Okta" and "okta"');
  });
  test('test entries are named by their Name', () => {
    const [f] = check(`${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nTests:\n  - Name: my test\n    ExpectedResult: "no"\n    Log: {}\n`);
    expect(f.message).toContain('Tests[0].ExpectedResult (test "my test")');
    expect(f.message).toContain('write ExpectedResult: false');
  });
  test('dedup warnings keep the registry severity', () => {
    const [f] = check(`${RULE_HEAD}\nFilename: r.py\nLogTypes: [A]\nDedupPeriodMinutes: 0\n`);
    expect(f.code).toBe('schema/dedup-period');
    expect(f.severity).toBeUndefined();
    expect(f.message).toContain('ignored');
  });
});

describe('many items', () => {
  // how fast is measured by `npm run bench -- --micro`, not asserted here
  test('1,300 valid items give no findings', () => {
    const text = `${RULE_HEAD}\nFilename: r.py\nLogTypes: [A, B]\nTags: [x, y]\nReports:\n  MITRE ATT&CK: [TA0001:T1078]\nTests:\n${Array.from(
      { length: 4 },
      (_, i) => `  - Name: t${i}\n    ExpectedResult: true\n    Log: {a: 1, b: [1, 2], c: {d: e}}\n`,
    ).join('')}`;
    const items = Array.from({ length: 1300 }, () => makeItem(text));
    for (const item of items) expect(validatePantherItem(item)).toHaveLength(0);
  });
});
