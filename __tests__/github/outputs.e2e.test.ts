// The files other tools read, from dist/index.js as the runner starts it: SARIF categories that keep two
// packs in one repository apart in code scanning, and JUnit whose counts are the report's and whose
// colour follows the gate (a warning that fails the step is a failure in JUnit too).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cleanupRepos, makeRepo, readJson, runAction, PYTHON } from './helpers/scenario';

/** A rule with two passing tests and one warning (DedupPeriodMinutes 0). */
function pack(id: string): Record<string, string> {
  return {
    'rules/r.yml': `AnalysisType: rule\nRuleID: ${id}.Rule\nFilename: r.py\nEnabled: true\nLogTypes: [AWS.CloudTrail]\nSeverity: Low\nDedupPeriodMinutes: 0\nTests:\n  - Name: hit\n    ExpectedResult: true\n    Log: {x: 1}\n  - Name: miss\n    ExpectedResult: false\n    Log: {x: 2}\n`,
    'rules/r.py': 'def rule(event):\n    print("looked at", event.get("x"))\n    return event.get("x") == 1\n',
  };
}

const repoFiles = { ...prefixed('packs/a/', pack('A')), ...prefixed('packs/b/', pack('B')) };
function prefixed(prefix: string, files: Record<string, string>) {
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [prefix + k, v]));
}

afterAll(() => cleanupRepos());

async function run(inputs: Record<string, string>) {
  const repo = makeRepo({ base: repoFiles });
  const r = await runAction(repo, { eventName: 'schedule', payload: {}, token: '', inputs: { 'sarif-file': 'out/rg.sarif', 'junit-file': 'out/rg.xml', python: PYTHON, ...inputs } });
  const junit = parseJunit(fs.readFileSync(path.join(repo.dir, 'out', 'rg.xml'), 'utf8'));
  return { r, sarif: readJson(path.join(repo.dir, 'out', 'rg.sarif')), report: readJson(r.outputs['report-file']), junit };
}

test('each checked folder is its own code-scanning category unless one is given', async () => {
  const a = await run({ path: 'packs/a' });
  const b = await run({ path: 'packs/b' });
  const named = await run({ path: 'packs/b', 'sarif-category': 'detections/team-b' });
  expect(a.sarif.runs[0].automationDetails.id).toBe('rulegate/packs/a/');
  expect(b.sarif.runs[0].automationDetails.id).toBe('rulegate/packs/b/');
  expect(named.sarif.runs[0].automationDetails.id).toBe('detections/team-b/');
});

test('JUnit: the report counts; with fail-on: warning the warning is a failure, with fail-on: error the report is green', async () => {
  const warn = await run({ path: 'packs/a', 'fail-on': 'warning' });
  expect(warn.r.code).toBe(1); // the gate failed on the warning
  const s = warn.report.summary;
  expect(s).toMatchObject({ tests: 2, testsFailed: 0, warnings: 1, errors: 0 });
  const fileSuites = warn.junit.suites.filter((x) => x.name !== 'RuleGate validation');
  expect(fileSuites.flatMap((x) => x.cases).map((c) => [c.name, c.outcome])).toEqual([
    ['hit', null],
    ['miss', null],
  ]);
  const validation = warn.junit.suites.find((x) => x.name === 'RuleGate validation')!;
  expect(validation.cases.map((c) => [c.name, c.outcome])).toEqual([['schema/dedup-period at packs/a/rules/r.yml:7', 'failure']]);
  expect(Number(warn.junit.root.failures) + Number(warn.junit.root.errors)).toBeGreaterThan(0);

  const ok = await run({ path: 'packs/a', 'fail-on': 'error' });
  expect(ok.r.code).toBe(0);
  expect(ok.junit.root).toMatchObject({ failures: '0', errors: '0' });
  expect(ok.junit.suites.find((x) => x.name === 'RuleGate validation')!.cases.map((c) => c.outcome)).toEqual([null]);
});

function parseJunit(xml: string) {
  const py = `
import json, sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
def outcome(c):
    for tag in ("failure", "error", "skipped"):
        if c.find(tag) is not None:
            return tag
    return None
print(json.dumps({"root": dict(root.attrib), "suites": [{"name": s.get("name"), "cases": [{"name": c.get("name"), "outcome": outcome(c)} for c in s.findall("testcase")]} for s in root.findall("testsuite")]}))
`;
  const r = spawnSync(PYTHON, ['-c', py], { input: xml, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`JUnit did not parse: ${r.stderr}`);
  return JSON.parse(r.stdout) as { root: Record<string, string>; suites: Array<{ name: string; cases: Array<{ name: string; outcome: string | null }> }> };
}
