// Files that lead out of the repository or are not files at all, and text that would drive a
// terminal or a CI log, through the real CLI (dist/cli.js).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
let dir: string;
let outsideFile: string;

const rule = (id: string, filename: string) =>
  `AnalysisType: rule\nRuleID: ${id}\nFilename: ${filename}\nEnabled: true\nLogTypes: [Custom.Log]\nSeverity: Low\nTests:\n  - Name: t\n    ExpectedResult: true\n    Log: {a: 1}\n`;

beforeAll(() => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-paths-'));
  dir = path.join(base, 'repo');
  fs.mkdirSync(path.join(dir, 'rules'), { recursive: true });
  fs.mkdirSync(path.join(dir, '.git')); // the repository root
  outsideFile = path.join(base, 'outside_secret.py');
  fs.writeFileSync(outsideFile, 'SECRET_OUTSIDE_TEXT = 1\ndef rule(event):\n    return True\n');
  fs.writeFileSync(path.join(dir, 'rules', 'dotdot.yml'), rule('Path.DotDot', '../../outside_secret.py'));
  fs.writeFileSync(path.join(dir, 'rules', 'absolute.yml'), rule('Path.Absolute', outsideFile));
  fs.symlinkSync(outsideFile, path.join(dir, 'rules', 'linked.py'));
  fs.writeFileSync(path.join(dir, 'rules', 'linked.yml'), rule('Path.Linked', 'linked.py'));
  fs.writeFileSync(path.join(base, 'outside.yml'), rule('Path.OutsideYaml', 'x.py'));
  fs.symlinkSync(path.join(base, 'outside.yml'), path.join(dir, 'rules', 'outside_link.yml'));
  spawnSync('mkfifo', [path.join(dir, 'rules', 'pipe.yml')]);
  // text a rule prints or raises: escape sequences, NUL, carriage returns, workflow commands
  fs.writeFileSync(
    path.join(dir, 'rules', 'noisy.py'),
    'def rule(event):\n    print("\\x1b]0;owned\\x07\\x1b[2J::error::forged\\r##[add-mask]x\\x00end")\n    raise ValueError("\\x1b[31mred\\r::warning::forged too")\n',
  );
  fs.writeFileSync(path.join(dir, 'rules', 'noisy.yml'), rule('Path.Noisy', 'noisy.py'));
});

function run(args: string[]) {
  return spawnSync(process.execPath, [CLI, dir, '--jobs', '1', '--sandbox', 'none', '--no-color', ...args], { encoding: 'utf8', timeout: 120_000 });
}

test('a Filename or a symbolic link out of the repository is a finding, never read; FIFOs are skipped, never opened', () => {
  const r = run(['--format', 'json']);
  expect(r.status).toBe(1);
  const report = JSON.parse(r.stdout);
  const outside = report.findings.filter((f: { code: string }) => f.code === 'file/outside-repository').map((f: { file: string; itemId?: string }) => f.itemId ?? f.file);
  expect(outside.sort()).toEqual(['Path.Absolute', 'Path.DotDot', 'Path.Linked', 'rules/outside_link.yml'].sort());
  expect(r.stdout).not.toContain('SECRET_OUTSIDE_TEXT');
  expect(report.tests.filter((t: { itemId: string }) => ['Path.Absolute', 'Path.DotDot', 'Path.Linked'].includes(t.itemId))).toEqual([]);
  expect(report.skippedFiles).toContainEqual({ file: 'rules/pipe.yml', reason: 'a named pipe (FIFO), not a regular file: never opened' });
});

test('text output carries no raw escape, NUL or carriage return, and no line a CI runner reads as a command', () => {
  const r = run([]);
  expect(r.status).toBe(1);
  const text = r.stdout;
  expect(text).toContain('Path.Noisy');
  expect(text).not.toMatch(/[\x1b\x00\r]/);
  for (const line of text.split('\n')) {
    expect(line).not.toMatch(/^\s*::/);
    expect(line).not.toContain('##[');
  }
  // the carriage return no longer ends the line, so the command text stays inert in the middle of it
  expect(text).toContain('ValueError: ␛[31mred␍::warning::forged too');
});
