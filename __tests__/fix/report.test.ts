// Fixes in the reports: JSON keeps them, SARIF carries them as fixes/artifactChanges/replacements
// (valid against the SARIF 2.1.0 schema), text and the job summary count them, and the action's
// path rebasing moves edit files with their findings.
import { renderSarif } from '../../src/render/sarif';
import { renderText } from '../../src/render/text';
import { renderMarkdown } from '../../src/render/markdown';
import { rebaseReport } from '../../src/github/paths';
import { parseReport } from '../../src/core/report-schema';
import type { Finding, Report } from '../../src/core/types';
import { sarifValidator } from '../render/sarif-schema';
import { findingsOf, rule } from './helpers';

function reportOf(findings: Finding[]): Report {
  return {
    version: 1,
    tool: { name: 'rulegate', version: '0.1.0' },
    root: '.',
    attack: { version: '19.2' },
    python: null,
    summary: { files: 1, items: 1, tests: 0, testsPassed: 0, testsFailed: 0, testsNotRun: 0, errors: findings.length, warnings: 0, durationMs: 1 },
    items: [],
    findings,
    tests: [],
    notRun: [],
    skippedFiles: [],
    timings: {},
  };
}

const found = findingsOf(rule(['  MITRE ATT&CK:', '    - TA0005:T1562.001 # Impair Defenses: Disable or Modify Tools', '    - T1555'])).map(
  (f) => ({ ...f, severity: 'error' }) as Finding,
);

test('SARIF: the fix as a replacement with line/column and char offsets; the log validates', () => {
  const sarif = JSON.parse(renderSarif(reportOf(found)));
  const validate = sarifValidator();
  expect(validate(sarif)).toBe(true);
  const revoked = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'mitre/revoked');
  expect(revoked.fixes).toEqual([
    {
      description: { text: 'Replace "TA0005:T1562.001" with "TA0112:T1685" and write the comment as "# Disable or Modify Tools"' },
      artifactChanges: [
        {
          artifactLocation: { uri: 'rules/r.yml', uriBaseId: '%SRCROOT%' },
          replacements: [
            { deletedRegion: { startLine: 9, startColumn: 7, endLine: 9, endColumn: 23, charOffset: 172, charLength: 16 }, insertedContent: { text: 'TA0112:T1685' } },
            { deletedRegion: { startLine: 9, startColumn: 26, endLine: 9, endColumn: 66, charOffset: 191, charLength: 40 }, insertedContent: { text: 'Disable or Modify Tools' } },
          ],
        },
      ],
    },
  ]);
  const malformed = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'mitre/malformed');
  expect(malformed.fixes).toBeUndefined(); // a bare technique has no single fix
});

test('the char offsets point at the text the fix replaces', () => {
  const text = rule(['  MITRE ATT&CK:', '    - TA0005:T1562.001 # Impair Defenses: Disable or Modify Tools', '    - T1555']);
  const [a, b] = found.find((f) => f.code === 'mitre/revoked')!.fix!.edits;
  expect(text.slice(a.start, a.end)).toBe('TA0005:T1562.001');
  expect(text.slice(b.start, b.end)).toBe('Impair Defenses: Disable or Modify Tools');
});

test('text output and the job summary say how many findings rulegate fix can fix', () => {
  const text = renderText(reportOf(found), { color: false, failuresOnly: false });
  expect(text).toContain('1 finding can be fixed with `rulegate fix` (`rulegate fix --dry-run` shows the changes first).');
  expect(renderMarkdown(reportOf(found), { flavor: 'summary' })).toContain('1 finding can be fixed with `rulegate fix`');
  expect(renderText(reportOf([]), { color: false, failuresOnly: false })).not.toContain('rulegate fix');
});

test('rebasing a report under a sub-folder moves the edits with their findings', () => {
  const r = rebaseReport(reportOf(found), 'detections');
  const f = r.findings.find((x) => x.fix)!;
  expect(f.file).toBe('detections/rules/r.yml');
  expect(f.fix!.edits.map((e) => e.file)).toEqual(['detections/rules/r.yml', 'detections/rules/r.yml']);
});

test('the report contract (zod) keeps a fix unchanged and refuses a malformed one', () => {
  const written = JSON.parse(JSON.stringify(reportOf(found)));
  expect(parseReport(written)).toEqual({ ok: true, report: written });
  const bad = JSON.parse(JSON.stringify(written));
  bad.findings.find((f: Finding) => f.fix).fix.edits[0].start = -1;
  expect(parseReport(bad)).toMatchObject({ ok: false, problem: expect.stringContaining('.fix.edits[0].start') });
});
