// Each fix kind on the YAML styles found in the wild: block and flow lists, plain and quoted
// entries, comments before and after, CRLF files, a missing final newline. Everything outside
// the fixed span must survive byte for byte, and fixing twice must change nothing.
import { FILE, findingsOf, fixText, rule } from './helpers';

const M = '  MITRE ATT&CK:';

function onlyChanged(before: string, after: string): Array<[string, string]> {
  const a = before.split('\n');
  const b = after.split('\n');
  const out: Array<[string, string]> = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) out.push([a[i], b[i]]);
  return out;
}

describe('mitre/revoked', () => {
  test('block list, plain entry, tactic and technique comment: mapping and comment rewritten in the same style', () => {
    const before = rule([M, '    # the mapping below is old', '    - TA0005:T1562.001  # Defense Evasion: Impair Defenses: Disable or Modify Tools', '    - TA0006:T1555 # Credential Access: Credentials from Password Stores']);
    const f = findingsOf(before).find((x) => x.code === 'mitre/revoked')!;
    expect(f.fix?.description).toBe('Replace "TA0005:T1562.001" with "TA0112:T1685" and write the comment as "# Defense Impairment: Disable or Modify Tools"');
    expect(f.fix?.edits[0]).toMatchObject({ file: FILE, startLine: 10, startColumn: 7, endLine: 10, endColumn: 23, replacement: 'TA0112:T1685' });
    const { text, left } = fixText(before);
    expect(onlyChanged(before, text)).toEqual([
      ['    - TA0005:T1562.001  # Defense Evasion: Impair Defenses: Disable or Modify Tools', '    - TA0112:T1685  # Defense Impairment: Disable or Modify Tools'],
    ]);
    expect(left).toEqual([]);
    expect(fixText(text).text).toBe(text);
  });

  test('a "Technique: Sub" comment keeps its form; a free-text comment is left alone', () => {
    const before = rule([M, '    - TA0005:T1562.008 # Impair Defenses: Disable or Modify Cloud Logs', '    - TA0005:T1562.001 # see ticket SEC-12']);
    const { text } = fixText(before);
    expect(onlyChanged(before, text)).toEqual([
      ['    - TA0005:T1562.008 # Impair Defenses: Disable or Modify Cloud Logs', '    - TA0112:T1685.002 # Disable or Modify Tools: Disable or Modify Cloud Log'],
      ['    - TA0005:T1562.001 # see ticket SEC-12', '    - TA0112:T1685 # see ticket SEC-12'],
    ]);
  });

  test('CRLF file without a final newline: only the span changes, every \\r\\n and the missing newline survive', () => {
    const before = rule([M, "    - 'TA0005:T1562.001' # Impair Defenses: Disable or Modify Tools", '    - "TA0006:T1555"'], { eol: '\r\n', finalNewline: false });
    const { text } = fixText(before);
    expect(text).toBe(before.replace("'TA0005:T1562.001' # Impair Defenses: Disable or Modify Tools", "'TA0112:T1685' # Disable or Modify Tools"));
    expect(text.endsWith('Tests: []')).toBe(true);
    expect(text.split('\r\n').length).toBe(before.split('\r\n').length);
  });

  test('flow list with quoted and plain entries', () => {
    const before = rule(['  MITRE ATT&CK: ["TA0005:T1562.001", TA0006:T1555]  # two mappings']);
    const { text } = fixText(before);
    expect(onlyChanged(before, text)).toEqual([['  MITRE ATT&CK: ["TA0005:T1562.001", TA0006:T1555]  # two mappings', '  MITRE ATT&CK: ["TA0112:T1685", TA0006:T1555]  # two mappings']]);
  });

  test('a replacement the list already has is removed instead of doubled: block list line, comments around it kept', () => {
    const before = rule([M, '    # first', '    - TA0112:T1685 # Defense Impairment: Disable or Modify Tools', '    - TA0005:T1562.001 # Impair Defenses: Disable or Modify Tools', '    # last', '    - TA0006:T1555']);
    const f = findingsOf(before).find((x) => x.code === 'mitre/revoked')!;
    expect(f.fix?.description).toBe('Remove "TA0005:T1562.001": the list already has "TA0112:T1685"');
    const { text } = fixText(before);
    expect(text).toBe(before.replace('    - TA0005:T1562.001 # Impair Defenses: Disable or Modify Tools\n', ''));
  });

  test('two revoked entries with the same replacement: the first is replaced, the second removed', () => {
    const before = rule([M, '    - TA0005:T1562', '    - TA0005:T1562.001', '    - TA0006:T1555']);
    const { text } = fixText(before);
    expect(text).toBe(before.replace('    - TA0005:T1562\n    - TA0005:T1562.001\n', '    - TA0112:T1685\n'));
  });

  test('flow list duplicates: first, middle and last positions, commas handled', () => {
    for (const [list, expected] of [
      ['[TA0005:T1562.001, TA0112:T1685]', '[TA0112:T1685]'],
      ['[TA0112:T1685, TA0005:T1562.001]', '[TA0112:T1685]'],
      ['[TA0006:T1555, TA0005:T1562.001, TA0112:T1685]', '[TA0006:T1555, TA0112:T1685]'],
      ["[ 'TA0112:T1685' , 'TA0005:T1562.001' ]", "[ 'TA0112:T1685' ]"],
    ]) {
      const before = rule([`  MITRE ATT&CK: ${list}`]);
      expect(fixText(before).text).toBe(before.replace(list, expected));
    }
  });

  test('duplicate last entry of a file without a final newline takes the line break before it', () => {
    const before = 'AnalysisType: rule\nRuleID: A\nEnabled: true\nLogTypes: [A.B]\nSeverity: Low\nFilename: r.py\nTests: []\nReports:\n  MITRE ATT&CK:\n    - TA0112:T1685\n    - TA0005:T1562.001';
    expect(fixText(before).text).toBe('AnalysisType: rule\nRuleID: A\nEnabled: true\nLogTypes: [A.B]\nSeverity: Low\nFilename: r.py\nTests: []\nReports:\n  MITRE ATT&CK:\n    - TA0112:T1685');
  });

  test('a replacement under several tactics, none of them the entry\'s, is not fixable', () => {
    const before = rule([M, '    - TA0005:T1004']);
    const f = findingsOf(before).find((x) => x.code === 'mitre/revoked')!;
    expect(f.fix).toBeUndefined();
    const own = findingsOf(rule([M, '    - TA0003:T1004'])).find((x) => x.code === 'mitre/revoked')!;
    expect(own.fix?.edits[0].replacement).toBe('TA0003:T1547.004');
  });
});

describe('mitre/comment-mismatch', () => {
  test('a previous-release name is replaced in place, whatever the spacing after #', () => {
    const before = rule([M, '    - TA0005:T1027   #Defense Evasion: Obfuscated Files or Information', '    - TA0005:T1070 #   defense evasion - Indicator Removal']);
    const { text, left } = fixText(before);
    expect(onlyChanged(before, text)).toEqual([
      ['    - TA0005:T1027   #Defense Evasion: Obfuscated Files or Information', '    - TA0005:T1027   #Stealth: Obfuscated Files or Information'],
      ['    - TA0005:T1070 #   defense evasion - Indicator Removal', '    - TA0005:T1070 #   Stealth - Indicator Removal'],
    ]);
    expect(left).toEqual([]);
  });

  test('a comment naming another technique is rewritten to the canonical names, keeping its parts', () => {
    const before = rule([M, '    - TA0006:T1555 # Persistence: Account Manipulation', '    - TA0006:T1110 # Account Manipulation']);
    const { text } = fixText(before);
    expect(onlyChanged(before, text)).toEqual([
      ['    - TA0006:T1555 # Persistence: Account Manipulation', '    - TA0006:T1555 # Credential Access: Credentials from Password Stores'],
      ['    - TA0006:T1110 # Account Manipulation', '    - TA0006:T1110 # Brute Force'],
    ]);
  });
});

describe('mitre/tactic-mismatch', () => {
  test('a technique under exactly one tactic is moved there; under several it is not fixable', () => {
    const before = rule([M, '    - TA0004:T1110 # Brute Force', '    - TA0040:T1078']);
    const found = findingsOf(before);
    expect(found.find((f) => f.line === 9)?.fix?.edits[0].replacement).toBe('TA0006:T1110');
    expect(found.find((f) => f.line === 10)?.code).toBe('mitre/tactic-mismatch');
    expect(found.find((f) => f.line === 10)?.fix).toBeUndefined();
    expect(onlyChanged(before, fixText(before).text)).toEqual([['    - TA0004:T1110 # Brute Force', '    - TA0006:T1110 # Brute Force']]);
  });
});

describe('mitre/malformed', () => {
  test('unambiguous typos are fixed: a missing zero, lower case, stray spaces (inside quotes)', () => {
    const before = rule([M, '    - TA006:T1555', '    - ta0006:t1110', '    - " TA0006 : T1555.003 "', "    - 'TA0006 T1110.001'"]);
    const { text } = fixText(before);
    expect(onlyChanged(before, text)).toEqual([
      ['    - TA006:T1555', '    - TA0006:T1555'],
      ['    - ta0006:t1110', '    - TA0006:T1110'],
      ['    - " TA0006 : T1555.003 "', '    - "TA0006:T1555.003"'],
      ["    - 'TA0006 T1110.001'", "    - 'TA0006:T1110.001'"],
    ]);
  });

  test('reversed order, other separators, several mappings in one string and trailing names are not fixed', () => {
    for (const entry of ['T1555:TA0006', 'TA0006/T1555', '"TA0006:T1555, TA0003:T1098"', 'TA0006:T1555 Credential Access', 'T1555']) {
      const f = findingsOf(rule([M, `    - ${entry}`])).find((x) => x.code === 'mitre/malformed');
      expect(f).toBeDefined();
      expect(f!.fix).toBeUndefined();
    }
  });

  test('a fixed typo that turns out revoked is fixed further in the next pass', () => {
    const before = rule([M, '    - ta0005:t1562.001']);
    const { text, passes } = fixText(before);
    expect(text).toBe(before.replace('ta0005:t1562.001', 'TA0112:T1685'));
    expect(passes).toBe(2);
  });
});

describe('schema/unknown-key', () => {
  test('a key with one close spelling is renamed, quoted or not, comments kept', () => {
    const before = rule([M, '    - TA0006:T1555'], { extra: ['DedupPeriodMinute: 60  # one hour', '"Runbok": Check the logs'] });
    const { text } = fixText(before);
    expect(onlyChanged(before, text)).toEqual([
      ['DedupPeriodMinute: 60  # one hour', 'DedupPeriodMinutes: 60  # one hour'],
      ['"Runbok": Check the logs', '"Runbook": Check the logs'],
    ]);
  });

  test('never when the right key is also present, and never for a key with no close spelling', () => {
    const both = rule([M, '    - TA0006:T1555'], { extra: ['DedupPeriodMinute: 60', 'DedupPeriodMinutes: 30', 'Zzzqqq: 1'] });
    const unknown = findingsOf(both).filter((f) => f.code === 'schema/unknown-key');
    expect(unknown).toHaveLength(2);
    expect(unknown.every((f) => !f.fix)).toBe(true);
  });

  test('a nested key (inside Tests) is renamed in place', () => {
    const before = 'AnalysisType: rule\nRuleID: A\nEnabled: true\nLogTypes: [A.B]\nSeverity: Low\nFilename: r.py\nReports:\n  MITRE ATT&CK: [TA0006:T1555]\nTests:\n  - Name: t\n    ExpectedResults: true\n    Log: {}\n';
    expect(fixText(before).text).toBe(before.replace('ExpectedResults:', 'ExpectedResult:'));
  });
});
