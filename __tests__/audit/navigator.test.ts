// The Navigator layer: valid against the layer format 4.5 (our JSON Schema of MITRE's documented fields,
// see navigator-layer-4.5.schema.json), one entry per technique and tactic, scores and detection IDs.
import Ajv from 'ajv';
import schema from './navigator-layer-4.5.schema.json';
import { buildLayer, renderLayer } from '../../src/audit/navigator';
import { computeCoverage } from '../../src/audit/coverage';
import { loadAttackCatalog } from '../../src/attack';
import { detect, goodRule } from './helpers';

const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

function layerFor(version: string, items = [goodRule('A', ['TA0006:T1555', 'TA0006:T1555.003']), goodRule('B', ['TA0006:T1555'])]) {
  const catalog = loadAttackCatalog(version);
  const coverage = computeCoverage(detect(items, [], version), catalog);
  return { layer: JSON.parse(renderLayer(buildLayer(coverage, catalog, { toolVersion: '0.1.0', sha: 'f'.repeat(40) }))), coverage, catalog };
}

test.each(['19.2', '18.1'])('the ATT&CK v%s layer is a valid 4.5 layer with one entry per technique and tactic', (version) => {
  const { layer, coverage, catalog } = layerFor(version);
  expect(validate(layer)).toBe(true);
  expect(validate.errors ?? []).toEqual([]);
  expect(layer).toMatchObject({ domain: 'enterprise-attack', versions: { attack: version, layer: '4.5' } });
  expect(layer.techniques).toHaveLength(coverage.entries.length);
  const keys = layer.techniques.map((t: { techniqueID: string; tactic: string }) => `${t.tactic}/${t.techniqueID}`);
  expect(new Set(keys).size).toBe(keys.length);
  const shortnames = new Set([...catalog.tactics.values()].map((t) => t.shortname));
  expect(layer.techniques.every((t: { tactic: string }) => shortnames.has(t.tactic))).toBe(true);
  expect(layer.gradient.maxValue).toBeGreaterThan(layer.gradient.minValue);
  expect(layer.legendItems.length).toBeGreaterThanOrEqual(2);
});

test('scores and detection IDs', () => {
  const { layer } = layerFor('19.2');
  const at = (id: string) => layer.techniques.find((t: { techniqueID: string; tactic: string }) => t.techniqueID === id && t.tactic === 'credential-access');
  expect(at('T1555')).toMatchObject({ score: 2, comment: 'Detections: A, B', metadata: [{ name: 'detection', value: 'A' }, { name: 'detection', value: 'B' }] });
  expect(at('T1555.003')).toMatchObject({ score: 1, comment: 'Detections: A' });
  expect(at('T1555.001')).toMatchObject({ score: 0, metadata: [] });
  expect(layer.gradient.maxValue).toBe(2);
});

test('an empty pack still gives a valid layer (gradient 0..1)', () => {
  const { layer } = layerFor('19.2', []);
  expect(validate(layer)).toBe(true);
  expect(layer.gradient).toMatchObject({ minValue: 0, maxValue: 1 });
});

test('the schema is not a rubber stamp', () => {
  const { layer } = layerFor('19.2');
  const broken = [
    { ...layer, versions: { ...layer.versions, layer: '4.4' } },
    { ...layer, versions: { ...layer.versions, navigator: '4.8.2' } },
    { ...layer, domain: 'enterprise' },
    { ...layer, name: undefined },
    { ...layer, techniques: [{ ...layer.techniques[0], score: '3' }] },
    { ...layer, techniques: [{ ...layer.techniques[0], techniqueID: 'T155' }] },
    { ...layer, gradient: { ...layer.gradient, colors: ['#ffffff'] } },
    { ...layer, legendItems: [{ label: 'x' }] },
    { ...layer, layout: { ...layer.layout, aggregateFunction: 'median' } },
    { ...layer, metadata: [{ name: 'x' }] },
    { ...layer, techniqueScores: [] },
  ].map((l) => JSON.parse(JSON.stringify(l)));
  expect(broken.map((l) => validate(l))).toEqual(broken.map(() => false));
});
