import { mocksIgnoredNotes } from '../../src/formats/panther/simple';
import { makeItem } from '../../src/load';
import { loadYaml } from '../../src/load/yaml';

test('Mocks on a simple detection test are reported as ignored, at the Mocks line', () => {
  const text = [
    'AnalysisType: rule',
    'RuleID: S.Mocks',
    'Enabled: true',
    'LogTypes: [A.B]',
    'Severity: Low',
    'Detection:',
    '  - Key: a',
    '    Condition: Exists',
    'Tests:',
    '  - Name: with mocks',
    '    ExpectedResult: true',
    '    Log: {a: 1}',
    '    Mocks:',
    '      - {objectName: f, returnValue: "x"}',
    '  - Name: without',
    '    ExpectedResult: true',
    '    Log: {a: 1}',
    '',
  ].join('\n');
  const r = loadYaml(text);
  if (!r.ok) throw new Error(r.error.message);
  const item = makeItem(r.value as Record<string, unknown>, r.positions, text, 'rules/s.yml', '/repo/rules/s.yml', '/repo');
  const notes = mocksIgnoredNotes(item);
  expect(notes.map((n) => `${n.code}@${n.line}`)).toEqual(['test/mocks-ignored@13']);
  expect(notes[0].message).toContain('"with mocks"');
});
