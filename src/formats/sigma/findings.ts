// What the Sigma checks produce before profile and sigma-cli config filtering: a finding plus the
// pySigma validator it corresponds to (for `validators:` / `exclusions:` of a sigma-cli config) and
// whether it belongs to SigmaHQ's conventions only (profile `sigmahq`).
import type { PathStep, RawFinding } from '../../core/types';
import type { SigmaItem } from './load';

export interface SigmaFinding extends RawFinding {
  /** sigma-cli validator name (snake case, as in `tests/sigma_cli_conf.yml`). */
  validator?: string;
  /** A SigmaHQ convention (profile `sigmahq` or a sigma-cli config only). */
  hq?: boolean;
  /** The rule id the finding belongs to (for sigma-cli exclusions). */
  ruleId?: string;
  /** The item it is about (retired folders downgrade to note). */
  item?: SigmaItem;
}

export type Emit = (f: Omit<SigmaFinding, 'file' | 'line' | 'column' | 'item' | 'ruleId'> & { path?: readonly PathStep[]; key?: boolean; line?: number; column?: number }) => void;

/** A finding emitter bound to one item: positions come from a key path (key or value). */
export function emitterFor(item: SigmaItem, out: SigmaFinding[]): Emit {
  return (f) => {
    const { path, key, ...rest } = f;
    let line = f.line;
    let column = f.column;
    if (line === undefined) {
      const p = path ? (key ? item.positions.keyAt(path) : item.positions.valueAt(path)) : { line: item.documentLine, column: 1 };
      line = p.line;
      column = p.column;
    }
    out.push({ ...rest, file: item.file, line, column, item, ruleId: item.id, itemId: item.id });
  };
}
