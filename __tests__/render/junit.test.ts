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

/** Sums of the per-file suites (every suite but the validation one). */
function fileTotals(suites: ParsedSuite[]) {
  const n = (k: string) => suites.filter((x) => x.attrs.name !== 'RuleGate validation').reduce((a, x) => a + Number(x.attrs[k]), 0);
  return { tests: n('tests'), failures: n('failures') + n('errors'), skipped: n('skipped') };
}

describe('renderJunit', () => {
  test('one testsuite per file with one testcase per test, skipped not-run tests, findings in their own suite', () => {
    const report = makeReport();
    const xml = renderJunit(report);
    const { root, suites } = parseXml(xml);
    expect(suites.map((s) => s.attrs.name)).toEqual(['rules/aws/root_login.yml', 'rules/corr.yml', 'rules/okta/mfa_reset.yml', 'RuleGate validation']);

    const aws = suites.find((s) => s.attrs.name === 'rules/aws/root_login.yml')!;
    expect(aws.cases.map((c) => c.name)).toEqual(['Root login', 'Not root']);
    expect(aws.cases[0]).toEqual({ name: 'Root login', classname: 'AWS.Root.Login', file: 'rules/aws/root_login.yml', line: '30', outcome: null });
    expect(aws.attrs).toMatchObject({ tests: '2', failures: '0', errors: '0', skipped: '0' });

    const okta = suites.find((s) => s.attrs.name === 'rules/okta/mfa_reset.yml')!;
    expect(okta.cases).toHaveLength(1);
    expect(okta.cases[0]).toMatchObject({ name: 'Admin reset', classname: 'Okta.MFA.Reset', line: '41' });
    expect(okta.cases[0].outcome).toMatchObject({ tag: 'failure', type: 'test/failed', message: 'Test "Admin reset" expected true, got false.' });
    expect(okta.cases[0].outcome!.text).toContain('Expected: true\nActual: false\nFailed function: rule');

    const corr = suites.find((s) => s.attrs.name === 'rules/corr.yml')!;
    expect(corr.cases.map((c) => [c.name, c.outcome?.tag, c.outcome?.message])).toEqual([['Corr.X: not run', 'skipped', 'correlation rules need a Panther backend']]);

    // The report's counts: tests (run and not run), failed, not run as skipped.
    expect(fileTotals(suites)).toEqual({ tests: report.summary.tests + report.summary.testsNotRun, failures: report.summary.testsFailed, skipped: report.summary.testsNotRun });

    // Every finding that is not a test result, the warning included (passing: fail-on is error).
    const v = suites.find((s) => s.attrs.name === 'RuleGate validation')!;
    expect(v.cases.map((c) => [c.name, c.classname, c.outcome?.tag ?? 'pass'])).toEqual([
      ['mitre/unknown-technique at rules/aws/root_login.yml:14', 'AWS.Root.Login', 'failure'],
      ['schema/dedup-period at rules/aws/root_login.yml:8', 'AWS.Root.Login', 'pass'],
      ['ref/unknown-id at packs/aws.yml:6', 'PK.AWS', 'failure'],
    ]);
    expect(v.cases[0].outcome).toMatchObject({ type: 'mitre/unknown-technique', message: 'T9999 is not a technique of ATT&CK Enterprise 19.2.' });
    expect(xml).toContain('<system-out>warning: DedupPeriodMinutes is 0, which the backend ignores.\nHint: Use 60.\nat rules/aws/root_login.yml:8:1</system-out>');
    expect(root).toMatchObject({ name: 'RuleGate', tests: '7', failures: '3', errors: '0', skipped: '1' });
  });

  test('one testcase per test, never one per rule: a rule with 3 tests not run is 3 skipped cases', () => {
    const report = makeReport({ notRun: [{ itemId: 'Corr.X', file: 'rules/corr.yml', tests: 3, reason: 'offline' }, { itemId: 'Empty', file: 'rules/e.yml', tests: 0, reason: 'offline' }] });
    report.summary.testsNotRun = 3;
    const { suites } = parseXml(renderJunit(report));
    expect(suites.find((s) => s.attrs.name === 'rules/corr.yml')!.cases.map((c) => c.name)).toEqual(['Corr.X: test 1 of 3 not run', 'Corr.X: test 2 of 3 not run', 'Corr.X: test 3 of 3 not run']);
    expect(suites.some((s) => s.attrs.name === 'rules/e.yml')).toBe(false);
    expect(fileTotals(suites)).toEqual({ tests: 6, failures: 1, skipped: 3 });
  });

  test('with fail-on: warning a warning is a failure: a gate that fails is never green in JUnit', () => {
    const report = makeReport({ findings: [finding({ code: 'mitre/deprecated', severity: 'warning', message: 'T1 is deprecated' })], tests: [testResult()], notRun: [] });
    const green = parseXml(renderJunit(report, { failOn: 'error' }));
    expect(green.root).toMatchObject({ failures: '0', errors: '0' });
    const red = parseXml(renderJunit(report, { failOn: 'warning' }));
    expect(red.root).toMatchObject({ failures: '1', errors: '0' });
    expect(red.suites.find((s) => s.attrs.name === 'RuleGate validation')!.cases[0].outcome).toMatchObject({ tag: 'failure', type: 'mitre/deprecated' });
  });

  test('no findings: the validation suite holds one passing case', () => {
    const { suites } = parseXml(renderJunit(makeReport({ findings: [], tests: [testResult()], notRun: [] })));
    expect(suites.map((s) => [s.attrs.name, s.cases.map((c) => c.name)])).toEqual([
      ['rules/aws/root_login.yml', ['Root login']],
      ['RuleGate validation', ['no validation findings']],
    ]);
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
});
