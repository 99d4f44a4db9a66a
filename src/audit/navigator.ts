// The coverage as an ATT&CK Navigator layer (layer format 4.5, https://github.com/mitre-attack/attack-navigator
// layers/spec/v4.5/layerformat.md): one entry per technique or sub-technique under each of its tactics,
// score = counted detections mapped to it (0 = a gap), their IDs in the comment and metadata.
import type { Coverage } from './coverage';
import type { AttackCatalog } from '../attack/catalog';

export const LAYER_FORMAT = '4.5';
/** The spec asks for at least 4.9.0; 5.2.0 is the Navigator of the 4.5 spec's example. */
export const NAVIGATOR_VERSION = '5.2.0';
/** Low to high; 0 stays near white so gaps stand out. Shared with the HTML heat map. */
export const GRADIENT = ['#f7fbff', '#6baed6', '#08306b'];

export interface LayerTechnique {
  techniqueID: string;
  tactic: string;
  score: number;
  comment: string;
  enabled: boolean;
  metadata: Array<{ name: string; value: string }>;
  showSubtechniques: boolean;
}

export interface Layer {
  name: string;
  versions: { attack: string; navigator: string; layer: string };
  domain: string;
  description: string;
  sorting: number;
  layout: Record<string, unknown>;
  hideDisabled: boolean;
  techniques: LayerTechnique[];
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: Array<{ label: string; color: string }>;
  showTacticRowBackground: boolean;
  tacticRowBackground: string;
  metadata: Array<{ name: string; value: string }>;
}

export function maxScore(coverage: Coverage): number {
  return coverage.entries.reduce((m, e) => Math.max(m, e.ruleIds.length), 0);
}

export function buildLayer(coverage: Coverage, catalog: AttackCatalog, opts: { name?: string; toolVersion: string; sha?: string }): Layer {
  const max = Math.max(1, maxScore(coverage));
  const techniques: LayerTechnique[] = coverage.entries.map((e) => ({
    techniqueID: e.technique,
    tactic: catalog.tactics.get(e.tactic)?.shortname ?? e.tactic,
    score: e.ruleIds.length,
    comment: e.ruleIds.length ? `Detections: ${e.ruleIds.join(', ')}` : 'No counted detection (enabled, with a passing test) maps here.',
    enabled: true,
    metadata: e.ruleIds.map((id) => ({ name: 'detection', value: id })),
    showSubtechniques: false,
  }));
  const mid = Math.max(1, Math.round(max / 2));
  return {
    name: opts.name ?? 'RuleGate coverage',
    versions: { attack: catalog.version, navigator: NAVIGATOR_VERSION, layer: LAYER_FORMAT },
    domain: catalog.domain,
    description:
      `ATT&CK v${catalog.version} coverage of ${coverage.counted} of ${coverage.detections} detections: score = enabled detections with at least one passing unit test that map to the technique under that tactic.` +
      (opts.sha ? ` Commit ${opts.sha}.` : ''),
    sorting: 3,
    layout: { layout: 'side', showID: true, showName: true, showAggregateScores: true, countUnscored: false, aggregateFunction: 'sum', expandedSubtechniques: 'annotated' },
    hideDisabled: false,
    techniques,
    gradient: { colors: GRADIENT, minValue: 0, maxValue: max },
    legendItems: [
      { label: 'no counted detection', color: GRADIENT[0] },
      { label: `${mid} ${mid === 1 ? 'detection' : 'detections'}`, color: GRADIENT[1] },
      { label: `${max} ${max === 1 ? 'detection' : 'detections'}`, color: GRADIENT[2] },
    ],
    showTacticRowBackground: false,
    tacticRowBackground: '#dddddd',
    metadata: [
      { name: 'generator', value: `RuleGate ${opts.toolVersion}` },
      { name: 'detections counted', value: `${coverage.counted} of ${coverage.detections}` },
      { name: 'disabled', value: String(coverage.disabled.length) },
      { name: 'enabled without a passing test', value: String(coverage.untested.length) },
    ],
  };
}

export function renderLayer(layer: Layer): string {
  return JSON.stringify(layer, null, 2) + '\n';
}
