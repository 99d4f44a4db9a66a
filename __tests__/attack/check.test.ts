import { checkAttackMappings, checkAttackEntry, loadAttackCatalog } from '../../src/attack';
import { brief, itemFrom, ruleWithMitre } from './helpers';

const v19 = loadAttackCatalog('19.2');
const v18 = loadAttackCatalog('18.1');

describe('checkAttackMappings: valid mappings', () => {
  test('valid entries, with and without comments, give no finding', () => {
    const item = ruleWithMitre([
      'TA0006:T1555 # Credential Access: Credentials from Password Stores',
      'TA0006:T1555.003',
      '"TA0001:T1078.004" # Initial Access: Valid Accounts: Cloud Accounts',
      'TA0040:T1485  # Impact: Data Destruction',
    ]);
    expect(checkAttackMappings(item, v19)).toEqual([]);
    expect(checkAttackMappings(item, v18)).toEqual([]);
  });

  test('findings carry file, itemId, line and column, and no severity', () => {
    const f = checkAttackMappings(ruleWithMitre(['TA0006:T1555', 'TA0006:T9999']), v19);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ code: 'mitre/unknown-technique', file: 'rules/test_rule.yml', itemId: 'Test.Rule', line: 6, column: 7 });
    expect(f[0].severity).toBeUndefined();
  });

  test('only detection kinds are checked', () => {
    const lines = (kind: string) => [`AnalysisType: ${kind}`, 'QueryName: Q', 'Reports:', '  MITRE ATT&CK:', '    - TA003:T1556'];
    expect(checkAttackMappings(itemFrom(lines('scheduled_query')), v19)).toEqual([]);
    expect(checkAttackMappings(itemFrom(lines('saved_query')), v19)).toEqual([]);
    for (const kind of ['rule', 'scheduled_rule', 'policy', 'correlation_rule'])
      expect(brief(checkAttackMappings(ruleWithMitre(['TA003:T1556'], kind), v19))).toEqual(['5:7 mitre/malformed']);
  });
});

describe('mitre/malformed', () => {
  test.each([
    ['TA003:T1556', 'the tactic ID TA003 has 3 digits; tactic IDs have four (TAnnnn). Did you mean "TA0003:T1556"?'],
    ['ta0006:t1555', 'IDs are written in capitals (TA, T). Did you mean "TA0006:T1555"?'],
    ['"TA0006: T1555"', 'it contains spaces. Did you mean "TA0006:T1555"?'],
    ['TA0006 T1555', 'tactic and technique are separated by a space, not ":". Did you mean "TA0006:T1555"?'],
    ['TA0006/T1555', 'tactic and technique are separated by "/", not ":". Did you mean "TA0006:T1555"?'],
    ['T1555:TA0006', 'the technique comes before the tactic, tactic and technique are separated by ":", not ":"'],
    ['TA0001:T1078.4', 'the sub-technique number .4 has 1 digit; it has three (Tnnnn.nnn). Did you mean "TA0001:T1078.004"?'],
  ])('%s', (entry, expected) => {
    const f = checkAttackMappings(ruleWithMitre([entry]), v19);
    expect(brief(f)).toEqual(['5:7 mitre/malformed']);
    if (entry === 'T1555:TA0006') {
      expect(f[0].message).toContain('the technique comes before the tactic');
      expect(f[0].message).toContain('Did you mean "TA0006:T1555"?');
    } else expect(f[0].message).toContain(expected);
  });

  test('a three-digit tactic gets a suggestion, and the suggestion is itself checked', () => {
    const f = checkAttackMappings(ruleWithMitre(['TA005:T1556']), v19);
    expect(f[0].message).toContain('Did you mean "TA0005:T1556"?');
    expect(f[0].message).toContain('in ATT&CK v19.2, T1556 Modify Authentication Process is not under TA0005 Stealth');
    expect(f[0].message).toContain('"TA0112:T1556", "TA0003:T1556" or "TA0006:T1556"');
    // in 18.1 the suggestion is fine
    const g = checkAttackMappings(ruleWithMitre(['TA005:T1556']), v18);
    expect(g[0].message).toBe(
      'The ATT&CK entry "TA005:T1556" is malformed: the tactic ID TA005 has 3 digits; tactic IDs have four (TAnnnn). Did you mean "TA0005:T1556"?',
    );
  });

  test('a technique without tactic: its tactics are offered, never picked', () => {
    const f = checkAttackMappings(ruleWithMitre(['T1548']), v19);
    expect(f[0].code).toBe('mitre/malformed');
    expect(f[0].message).toBe(
      'The ATT&CK entry "T1548" is malformed: it has no tactic (the form is TAnnnn:Tnnnn). In ATT&CK v19.2, T1548 Abuse Elevation Control Mechanism is under TA0004 Privilege Escalation: write "TA0004:T1548".',
    );
    const g = checkAttackMappings(ruleWithMitre(['T1548']), v18);
    expect(g[0].message).toContain('under TA0004 Privilege Escalation and TA0005 Defense Evasion: write "TA0004:T1548" or "TA0005:T1548"');
  });

  test('a number is malformed; other non-strings are left to the schema stage', () => {
    const f = checkAttackMappings(ruleWithMitre(['1555', '1.2', 'true', 'null', '[TA0006:T1555]', '{a: b}']), v19);
    expect(brief(f)).toEqual(['5:7 mitre/malformed', '6:7 mitre/malformed']);
    expect(f[0].message).toBe(
      'The ATT&CK entry 1555 is a number, not a mapping of the form TAnnnn:Tnnnn or TAnnnn:Tnnnn.nnn (tactic ID, colon, technique ID).',
    );
    expect(f[1].message).toContain('The ATT&CK entry 1.2 is a number');
  });

  test('several mappings in one string, and a name after the IDs', () => {
    const f = checkAttackMappings(ruleWithMitre(['"TA0006:T1555, TA0003:T1098"', 'TA0006:T1555 Credentials from Password Stores']), v19);
    expect(brief(f)).toEqual(['5:7 mitre/malformed', '6:7 mitre/malformed']);
    expect(f[0].message).toContain('it holds 2 mappings in one string. Write one mapping per list entry: "- TA0006:T1555", "- TA0003:T1098".');
    expect(f[1].message).toContain('Write "TA0006:T1555" and put the name in a comment: "- TA0006:T1555  # Credentials from Password Stores".');
  });

  test('no suggestion when the intent is not clear', () => {
    for (const entry of ['TA0006', 'Credential Access', 'TA0006:T155', '""']) {
      const f = checkAttackMappings(ruleWithMitre([entry]), v19);
      expect(f).toHaveLength(1);
      expect(f[0].code).toBe('mitre/malformed');
      expect(f[0].message).not.toContain('Did you mean');
    }
  });

  test('a single string instead of a list is classified too', () => {
    const item = itemFrom(['AnalysisType: rule', 'RuleID: R', 'Reports:', '  MITRE ATT&CK: TA003:T1556']);
    expect(brief(checkAttackMappings(item, v19))).toEqual(['4:17 mitre/malformed']);
  });
});

describe('mitre/unknown-tactic', () => {
  test('a Mobile tactic is named as such', () => {
    const f = checkAttackMappings(ruleWithMitre(['TA0035:T1636.003  # Protected User Data: Contact List']), v19);
    expect(brief(f)).toEqual(['5:7 mitre/unknown-tactic']);
    expect(f[0].message).toBe(
      'TA0035 is not an Enterprise tactic: it is a tactic ID of ATT&CK for Mobile, and these mappings are checked against the Enterprise matrix (ATT&CK v19.2). T1636.003 is not an Enterprise technique in ATT&CK v19.2 either.',
    );
  });

  test('an ICS tactic, an unknown one, and a valid technique under it', () => {
    const f = checkAttackMappings(ruleWithMitre(['TA0104:T1059', 'TA0099:T1098']), v19);
    expect(brief(f)).toEqual(['5:7 mitre/unknown-tactic', '6:7 mitre/unknown-tactic']);
    expect(f[0].message).toContain('it is a tactic ID of ATT&CK for ICS');
    expect(f[0].message).toContain('T1059 Command and Scripting Interpreter is under TA0002 Execution: write "TA0002:T1059".');
    expect(f[1].message).toBe(
      'TA0099 is not a tactic of the Enterprise matrix in ATT&CK v19.2. T1098 Account Manipulation is under TA0003 Persistence and TA0004 Privilege Escalation: write "TA0003:T1098" or "TA0004:T1098".',
    );
  });

  test('TA0040 is Enterprise Impact, not Mobile', () => {
    expect(checkAttackMappings(ruleWithMitre(['TA0040:T1485']), v19)).toEqual([]);
  });

  test('a tactic new in v19 is unknown in v18.1, with a pointer to the release that has it', () => {
    const r = checkAttackMappings(ruleWithMitre(['TA0112:T1562.001']), v19);
    expect(r.map((f) => f.code)).toEqual(['mitre/revoked']);
    expect(r[0].message).toContain('write "TA0112:T1685".');
    const f = checkAttackMappings(ruleWithMitre(['TA0112:T1685']), v18);
    expect(brief(f)).toEqual(['5:7 mitre/unknown-tactic']);
    expect(f[0].message).toContain('TA0112 is not a tactic in ATT&CK v18.1, which this run checks against; it exists in ATT&CK v19.2 (Defense Impairment)');
    expect(f[0].message).toContain('T1685 is not an Enterprise technique in ATT&CK v18.1 either');
  });
});

describe('mitre/unknown-technique', () => {
  test('an unknown sub-technique lists the sub-techniques that exist', () => {
    const f = checkAttackMappings(ruleWithMitre(['TA0001:T1078.009']), v19);
    expect(brief(f)).toEqual(['5:7 mitre/unknown-technique']);
    expect(f[0].message).toBe(
      'T1078.009 is not a technique of the Enterprise matrix in ATT&CK v19.2; T1078 Valid Accounts exists and its sub-techniques are T1078.001 Default Accounts, T1078.002 Domain Accounts, T1078.003 Local Accounts and T1078.004 Cloud Accounts.',
    );
  });

  test('a sub-technique of a technique without any, and the comment pointing elsewhere', () => {
    const f = checkAttackMappings(ruleWithMitre(['"TA0008:T1201.007" # Lateral Movement: Remote Services: Cloud Services']), v19);
    expect(f[0].message).toBe(
      'T1201.007 is not a technique of the Enterprise matrix in ATT&CK v19.2; T1201 Password Policy Discovery exists but has no sub-techniques (for the technique itself, write "TA0007:T1201"). ' +
        'The comment names T1021.007 Remote Services: Cloud Services; if that is what was meant, write "TA0008:T1021.007".',
    );
  });

  test('a technique added in v19 is unknown in v18.1', () => {
    const f = checkAttackMappings(ruleWithMitre(['TA0005:T1685']), v18);
    expect(brief(f)).toEqual(['5:7 mitre/unknown-technique']);
    expect(f[0].message).toBe('T1685 is not a technique of the Enterprise matrix in ATT&CK v18.1 (it exists in ATT&CK v19.2: Disable or Modify Tools).');
  });

  test('an ID below T1001 is not Enterprise', () => {
    const f = checkAttackMappings(ruleWithMitre(['TA0006:T0018.000']), v19);
    expect(f[0].code).toBe('mitre/unknown-technique');
    expect(f[0].message).toContain('Enterprise technique IDs start at T1001');
  });
});

describe('mitre/revoked (and the same mapping in both versions)', () => {
  test('TA0005:T1562.001 is valid in v18.1 and revoked in v19.2', () => {
    const item = ruleWithMitre(['TA0005:T1562.001  # Impair Defenses: Disable or Modify Tools']);
    expect(checkAttackMappings(item, v18)).toEqual([]);
    const f = checkAttackMappings(item, v19);
    expect(brief(f)).toEqual(['5:7 mitre/revoked']);
    expect(f[0].message).toBe(
      'T1562.001 Impair Defenses: Disable or Modify Tools is revoked in ATT&CK v19.2; MITRE replaced it with T1685 Disable or Modify Tools, under TA0112 Defense Impairment. ' +
        'Instead of "TA0005:T1562.001", write "TA0112:T1685". "TA0005:T1562.001" was valid in ATT&CK v18.1, where TA0005 was named Defense Evasion.',
    );
    expect(f[0].hint).toBe('- TA0112:T1685  # Defense Impairment: Disable or Modify Tools');
  });

  test('sub-technique replacement, and no comment in the hint when there was none', () => {
    const f = checkAttackMappings(ruleWithMitre(['TA0005:T1562.008']), v19);
    expect(f[0].message).toContain('Instead of "TA0005:T1562.008", write "TA0112:T1685.002".');
    expect(f[0].hint).toBe('- TA0112:T1685.002');
  });

  test('a replacement under several tactics keeps the tactic written when it is one of them', () => {
    // T1073 -> T1574.002 -> T1574.001 (a revoked chain); T1574.001 is under TA0005 Stealth and TA0002 Execution in v19.2
    expect(v19.techniques.get('T1574.001')!.tactics).toEqual(['TA0005', 'TA0002']);
    const f = checkAttackMappings(ruleWithMitre(['TA0002:T1073']), v19);
    expect(f[0].code).toBe('mitre/revoked');
    expect(f[0].message).toContain('MITRE replaced it with T1574.001 Hijack Execution Flow: DLL, under TA0005 Stealth and TA0002 Execution.');
    expect(f[0].message).toContain('Instead of "TA0002:T1073", write "TA0002:T1574.001".');
    // a tactic the replacement is not under: every tactic of the replacement is offered
    const g = checkAttackMappings(ruleWithMitre(['TA0003:T1073']), v19);
    expect(g[0].message).toContain('Instead of "TA0003:T1073", write "TA0005:T1574.001" or "TA0002:T1574.001".');
    expect(g[0].hint).toBeUndefined();
  });
});

describe('mitre/deprecated', () => {
  test('deprecated technique, no replacement', () => {
    const f = checkAttackMappings(ruleWithMitre(['TA0005:T1108']), v19);
    expect(brief(f)).toEqual(['5:7 mitre/deprecated']);
    expect(f[0].message).toBe(
      'T1108 Redundant Access is deprecated in ATT&CK v19.2 and MITRE names no replacement; map this detection to a current technique, or remove "TA0005:T1108".',
    );
  });
});

describe('mitre/tactic-mismatch', () => {
  test('names the tactics the technique is under and the corrected mappings', () => {
    const f = checkAttackMappings(ruleWithMitre(['TA0010:T1530']), v19);
    expect(brief(f)).toEqual(['5:7 mitre/tactic-mismatch']);
    expect(f[0].message).toBe(
      'In ATT&CK v19.2, T1530 Data from Cloud Storage is not under TA0010 Exfiltration; it is under TA0009 Collection. Instead of "TA0010:T1530", write "TA0009:T1530".',
    );
    expect(f[0].hint).toBe('- TA0009:T1530');
  });

  test('a move made by v19 is explained, and valid in v18.1', () => {
    const item = ruleWithMitre(['TA0005:T1556']);
    expect(checkAttackMappings(item, v18)).toEqual([]);
    const f = checkAttackMappings(item, v19);
    expect(f[0].message).toContain('is not under TA0005 Stealth; it is under TA0112 Defense Impairment, TA0003 Persistence and TA0006 Credential Access');
    expect(f[0].message).toContain('"TA0005:T1556" was valid in ATT&CK v18.1, where TA0005 was named Defense Evasion.');
    expect(f[0].hint).toBeUndefined(); // several fixes: no single line to offer
  });

  test('the comment picks one of several tactics', () => {
    const f = checkAttackMappings(ruleWithMitre(['TA0006:T1098 # Persistence: Account Manipulation']), v19);
    expect(f[0].code).toBe('mitre/tactic-mismatch');
    expect(f[0].message).toContain('write "TA0003:T1098" or "TA0004:T1098". The comment names TA0003 Persistence; if that is what was meant, write "TA0003:T1098".');
  });
});

describe('mitre/comment-mismatch', () => {
  test.each([
    ['TA0006:T1555 # Credential Access'],
    ['TA0006:T1555 # Credentials from Password Stores'],
    ['TA0006:T1555 # credential access - credentials FROM password-stores.'],
    ['TA0006:T1555 # T1555'],
    ['TA0006:T1555.003 # Credentials from Password Stores: Credentials from Web Browsers'],
    ['TA0006:T1555.003 # Credential Access: Credentials from Password Stores - Credentials from Web Browsers'],
    ['TA0006:T1555.003 # Credentials from Web Browsers'],
    ['TA0006:T1555.003 # Credentials from Password Stores'],
    ['TA0004:T1098.003 # Priv Escalation: Additional Cloud Roles'],
    ['TA0001:T1078 # see ticket SEC-123'],
    ['TA0005:T1078 # Stealth: Valid Accounts'],
    ['TA0002:T1059 #Command & Scripting Interpreter'],
  ])('no finding: %s', (entry) => {
    expect(checkAttackMappings(ruleWithMitre([entry]), v19)).toEqual([]);
  });

  test('a comment naming another technique', () => {
    const f = checkAttackMappings(ruleWithMitre(['TA0006:T1552 # Credentials from Password Stores']), v19);
    expect(brief(f)).toEqual(['5:7 mitre/comment-mismatch']);
    expect(f[0].message).toBe(
      'The comment "Credentials from Password Stores" does not match "TA0006:T1552": it names "Credentials from Password Stores", which is T1555, but TA0006 is Credential Access and T1552 is Unsecured Credentials in ATT&CK v19.2. ' +
        'Fix the comment ("# Credential Access: Unsecured Credentials") or, if the comment is right, the IDs.',
    );
    expect(f[0].hint).toBe('- TA0006:T1552  # Credential Access: Unsecured Credentials');
  });

  test('a comment naming another tactic, another sub-technique, or another ID', () => {
    const f = checkAttackMappings(
      ruleWithMitre([
        'TA0004:T1098 # Persistence: Account Manipulation',
        'TA0008:T1021.005 # Lateral Movement: Remote Services: SSH',
        'TA0006:T1555 # T1552',
      ]),
      v19,
    );
    expect(brief(f)).toEqual(['5:7 mitre/comment-mismatch', '6:7 mitre/comment-mismatch', '7:7 mitre/comment-mismatch']);
    expect(f[0].message).toContain('it names "Persistence", which is TA0003, but TA0004 is Privilege Escalation');
    expect(f[1].message).toContain('it names "SSH", which is T1021.004, but TA0008 is Lateral Movement and T1021.005 is Remote Services: VNC');
    expect(f[2].message).toContain('it names T1552 (Unsecured Credentials)');
  });

  test('a pre-v19 name gets its own message in v19.2, and is right in v18.1', () => {
    const item = ruleWithMitre(['TA0005:T1078 # Defense Evasion: Valid Accounts']);
    expect(checkAttackMappings(item, v18)).toEqual([]);
    const f = checkAttackMappings(item, v19);
    expect(brief(f)).toEqual(['5:7 mitre/comment-mismatch']);
    expect(f[0].message).toBe(
      'The comment on "TA0005:T1078" uses the pre-v19 name "Defense Evasion" for TA0005 (its name in ATT&CK v18.1); in ATT&CK v19.2 it is "Stealth". Write the comment as "# Stealth: Valid Accounts".',
    );
    expect(f[0].hint).toBe('- TA0005:T1078  # Stealth: Valid Accounts');
  });

  test('a renamed technique', () => {
    const f = checkAttackMappings(ruleWithMitre(['TA0006:T1557.001 # LLMNR/NBT-NS Poisoning and SMB Relay']), v19);
    expect(f[0].code).toBe('mitre/comment-mismatch');
    expect(f[0].message).toContain('uses the pre-v19 name "LLMNR/NBT-NS Poisoning and SMB Relay" for T1557.001');
    expect(f[0].message).toContain('in ATT&CK v19.2 it is "Name Resolution Poisoning and SMB Relay"');
  });

  test('no comment, or a comment on a line shared by several flow entries: no finding', () => {
    expect(checkAttackMappings(ruleWithMitre(['TA0006:T1555']), v19)).toEqual([]);
    const item = itemFrom(['AnalysisType: rule', 'RuleID: R', 'Reports:', '  MITRE ATT&CK: [TA0006:T1555, TA0006:T1552] # Credentials from Password Stores']);
    expect(checkAttackMappings(item, v19)).toEqual([]);
  });

  test('comments of entries with other problems are not judged twice', () => {
    const f = checkAttackMappings(ruleWithMitre(['TA0005:T1562.001 # Defense Evasion: Impair Defenses - Disable or Modify Tools']), v19);
    expect(f.map((x) => x.code)).toEqual(['mitre/revoked']);
  });
});

describe('mitre/missing', () => {
  test('a detection without mapping, at the most precise line', () => {
    const none = itemFrom(['AnalysisType: rule', 'RuleID: R', 'Severity: Low']);
    expect(brief(checkAttackMappings(none, v19))).toEqual(['2:1 mitre/missing']);
    expect(checkAttackMappings(none, v19)[0].message).toContain('This rule has no MITRE ATT&CK mapping (it has no Reports)');
    const other = itemFrom(['AnalysisType: policy', 'PolicyID: P', 'Reports:', '  CIS:', '    - 1.2']);
    expect(brief(checkAttackMappings(other, v19))).toEqual(['3:1 mitre/missing']);
    const empty = itemFrom(['AnalysisType: scheduled_rule', 'RuleID: R', 'Reports:', '  MITRE ATT&CK: []']);
    expect(brief(checkAttackMappings(empty, v19))).toEqual(['4:3 mitre/missing']);
    expect(checkAttackMappings(empty, v19)[0].message).toContain('This scheduled rule has no MITRE ATT&CK mapping (its "MITRE ATT&CK" list is empty)');
  });

  test('not for other kinds, nor when Reports has the wrong type (the schema stage reports that)', () => {
    expect(checkAttackMappings(itemFrom(['AnalysisType: global', 'GlobalID: G']), v19)).toEqual([]);
    expect(checkAttackMappings(itemFrom(['AnalysisType: rule', 'RuleID: R', 'Reports: [a]']), v19)).toEqual([]);
  });
});

describe('mitre/misplaced', () => {
  test('a tactic ID used as a Reports key', () => {
    const item = itemFrom(['AnalysisType: rule', 'RuleID: R', 'Reports:', '  TA0004:', '    - T1548']);
    const f = checkAttackMappings(item, v19);
    expect(brief(f)).toEqual(['4:3 mitre/misplaced', '3:1 mitre/missing']);
    expect(f[0].message).toBe(
      '"TA0004" is a tactic ID used as a Reports key, so these techniques are not read as ATT&CK mappings. Move them under "MITRE ATT&CK" as "TA0004:T1548".',
    );
    expect(f[0].hint).toBe('Reports:\n  MITRE ATT&CK:\n    - TA0004:T1548');
  });

  test('a mapping under another key, and a misspelt key', () => {
    const item = itemFrom([
      'AnalysisType: rule',
      'RuleID: R',
      'Reports:',
      '  MITRE ATT&CK:',
      '    - TA0006:T1555',
      '  CIS:',
      '    - 3.1',
      '    - TA0006:T1552',
      '  Mitre Attack:',
      '    - TA0001:T1078',
      '  Panther:',
      '    - Data Access',
    ]);
    const f = checkAttackMappings(item, v19);
    expect(brief(f)).toEqual(['8:7 mitre/misplaced', '9:3 mitre/misplaced']);
    expect(f[0].message).toBe('"TA0006:T1552" is an ATT&CK mapping under the Reports key "CIS"; it is read as ATT&CK only under "MITRE ATT&CK". Move it there.');
    expect(f[1].message).toContain('Rename the key to "MITRE ATT&CK"');
  });
});

describe('checkAttackEntry', () => {
  test('returns undefined for a good entry and the problem otherwise', () => {
    expect(checkAttackEntry('TA0006:T1555', undefined, v19)).toBeUndefined();
    expect(checkAttackEntry('TA0006:T1555', 'Credential Access', v19)).toBeUndefined();
    expect(checkAttackEntry('TA0006:T1555', 'Persistence', v19)?.code).toBe('mitre/comment-mismatch');
    expect(checkAttackEntry({ a: 1 }, undefined, v19)).toBeUndefined();
  });
});
