// One fixture file per finding code of the engine's first half; the clean file must stay clean.
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const PACK = path.join(__dirname, 'fixtures', 'codes-pack');

test('each case yields exactly its code, at its line; clean files stay clean', () => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), PACK, '--format', 'json'], { encoding: 'utf8' });
  expect(r.status).toBe(1);
  const report = JSON.parse(r.stdout);
  const got: Record<string, string[]> = {};
  for (const f of report.findings) {
    const name = path.basename(f.file);
    if (f.code === 'mitre/missing' && name !== 'mitre_missing.yml') continue; // turned on for this pack; every unmapped fixture has it
    (got[name] ??= []).push(`${f.code}@${f.line}`);
  }
  expect(got).toEqual({
    'yaml_syntax.yml': ['yaml/syntax@3'],
    'missing_key.yml': ['schema/missing-key@1'],
    'unknown_key.yml': ['schema/unknown-key@7'],
    'invalid_value.yml': ['schema/invalid-value@6'],
    'type.yml': ['schema/type@4'],
    'dup_a.yml': ['id/duplicate@2'],
    'dup_b.yml': ['id/duplicate@2'],
    'missing_file.yml': ['ref/missing-file@3'],
    'pack.yml': ['ref/unknown-id@6'],
    'mitre_malformed.yml': ['mitre/malformed@9'],
    'mitre_unknown_tactic.yml': ['mitre/unknown-tactic@9'],
    'mitre_unknown_technique.yml': ['mitre/unknown-technique@9'],
    'mitre_tactic_mismatch.yml': ['mitre/tactic-mismatch@9'],
    'mitre_deprecated.yml': ['mitre/deprecated@9'],
    'mitre_revoked.yml': ['mitre/revoked@9'],
    'mitre_comment.yml': ['mitre/comment-mismatch@9'],
    'mitre_missing.yml': ['mitre/missing@2'],
  });
  const severities = Object.fromEntries(report.findings.map((f: { code: string; severity: string }) => [f.code, f.severity]));
  expect(severities['mitre/missing']).toBe('warning'); // off by default, raised by the pack's .rulegate.yml
  expect(severities['mitre/deprecated']).toBe('warning');
  const clean = report.tests.filter((t: { itemId: string }) => t.itemId === 'Codes.Clean');
  expect(clean.map((t: { passed: boolean }) => t.passed)).toEqual([true, true]);
  expect(report.skippedFiles).toEqual([{ file: expect.stringMatching(/codes-pack\/\.rulegate\.yml$/), reason: 'hidden file' }]);
});
