import { parseConfig, emptyConfig } from '../../src/core/config';
import { finalizeFindings } from '../../src/core/findings';
import { matchesAny, fnmatch } from '../../src/core/glob';
import { closest } from '../../src/core/suggest';

describe('.rulegate.yml', () => {
  test('every key is read', () => {
    const c = parseConfig(
      'attack-version: 18.1\nseverity:\n  mitre/missing: warning\n  mitre/comment-mismatch: off\nignore: [templates/**]\ninclude: ["extra/*.yml"]\nminimum-tests: 2\ntest-timeout: 5\nskip-disabled: true\npython: python3.11\njobs: 3\n',
      '.rulegate.yml',
    );
    expect(c).toMatchObject({
      attackVersion: '18.1',
      severity: { 'mitre/missing': 'warning', 'mitre/comment-mismatch': 'off' },
      ignore: ['templates/**'],
      include: ['extra/*.yml'],
      minimumTests: 2,
      testTimeout: 5,
      skipDisabled: true,
      python: 'python3.11',
      jobs: 3,
    });
  });

  test.each([
    ['sevrity: {}\n', /\.rulegate\.yml:1: unknown config key "sevrity" \(did you mean "severity"\?\)/],
    ['severity:\n  mitre/mising: off\n', /\.rulegate\.yml:2: unknown finding code "mitre\/mising" \(did you mean "mitre\/missing"\?\)/],
    ['severity:\n  mitre/missing: loud\n', /must be error, warning, note or off/],
    ['ignore: templates\n', /"ignore" must be a list of globs/],
    ["minimum-tests: -1\n", /whole number \(0 or more\)/],
    ['minimum-tests: 2.0\n', /whole number/],
    ['test-timeout: 0\n', /"test-timeout" must be a number of seconds greater than 0/],
    ['jobs: -2\n', /"jobs" must be a whole number \(0 or more\)/],
    ['a: [\n', /YAML syntax error/],
  ])('%j is refused with file, line and a fix', (text, message) => {
    expect(() => parseConfig(text, '.rulegate.yml')).toThrow(message);
  });
});

describe('finalizeFindings', () => {
  const raw = [
    { code: 'mitre/missing', file: 'b.yml', line: 2, message: 'm' },
    { code: 'schema/type', file: 'a.yml', line: 9, message: 't' },
    { code: 'schema/type', file: 'a.yml', line: 9, message: 't' },
    { code: 'ref/unknown-id', file: 'p.yml', line: 3, message: 'r', severity: 'warning' as const },
    { code: 'mitre/deprecated', file: 'a.yml', line: 4, message: 'd' },
  ];
  test('registry defaults, own severities, config overrides, off codes dropped, sorted, deduplicated', () => {
    const out = finalizeFindings(raw, { ...emptyConfig(), severity: { 'mitre/deprecated': 'error' } });
    expect(out.map((f) => `${f.file}:${f.line} ${f.code} ${f.severity}`)).toEqual([
      'a.yml:4 mitre/deprecated error',
      'a.yml:9 schema/type error',
      'p.yml:3 ref/unknown-id warning',
    ]);
  });
  test('in pull-request mode only selected files keep findings, except repository-wide codes', () => {
    const out = finalizeFindings(raw, emptyConfig(), new Set(['b.yml']));
    expect(out.map((f) => f.code)).toEqual(['ref/unknown-id']);
  });
});

describe('globs', () => {
  test('path globs', () => {
    expect(matchesAny('templates/a/b.yml', ['templates/**'])).toBe(true);
    expect(matchesAny('rules/x.yml', ['templates/**'])).toBe(false);
    expect(matchesAny('rules/deep/x.yml', ['*.yml'])).toBe(true); // no slash: any folder
    expect(matchesAny('rules/x.yaml', ['rules/*.{yml,yaml}'])).toBe(true);
    expect(matchesAny('rules/a/x.yml', ['rules/*.yml'])).toBe(false);
    expect(matchesAny('rules/a/b.yml', ['rules/'])).toBe(true);
    expect(matchesAny('rules/a/b.yml', ['rules'])).toBe(true); // a matching folder covers what is under it
  });
  test.each([
    // braces hold globs, not literal text
    ['{*.yml,x}', 'a.yml', true],
    ['{*.yml,x}', 'x', true],
    ['{*.yml,x}', 'a.py', false],
    // nested braces
    ['rules/{aws,gcp/{x,y}}/*.yml', 'rules/gcp/y/a.yml', true],
    ['rules/{aws,gcp/{x,y}}/*.yml', 'rules/gcp/z/a.yml', false],
    ['{a,{b,c}}/*.yml', 'c/z.yml', true],
    // a class never matches the folder separator
    ['a[/]b', 'a/b', false],
    ['rules/a[/]b.yml', 'rules/a/b.yml', false],
    ['[!a]*.yml', 'b.yml', true],
    ['[!a]*.yml', 'a.yml', false],
    ['rules/[ab]*.yml', 'rules/b1.yml', true],
    // hidden files and folders are globbed like any other
    ['**/*.yml', '.github/x.yml', true],
    // an unclosed brace or bracket is literal
    ['{a,b', '{a,b', true],
    ['[ab', '[ab', true],
  ])('%s against %s: %s', (glob, file, expected) => {
    expect(matchesAny(file, [glob])).toBe(expected);
  });
  test('fnmatch, as pat matches folders (* crosses /)', () => {
    expect(fnmatch('./templates/rules', '*rules*')).toBe(true);
    expect(fnmatch('./global_helpers', '*/global_helpers')).toBe(true);
    expect(fnmatch('./global_helpers/sub', '*/global_helpers')).toBe(false);
    expect(fnmatch('a.yml', '*.y*ml')).toBe(true);
    expect(fnmatch('a.YML', '*.y*ml')).toBe(false);
  });
  test('did-you-mean only for likely typos', () => {
    expect(closest('RuleId', ['RuleID', 'PolicyID'])).toBe('RuleID');
    expect(closest('Zebra', ['RuleID', 'PolicyID'])).toBeUndefined();
  });
});
