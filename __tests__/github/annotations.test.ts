import { planAnnotations, prioritize } from '../../src/github/annotations';
import { finding, makeReport, manyFindings } from '../render/fixtures/report';

describe('planAnnotations', () => {
  test('few findings: all of them, errors first, no closing notice', () => {
    const plan = planAnnotations(makeReport());
    expect(plan.lines).toEqual([
      '::error file=packs/aws.yml,line=6,col=5,title=ref/unknown-id (PK.AWS)::pack (PK.AWS) definition includes item(s) that do not exist (AWS.Gone)',
      '::error file=rules/aws/root_login.yml,line=14,col=7,title=mitre/unknown-technique (AWS.Root.Login)::T9999 is not a technique of ATT&CK Enterprise 19.2.',
      '::error file=rules/okta/mfa_reset.yml,line=41,title=test/failed (Okta.MFA.Reset)::Test "Admin reset" expected true, got false.',
      '::warning file=rules/aws/root_login.yml,line=8,col=1,title=schema/dedup-period (AWS.Root.Login)::DedupPeriodMinutes is 0, which the backend ignores.%0AHint: Use 60.',
    ]);
    expect(plan.omitted).toBe(0);
  });

  test('caps: 10 errors + 10 warnings, changed files first, then a notice with the rest', () => {
    const errors = manyFindings(25);
    const warnings = manyFindings(12, 'warning');
    const changedFile = 'rules/gen/rule_001.yml'; // 10 of the errors and 2 of the warnings
    const report = makeReport({ findings: [...errors, ...warnings] });
    const plan = planAnnotations(report, { changedFiles: [changedFile] });
    const kinds = plan.lines.map((l) => l.slice(0, l.indexOf(' ')));
    expect(kinds.filter((k) => k === '::error')).toHaveLength(10);
    expect(kinds.filter((k) => k === '::warning')).toHaveLength(10);
    expect(kinds.filter((k) => k === '::notice')).toHaveLength(1);
    // The changed file's 10 errors and 2 warnings come first.
    expect(plan.shown.slice(0, 10).every((f) => f.file === changedFile && f.severity === 'error')).toBe(true);
    expect(plan.shown.slice(10, 12).every((f) => f.file === changedFile && f.severity === 'warning')).toBe(true);
    expect(plan.lines.at(-1)).toBe(
      '::notice title=RuleGate::17 more findings are in the job summary (annotations shown: 10 of 25 errors, 10 of 12 warnings; GitHub shows at most 10 of each kind per step).',
    );
  });

  test('a failing step keeps one error slot for its own message', () => {
    const plan = planAnnotations(makeReport({ findings: manyFindings(15) }), { reserveErrors: 1 });
    expect(plan.lines.filter((l) => l.startsWith('::error'))).toHaveLength(9);
    expect(plan.omitted).toBe(6);
  });

  test('many notes: 9 notes and the closing notice', () => {
    const notes = manyFindings(15).map((f) => ({ ...f, severity: 'note' as const }));
    const plan = planAnnotations(makeReport({ findings: notes }));
    expect(plan.lines.filter((l) => l.startsWith('::notice'))).toHaveLength(10);
    expect(plan.lines.at(-1)).toContain('6 more findings are in the job summary (annotations shown: 9 of 15 notes;');
  });
});

test('prioritize: changed files, then severity, then file and line', () => {
  const a = finding({ file: 'b.yml', severity: 'warning', line: 1 });
  const b = finding({ file: 'a.yml', severity: 'error', line: 9 });
  const c = finding({ file: 'a.yml', severity: 'error', line: 2 });
  const d = finding({ file: 'z.yml', severity: 'note', line: 1 });
  expect(prioritize([a, b, c, d])).toEqual([c, b, a, d]);
  expect(prioritize([a, b, c, d], ['z.yml'])).toEqual([d, c, b, a]);
});
