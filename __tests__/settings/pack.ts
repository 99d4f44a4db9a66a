// A small pack whose results show which settings a run used: a Python rule whose positive test sleeps
// 1.5 s (a time limit of 1 s turns it into test/error), a simple detection with one test (minimum-tests 2
// flags it), and a .rulegate.yml that sets minimum-tests, test-timeout and python (a symlink to the real
// Python, so the report's python.executable names the one that ran).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const PYTHON = process.env.RULEGATE_TEST_PYTHON || 'python3';

export const SETTINGS_PACK: Record<string, string> = {
  'rules/slow.yml': [
    'AnalysisType: rule',
    'RuleID: Settings.Slow',
    'Filename: slow.py',
    'Enabled: true',
    'LogTypes: [AWS.CloudTrail]',
    'Severity: Low',
    'Tests:',
    '  - Name: slow hit',
    '    ExpectedResult: true',
    '    Log: {hit: true, sleep: 1.5}',
    '  - Name: quick miss',
    '    ExpectedResult: false',
    '    Log: {hit: false}',
    '',
  ].join('\n'),
  'rules/slow.py': 'import time\n\n\ndef rule(event):\n    time.sleep(event.get("sleep", 0))\n    return event.get("hit") is True\n',
  'rules/simple.yml': [
    'AnalysisType: rule',
    'RuleID: Settings.Simple',
    'Enabled: true',
    'LogTypes: [AWS.CloudTrail]',
    'Severity: Low',
    'Detection:',
    '  - Key: eventName',
    '    Condition: Equals',
    '    Value: DeleteBucket',
    'Tests:',
    '  - Name: deleted',
    '    ExpectedResult: true',
    '    Log: {eventName: DeleteBucket}',
    '',
  ].join('\n'),
};

/** The real Python executable (python3 may be a pyenv shim) and a symlink to it in `dir`. */
export function pythonLink(dir: string): { real: string; link: string } {
  const real = execFileSync(PYTHON, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  const link = path.join(dir, 'config-python');
  fs.symlinkSync(real, link);
  return { real, link };
}

export function configText(python: string): string {
  return `minimum-tests: 2\ntest-timeout: 1\npython: ${JSON.stringify(python)}\n`;
}

export function writePack(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface ReportLike {
  python: { executable: string } | null;
  findings: Array<{ code: string; itemId?: string; message: string }>;
  tests: Array<{ itemId: string; name: string; passed: boolean; error?: string }>;
}

/** What the settings did, in a form that is easy to compare. */
export function effects(report: ReportLike) {
  return {
    python: report.python?.executable ?? null,
    insufficient: report.findings.filter((f) => f.code === 'test/insufficient').map((f) => f.itemId).sort(),
    slowHit: report.tests.find((t) => t.name === 'slow hit')?.passed ?? 'not run',
  };
}
