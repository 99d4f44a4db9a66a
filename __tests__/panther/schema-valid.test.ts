// Every AnalysisType (and schema variant) with a valid example: no findings at all.
import { validatePantherItem, schemaVariant } from '../../src/formats/panther/schema';
import { makeItem, yaml } from './helpers';

const VALID: Array<[string, string, string]> = [
  [
    'rule (Python)',
    'rule',
    yaml`
      AnalysisType: rule
      RuleID: AWS.Console.Login
      DisplayName: AWS Console Login
      Enabled: true
      Filename: aws_console_login.py
      LogTypes:
        - AWS.CloudTrail
      Severity: Medium
      Description: A console login.
      DedupPeriodMinutes: 60
      Threshold: 1
      Tags: [AWS, Identity & Access Management]
      Reports:
        MITRE ATT&CK:
          - TA0001:T1078
        CIS:
          - 1.1
          - 3
      Reference: https://example.com
      Runbook: Check the user.
      Status: Experimental
      CreateAlert: true
      OnlyUseBaseRiskScore: false
      OutputIds: [slack]
      SummaryAttributes: [p_any_ip_addresses]
      InlineFilters:
        - All: []
      AlertTitle: Login by {{user}}
      BaseVersion: 3
      Tests:
        - Name: a login
          ExpectedResult: true
          LogType: AWS.CloudTrail
          Log:
            eventName: ConsoleLogin
          Mocks:
            - objectName: get_counter
              returnValue: "5"
            - objectName: is_allowed
              returnValue: false
        - Name: no login
          ExpectedResult: false
          Log: null
    `,
  ],
  [
    'rule (simple detection)',
    'rule',
    yaml`
      AnalysisType: rule
      RuleID: Github.Repo.Archived
      Enabled: true
      LogTypes: [GitHub.Audit]
      Severity: Info
      Detection:
        - Key: action
          Condition: Equals
          Value: repo.archived
      AlertTitle: Archived
      AlertContext:
        - KeyName: repo
          KeyValue:
            Key: repo
      GroupBy:
        - Key: repo
      DynamicSeverities:
        - ChangeTo: High
          Conditions: []
      Tests:
        - Name: archived
          ExpectedResult: true
          Log: {action: repo.archived}
    `,
  ],
  [
    'scheduled_rule',
    'scheduled_rule',
    yaml`
      AnalysisType: scheduled_rule
      RuleID: Query.Result.Rule
      Enabled: false
      Filename: query_rule.py
      ScheduledQueries: [My Query]
      Severity: High
      Tests:
        - Name: row
          ExpectedResult: true
          Log: {count: 3}
    `,
  ],
  [
    'derived rule',
    'derived',
    yaml`
      AnalysisType: rule
      RuleID: Derived.Login
      BaseDetection: AWS.Console.Login
      Enabled: true
      Severity: Low
      InlineFilters:
        - KeyPath: recipientAccountId
          Condition: Equals
          Value: "123"
      Tests:
        - Name: inherits tests of any known shape
          ExpectedResult: true
          Log: {}
          Mocks:
            - objectName: x
              returnValue: 5
    `,
  ],
  [
    'policy',
    'policy',
    yaml`
      AnalysisType: policy
      PolicyID: AWS.S3.Bucket.Encryption
      Enabled: true
      Filename: aws_s3_encryption.py
      ResourceTypes:
        - AWS.S3.Bucket
        - AWS.WAF.Regional.WebACL
      Severity: Critical
      Suppressions: ["aws:s3:::public-*"]
      ActionDelaySeconds: 30
      AutoRemediationID: fix
      AutoRemediationParameters: {a: [1, 2]}
      Tests:
        - Name: encrypted
          ExpectedResult: true
          ResourceType: AWS.S3.Bucket
          Resource:
            Encryption: true
          Mocks:
            - objectName: DMZ_TAGS
              returnValue: '["a"]'
    `,
  ],
  [
    'correlation_rule (Sequence)',
    'correlation_rule',
    yaml`
      AnalysisType: correlation_rule
      RuleID: Sequence.Correlation
      Enabled: false
      Severity: High
      Detection:
        - Sequence:
            - ID: First
              RuleID: Rule.One
            - ID: Second
              RuleID: Rule.Two
              MinMatchCount: 2
              Absence: false
          Transitions:
            - ID: First to Second
              From: First
              To: Second
              WithinTimeFrameMinutes: 15
              Match:
                - On: p_actor
          Schedule:
            RateMinutes: 60
            TimeoutMinutes: 5
          LookbackWindowMinutes: 120
          EventEvaluationOrder: Chronological
      Tests:
        - Name: matches
          ExpectedResult: true
          RuleOutputs:
            - ID: First
              Matches:
                p_actor:
                  alice: [0, 1]
            - ID: Second
    `,
  ],
  [
    'correlation_rule (Group)',
    'correlation_rule',
    yaml`
      AnalysisType: correlation_rule
      RuleID: Group.Correlation
      Enabled: true
      Severity: Medium
      Detection:
        - Group:
            - ID: A
              RuleID: Rule.One
            - ID: B
              RuleID: Rule.Two
          MatchCriteria:
            user:
              - GroupID: A
                Match: actor
              - GroupID: B
                Match: user
          MinMatchCount: 2
          LookbackWindowMinutes: 60.0
          Schedule:
            CronExpression: "0 * * * *"
            TimeoutMinutes: 5
      Tests: []
    `,
  ],
  [
    'datamodel',
    'datamodel',
    yaml`
      AnalysisType: datamodel
      DataModelID: Standard.AWS.CloudTrail
      DisplayName: AWS CloudTrail
      Enabled: true
      Filename: aws_cloudtrail_data_model.py
      LogTypes: [AWS.CloudTrail]
      Mappings:
        - Name: actor_user
          Method: get_actor_user
        - Name: source_ip
          Path: $.sourceIPAddress
    `,
  ],
  [
    'global',
    'global',
    yaml`
      AnalysisType: global
      GlobalID: panther_base_helpers
      Filename: panther_base_helpers.py
      Description: Helpers.
      Tags: [Helpers]
    `,
  ],
  [
    'pack',
    'pack',
    yaml`
      AnalysisType: pack
      PackID: PantherManaged.AWS
      DisplayName: AWS Pack
      Description: Everything AWS.
      PackDefinition:
        IDs:
          - AWS.Console.Login
          - panther_base_helpers
    `,
  ],
  [
    'saved_query',
    'saved_query',
    yaml`
      AnalysisType: saved_query
      QueryName: My Saved Query
      Query: SELECT 1
      SnowflakeQuery: SELECT 2
      Description: Both query keys may be set.
      Lookback: true
      LookbackWindowSeconds: 3600
      Tags: [a]
    `,
  ],
  [
    'scheduled_query (RateMinutes)',
    'scheduled_query',
    yaml`
      AnalysisType: scheduled_query
      QueryName: My Query
      Enabled: true
      AthenaQuery: SELECT 1
      Schedule:
        RateMinutes: 60
        TimeoutMinutes: 60
      EmailConfig:
        Recipients: [a@example.com]
        SendEmpty: false
    `,
  ],
  [
    'scheduled_query (CronExpression)',
    'scheduled_query',
    yaml`
      AnalysisType: scheduled_query
      QueryName: Cron Query
      Enabled: false
      Query: SELECT 1
      Schedule:
        CronExpression: "0 0 * * *"
        TimeoutMinutes: 5
    `,
  ],
  [
    'lookup_table (file)',
    'lookup_table',
    yaml`
      AnalysisType: lookup_table
      LookupName: my_lookup
      Enabled: true
      Filename: data.csv
      Schema: Custom.MyLookup
      LogTypeMap:
        PrimaryKey: ip
        AssociatedLogTypes:
          - LogType: AWS.CloudTrail
            Selectors: [sourceIPAddress]
          - LogType: AWS.VPCFlow
            Selectors: []
    `,
  ],
  [
    'lookup_table (S3 refresh)',
    'lookup_table',
    yaml`
      AnalysisType: lookup_table
      LookupName: s3 lookup <any name>
      Enabled: false
      Refresh:
        RoleARN: arn:aws:iam::123456789012:role/r
        ObjectPath: s3://bucket/data.csv
        PeriodMinutes: 60
        AlarmPeriodMinutes: 120
      Schema: Custom.MyLookup
      LogTypeMap:
        PrimaryKey: ip
    `,
  ],
  [
    'lookup_table (SQL)',
    'lookup_table_sql',
    yaml`
      AnalysisType: lookup_table
      LookupName: sql_lookup
      Enabled: true
      Query: SELECT ip FROM t
      LogTypeMap:
        PrimaryKey: ip
      Refresh:
        CronExpression: "0 * * * *"
      Indicators:
        - Field: ip
          Indicators: [ipv4]
      Validations:
        - Field: ip
          Validations: [required]
    `,
  ],
  [
    'scheduled_prompt',
    'scheduled_prompt',
    yaml`
      AnalysisType: scheduled_prompt
      PromptName: daily_summary
      DisplayName: Daily <summary> & more
      PromptText: Summarise the alerts.
      RunAsUser: po_abc123
      Schedule:
        RateMinutes: 1440
        TimeoutMinutes: 10
      OutputLength: medium
      Enabled: true
      Private: false
    `,
  ],
];

describe('valid analysis files give no findings', () => {
  test.each(VALID)('%s', (_name, variant, text) => {
    const item = makeItem(text);
    expect(schemaVariant(item.spec)).toBe(variant);
    expect(validatePantherItem(item)).toEqual([]);
  });
});

describe('schema variant selection (spec §3)', () => {
  test('an empty BaseDetection is not a derived rule', () => {
    expect(schemaVariant({ AnalysisType: 'rule', BaseDetection: '' })).toBe('rule');
  });
  test('BaseDetection selects the derived schema whatever the AnalysisType', () => {
    expect(schemaVariant({ AnalysisType: 'policy', BaseDetection: 'X' })).toBe('derived');
  });
  test('a lookup table with any query key is a SQL lookup table', () => {
    expect(schemaVariant({ AnalysisType: 'lookup_table', DatabricksQuery: 'x' })).toBe('lookup_table_sql');
    expect(schemaVariant({ AnalysisType: 'lookup_table', Filename: 'x' })).toBe('lookup_table');
  });
  test('unknown AnalysisType has no schema', () => {
    expect(schemaVariant({ AnalysisType: 'simple_detection' })).toBeUndefined();
  });
});
