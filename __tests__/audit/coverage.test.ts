// Coverage: which detections count, what each matrix entry scores, per-tactic totals and gaps.
import { computeCoverage, aggregateRuleIds } from '../../src/audit/coverage';
import { loadAttackCatalog } from '../../src/attack';
import { detect, goodRule, rule } from './helpers';
import catalogFile from '../../src/attack/data/enterprise-attack-19.2.json';

const catalog = loadAttackCatalog('19.2');
const score = (cov: ReturnType<typeof computeCoverage>, key: string) => cov.entries.find((e) => `${e.tactic}:${e.technique}` === key)?.ruleIds;

test('one entry per active technique and sub-technique under each of its tactics, tactics in matrix order', () => {
  const cov = computeCoverage([], catalog);
  const raw = catalogFile as unknown as { tactics: Record<string, unknown>; techniques: Record<string, { tactics: string[]; revoked: boolean; deprecated: boolean }> };
  const expected = Object.values(raw.techniques)
    .filter((t) => !t.revoked && !t.deprecated)
    .reduce((n, t) => n + t.tactics.length, 0);
  expect(cov.entries).toHaveLength(expected);
  expect([...new Set(cov.entries.map((e) => e.tactic))]).toEqual(Object.keys(raw.tactics));
  expect(cov.tactics.map((t) => t.id)).toEqual(['TA0043', 'TA0042', 'TA0001', 'TA0002', 'TA0003', 'TA0004', 'TA0005', 'TA0112', 'TA0006', 'TA0007', 'TA0008', 'TA0009', 'TA0011', 'TA0010', 'TA0040']);
  expect(cov.entries.every((e) => e.ruleIds.length === 0)).toBe(true);
});

test('enabled detections with a passing test count; disabled, failing and untested ones are listed apart', () => {
  const items = [
    goodRule('A', ['TA0006:T1555', 'TA0006:T1555.003']),
    goodRule('B', ['TA0006:T1555']),
    goodRule('Off', ['TA0001:T1078'], { enabled: false }),
    goodRule('Broken', ['TA0001:T1078']),
    rule('NoTests', ['Enabled: true', 'Reports:', '  MITRE ATT&CK:', '    - TA0001:T1078']),
  ];
  const cov = computeCoverage(detect(items, ['Broken/alerts', 'Broken/quiet']), catalog);
  expect(cov.counted).toBe(2);
  expect(score(cov, 'TA0006:T1555')).toEqual(['A', 'B']);
  expect(score(cov, 'TA0006:T1555.003')).toEqual(['A']);
  expect(score(cov, 'TA0001:T1078')).toEqual([]);
  expect(cov.disabled.map((d) => [d.id, d.reason])).toEqual([['Off', 'disabled']]);
  expect(cov.untested.map((d) => [d.id, d.reason])).toEqual([
    ['Broken', 'every test fails'],
    ['NoTests', 'no tests'],
  ]);
  // T1078 is mapped only by detections that do not count: the cheapest gap, with who is waiting.
  expect(cov.gaps[0]).toMatchObject({ tactic: 'TA0001', technique: 'T1078', waiting: ['Broken', 'NoTests', 'Off'] });
  expect(cov.coveredTechniques).toEqual(['T1555', 'T1555.003']);
});

test('one passing test is enough; a detection counts once per entry', () => {
  const items = [goodRule('Half', ['TA0006:T1555', 'TA0006:T1555'])];
  const cov = computeCoverage(detect(items, ['Half/quiet']), catalog);
  expect(score(cov, 'TA0006:T1555')).toEqual(['Half']);
});

test('only valid mappings count: a revoked technique or a technique under the wrong tactic covers nothing', () => {
  const items = [goodRule('R', ['TA0005:T1562.001', 'TA0001:T1555'])];
  const cov = computeCoverage(detect(items), catalog);
  expect(cov.counted).toBe(1);
  expect(cov.coveredTechniques).toEqual([]);
});

test('a tactic counts a technique as covered through one of its sub-techniques; the folded cell aggregates', () => {
  const cov = computeCoverage(detect([goodRule('S', ['TA0006:T1555.003']), goodRule('P', ['TA0006:T1555'])]), catalog);
  const ca = cov.tactics.find((t) => t.id === 'TA0006')!;
  expect(ca.covered).toBe(1);
  expect(ca.techniques).toBe(cov.entries.filter((e) => e.tactic === 'TA0006' && e.parent === null).length);
  const parent = cov.entries.find((e) => e.tactic === 'TA0006' && e.technique === 'T1555')!;
  expect(aggregateRuleIds(cov.entries, parent)).toEqual(['P', 'S']);
});

test('policies count like rules; derived ones inherit mappings and tests', () => {
  const base = goodRule('Base', ['TA0007:T1087']);
  const derived = rule('Derived', ['Enabled: true', 'BaseDetection: Base']);
  const policy = rule(
    'Pol',
    ['Enabled: true', 'Reports:', '  MITRE ATT&CK:', '    - TA0009:T1530', 'Tests:', '  - Name: open', '    ExpectedResult: false', '    Resource: {a: 1}'],
    'policy',
  );
  const cov = computeCoverage(detect([base, derived, policy]), catalog);
  // Derived has no results of its own in this fixture (the runner reports them under its own ID), so it does not count.
  expect(cov.untested.map((d) => d.id)).toEqual(['Derived']);
  expect(cov.untested[0].techniques).toEqual(['T1087']);
  expect(score(cov, 'TA0009:T1530')).toEqual(['Pol']);
});
