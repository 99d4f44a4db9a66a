// Sigma conformance: our own small fixtures (derived from the public-domain specification) give
// each finding code at its exact line and column, and the offline matcher runs every modifier.
import * as fs from 'fs';
import * as path from 'path';
import { loadAttackCatalog } from '../../src/attack';
import { isSigmaFile, loadSigma, validateSigma, runSigmaRegressionTests, compileRule, type SigmaItem } from '../../src/formats/sigma';
import type { RawFinding } from '../../src/core/types';
import { CODES, type Code } from '../../src/core/codes';

const REPO = path.join(__dirname, 'fixtures', 'repo');

function loadFixtures() {
  const files = fs
    .readdirSync(path.join(REPO, 'rules'))
    .map((n) => ({ file: `rules/${n}`, absPath: path.join(REPO, 'rules', n), text: fs.readFileSync(path.join(REPO, 'rules', n), 'utf8') }));
  return loadSigma(files);
}

function run(profile: 'spec' | 'sigmahq' = 'sigmahq', version?: string): RawFinding[] {
  const loaded = loadFixtures();
  return [...loaded.findings, ...validateSigma(loaded.items as SigmaItem[], loadAttackCatalog(version), { repoRoot: REPO, profile, cliConfig: 'none', wholeRepository: true })];
}

const at = (findings: RawFinding[], code: string, file: string) => findings.filter((f) => f.code === code && f.file === `rules/${file}`).map((f) => `${f.line}:${f.column ?? ''}`);

describe('Sigma findings at their lines (conformance fixtures)', () => {
  const findings = run();
  test.each([
    ['sigma/id-invalid', 'conformance_bad.yml', '2:5'],
    ['schema/invalid-value', 'conformance_bad.yml', '3:9'],
    ['sigma/date-invalid', 'conformance_bad.yml', '4:7'],
    ['sigma/key-typo', 'conformance_bad.yml', '6:1'],
    ['sigma/logsource-unknown-key', 'conformance_bad.yml', '11:5'],
    ['mitre/unknown-tactic', 'conformance_bad.yml', '13:7'],
    ['mitre/revoked', 'conformance_bad.yml', '14:7'],
    ['sigma/attack-other-id', 'conformance_bad.yml', '15:7'],
    ['mitre/deprecated', 'conformance_bad.yml', '16:7'],
    ['sigma/tag-namespace', 'conformance_bad.yml', '17:7'],
    ['sigma/tag-format', 'conformance_bad.yml', '18:7'],
    ['sigma/modifier-unknown', 'conformance_bad.yml', '22:9'],
    ['sigma/modifier-order', 'conformance_bad.yml', '27:9'],
    ['sigma/value-cidr', 'conformance_bad.yml', '25:19'],
    ['sigma/value-fieldref-wildcard', 'conformance_bad.yml', '26:25'],
    ['sigma/modifier-repeated', 'conformance_bad.yml', '35:9'],
    ['sigma/modifier-not-portable', 'conformance_bad.yml', '36:9'],
    ['sigma/value-null-in-list', 'conformance_bad.yml', '37:9'],
    ['sigma/value-control-char', 'conformance_bad.yml', '40:14'],
    ['sigma/placeholder-without-expand', 'conformance_bad.yml', '43:16'],
    ['sigma/field-name-space', 'conformance_bad.yml', '44:9'],
    ['sigma/detection-name-invalid', 'conformance_bad.yml', '51:5'],
    ['sigma/condition-pysigma-misparse', 'conformance_bad.yml', '53:30'],
    ['sigma/condition-pattern-no-match', 'conformance_bad.yml', '53:50'],
    ['sigma/condition-unknown-identifier', 'conformance_bad.yml', '53:59'],
    ['sigma/condition-all-of-them', 'conformance_bad.yml', '53:70'],
    ['sigma/detection-unused', 'conformance_cond3.yml', '8:5'],
    ['sigma/condition-legacy-aggregation', 'conformance_cond.yml', '8:26'],
    ['sigma/condition-syntax', 'conformance_cond2.yml', '10:26'],
    ['id/duplicate', 'conformance_dup.yml', '2:5'],
    ['sigma/title-duplicate', 'conformance_dup.yml', '1:8'],
    ['sigma/correlation-invalid', 'conformance_good.yml', '33:15'],
    ['ref/unknown-id', 'conformance_good.yml', '30:11'],
    ['yaml/syntax', 'conformance_yaml_error.yml', '2:1'],
  ])('%s in %s at %s', (code, file, pos) => {
    expect(at(findings, code, file)).toContain(pos);
  });
  test('every modifier check fires on its own line', () => {
    const types = at(findings, 'sigma/modifier-type', 'conformance_bad.yml');
    expect(types).toEqual(expect.arrayContaining(['23:22', '24:19']));
    expect(at(findings, 'sigma/modifier-combination', 'conformance_bad.yml')).toEqual(expect.arrayContaining(['30:9', '31:9', '34:9']));
    expect(at(findings, 'sigma/value-regex', 'conformance_bad.yml')).toEqual(expect.arrayContaining(['28:20', '29:18']));
    expect(at(findings, 'sigma/value-style', 'conformance_bad.yml')).toEqual(expect.arrayContaining(['41:14', '42:17']));
    expect(at(findings, 'sigma/yaml-ambiguous-scalar', 'conformance_bad.yml')).toEqual(['45:20', '46:18']);
  });
  test('defense-evasion under 19.2 names the v19 tactic; stealth under 18.1 names 19.2', () => {
    const f = findings.find((x) => x.code === 'mitre/unknown-tactic')!;
    expect(f.hint).toMatch(/Stealth|stealth/);
    const old = run('spec', '18.1').filter((x) => x.code === 'mitre/unknown-tactic' || x.code === 'mitre/unknown-technique');
    expect(old.some((x) => /T1059/.test(x.message))).toBe(false);
  });
  test('the good rule has no error; the spec profile drops SigmaHQ conventions', () => {
    expect(findings.filter((f) => f.file === 'rules/conformance_good.yml' && f.line < 23 && (f.severity ?? CODES[f.code as Code].severity) === 'error' && f.code !== 'id/duplicate')).toEqual([]);
    expect(run('spec').some((f) => f.code === 'sigma/sigmahq-convention')).toBe(false);
    expect(findings.some((f) => f.code === 'sigma/sigmahq-convention')).toBe(true);
  });
  test('Sigma files are recognised by their keys; Panther files never', () => {
    expect(isSigmaFile('a.yml', 'title: x\nlogsource:\n  product: y\ndetection: {}\n')).toBe(true);
    expect(isSigmaFile('a.yml', 'AnalysisType: rule\ntitle: x\ndetection: 1\n')).toBe(false);
    expect(isSigmaFile('a.yml', 'rule_metadata:\n  - title: x\n')).toBe(false);
  });
});

describe('regression tests run offline as the rules tests', () => {
  test('the matching event passes; the filtered event fails with a clear message', () => {
    const { items } = loadFixtures();
    const out = runSigmaRegressionTests(items as SigmaItem[], { repoRoot: REPO });
    expect(out.results.map((r) => [r.name.split(' (')[0], r.passed])).toEqual([
      ['Positive', true],
      ['Negative by filter', false],
    ]);
    expect(out.findings[0]).toMatchObject({ code: 'test/failed', file: 'rules/conformance_good.yml', line: 22 });
  });
});

describe('the matcher implements every modifier', () => {
  const rule = (sel: Record<string, unknown>, condition = 'sel') => compileRule({ detection: { sel, condition } });
  const ev = (data: Record<string, unknown>) => ({ Event: { System: { EventID: 1, Provider: { '#attributes': { Name: 'P' } } }, EventData: data } });
  test.each<[Record<string, unknown>, Record<string, unknown>, boolean]>([
    [{ 'Image|endswith': '\\CMD.exe' }, { Image: 'c:\\windows\\cmd.EXE' }, true],
    [{ 'Image|startswith': 'c:\\win' }, { Image: 'C:\\Windows' }, true],
    [{ 'Image|contains': 'ind' }, { Image: 'C:\\Windows' }, true],
    [{ 'Image|contains|cased': 'ind' }, { Image: 'C:\\WIND' }, false],
    [{ Image: 'C:\\W?ndows\\x*' }, { Image: 'c:\\windows\\xyz' }, true],
    [{ Image: 'a\\*b' }, { Image: 'axxb' }, false],
    [{ Image: 'a\\*b' }, { Image: 'a*b' }, true],
    [{ 'CommandLine|contains|all': ['-a', '-b'] }, { CommandLine: 'x -a' }, false],
    [{ 'CommandLine|contains|all': ['-a', '-b'] }, { CommandLine: 'x -b -a' }, true],
    [{ 'CommandLine|windash|contains': ' -enc ' }, { CommandLine: 'p /enc x' }, true],
    [{ 'CommandLine|contains|windash': '-s' }, { CommandLine: 'cmd /s /c dir' }, true],
    [{ 'CommandLine|contains|windash': '-s' }, { CommandLine: 'cmd \u2014s' }, true],
    [{ 'CommandLine|windash': 'a-s' }, { CommandLine: 'a/s' }, false],
    [{ 'CommandLine|re': '^p.*x$' }, { CommandLine: 'pAx' }, true],
    [{ 'CommandLine|re': '^P' }, { CommandLine: 'pAx' }, false],
    [{ 'CommandLine|re|i': '^P' }, { CommandLine: 'pAx' }, true],
    [{ 'CommandLine|re|s': 'a.b' }, { CommandLine: 'a\nb' }, true],
    [{ 'CommandLine|re|m': '^b$' }, { CommandLine: 'a\nb' }, true],
    [{ 'CommandLine|base64|contains': 'hello' }, { CommandLine: 'x aGVsbG8= y' }, true],
    [{ 'CommandLine|base64offset|contains': 'hello' }, { CommandLine: 'xxaGVsbG8' }, true],
    [{ 'CommandLine|base64offset|contains': 'hello' }, { CommandLine: 'xxhlbGxv' }, true],
    [{ 'CommandLine|wide|base64offset|contains': 'ab' }, { CommandLine: Buffer.from('ab', 'utf16le').toString('base64') }, true],
    [{ 'CommandLine|utf16le|base64|contains': 'ab' }, { CommandLine: Buffer.from('ab', 'utf16le').toString('base64') }, true],
    [{ 'CommandLine|utf16be|base64|contains': 'a' }, { CommandLine: Buffer.from([0, 97]).toString('base64') }, true],
    [{ 'CommandLine|utf16|base64|contains': 'a' }, { CommandLine: Buffer.from([255, 254, 97, 0]).toString('base64') }, true],
    [{ 'Count|gt': 5 }, { Count: 6 }, true],
    [{ 'Count|gte': 5 }, { Count: 5 }, true],
    [{ 'Count|lt': 5 }, { Count: 5 }, false],
    [{ 'Count|lte': 5 }, { Count: '5' }, true],
    [{ 'Ip|cidr': '10.0.0.0/8' }, { Ip: '10.2.3.4' }, true],
    [{ 'Ip|cidr': '10.0.0.0/8' }, { Ip: '11.2.3.4' }, false],
    [{ 'Ip|cidr': '2001:db8::/32' }, { Ip: '2001:db8::1' }, true],
    [{ 'Missing|exists': false }, { Image: 'x' }, true],
    [{ 'Image|exists': true }, { Image: 'x' }, true],
    [{ 'Image|neq': 'x' }, { Image: 'y' }, true],
    [{ 'Image|neq': 'x' }, { Image: 'X' }, false],
    [{ 'Image|fieldref': 'Parent' }, { Image: 'a', Parent: 'A' }, true],
    [{ 'Image|fieldref|endswith': 'Parent' }, { Image: 'xa', Parent: 'a' }, true],
    [{ 'Time|hour': 13 }, { Time: '2024-01-02T13:04:05Z' }, true],
    [{ 'Time|minute': 4 }, { Time: '2024-01-02T13:04:05Z' }, true],
    [{ 'Time|day': 2 }, { Time: '2024-01-02T13:04:05Z' }, true],
    [{ 'Time|week': 1 }, { Time: '2024-01-02T13:04:05Z' }, true],
    [{ 'Time|month': 1 }, { Time: '2024-01-02T13:04:05Z' }, true],
    [{ 'Time|year': 2023 }, { Time: '2024-01-02T13:04:05Z' }, false],
    [{ Provider_Name: 'p', EventID: 1 }, { Image: 'x' }, true],
    [{ Field: null }, { Image: 'x' }, true],
    [{ SourceName: 'Real-Time' }, { 'Source Name': 'real-time' }, true],
  ])('%j on %j → %s', (sel, data, want) => {
    expect(rule(sel).matches(ev(data))).toBe(want);
  });
  test('keywords, 1 of / all of / not', () => {
    const r = compileRule({ detection: { kw: ['evil'], sel_a: { A: 'x' }, sel_b: { B: 'y' }, filter: { C: 'z' }, condition: 'kw and (1 of sel_*) and not filter' } });
    expect(r.matches(ev({ A: 'x', D: 'an EVIL thing' }))).toBe(true);
    expect(r.matches(ev({ A: 'x', D: 'an EVIL thing', C: 'z' }))).toBe(false);
    const all = compileRule({ detection: { sel_a: { A: 'x' }, sel_b: { B: 'y' }, condition: 'all of sel_*' } });
    expect(all.matches(ev({ A: 'x' }))).toBe(false);
    expect(all.matches(ev({ A: 'x', B: 'Y' }))).toBe(true);
  });
});

describe('PR mode: a changed Sigma rule selects the correlations and filters that name it', () => {
  test('by name and by id, through a correlation chain', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { selectChanged } = require('../../src/select/changed') as typeof import('../../src/select/changed');
    const rule = 'title: Base\nid: aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa\nname: base\nlogsource:\n    product: x\ndetection:\n    sel:\n        A: 1\n    condition: sel\n';
    const corr = 'title: Corr\nid: bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb\nname: corr\ncorrelation:\n    type: event_count\n    rules:\n        - base\n    group-by: [A]\n    timespan: 5m\n    condition:\n        gte: 2\n';
    const chain = 'title: Chain\nid: cccccccc-cccc-4ccc-8ccc-cccccccccccc\ncorrelation:\n    type: temporal\n    rules:\n        - corr\n        - other\n    group-by: [A]\n    timespan: 5m\n';
    const filt = 'title: Filt\nid: dddddddd-dddd-4ddd-8ddd-dddddddddddd\nlogsource:\n    product: x\nfilter:\n    rules:\n        - aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa\n    selection:\n        B: 2\n    condition: not selection\n';
    const other = rule.replace(/Base/, 'Other').replace(/aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa/, 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee').replace('name: base', 'name: other');
    const { items } = loadSigma(
      Object.entries({ 'base.yml': rule, 'corr.yml': corr, 'chain.yml': chain, 'filt.yml': filt, 'other.yml': other }).map(([file, text]) => ({ file, absPath: `/x/${file}`, text })),
    );
    const sel = selectChanged(items, ['base.yml']);
    expect([...sel.selectedFiles].sort()).toEqual(['base.yml', 'chain.yml', 'corr.yml', 'filt.yml']);
  });
});

describe('the CLI bundle runs a Sigma repository: tests in JUnit, findings with lines', () => {
  test('dist/cli.js on the conformance repository', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { spawnSync } = require('child_process') as typeof import('child_process');
    const os = require('os') as typeof import('os');
    const junit = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sigma-junit-')), 'j.xml');
    const r = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'dist', 'cli.js'), REPO, '--format', 'json', '--junit', junit], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.tests.map((t: { name: string; passed: boolean }) => t.passed)).toEqual([true, false]);
    expect(report.findings.some((f: { code: string; file: string; line: number }) => f.code === 'sigma/condition-legacy-aggregation' && f.line === 8)).toBe(true);
    const xml = fs.readFileSync(junit, 'utf8');
    expect(xml).toMatch(/Negative by filter/);
    expect(xml).toMatch(/<failure/);
  });
});

describe('hostile Sigma input gives findings, never a crash or a hang', () => {
  const load = (text: string) => loadSigma([{ file: 'h.yml', absPath: '/x/h.yml', text }]);
  const check = (text: string) => {
    const l = load(text);
    return [...l.findings, ...validateSigma(l.items as SigmaItem[], loadAttackCatalog(), { repoRoot: '/x', cliConfig: 'none' })];
  };
  const rule = (condition: string, extra = '') => `title: H\nid: 12345678-1234-4234-8234-123456789012\nlogsource:\n    product: x\ndetection:\n    sel:\n        A: 1\n${extra}    condition: '${condition}'\n`;
  test('a condition nested 100,000 deep or 100,000 terms long is a syntax error', () => {
    expect(check(rule('('.repeat(100000) + 'sel' + ')'.repeat(100000))).map((f) => f.code)).toContain('sigma/condition-syntax');
    expect(check(rule(Array(100000).fill('sel').join(' and '))).map((f) => f.code)).toContain('sigma/condition-syntax');
    expect(check(rule('not '.repeat(5000) + 'sel')).map((f) => f.code)).toContain('sigma/condition-syntax');
  });
  test('a catastrophic regex is warned about and not run by the matcher', () => {
    const f = check(rule('sel or re', "    re:\n        A|re: '(a+)+$'\n"));
    expect(f.some((x) => x.code === 'sigma/value-regex' && /exponential/.test(x.message))).toBe(true);
    expect(() => compileRule({ detection: { s: { 'A|re': '(a+)+$' }, condition: 's' } })).toThrow(/exponential/);
  });
  test('windash with many dashes compiles to one regex', () => {
    const r = compileRule({ detection: { s: { 'C|windash|contains': ' -a -b -c -d -e -f -g -h -i -j -k -l' }, condition: 's' } });
    expect(r.matches({ C: 'x /a -b /c -d /e -f /g -h /i -j /k -l' })).toBe(true);
  });
  test('regression test files reached through a symbolic link out of the repository are refused', () => {
    const os = require('os') as typeof import('os');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigma-link-'));
    fs.mkdirSync(path.join(dir, 'r'));
    fs.symlinkSync('/etc', path.join(dir, 'r', 'out'));
    const text = rule('sel', '') + 'regression_tests_path: r/out/hostname\n';
    fs.writeFileSync(path.join(dir, 'rule.yml'), text);
    const l = loadSigma([{ file: 'rule.yml', absPath: path.join(dir, 'rule.yml'), text }]);
    const f = validateSigma(l.items as SigmaItem[], loadAttackCatalog(), { repoRoot: dir, cliConfig: 'none' });
    expect(f.find((x) => x.code === 'ref/missing-file')?.message).toMatch(/outside the repository/);
  });
  test('YAML 1.1 booleans: exists: yes is true, as in PyYAML', () => {
    const f = check(rule('sel', "    e:\n        B|exists: yes\n").replace("'sel'", "'sel or e'"));
    expect(f.filter((x) => x.code === 'sigma/modifier-type')).toEqual([]);
  });
});
