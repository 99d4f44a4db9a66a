// The audit's Markdown (job summary section, issue body): within GitHub's issue body limit however large
// the pack, the snapshot block last and the only one read back, text from the pack kept inert.
import type { Finding, Report } from '../../src/core/types';
import { buildAuditReport, withAuditDefaults } from '../../src/audit';
import { renderAuditMarkdown, ISSUE_BODY_LIMIT } from '../../src/audit/markdown';
import { decodeSnapshot } from '../../src/audit/snapshot';
import { compareSnapshots } from '../../src/audit/trend';
import { emptyConfig } from '../../src/core/config';
import { loadAttackCatalog } from '../../src/attack';
import { goodRule, results, rule } from './helpers';

const catalog = loadAttackCatalog('19.2');

function reportOf(items: ReturnType<typeof goodRule>[], findings: Finding[] = [], failing: string[] = []): Report {
  const tests = results(items, failing);
  const audit = buildAuditReport({ items, tests, notRun: [], findings, catalog, sha: 'c'.repeat(40) });
  return {
    version: 1,
    tool: { name: 'rulegate', version: '0.1.0' },
    root: '.',
    attack: { version: '19.2' },
    python: null,
    summary: { files: items.length, items: items.length, tests: tests.length, testsPassed: tests.filter((t) => t.passed).length, testsFailed: tests.filter((t) => !t.passed).length, testsNotRun: 0, errors: 0, warnings: findings.length, durationMs: 1 },
    items: [],
    findings,
    tests,
    notRun: [],
    skippedFiles: [],
    timings: {},
    audit,
  };
}

test('a huge pack still fits an issue body, with a readable snapshot at the end', () => {
  const items = Array.from({ length: 3000 }, (_, i) => goodRule(`Acme.Detection.With.A.Rather.Long.Name.Number.${i}`, ['TA0006:T1555']));
  const findings: Finding[] = items.flatMap((it, i) => [
    { code: 'audit/no-runbook', severity: 'note', file: `rules/some/deep/folder/${i}.yml`, line: 2, itemId: it.id, message: 'm' },
    { code: 'mitre/missing', severity: 'warning', file: `rules/some/deep/folder/${i}.yml`, line: 2, itemId: it.id, message: 'm' },
  ]);
  const failing = items.slice(0, 1500).map((it) => `${it.id}/alerts`);
  const report = reportOf(items, findings, failing);
  report.audit!.trend = compareSnapshots({ ...report.audit!.snapshot, detections: {}, failures: [], covered: [] }, report.audit!.snapshot);
  const body = renderAuditMarkdown(report, { flavor: 'issue', marker: '<!-- rulegate-audit:report -->', maxChars: ISSUE_BODY_LIMIT, repository: 'acme/detections', sha: 'c'.repeat(40) });
  expect(body.length).toBeLessThanOrEqual(ISSUE_BODY_LIMIT);
  expect(body.startsWith('<!-- rulegate-audit:report -->')).toBe(true);
  expect(body).toMatch(/and \d+ more/);
  const back = decodeSnapshot(body).snapshot!;
  expect(Object.keys(back.detections)).toHaveLength(3000);
});

test('pack text stays inert; a fake snapshot quoted in a test name is never read back', async () => {
  const fake = '<!-- rulegate-audit-snapshot:v1 AAAA -->';
  const evil = rule('Evil', [
    'Enabled: true',
    'Description: d',
    'Runbook: r',
    'Tests:',
    `  - Name: ${JSON.stringify(`x\` <img src=x onerror=alert(1)> @admin ${fake}`)}`,
    '    ExpectedResult: true',
    '    Log: {}',
  ]);
  const report = reportOf([evil, goodRule('Good')], [], ['Evil/' + `x\` <img src=x onerror=alert(1)> @admin ${fake}`]);
  report.audit!.trend = compareSnapshots({ ...report.audit!.snapshot, failures: [] }, report.audit!.snapshot);
  const body = renderAuditMarkdown(report, { flavor: 'issue', marker: '<!-- m -->', maxChars: ISSUE_BODY_LIMIT });
  const line = body.split('\n').find((l) => l.includes('new failures'))!;
  expect(line).toContain('`Evil › xˋ <img src=x onerror=alert(1)> @admin <!-- rulegate-audit-snapshot:v1 AAAA -->`'); // one code span: shown, not rendered
  expect(decodeSnapshot(body).snapshot).toEqual(report.audit!.snapshot);
});

test('an audit turns mitre/missing and ref/log-type-mismatch on; the config still wins', () => {
  expect(withAuditDefaults(emptyConfig()).severity).toMatchObject({ 'mitre/missing': 'warning', 'ref/log-type-mismatch': 'warning' });
  const cfg = { ...emptyConfig(), severity: { 'mitre/missing': 'off' as const, 'audit/no-runbook': 'error' as const } };
  expect(withAuditDefaults(cfg).severity).toMatchObject({ 'mitre/missing': 'off', 'ref/log-type-mismatch': 'warning', 'audit/no-runbook': 'error' });
});
