// --minimum-tests as a validation check (pat's rules, spec §6.7), for every detection kind, from YAML alone.
import { checkTestCoverage } from '../../src/formats/panther/coverage';
import { byId, loadPack } from '../run/helpers';
import type { Item } from '../../src/core/types';

const all = loadPack();
const pick = (...ids: string[]) => ids.map((id) => byId(all, id));
const brief = (items: Item[], minimumTests: number, skipDisabled = false) =>
  checkTestCoverage(items, all, { minimumTests, skipDisabled }).map((f) => `${f.itemId}@${f.line}: ${f.message.replace(/^[^:]+: /, '')}`);

test('count and a positive and a negative case; correlation rules and simple detections too', () => {
  // Correlation has 2 tests (< 3); State has 3, all positive; Simple has 2 (< 3); Basic and Policy have 3 of both kinds
  expect(brief(pick('Fixture.State', 'Fixture.Basic', 'Fixture.Correlation', 'Fixture.Policy', 'Fixture.Simple'), 3)).toEqual([
    'Fixture.State@8: Insufficient test coverage: expected at least one positive and one negative test (--minimum-tests 3); add a test with ExpectedResult: false',
    'Fixture.Correlation@' + byId(all, 'Fixture.Correlation').positions.keyAt(['Tests']).line + ': Insufficient test coverage: 3 tests required but only 2 found (--minimum-tests 3)',
    'Fixture.Simple@11: Insufficient test coverage: 3 tests required but only 2 found (--minimum-tests 3)',
  ]);
});

test('a missing Tests key counts as 0, at the ID line', () => {
  expect(brief(pick('Fixture.NoTests'), 1)).toEqual(['Fixture.NoTests@2: Insufficient test coverage: 1 tests required but only 0 found (--minimum-tests 1)']);
});

test('0 checks nothing; invalid items and, with --skip-disabled, disabled ones are not checked', () => {
  expect(brief(pick('Fixture.NoTests', 'Fixture.State'), 0)).toEqual([]);
  expect(brief([{ ...byId(all, 'Fixture.NoTests'), valid: false }], 1)).toEqual([]);
  const disabled = byId(all, 'Fixture.Disabled');
  expect(brief([disabled], 9, true)).toEqual([]);
  expect(brief([disabled], 9).length).toBeGreaterThan(0);
});

test("a derived rule without Tests is held to its base's tests; with the base unknown it is not judged", () => {
  const basic = byId(all, 'Fixture.Basic');
  const derived = (base: string): Item => ({ ...basic, id: 'Fixture.Derived', spec: { AnalysisType: 'rule', RuleID: 'Fixture.Derived', BaseDetection: base, Enabled: true } });
  expect(brief([derived('Fixture.NoTests')], 1)).toEqual(['Fixture.Derived@2: Insufficient test coverage: 1 tests required but only 0 found (--minimum-tests 1)']);
  expect(brief([derived('Fixture.Basic')], 2)).toEqual([]);
  expect(brief([derived('Nope')], 5)).toEqual([]);
});
