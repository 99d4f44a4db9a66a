// JUnit XML: parsed back with a real XML parser (Python's xml.etree) to check well-formedness and shape.
import { spawnSync } from 'child_process';
import { renderJunit } from '../../src/render/junit';
import { finding, makeReport, testResult } from './fixtures/report';

interface ParsedCase {
  name: string;
  classname: string;
  file: string;
  line: string | null;
  outcome: { tag: string; message: string | null; type: string | null; text: string | null } | null;
}
interface ParsedSuite {
  attrs: Record<string, string>;
  cases: ParsedCase[];
}

/** Parses XML with Python's ElementTree; returns the root's attributes and its suites. */
function parseXml(xml: string): { root: Record<string, string>; suites: ParsedSuite[] } {
  const py = `
import json, sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
def case(c):
    o = None
    for tag in ("failure", "error", "skipped"):
        e = c.find(tag)
        if e is not None:
            o = {"tag": tag, "message": e.get("message"), "type": e.get("type"), "text": e.text}
    return {"name": c.get("name"), "classname": c.get("classname"), "file": c.get("file"), "line": c.get("line"), "outcome": o}
print(json.dumps({"root": dict(root.attrib), "tag": root.tag, "suites": [{"attrs": dict(s.attrib), "cases": [case(c) for c in s.findall("testcase")]} for s in root.findall("testsuite")]}))
`;
  const r = spawnSync(process.env.RULEGATE_TEST_PYTHON || 'python3', ['-c', py], { input: xml, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`XML did not parse: ${r.stderr}`);
  const out = JSON.parse(r.stdout);
  expect(out.tag).toBe('testsuites');
  return out;
}

describe('renderJunit', () => {
  test('one testsuite per file, one testcase per rule test, validation cases, skipped not-run tests', () => {
    const xml = renderJunit(makeReport());
    const { root, suites } = parseXml(xml);
    expect(suites.map((s) => s.attrs.name)).toEqual(['packs/aws.yml', 'rules/aws/root_login.yml', 'rules/corr.yml', 'rules/okta/mfa_reset.yml']);

    const aws = suites.find((s) => s.attrs.name === 'rules/aws/root_login.yml')!;
    expect(aws.cases.map((c) => c.name)).toEqual(['Root login', 'Not root', 'validation: mitre/unknown-technique at line 14']);
    expect(aws.cases[0]).toEqual({ name: 'Root login', classname: 'AWS.Root.Login', file: 'rules/aws/root_login.yml', line: '30', outcome: null });
    expect(aws.cases[2].outcome).toMatchObject({ tag: 'failure', type: 'mitre/unknown-technique', message: 'T9999 is not a technique of ATT&CK Enterprise 19.2.' });
    expect(aws.attrs).toMatchObject({ tests: '3', failures: '1', errors: '0', skipped: '0' });

    const okta = suites.find((s) => s.attrs.name === 'rules/okta/mfa_reset.yml')!;
    expect(okta.cases).toHaveLength(2);
    expect(okta.cases[0]).toMatchObject({ name: 'Admin reset', classname: 'Okta.MFA.Reset', line: '41' });
    expect(okta.cases[0].outcome).toMatchObject({ tag: 'failure', type: 'test/failed', message: 'Test "Admin reset" expected true, got false.' });
    expect(okta.cases[0].outcome!.text).toContain('Expected: true\nActual: false\nFailed function: rule');
    // Test failures are not repeated as validation failures.
    expect(okta.cases[1]).toMatchObject({ name: 'validation', outcome: null });

    const pack = suites.find((s) => s.attrs.name === 'packs/aws.yml')!;
    expect(pack.cases).toEqual([
      expect.objectContaining({ name: 'validation: ref/unknown-id at line 6', classname: 'PK.AWS', outcome: expect.objectContaining({ tag: 'failure' }) }),
    ]);
    const corr = suites.find((s) => s.attrs.name === 'rules/corr.yml')!;
    expect(corr.cases.map((c) => [c.name, c.outcome?.tag ?? 'pass'])).toEqual([
      ['validation', 'pass'],
      ['Corr.X (1 test)', 'skipped'],
    ]);
    expect(root).toMatchObject({ name: 'RuleGate', tests: '8', failures: '3', errors: '0', skipped: '1' });
    // warnings are not test cases
    expect(xml).not.toContain('schema/dedup-period');
  });

  test('harness errors are <error>, not <failure>', () => {
    const report = makeReport({
      findings: [finding({ code: 'test/error', file: 'rules/x.yml', line: 9, itemId: 'X', message: 'test exceeded the 10 s limit' })],
      tests: [testResult({ itemId: 'X', file: 'rules/x.yml', line: 9, name: 'slow', passed: false, actual: null, error: 'test exceeded the 10 s limit' })],
    });
    const { suites } = parseXml(renderJunit(report));
    const x = suites.find((s) => s.attrs.name === 'rules/x.yml')!;
    expect(x.cases[0].outcome).toMatchObject({ tag: 'error', type: 'test/error', message: 'test exceeded the 10 s limit' });
    expect(x.attrs).toMatchObject({ errors: '1', failures: '0' });
  });

  test('escapes markup, quotes and control characters; stays well-formed', () => {
    const nasty = 'a <b> & "c" \'d\' \u0000\u0007 ]]> \ud800 end\nnext';
    const report = makeReport({
      findings: [finding({ message: nasty, file: 'rules/<x>&.yml', itemId: 'I"d' })],
      tests: [testResult({ name: nasty, file: 'rules/<x>&.yml', itemId: 'I"d', passed: false, actual: false, output: 'printed ]]> <tag>\u001b[31m' })],
    });
    const { suites } = parseXml(renderJunit(report));
    const s = suites.find((x) => x.attrs.name === 'rules/<x>&.yml')!;
    expect(s).toBeDefined();
    expect(s.cases[0].name).toBe('a <b> & "c" \'d\'  ]]>  end\nnext');
  });

  test('changed mode: passing validation cases only for selected files', () => {
    const report = makeReport({
      findings: [],
      tests: [],
      notRun: [],
      selection: { mode: 'changed', changedFiles: ['rules/aws/root_login.yml'], selected: [{ file: 'rules/aws/root_login.yml', reason: 'YAML changed' }] },
    });
    const { suites } = parseXml(renderJunit(report));
    expect(suites.map((s) => s.attrs.name)).toEqual(['rules/aws/root_login.yml']);
  });
});
