// Fingerprints, the baseline file and the marking of findings, one piece at a time.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Finding } from '../../src/core/types';
import { fingerprint, normalizeMessage } from '../../src/baseline/fingerprint';
import { baselineText, readBaselineFile } from '../../src/baseline/file';
import { applyBaselineEntries, describeProblems, gateCounts, markExisting } from '../../src/baseline/compare';

const f = (over: Partial<Finding> = {}): Finding => ({
  code: 'mitre/unknown-technique',
  severity: 'error',
  file: 'rules/a.yml',
  line: 9,
  itemId: 'A.One',
  message: 'T9999 is not a technique of the Enterprise matrix in ATT&CK v19.2.',
  ...over,
});

test('a fingerprint ignores line numbers, moves and renames, and the ATT&CK version; it keeps what is wrong', () => {
  const a = fingerprint(f());
  expect(fingerprint(f({ line: 30, file: 'rules/moved/a.yml' }))).toBe(a);
  expect(fingerprint(f({ message: 'T9999 is not a technique of the Enterprise matrix in ATT&CK v20.1.' }))).toBe(a);
  expect(fingerprint(f({ message: 'T9998 is not a technique of the Enterprise matrix in ATT&CK v19.2.' }))).not.toBe(a);
  expect(fingerprint(f({ itemId: 'A.Two' }))).not.toBe(a);
  expect(fingerprint(f({ code: 'mitre/revoked' }))).not.toBe(a);
  // Without an item ID the file is the place.
  expect(fingerprint(f({ itemId: undefined }))).not.toBe(fingerprint(f({ itemId: undefined, file: 'rules/b.yml' })));
  // A test is the same problem whatever its failure says today.
  const t = (message: string) => f({ code: 'test/failed', subject: 'test "x"', message });
  expect(fingerprint(t('… KeyError: a'))).toBe(fingerprint(t('… returned False')));
  expect(normalizeMessage('also defined in rules/b.yml line 12, column 3 (rules/c.yml:4:2)')).toBe('also defined in rules/b.yml line N, column N (rules/c.yml:N)');
});

test('marking: repeats count, accepted ones stay accepted, the rest are new', () => {
  const head = [f(), f({ line: 10 }), f({ code: 'schema/type', message: 'x' }), f({ code: 'ref/unknown-id', message: 'y' })];
  head[3].baseline = 'accepted';
  markExisting(head, [f({ line: 3 }), f({ code: 'ref/unknown-id', message: 'y' })]);
  expect(head.map((x) => x.baseline)).toEqual(['existing', 'new', 'new', 'accepted']);
  const report = { findings: head, summary: { errors: 4, warnings: 0 } as never, baseline: { failOnExisting: false, baseRef: 'main', problems: { new: 2, existing: 1, accepted: 1 }, stale: 0 } };
  expect(gateCounts(report)).toEqual({ errors: 2, warnings: 0 });
  expect(describeProblems(report)).toBe('2 new problems (1 already on main, 1 accepted in the baseline)');
  report.baseline.failOnExisting = true;
  expect(gateCounts(report)).toEqual({ errors: 4, warnings: 0 });
});

describe('the baseline file', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-bl-unit-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const write = (text: string) => {
    const p = path.join(tmp, `b${Math.random()}.json`);
    fs.writeFileSync(p, text);
    return p;
  };

  test('round trip: one entry per line, notes left out; entries accept one finding each; unmatched in-scope entries are stale, on their line', () => {
    const text = baselineText([f(), f({ line: 12 }), f({ code: 'test/not-run', severity: 'note', message: 'n' }), f({ code: 'schema/type', file: 'rules/b.yml', itemId: 'B', message: 'z' })], '0.1.0');
    const file = write(text);
    const read = readBaselineFile(file, 'x/.rulegate-baseline.json');
    expect(read.entries!.map((e) => `${e.code}@${e.line}`)).toEqual(['mitre/unknown-technique@6', 'mitre/unknown-technique@7', 'schema/type@8']);
    const now = [f({ line: 40 })];
    const stale = applyBaselineEntries(now, read.entries!, (e) => e.file !== 'rules/b.yml');
    expect(now[0].baseline).toBe('accepted');
    expect(stale.map((e) => e.line)).toEqual([7]); // the second copy; rules/b.yml was not in scope
  });

  test('a broken file is a finding at its line, not a crash', () => {
    const bad = readBaselineFile(write('{\n  "version": 1,\n  "entries": [\n    {"code": 1}\n  ]\n}\n'), '.rulegate-baseline.json');
    expect(bad.problem).toMatchObject({ code: 'baseline/invalid', line: 4 });
    expect(bad.problem!.message).toContain('entry 1 has no "fingerprint" and "code" strings');
    const json = readBaselineFile(write('{\n  "version": 1,\n  "entries": [,]\n}\n'), '.rulegate-baseline.json');
    expect(json.problem).toMatchObject({ code: 'baseline/invalid' });
    expect(json.problem!.message).toMatch(/is not valid JSON/);
    expect(readBaselineFile(path.join(tmp, 'missing.json'), 'm.json').problem!.message).toContain('cannot be read (ENOENT)');
  });
});
