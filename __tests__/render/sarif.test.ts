// SARIF output, validated by a real JSON Schema validator (ajv) against the SARIF 2.1.0 schema that
// @microsoft/jest-sarif ships (sarif-2.1.0-rtm.5.json, the OASIS 2.1.0 schema as published on SchemaStore).
import { codeAnchor, renderSarif } from '../../src/render/sarif';
import { PROJECT_URL } from '../../src/core/version';
import { CODES } from '../../src/core/codes';
import { cleanReport, finding, makeReport } from './fixtures/report';
import { sarifValidator } from './sarif-schema';


const validate = sarifValidator();

describe('renderSarif', () => {
  test('is valid SARIF 2.1.0 for a report with findings of every severity', () => {
    const report = makeReport();
    report.findings.push(finding({ code: 'test/not-run', severity: 'note', line: 0, column: undefined, itemId: undefined, message: 'not run' }));
    report.findings.push(finding({ code: 'custom/unknown', file: 'rules/dir with space/ü.yml', endLine: 20, message: 'multi\nline' }));
    const log = JSON.parse(renderSarif(report, { srcRootUri: 'file:///home/runner/work/repo/repo/' }));
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('is valid for a clean report too', () => {
    const log = JSON.parse(renderSarif(cleanReport()));
    expect(validate(log)).toBe(true);
    expect(log.runs[0].results).toEqual([]);
  });

  test('the validator does reject broken SARIF (it is not a rubber stamp)', () => {
    const log = JSON.parse(renderSarif(makeReport()));
    log.runs[0].results[0].level = 'fatal';
    delete log.runs[0].tool.driver.name;
    expect(validate(log)).toBe(false);
    const messages = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    expect(messages.join('\n')).toMatch(/level/);
  });

  test('one reportingDescriptor per registry code, with help text from the registry', () => {
    const log = JSON.parse(renderSarif(makeReport()));
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual(Object.keys(CODES));
    const mitre = rules.find((r: { id: string }) => r.id === 'mitre/unknown-technique');
    expect(mitre).toMatchObject({
      name: 'MitreUnknownTechnique',
      shortDescription: { text: CODES['mitre/unknown-technique'].description },
      defaultConfiguration: { level: 'error' },
    });
    expect(mitre.help.text).toContain(CODES['mitre/unknown-technique'].description);
    const off = rules.find((r: { id: string }) => r.id === 'mitre/missing');
    expect(off.defaultConfiguration).toEqual({ enabled: false, level: 'none' });
  });

  test('results: ruleId/ruleIndex, level, %SRCROOT%-relative uri, region startLine/startColumn', () => {
    const report = makeReport();
    const log = JSON.parse(renderSarif(report));
    const run = log.runs[0];
    expect(log.version).toBe('2.1.0');
    expect(run.results).toHaveLength(report.findings.length);
    const r0 = run.results[0];
    expect(r0).toMatchObject({
      ruleId: 'mitre/unknown-technique',
      level: 'error',
      message: { text: 'T9999 is not a technique of ATT&CK Enterprise 19.2.' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'rules/aws/root_login.yml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 14, startColumn: 7 },
          },
          logicalLocations: [{ name: 'AWS.Root.Login', kind: 'object' }],
        },
      ],
    });
    expect(run.tool.driver.rules[r0.ruleIndex].id).toBe(r0.ruleId);
    const warn = run.results.find((r: { ruleId: string }) => r.ruleId === 'schema/dedup-period');
    expect(warn.level).toBe('warning');
    expect(warn.message.text).toBe('DedupPeriodMinutes is 0, which the backend ignores.\nHint: Use 60.');
    expect(run.originalUriBaseIds).toBeUndefined();
  });

  test('unknown codes get a descriptor; paths are URI-encoded; line 0 becomes 1; fingerprints differ for repeats', () => {
    const report = makeReport({
      findings: [
        finding({ code: 'x/new', file: 'rules/a b/ü.yml', line: 0, column: undefined }),
        finding({ line: 3 }),
        finding({ line: 5 }),
      ],
    });
    const run = JSON.parse(renderSarif(report)).runs[0];
    expect(run.tool.driver.rules.at(-1).id).toBe('x/new');
    expect(run.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('rules/a%20b/%C3%BC.yml');
    expect(run.results[0].locations[0].physicalLocation.region).toEqual({ startLine: 1 });
    const fps = run.results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['rulegateFinding/v2']);
    expect(new Set(fps).size).toBe(3);
  });
});

describe('what code scanning needs', () => {
  test('automationDetails.id from the category: given, else from the checked path, so two packs do not overwrite each other', () => {
    const id = (root: string, category?: string) => JSON.parse(renderSarif(makeReport({ root }), { category })).runs[0].automationDetails.id;
    expect(id('.')).toBe('rulegate/');
    expect(id('./')).toBe('rulegate/');
    expect(id('packs/aws')).toBe('rulegate/packs/aws/');
    expect(id('./packs/gcp/')).toBe('rulegate/packs/gcp/');
    expect(id('packs\\win')).toBe('rulegate/packs/win/');
    expect(id('packs/aws', 'detections-aws')).toBe('detections-aws/');
    expect(id('packs/aws', 'team/aws/')).toBe('team/aws/');
    expect(id('packs/aws')).not.toBe(id('packs/gcp'));
  });

  test('at most 25,000 results per run, the most severe kept, the rest counted in a tool notification', () => {
    const findings = [
      ...Array.from({ length: 6 }, (_, i) => finding({ code: 'mitre/missing', severity: 'note', line: i + 1, message: `note ${i}` })),
      ...Array.from({ length: 3 }, (_, i) => finding({ line: 100 + i, message: `error ${i}` })),
      finding({ code: 'schema/dedup-period', severity: 'warning', line: 200, message: 'warning' }),
    ];
    const log = JSON.parse(renderSarif(makeReport({ findings }), { maxResults: 5 }));
    expect(validate(log)).toBe(true);
    const run = log.runs[0];
    expect(run.results.map((r: { level: string }) => r.level)).toEqual(['error', 'error', 'error', 'warning', 'note']);
    expect(run.invocations[0].toolExecutionNotifications).toEqual([
      expect.objectContaining({ level: 'warning', properties: { omittedResults: 5 }, message: { text: expect.stringContaining('5 more findings are not in this SARIF run') } }),
    ]);
    // the real limit
    const many = Array.from({ length: 25_003 }, (_, i) => finding({ line: i + 1, message: `m${i}` }));
    const big = JSON.parse(renderSarif(makeReport({ findings: many }))).runs[0];
    expect(big.results).toHaveLength(25_000);
    expect(big.invocations[0].toolExecutionNotifications[0].properties).toEqual({ omittedResults: 3 });
    // under the limit: no notification
    expect(JSON.parse(renderSarif(makeReport())).runs[0].invocations[0].toolExecutionNotifications).toBeUndefined();
  });

  test('informationUri is the project; every rule has a helpUri to its row in the README, and that anchor exists', () => {
    const fs = jest.requireActual('fs') as typeof import('fs');
    const readme = fs.readFileSync(require.resolve('../../README.md'), 'utf8');
    const driver = JSON.parse(renderSarif(makeReport())).runs[0].tool.driver;
    expect(driver.informationUri).toBe(PROJECT_URL);
    for (const rule of driver.rules as Array<{ id: string; helpUri: string }>) {
      expect(rule.helpUri).toBe(`${PROJECT_URL}#${codeAnchor(rule.id)}`);
      expect([rule.id, readme.includes(`<a id="${rule.helpUri.split('#')[1]}"></a>\`${rule.id}\``)]).toEqual([rule.id, true]);
    }
  });
});
