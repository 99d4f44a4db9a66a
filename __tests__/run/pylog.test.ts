// Test Logs with keys that a JSON object cannot carry (YAML-typed keys, integer-like keys that
// JavaScript reorders) are rebuilt from the YAML source in PyYAML's order (checked against PyYAML).
import { loadYaml } from '../../src/load/yaml';
import type { Item } from '../../src/core/types';
import { needsTypedKeys, typedEntryJson, TYPED_KEYS_MARK } from '../../src/run/pylog';

const SOURCE = `AnalysisType: rule
base: &b {x: 1, y: 2}
a1: &a1 {k: 1}
a2: &a2 {k: 2, m: 5}
Tests:
  - Name: t0
    Log: {b: 1, 2: x, a: 3}
  - Name: t1
    Log: {"2": x, b: 1}
  - Name: t2
    Log: {<<: *b, y: 3, z: 4, 7: seven}
  - Name: t3
    Log: {<<: [*a1, *a2], 10: ten}
  - Name: t4
    Log: {1: a, 1.0: b, true: c, ~: n, 1.5: f, "3": s}
  - Name: t5
    Log:
      nested: [{5: five}, {"x": 1}]
      0644: octal
      08: str
  - Name: t6
    Log: {plain: keys, only: here}
`;

const loaded = loadYaml(SOURCE);
if (!loaded.ok) throw new Error('fixture does not load');
const item = { source: SOURCE, spec: loaded.value } as unknown as Item;
const logs = (loaded.value as { Tests: Array<{ Log: unknown }> }).Tests.map((t) => t.Log);
const M = JSON.stringify(TYPED_KEYS_MARK);

test('only Logs with such keys take the slow path', () => {
  expect(logs.map((l) => needsTypedKeys(l))).toEqual([true, true, true, true, true, true, false]);
});

test.each([
  [0, `{${M}:[["b",1],[2,"x"],["a",3]]}`, true],
  [1, '{"2":"x","b":1}', false], // quoted: a string key, but JavaScript would have moved it first
  [2, `{${M}:[["x",1],["y",3],["z",4],[7,"seven"]]}`, true], // merged keys first, own keys win
  [3, `{${M}:[["k",1],["m",5],[10,"ten"]]}`, true], // the earlier merge source wins
  [4, `{${M}:[[1,"c"],[null,"n"],[1.5,"f"],["3","s"]]}`, true], // 1 == 1.0 == True: one key, first key, last value
  [5, `{${M}:[["nested",[{${M}:[[5,"five"]]},{"x":1}]],[644,"octal"],["08","str"]]}`, true],
])('Log %i', (i, json, typed) => {
  expect(typedEntryJson(item, i, 'Log')).toEqual({ json, typed });
});
