import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { discoverFiles } from '../../src/discover';
import { loadItems } from '../../src/load';
import { defaultOptions } from '../../src/core/options';
import { spawnSync } from 'child_process';

function makeRepo(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-disc-'));
  fs.mkdirSync(path.join(dir, '.git'));
  for (const [name, body] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, body);
  }
  return dir;
}

const RULE = (id: string) => `AnalysisType: rule\nRuleID: ${id}\nEnabled: true\nFilename: x.py\nLogTypes: [A.B]\nSeverity: Low\n`;

describe('discovery as pat does it (spec §2)', () => {
  const repo = makeRepo({
    'rules/a/one.yml': RULE('One'),
    'rules/a/.hidden.yml': RULE('Hidden'),
    'rules/.secret/two.yml': RULE('Two'),
    'rules/__pycache__/three.yml': RULE('Three'),
    'rules/x/UPPER.YML': RULE('Upper'),
    'rules/x/four.yaml': RULE('Four'),
    'templates/example.yml': RULE('Template'),
    'templates/rules/five.yml': RULE('Five'),
    'top.yml': RULE('Top'),
    '.github/dependabot.yml': 'version: 2\n',
    'policies/dependabot.yml': 'version: 2\n',
    'global_helpers/sub/deep.yml': 'AnalysisType: global\nGlobalID: deep\nFilename: deep.py\n',
    'global_helpers/helper.yml': 'AnalysisType: global\nGlobalID: helper\nFilename: helper.py\n',
  });

  test('from the repository root: only pat\'s folders, hidden and ignored files skipped and reported', () => {
    const d = discoverFiles({ ...defaultOptions(repo, '.'), cwd: repo });
    const files = d.files.map((f) => f.file).sort();
    expect(files).toEqual(['global_helpers/helper.yml', 'rules/a/one.yml', 'rules/x/four.yaml', 'templates/rules/five.yml', 'top.yml']);
    const skipped = Object.fromEntries(d.skipped.map((s) => [s.file, s.reason]));
    expect(skipped['rules/a/.hidden.yml']).toBe('hidden file');
    expect(skipped['policies/dependabot.yml']).toMatch(/ignored by name/);
    expect(skipped['templates/example.yml']).toMatch(/not one pat loads/);
    expect(skipped['global_helpers/sub/deep.yml']).toMatch(/not one pat loads/);
    expect(d.looked).toBe(d.files.length + d.skipped.length);
  });

  test('a sub-folder root loads every sub-folder, plus the repository\'s global helpers', () => {
    const d = discoverFiles({ ...defaultOptions(path.join(repo, 'rules'), 'rules'), cwd: repo });
    const files = d.files.map((f) => f.file).sort();
    expect(files).toContain('rules/a/one.yml');
    expect(files).toContain('global_helpers/helper.yml');
    expect(files).toContain('global_helpers/sub/deep.yml');
    expect(files).not.toContain('templates/example.yml');
  });

  test('config globs widen and narrow discovery', () => {
    const d = discoverFiles({ ...defaultOptions(repo, '.'), cwd: repo, include: ['templates/*.yml'], ignore: ['rules/x/**'] });
    const files = d.files.map((f) => f.file);
    expect(files).toContain('templates/example.yml');
    expect(files).not.toContain('rules/x/four.yaml');
    expect(d.skipped.find((s) => s.file === 'rules/x/four.yaml')?.reason).toMatch(/ignore pattern/);
  });

  test('a missing root is a fatal error naming it', () => {
    expect(() => discoverFiles(defaultOptions(path.join(repo, 'nope'), 'nope'))).toThrow(/cannot read the rule folder "nope"/);
  });
});

describe('loading', () => {
  const big = Buffer.alloc(6 * 1024 * 1024, 0x61);
  const repo = makeRepo({
    'rules/ok.yml': RULE('Ok'),
    'rules/broken.yml': 'AnalysisType: rule\nRuleID: [unclosed\n',
    'rules/binary.yml': Buffer.from([0x41, 0x3a, 0x20, 0x00, 0x01]),
    'rules/latin1.yml': Buffer.from('AnalysisType: rule\nRuleID: caf\xe9\n', 'latin1'),
    'rules/huge.yml': big,
    'rules/empty.yml': '',
    'rules/not-ours.yml': 'name: CI\non: push\n',
    'rules/list.yml': '- a\n- b\n',
    'rules/multi.yml': 'AnalysisType: rule\n---\nAnalysisType: rule\n',
    'rules/bom.yml': '\ufeff' + RULE('Bom'),
    'rules/dup.yml': RULE('Dup') + 'Severity: High\n',
  });
  const d = discoverFiles({ ...defaultOptions(repo, '.'), cwd: repo });
  const loaded = loadItems(d.files, { root: repo });
  const byFile = (file: string) => loaded.findings.filter((f) => f.file === file);

  test('good files become items with their companion Python path', () => {
    const ok = loaded.items.find((i) => i.id === 'Ok')!;
    expect(ok.kind).toBe('rule');
    expect(ok.pythonFile).toBe('rules/x.py');
    expect(loaded.items.find((i) => i.id === 'Bom')).toBeDefined();
  });

  test('bad files become findings with a line, and the run goes on', () => {
    expect(byFile('rules/broken.yml')).toEqual([expect.objectContaining({ code: 'yaml/syntax', line: 3, message: expect.stringMatching(/unclosed/) })]);
    expect(byFile('rules/binary.yml')).toEqual([expect.objectContaining({ code: 'file/binary', line: 1 })]);
    expect(byFile('rules/latin1.yml')).toEqual([expect.objectContaining({ code: 'file/binary', line: 2 })]);
    expect(byFile('rules/huge.yml')).toEqual([expect.objectContaining({ code: 'file/too-large' })]);
    expect(byFile('rules/multi.yml')).toEqual([expect.objectContaining({ code: 'yaml/syntax', line: 3 })]);
    expect(byFile('rules/dup.yml')).toEqual([expect.objectContaining({ code: 'yaml/duplicate-key', line: 7 })]);
  });

  test('files that are not analysis files are accounted for as skipped', () => {
    const reasons = Object.fromEntries(loaded.skipped.map((s) => [s.file, s.reason]));
    expect(reasons['rules/empty.yml']).toBe('empty YAML file');
    expect(reasons['rules/not-ours.yml']).toMatch(/no AnalysisType/);
    expect(reasons['rules/list.yml']).toMatch(/top level is a list/);
    const accounted = new Set([...loaded.items.map((i) => i.file), ...loaded.findings.map((f) => f.file), ...loaded.skipped.map((s) => s.file)]);
    for (const f of d.files) expect(accounted.has(f.file)).toBe(true);
  });
});

describe('discovery outside a git checkout and with links', () => {
  test('a pack folder outside git loads every sub-folder (pat filters folders only for ".")', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-nogit-'));
    fs.mkdirSync(path.join(dir, 'python'));
    fs.writeFileSync(path.join(dir, 'python', 'r.yml'), RULE('InPython'));
    const d = discoverFiles({ ...defaultOptions(dir, dir), cwd: os.tmpdir() });
    expect(d.files.map((f) => f.file)).toEqual(['python/r.yml']);
  });

  test('linked folders are not followed (no loops, nothing loaded twice)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-link-'));
    fs.mkdirSync(path.join(dir, 'rules'));
    fs.writeFileSync(path.join(dir, 'rules', 'r.yml'), RULE('Once'));
    fs.symlinkSync(path.join(dir, 'rules'), path.join(dir, 'rules', 'loop'));
    const d = discoverFiles({ ...defaultOptions(dir, dir), cwd: os.tmpdir() });
    expect(d.files.map((f) => f.file)).toEqual(['rules/r.yml']);
  });
});

describe('Sigma files outside pat folders', () => {
  const SIGMA = 'title: T\nlogsource:\n  product: windows\ndetection:\n  sel:\n    a: b\n  condition: sel\n';

  test('a Sigma file in any folder is found; a link out of the repository there is skipped, never opened; a FIFO is never opened', () => {
    const dir = makeRepo({ 'sigma/in.yml': SIGMA, 'misc/plain.yml': 'a: 1\n' });
    const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rg-out-')), 'out.yml');
    fs.writeFileSync(outside, SIGMA);
    fs.symlinkSync(outside, path.join(dir, 'sigma', 'link.yml'));
    spawnSync('mkfifo', [path.join(dir, 'sigma', 'pipe.yml')]);
    const d = discoverFiles({ ...defaultOptions(dir, '.'), cwd: os.tmpdir() });
    expect(d.files.map((f) => f.file)).toEqual(['sigma/in.yml']);
    expect(d.skipped).toContainEqual({ file: 'sigma/link.yml', reason: 'symbolic link to a file outside the repository, in folder ./sigma (not one pat loads): never opened' });
    expect(d.skipped).toContainEqual({ file: 'sigma/pipe.yml', reason: 'a named pipe (FIFO), not a regular file: never opened' });
    expect(d.skipped.map((s) => s.file)).toContain('misc/plain.yml');
  });
});
