// `rulegate audit` (dist/cli.js) on a generated pack: the report's audit part, text output, files,
// --baseline, the config's say over audit severities, the forecast under --attack-version 18.1, and
// audit options outside an audit.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeDemoPack } from './demo-pack';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-audit-cli-'));
const pack = path.join(tmp, 'pack');
writeDemoPack(pack);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: tmp });

test('audit: JSON report with coverage, lints and snapshot; exit code as in a check', () => {
  const r = cli('audit', 'pack', '--format', 'json', '--jobs', '1', '--navigator', 'layer.json', '--html', 'audit.html');
  expect(r.status).toBe(1); // two failing tests in the demo pack
  const report = JSON.parse(r.stdout);
  expect(report.audit.coverage).toMatchObject({ detections: 34, counted: 31, attackVersion: '19.2' });
  expect(report.audit.coverage.disabled.map((d: { id: string }) => d.id)).toEqual(['Demo.Disabled.Exfil']);
  expect(report.audit.coverage.untested.map((d: { id: string; reason: string }) => [d.id, d.reason]).sort()).toEqual([
    ['Demo.Broken.Wiper', 'every test fails'],
    ['Demo.Untested.Cron', 'no tests'],
  ]);
  expect(report.audit.lints).toMatchObject({ 'audit/no-tests': 1, 'audit/disabled': 1, 'audit/reference-not-url': 1, 'ref/log-type-mismatch': 1, 'audit/no-true-test': 2 });
  expect(report.audit.trend).toBeNull();
  expect(report.audit.forecast).toBeUndefined();
  expect(fs.existsSync(path.join(tmp, 'layer.json')) && fs.existsSync(path.join(tmp, 'audit.html'))).toBe(true);
  fs.writeFileSync(path.join(tmp, 'first.json'), r.stdout);
});

test('text output ends with the audit section; --baseline gives the trend', () => {
  fs.rmSync(path.join(pack, 'rules', 'aws_bucketdeleted.yml'));
  try {
    const r = cli('audit', 'pack', '--jobs', '1', '--baseline', 'first.json', '--no-color');
    expect(r.stdout).toMatch(/Audit \(ATT&CK v19\.2\)\n {2}30 of 33 detections count as coverage/);
    expect(r.stdout).toMatch(/ {4}Credential Access {5}[█░]{10} +4\/17 +24%/);
    expect(r.stdout).toContain('detections removed (1): Demo.AWS.BucketDeleted');
    expect(r.stdout).not.toContain('coverage lost'); // T1485 is still covered by Demo.Zoom.RecordingDeleted
  } finally {
    writeDemoPack(pack);
  }
});

test('a baseline that is not an audit stops the run with exit 2 and says what to pass', () => {
  fs.writeFileSync(path.join(tmp, 'not-audit.json'), JSON.stringify({ version: 1, tool: { name: 'rulegate', version: '0.1.0' }, findings: [] }));
  const r = cli('audit', 'pack', '--baseline', 'not-audit.json');
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('--baseline not-audit.json: it is a RuleGate report without an audit snapshot');
  const missing = cli('audit', 'pack', '--baseline', 'nope.json');
  expect(missing.status).toBe(2);
  expect(missing.stderr).toMatch(/--baseline nope.json: cannot read it/);
});

test('audit options outside an audit are a usage error', () => {
  const r = cli('pack', '--navigator', 'layer.json');
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('--navigator belongs to an audit: run "rulegate audit pack --navigator layer.json"');
});

test('the config decides audit severities; --attack-version 18.1 adds the upgrade forecast', () => {
  fs.writeFileSync(path.join(pack, '.rulegate.yml'), 'severity:\n  audit/disabled: off\n  audit/no-tests: error\n');
  fs.writeFileSync(
    path.join(pack, 'rules', 'old_mapping.yml'),
    fs.readFileSync(path.join(pack, 'rules', 'aws_bucketpublic.yml'), 'utf8').replace('Demo.AWS.BucketPublic', 'Demo.Old.Mapping').replace('TA0009:T1530', 'TA0005:T1562.001'),
  );
  try {
    const r = cli('audit', 'pack', '--format', 'json', '--jobs', '1', '--attack-version', '18.1', '--no-tests');
    const report = JSON.parse(r.stdout);
    const codes = report.findings.map((f: { code: string; severity: string }) => `${f.code}:${f.severity}`);
    expect(codes).not.toContain('audit/disabled:note');
    expect(codes).toContain('audit/no-tests:error');
    expect(r.status).toBe(1);
    expect(report.audit.forecast.entries.find((e: { id: string }) => e.id === 'Demo.Old.Mapping')).toMatchObject({ mapping: 'TA0005:T1562.001', change: 'revoked', replacement: ['TA0112:T1685'], file: 'rules/old_mapping.yml' });
    expect(report.findings.find((f: { code: string; itemId: string }) => f.code === 'audit/attack-upgrade' && f.itemId === 'Demo.Old.Mapping')).toMatchObject({ severity: 'note', hint: '- TA0112:T1685' });
  } finally {
    fs.rmSync(path.join(pack, '.rulegate.yml'));
    fs.rmSync(path.join(pack, 'rules', 'old_mapping.yml'));
  }
});
