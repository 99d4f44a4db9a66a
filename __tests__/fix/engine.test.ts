// The edit engine and the patch: overlapping fixes wait for the next pass, identical edits apply once,
// and the unified diff is one `git apply` accepts (CRLF lines, a missing final newline).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyFixes } from '../../src/fix/edits';
import { unifiedDiff } from '../../src/fix/diff';
import type { Fix } from '../../src/core/types';
import { findingsOf, fixText, rule } from './helpers';

const edit = (start: number, end: number, replacement: string) => ({ file: 'f', start, end, startLine: 1, startColumn: start + 1, endLine: 1, endColumn: end + 1, replacement });
const fix = (description: string, ...edits: ReturnType<typeof edit>[]): Fix => ({ description, edits });

describe('applyFixes', () => {
  test('a fix overlapping an earlier one is held back whole; identical edits apply once', () => {
    const r = applyFixes('abcdefgh', [fix('one', edit(0, 2, 'X')), fix('two', edit(1, 3, 'Y'), edit(6, 7, 'Z')), fix('same', edit(0, 2, 'X')), fix('four', edit(4, 5, ''))]);
    expect(r.text).toBe('Xcdfgh');
    expect(r.applied.map((f) => f.description)).toEqual(['one', 'same', 'four']);
    expect(r.conflicts.map((f) => f.description)).toEqual(['two']);
  });

  test('edits that only touch at a boundary both apply; two insertions at one point do not', () => {
    expect(applyFixes('abcd', [fix('a', edit(0, 2, '1')), fix('b', edit(2, 4, '2'))]).text).toBe('12');
    const r = applyFixes('abcd', [fix('a', edit(2, 2, '1')), fix('b', edit(2, 2, '2'))]);
    expect(r.text).toBe('ab1cd');
    expect(r.conflicts).toHaveLength(1);
  });

  test('an edit past the end of the text is never applied', () => {
    expect(applyFixes('ab', [fix('x', edit(1, 9, ''))]).conflicts).toHaveLength(1);
  });
});

describe('files read with the lenient closing-bracket retry', () => {
  test('offsets are mapped back to the file: the fix lands on the right text, the bracket lines are untouched', () => {
    const text = rule(['  MITRE ATT&CK: [', '    TA0005:T1562.001, TA0006:T1555', '  ]  # end', 'Tests:', '  - Name: t', '    ExpectedResult: true', '    Log: {', '      "a": 1', '    }']).replace('Tests: []\n', '');
    const found = findingsOf(text);
    expect(found.find((f) => f.code === 'mitre/revoked')?.fix).toBeDefined();
    expect(fixText(text).text).toBe(text.replace('TA0005:T1562.001,', 'TA0112:T1685,'));
  });
});

describe('unifiedDiff', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-diff-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['LF with final newline', 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n', 'a\nB\nc\nd\ne\nf\ng\nh\nI\nj\n'],
    ['CRLF', 'a\r\nb\r\nc\r\n', 'a\r\nB\r\nc\r\n'],
    ['no final newline, last line changed', 'a\nb\nc', 'a\nb\nC'],
    ['no final newline, last line removed', 'a\nb\nc', 'a\nb'],
    ['a line removed in the middle', '1\n2\n3\n4\n5\n6\n7\n8\n', '1\n2\n3\n5\n6\n7\n8\n'],
  ])('%s: git apply turns the old file into the new one', (_name, before, after) => {
    const repo = fs.mkdtempSync(path.join(dir, 'r'));
    execFileSync('git', ['init', '-q'], { cwd: repo });
    fs.mkdirSync(path.join(repo, 'rules'));
    fs.writeFileSync(path.join(repo, 'rules/x.yml'), before);
    const patch = unifiedDiff('rules/x.yml', before, after);
    fs.writeFileSync(path.join(repo, 'fix.patch'), patch);
    execFileSync('git', ['apply', '--check', 'fix.patch'], { cwd: repo });
    execFileSync('git', ['apply', 'fix.patch'], { cwd: repo });
    expect(fs.readFileSync(path.join(repo, 'rules/x.yml'), 'utf8')).toBe(after);
  });

  test('no change, no diff', () => {
    expect(unifiedDiff('x', 'a\n', 'a\n')).toBe('');
  });
});
