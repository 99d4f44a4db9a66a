// Upgrade forecast: mappings valid in 18.1 that 19.2 revokes, deprecates, removes or moves, with the replacement.
import { forecastUpgrade, forecastFindings } from '../../src/audit/forecast';
import { loadAttackCatalog } from '../../src/attack';
import { checkAttackEntry } from '../../src/attack';
import { detect, goodRule } from './helpers';

const v18 = loadAttackCatalog('18.1');
const v19 = loadAttackCatalog('19.2');

test('nothing to forecast on the newest version', () => {
  expect(forecastUpgrade(detect([goodRule('A')], [], '19.2'), v19)).toBeUndefined();
});

test('a pack on 18.1 sees every mapping 19.2 would flag, with the same replacement the ATT&CK check gives', () => {
  // Every valid 18.1 mapping of every active technique: the forecast must flag exactly those 19.2 rejects.
  const mappings: string[] = [];
  for (const t of v18.techniques.values()) if (!t.revoked && !t.deprecated) for (const tactic of t.tactics) mappings.push(`${tactic}:${t.id}`);
  const items = mappings.map((m, i) => goodRule(`R${i}`, [m]));
  const forecast = forecastUpgrade(detect(items, [], '18.1'), v18)!;
  expect(forecast).toMatchObject({ from: '18.1', to: '19.2' });
  const flagged = new Set(forecast.entries.map((e) => e.mapping));
  const rejected = mappings.filter((m) => checkAttackEntry(m, undefined, v19) !== undefined);
  expect([...flagged].sort()).toEqual([...new Set(rejected)].sort());
  expect(rejected.length).toBeGreaterThan(10);

  const e = forecast.entries.find((x) => x.mapping === 'TA0005:T1562.001')!;
  expect(e).toMatchObject({ change: 'revoked', replacement: ['TA0112:T1685'] });
  const f = forecastFindings(forecast).find((x) => x.itemId === e.id)!;
  expect(f).toMatchObject({ code: 'audit/attack-upgrade', file: e.file, line: 12, hint: '- TA0112:T1685' });
  expect(f.message).toBe('"TA0005:T1562.001" is valid in ATT&CK v18.1, which this pack is checked against, but is revoked in ATT&CK v19.2; when you upgrade, write "TA0112:T1685" instead.');
  const kinds = new Set(forecast.entries.map((x) => x.change));
  expect(kinds.has('moved')).toBe(true);
});

test('mappings that are already invalid are left to the ATT&CK stage', () => {
  const forecast = forecastUpgrade(detect([goodRule('X', ['TA0001:T1555'])], [], '18.1'), v18)!;
  expect(forecast.entries).toEqual([]);
});
