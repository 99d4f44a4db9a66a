// Snapshot (the audit's memory) and trend (the comparison of two): round trip through an issue body,
// hostile and damaged blocks, and every kind of change.
import * as zlib from 'zlib';
import { computeCoverage } from '../../src/audit/coverage';
import { SNAPSHOT_OPEN, makeSnapshot, encodeSnapshot, decodeSnapshot, parseSnapshot, type Snapshot } from '../../src/audit/snapshot';
import { compareSnapshots, isQuiet } from '../../src/audit/trend';
import { loadAttackCatalog } from '../../src/attack';
import { detect, goodRule, results } from './helpers';

const catalog = loadAttackCatalog('19.2');

function snap(items: ReturnType<typeof goodRule>[], failing: string[] = []): Snapshot {
  const detections = detect(items, failing);
  return makeSnapshot({ detections, coverage: computeCoverage(detections, catalog), tests: results(items, failing), findings: [], sha: 'a'.repeat(40), at: new Date('2026-11-30T06:00:00Z') });
}

test('a snapshot survives the issue body and is small', () => {
  const items = Array.from({ length: 900 }, (_, i) => goodRule(`Acme.Some.Long.Detection.Name.${i}`, ['TA0006:T1555']));
  const s = snap(items);
  const block = encodeSnapshot(s);
  expect(block.startsWith(SNAPSHOT_OPEN) && block.endsWith(' -->')).toBe(true);
  expect(block.slice(SNAPSHOT_OPEN.length, -4)).toMatch(/^[A-Za-z0-9+/=]+$/); // nothing that could end the HTML comment early
  expect(block.length).toBeLessThan(20_000);
  expect(decodeSnapshot(`# Audit\n\ntext\n${block}\n`).snapshot).toEqual(s);
});

test('no block, a damaged block, a bomb and a wrong shape are told apart and never throw', () => {
  expect(decodeSnapshot('just text')).toEqual({});
  expect(decodeSnapshot('<!-- rulegate-audit-snapshot:v1 !!! -->').problem).toMatch(/damaged/);
  expect(decodeSnapshot('<!-- rulegate-audit-snapshot:v1 AAAA -->').problem).toMatch(/cannot be unpacked/);
  const bomb = zlib.deflateRawSync(Buffer.alloc(50 * 1024 * 1024, 32)).toString('base64');
  expect(decodeSnapshot(`<!-- rulegate-audit-snapshot:v1 ${bomb} -->`).problem).toMatch(/cannot be unpacked/);
  const wrong = zlib.deflateRawSync(Buffer.from(JSON.stringify({ v: 1, at: 'x', attack: '19.2', detections: { a: 1 }, covered: [], failures: [] }))).toString('base64');
  expect(decodeSnapshot(`<!-- rulegate-audit-snapshot:v1 ${wrong} -->`).problem).toMatch(/not an audit snapshot \(detections: expected a mapping/);
  expect(parseSnapshot('{"version":1,"tool":{"name":"rulegate"},"findings":[]}').problem).toMatch(/a RuleGate report without an audit snapshot/);
  expect(parseSnapshot('{"version":1}').problem).toMatch(/not an audit snapshot/);
  expect(parseSnapshot('nope').problem).toMatch(/not JSON/);
});

test('a detection named __proto__ stays a plain key', () => {
  const s = parseSnapshot(JSON.stringify({ v: 1, at: 'x', attack: '19.2', detections: JSON.parse('{"__proto__":"ec","b":"e"}'), covered: [], failures: [] })).snapshot!;
  expect(Object.keys(s.detections).sort()).toEqual(['__proto__', 'b']);
  expect(compareSnapshots(s, s).regressed).toBe(false);
});

test('the trend lists new and fixed failures, coverage gained and lost, detections added, removed, disabled, enabled', () => {
  const before = snap([goodRule('Keep', ['TA0006:T1555']), goodRule('Gone', ['TA0007:T1087']), goodRule('Flaky', ['TA0009:T1530']), goodRule('Switch', ['TA0001:T1078'])], ['Flaky/alerts']);
  const after = snap(
    [goodRule('Keep', ['TA0006:T1555']), goodRule('Flaky', ['TA0009:T1530']), goodRule('Switch', ['TA0001:T1078'], { enabled: false }), goodRule('New', ['TA0040:T1485'])],
    ['Keep/quiet'],
  );
  const t = compareSnapshots(before, after);
  expect(t).toEqual({
    since: '2026-11-30T06:00:00.000Z',
    sinceSha: 'a'.repeat(40),
    newFailures: ['Keep › quiet'],
    fixedFailures: ['Flaky › alerts'],
    coverageGained: ['T1485'],
    coverageLost: ['T1078', 'T1087'],
    added: ['New'],
    removed: ['Gone'],
    disabled: ['Switch'],
    enabled: [],
    regressed: true,
  });
  expect(isQuiet(compareSnapshots(after, after))).toBe(true);
  expect(compareSnapshots(after, before).regressed).toBe(true); // backwards, New is removed
});
