// validateSimpleExpressions: one finding per problem, at the exact line, naming the valid choices.
import { itemFromYaml, itemFromSpec } from './helpers';
import { isSimpleDetection, validateSimpleExpressions } from '../../src/formats/panther/simple';

const ERR = 'schema/match-expression';
const WARN = 'schema/match-expression-warning';

function check(yaml: string) {
  return validateSimpleExpressions(itemFromYaml(yaml)).map((f) => ({ code: f.code, line: f.line, message: f.message, hint: f.hint, severity: f.severity }));
}

const head = 'AnalysisType: rule\nRuleID: V.Rule\nSeverity: Low\n';

describe('exact lines and one finding per problem', () => {
  test('several problems in one Detection', () => {
    const fs = check(
      head +
        `Detection:
  - Key: a
    Condition: Equal
    Value: 1
  - Any:
      - KeyPath: a..b
        Condition: Exists
      - Key: ip
        Condition: IsIPAddressInCIDR
        Value: 300.0.0.0/8
  - Key: t
    Condition: IsIn
    Values: [1, two]
  - Condition: Equals
    Values: [{Key: a}, {Key: b}, {Key: c}]
  - All:
      Key: a
      Condition: Exists
  - Key: a
    Condition: Exists
    Vaule: 1
`,
    );
    expect(fs.map((f) => [f.line, f.code, f.message])).toEqual([
      [6, ERR, 'Detection[0].Condition: unknown Condition "Equal"; did you mean "Equals"?'],
      [9, ERR, 'Detection[1].Any[0].KeyPath: KeyPath "a..b" cannot be parsed: it has an empty key ("..")'],
      [13, ERR, 'Detection[1].Any[1].Value: "300.0.0.0/8" is not a valid CIDR: "300.0.0.0" is not an IPv4 or IPv6 address'],
      [16, ERR, 'Detection[2].Values: Values mixes numbers and strings; all items must be strings, all numbers, or all booleans'],
      [18, ERR, 'Detection[3].Values: a multi-key expression needs exactly two key specifiers in Values, not 3'],
      [20, ERR, 'Detection[4].All: All must be a list of match expressions, not a mapping'],
      [24, ERR, 'Detection[5].Vaule: unknown key "Vaule" in a match expression; did you mean "Value"?'],
    ]);
    expect(fs[0].hint).toContain('Equals, DoesNotEqual');
  });

  test('shape mismatches', () => {
    const fs = check(
      head +
        `Detection:
  - Key: a
    Condition: Equals
    Values: [x, y]
  - Key: a
    Condition: Exists
    Expressions: []
  - Key: a
    Condition: AnyElement
    Value: 1
  - Key: a
    Condition: Equals
  - Condition: AlwaysTrue
    Key: a
  - Condition: IsIn
    Values: [{Key: a}, {Key: b}]
  - Key: a
    Condition: Exists
    Values: [1]
  - Enrichment: {Table: t, Selector: s, FieldPath: f}
    Condition: IsNull
  - Key: [a]
    Condition: Exists
  - DeepKey: [a, true]
    Condition: Exists
  - Key: l
    Condition: AnyElement
    Expressions: {Key: a, Condition: Exists}
  - DeepKey: [l, 0]
    Condition: AllElements
    Expressions: []
  - Key: a
    Condition: IsGreaterThanOrEqual
    Value: 3
  - Key: a
    Condition: Has
    Value: x
`,
    );
    expect(fs.map((f) => [f.line, f.message])).toEqual([
      [7, 'Detection[0].Values: Equals takes a single Value, not Values; to match any of several values use IsIn'],
      [10, 'Detection[1].Expressions: Expressions belongs to the list-comprehension conditions (AnyElement, AllElements, OnlyOneElement, NoElement), not to Exists'],
      [13, 'Detection[2].Value: AnyElement takes Expressions (a list of match expressions tested on each element), not Value'],
      [14, 'Detection[3]: Equals needs a Value (a string, number or boolean)'],
      [17, 'Detection[4].Key: AlwaysTrue stands alone: it takes no Key'],
      [18, 'Detection[5].Condition: IsIn cannot compare two keys; multi-key expressions take Equals, DoesNotEqual, IEquals, IDoesNotEqual, StartsWith, DoesNotStartWith, IStartsWith, IDoesNotStartWith, EndsWith, DoesNotEndWith, IEndsWith, IDoesNotEndWith, Contains, DoesNotContain, IContains, IDoesNotContain, IsGreaterThan, IsGreaterThanOrEquals, IsLessThan, IsLessThanOrEquals'],
      [22, 'Detection[6].Values: Exists takes no operand; remove Values'],
      [24, 'Detection[7].Condition: IsNull cannot be used with Enrichment; enrichment expressions need a Value or Values'],
      [25, 'Detection[8].Key: Key must be a string naming one top-level key, not a list'],
      [27, 'Detection[9].DeepKey[1]: DeepKey elements must be strings (keys) or integers (list indexes), not a boolean'],
      [31, 'Detection[10].Expressions: Expressions must be a list of match expressions, not a mapping'],
      [32, 'Detection[11].DeepKey[1]: the DeepKey of a list comprehension may hold strings only (no list indexes)'],
      [36, 'Detection[12].Condition: unknown Condition "IsGreaterThanOrEqual"; did you mean "IsGreaterThanOrEquals"?'],
      [39, 'Detection[13].Condition: unknown Condition "Has"; did you mean "Contains"?'],
    ]);
    expect(fs.every((f) => f.code === ERR)).toBe(true);
  });

  test('not a list, not a mapping', () => {
    const fs = check(head + 'Detection:\n  Key: a\n  Condition: Exists\nGroupBy: {Key: a}\nAlertContext:\n  - KeyName: x\n    KeyValue: a\n  - KeyName: y\n');
    expect(fs.map((f) => [f.line, f.message])).toEqual([
      // Detection: {…} and GroupBy: {…} (lines 5 and 7) are reported once, as schema/type, by the schema stage
      [10, 'AlertContext[0].KeyValue: KeyValue must be a key specifier mapping ({Key: …}, {DeepKey: […]} or {KeyPath: …}), not a string'],
      [11, 'AlertContext[1]: the AlertContext entry has no KeyValue (a key specifier such as {Key: field} or {KeyPath: a.b})'],
    ]);
  });

  test('dynamic severities', () => {
    const fs = check(
      head +
        `Detection: [{Condition: AlwaysTrue}]
DynamicSeverities:
  - ChangeTo: hgih
    Conditions: []
  - ChangeTo: critical
  - ChangeTo: Low
    Conditions:
      - Key: a
        Condition: Bogus
    Extra: 1
  - ChangeTo: HIGH
    Conditions:
      - Key: a
        Condition: Bogus
`,
    );
    expect(fs.map((f) => [f.line, f.message])).toEqual([
      [6, 'DynamicSeverities[0].ChangeTo: ChangeTo "hgih" is not a severity; use one of Info, Low, Medium, High, Critical (did you mean High?)'],
      [8, 'DynamicSeverities[1]: the DynamicSeverities entry has no Conditions (a list of match expressions; [] always matches)'],
      [13, 'DynamicSeverities[2].Extra: unknown key "Extra" in a DynamicSeverities entry'],
      [17, 'DynamicSeverities[3].Conditions[0].Condition: unknown Condition "Bogus"'],
    ]);
  });
});

describe('InlineFilters grammar', () => {
  test('restricted shapes and conditions, warnings for undocumented engine conditions', () => {
    const fs = check(
      head +
        `Filename: x.py
InlineFilters:
  - KeyPath: a
    Condition: Exists
  - KeyPath: a
    Condition: IStartsWith
    Value: x
  - None: []
  - KeyPath: l
    Condition: AnyElement
    Expressions: []
  - Condition: Equals
    Values: [{KeyPath: a}, {KeyPath: b}]
  - Condition: AlwaysTrue
  - DeepKey: [a]
    Condition: Equals
    Value: 1
  - All:
      - Any:
          - KeyPath: ip
            Condition: IsIPv4Address
  - KeyPath: ip
    Condition: IsIPAddressPrivate
  - Enrichment: {Table: t, Selector: s, FieldPath: "f[0]"}
    Condition: IsIn
    Values: [a]
`,
    );
    expect(fs.map((f) => [f.line, f.code, f.message])).toEqual([
      [7, ERR, 'InlineFilters[0].Condition: Exists is not available in InlineFilters'],
      [9, WARN, 'InlineFilters[1].Condition: IStartsWith is not among the conditions documented for InlineFilters (Panther\'s filter engine implements it)'],
      [11, ERR, 'InlineFilters[2].None: InlineFilters allow only the All and Any combinators, not None'],
      [13, ERR, 'InlineFilters[3].Condition: AnyElement is not available in InlineFilters'],
      [16, ERR, 'InlineFilters[4].Values: InlineFilters cannot compare two keys (multi-key); use a Detection expression'],
      [17, ERR, 'InlineFilters[5].Condition: AlwaysTrue is not available in InlineFilters'],
      [18, ERR, 'InlineFilters[6].DeepKey: InlineFilters accept only KeyPath (or Enrichment) to name a field, not DeepKey'],
      [24, ERR, 'InlineFilters[7].All[0].Any[0].Condition: IsIPv4Address is not available in InlineFilters'],
    ]);
    expect(fs.find((f) => f.code === WARN)?.severity).toBe('warning');
    expect(fs[0].hint).toContain('IsNullOrEmpty');
  });

  test('the public pack\'s empty filter validates', () => {
    expect(check(head + 'Filename: x.py\nInlineFilters:\n    - All: []\n')).toEqual([]);
  });
});

describe('warnings', () => {
  test('stray Value on a no-operand condition, text conditions with numbers, literal dotted Key, empty Detection', () => {
    const fs = check(
      head +
        `Detection:
  - Key: ip
    Condition: IsIPAddress
    Value: true
  - Key: n
    Condition: StartsWith
    Value: 1
  - Key: a.b
    Condition: Exists
`,
    );
    expect(fs.map((f) => [f.line, f.code, f.message.split(':')[0]])).toEqual([
      [7, WARN, 'Detection[0].Value'],
      [10, WARN, 'Detection[1].Value'],
      [11, WARN, 'Detection[2].Key'],
    ]);
    expect(fs[1].hint).toBe('quote it to compare text: Value: "1"');
    expect(check(head + 'Detection: []\n').map((f) => f.code)).toEqual([WARN]);
  });

  test('Has / DoesNotHave compatibility flag', () => {
    const item = itemFromYaml(head + 'Detection:\n  - Key: a\n    Condition: DoesNotHave\n    Value: x\n');
    const fs = validateSimpleExpressions(item, { allowHas: true });
    expect(fs.map((f) => [f.code, f.message])).toEqual([[WARN, 'Detection[0].Condition: DoesNotHave is an early prototype name; it is read as DoesNotContain']]);
  });
});

describe('scope', () => {
  test('items without match-expression keys give nothing', () => {
    expect(check('AnalysisType: rule\nRuleID: x\nFilename: x.py\n')).toEqual([]);
  });
  test('correlation rules and policies are not ours', () => {
    const corr = itemFromYaml('AnalysisType: correlation_rule\nRuleID: c\nDetection:\n  - Sequence: []\n');
    expect(validateSimpleExpressions(corr)).toEqual([]);
    expect(isSimpleDetection(corr)).toBe(false);
    const pol = itemFromYaml('AnalysisType: policy\nPolicyID: p\nDetection:\n  - Key: a\n    Condition: Nope\n');
    expect(validateSimpleExpressions(pol)).toEqual([]);
    expect(isSimpleDetection(pol)).toBe(false);
  });
  test('scheduled rules are validated', () => {
    const s = itemFromYaml('AnalysisType: scheduled_rule\nRuleID: s\nDetection:\n  - Key: a\n    Condition: Nope\n');
    expect(validateSimpleExpressions(s).map((f) => f.line)).toEqual([5]);
    expect(isSimpleDetection(s)).toBe(true);
  });
  test('null Detection is not a simple detection', () => {
    expect(isSimpleDetection(itemFromSpec({ Detection: null }))).toBe(false);
    expect(isSimpleDetection(itemFromSpec({ Detection: [] }))).toBe(true);
  });
  test('findings carry file, itemId, column; results are copies', () => {
    const item = itemFromYaml(head + 'Detection:\n  - Key: a\n    Condition: Nope\n', 'rules/a.yml');
    const [f] = validateSimpleExpressions(item);
    expect(f).toMatchObject({ file: 'rules/a.yml', itemId: 'V.Rule', line: 6, column: 16 });
    f.message = 'changed';
    expect(validateSimpleExpressions(item)[0].message).not.toBe('changed');
  });
});
