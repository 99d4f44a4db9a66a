// `rulegate fix` on a real temporary git repository: in-place fixes with exact diffs, --dry-run
// patches that `git apply` accepts, --code, exit codes, mode kept, nothing written outside the
// repository or to a file the run did not read.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runFixCommand } from '../../src/fix/cli';
import { computeFixes } from '../../src/fix';
import { defaultOptions } from '../../src/core/options';

class Sink {
  text = '';
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

async function fix(args: string[]) {
  const out = new Sink();
  const err = new Sink();
  const code = await runFixCommand(args, out, err);
  return { code, stdout: out.text, stderr: err.text };
}

const RULE = [
  'AnalysisType: rule',
  'RuleID: Fix.Me   # keep me',
  'Enabled: true',
  'LogTypes: [AWS.CloudTrail]',
  'Severity: High',
  'Filename: fix_me.py',
  'DedupPeriodMinute: 60',
  'Reports:',
  '  MITRE ATT&CK:',
  "    - 'TA0005:T1562.001'  # Impair Defenses: Disable or Modify Tools",
  '    - ta0006:t1110',
  'Tests: []',
].join('\r\n');

let repo: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });

beforeEach(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-fix-'));
  git('init', '-q');
  git('config', 'user.email', 't@example.com');
  git('config', 'user.name', 't');
  git('config', 'core.autocrlf', 'false');
  fs.mkdirSync(path.join(repo, 'rules'));
  fs.writeFileSync(path.join(repo, 'rules/fix_me.yml'), RULE, { mode: 0o640 });
  fs.writeFileSync(path.join(repo, 'rules/fix_me.py'), 'def rule(event):\n    return True\n');
  git('add', '-A');
  git('commit', '-qm', 'base');
});
afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

test('fixes in place, prints each change, keeps CRLF, the missing final newline and the mode; a second run changes nothing', async () => {
  const r = await fix([repo]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(
    [
      'rules/fix_me.yml',
      '  Rename the key "DedupPeriodMinute" to "DedupPeriodMinutes"',
      '  Replace "TA0005:T1562.001" with "TA0112:T1685" and write the comment as "# Disable or Modify Tools"',
      '  Replace "ta0006:t1110" with "TA0006:T1110"',
      'Fixed 3 findings in 1 file.',
      '',
    ].join('\n'),
  );
  const after = fs.readFileSync(path.join(repo, 'rules/fix_me.yml'), 'utf8');
  expect(after).toBe(
    RULE.replace('DedupPeriodMinute:', 'DedupPeriodMinutes:')
      .replace("'TA0005:T1562.001'  # Impair Defenses: Disable or Modify Tools", "'TA0112:T1685'  # Disable or Modify Tools")
      .replace('ta0006:t1110', 'TA0006:T1110'),
  );
  expect(fs.statSync(path.join(repo, 'rules/fix_me.yml')).mode & 0o777).toBe(0o640);
  expect(fs.readdirSync(path.join(repo, 'rules')).sort()).toEqual(['fix_me.py', 'fix_me.yml']); // no temp file left
  const again = await fix([repo]);
  expect(again.code).toBe(0);
  expect(again.stdout).toBe('Fixed 0 findings in 0 files.\n');
  expect(fs.readFileSync(path.join(repo, 'rules/fix_me.yml'), 'utf8')).toBe(after);
});

test('--dry-run prints a patch git apply accepts and writes nothing', async () => {
  const r = await fix([repo, '--dry-run']);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('3 fixes in 1 file would be applied');
  expect(fs.readFileSync(path.join(repo, 'rules/fix_me.yml'), 'utf8')).toBe(RULE);
  fs.writeFileSync(path.join(repo, '..', path.basename(repo) + '.patch'), r.stdout);
  git('apply', '--check', `../${path.basename(repo)}.patch`);
  git('apply', `../${path.basename(repo)}.patch`);
  fs.rmSync(path.join(repo, '..', path.basename(repo) + '.patch'));
  const applied = fs.readFileSync(path.join(repo, 'rules/fix_me.yml'), 'utf8');
  const fixed = await fix([repo, '--dry-run']);
  expect(fixed.stdout).toBe(''); // the patch did everything the fixer would
  expect(applied).toContain("'TA0112:T1685'");
});

test('--code limits the fixes; an unknown code is a usage error', async () => {
  const r = await fix([repo, '--code', 'schema/unknown-key']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('Fixed 1 finding in 1 file.');
  expect(fs.readFileSync(path.join(repo, 'rules/fix_me.yml'), 'utf8')).toContain('ta0006:t1110');
  const bad = await fix([repo, '--code', 'mitre/nope']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('unknown finding code "mitre/nope"');
});

// Discovery never follows such a link (file/outside-repository), so fix has nothing of it to read or write.
test('a rule file that is a symlink to a file outside the repository is never read nor written', async () => {
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-outside-'));
  try {
    fs.writeFileSync(path.join(outside, 'target.yml'), RULE);
    fs.rmSync(path.join(repo, 'rules/fix_me.yml'));
    fs.symlinkSync(path.join(outside, 'target.yml'), path.join(repo, 'rules/fix_me.yml'));
    const r = await fix([repo]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Fixed 0 findings in 0 files.');
    expect(fs.readFileSync(path.join(outside, 'target.yml'), 'utf8')).toBe(RULE);
    expect(fs.lstatSync(path.join(repo, 'rules/fix_me.yml')).isSymbolicLink()).toBe(true);
  } finally {
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

test('fixable findings left after the pass limit are counted as remaining; more passes settle them', async () => {
  // the typo fix reveals a revoked mapping, fixed only in a second pass
  const options = defaultOptions(repo, repo);
  const one = await computeFixes(options, { maxPasses: 1, codes: ['mitre/malformed', 'mitre/revoked'] });
  expect(one.passes).toBe(1);
  fs.writeFileSync(path.join(repo, 'rules/fix_me.yml'), RULE.replace("'TA0005:T1562.001'", 'ta0005:t1562.001'));
  const chained = await computeFixes(options, { maxPasses: 1 });
  expect(chained.remaining.map((f) => f.code)).toEqual(['mitre/revoked']);
  const full = await computeFixes(options);
  expect(full.remaining).toEqual([]);
  expect(full.passes).toBe(2);
});
