// Repository-wide checks (spec §7): duplicate IDs, companion Python files, references between
// items (packs, scheduled rules, derived rules), data-model log-type conflicts, test names.
//
// Unlike pat, every finding names all files involved and never depends on directory order.
import * as fs from 'fs';
import * as path from 'path';
import { findRepoRoot } from '../../discover';
import type { Item, PathStep, RawFinding, Severity } from '../../core/types';
import type { Code } from '../../core/codes';
import type { RunOptions } from '../../core/options';
import { DETECTION_KINDS, PYTHON_KINDS, QUERY_KINDS } from './kinds';
import { isMapping, pyTruthy } from './schema/values';
import { unknownRuleFindings } from './correlation/references';

function finding(item: Item, code: Code, at: PathStep[], message: string, severity?: Severity): RawFinding {
  const pos = item.positions.valueAt(at);
  const f: RawFinding = { code, file: item.file, line: pos.line, column: pos.column, message };
  if (item.id !== undefined) f.itemId = item.id;
  if (severity) f.severity = severity;
  return f;
}

function where(item: Item): string {
  return `${item.file}:${item.positions.valueAt([item.idKey]).line}`;
}

function isDerived(item: Item): boolean {
  return item.kind === 'rule' && pyTruthy(item.spec.BaseDetection);
}

function byFile(a: Item, b: Item): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}

function listOthers(others: Item[]): string {
  return others.map(where).join(', ');
}

export function checkRepository(items: Item[], options: RunOptions): RawFinding[] {
  // Repository checks always see every loaded item, whatever --filter or PR narrowing says. But a run
  // on a sub-folder does not load the queries that live elsewhere (pat loads only the root, helpers
  // and data models), so query references are checked only when the root is the repository's top.
  const wholeRepository = findRepoRoot(options.root) === options.root;
  const out: RawFinding[] = [];
  // Items the schema stage accepted. pat resolves pack references and data-model claims among
  // these only, and a duplicate ID still leaves one valid copy in pat, so take this snapshot
  // before this stage marks anything invalid (no cascades from our own findings).
  const schemaValid = items.filter((i) => i.valid);
  const invalidate = new Set<Item>();

  // ---- id/duplicate: one namespace for every kind (spec §4.1 step 4)
  const byId = new Map<string, Item[]>();
  for (const item of items) {
    if (typeof item.id !== 'string') continue;
    const list = byId.get(item.id);
    if (list) list.push(item);
    else byId.set(item.id, [item]);
  }
  for (const [id, copies] of byId) {
    if (copies.length < 2) continue;
    copies.sort(byFile);
    for (const item of copies) {
      const others = copies.filter((c) => c !== item);
      const kinds = new Set(copies.map((c) => c.kind));
      const across = kinds.size > 1 ? ` (IDs are one namespace across all kinds: ${[...kinds].join(', ')})` : '';
      out.push(
        finding(
          item,
          'id/duplicate',
          [item.idKey],
          `The ID ${JSON.stringify(id)} is also used by ${listOthers(others)}${across}. pat keeps whichever file it reads first and rejects the others, depending on directory order — give each file its own ${item.idKey}.`,
        ),
      );
      // Every copy stays runnable: which one pat would keep depends on directory order, so we
      // test them all and let the id/duplicate errors fail the run.
    }
  }

  // ---- ref/missing-file: the Python file named by Filename (lookup tables' data files are not read)
  for (const item of items) {
    if (!PYTHON_KINDS.has(item.kind) || isDerived(item)) continue;
    const filename = item.spec.Filename;
    if (typeof filename !== 'string') continue;
    if (item.pythonOutside) {
      out.push(
        finding(
          item,
          'file/outside-repository',
          ['Filename'],
          'Filename points outside the repository (a "../" path, an absolute path or a symbolic link out of it); RuleGate never reads or runs such a file. Put the Python file in the repository and name it relative to this YAML file.',
        ),
      );
      invalidate.add(item);
      continue;
    }
    const abs = item.pythonPath ?? (filename === '' ? undefined : path.resolve(path.dirname(item.absPath), filename));
    if (abs && isFile(abs)) continue;
    const shown = item.pythonFile ?? path.posix.join(path.posix.dirname(item.file), filename);
    const message =
      filename === ''
        ? 'Filename is empty; name the Python file that holds this item\'s code (relative to this YAML file).'
        : `Filename names ${JSON.stringify(filename)}, but ${shown} does not exist. Filename is resolved relative to the folder of this YAML file; fix the name or add the file.`;
    out.push(finding(item, 'ref/missing-file', ['Filename'], message));
    invalidate.add(item);
  }

  // ---- ref/unknown-id in packs: every PackDefinition.IDs entry must be a loaded, valid item (spec §7.3)
  const validIds = new Set<string>();
  for (const item of schemaValid) if (typeof item.id === 'string') validIds.add(item.id);
  for (const pack of items) {
    if (pack.kind !== 'pack') continue;
    const def = pack.spec.PackDefinition;
    const ids = isMapping(def) ? def.IDs : undefined;
    if (!Array.isArray(ids)) continue;
    const packId = typeof pack.id === 'string' ? JSON.stringify(pack.id) : 'this pack';
    ids.forEach((ref, i) => {
      if (typeof ref !== 'string' || validIds.has(ref)) return;
      const holders = byId.get(ref);
      let message: string;
      if (holders) {
        message = `Pack ${packId} includes ${JSON.stringify(ref)}, but ${holders.map((h) => h.file).join(', ')}, which has that ID, is invalid (see its own errors); pat counts IDs of invalid files as missing.`;
      } else {
        const guess = closestId(ref, byId.keys());
        message = `Pack ${packId} includes ${JSON.stringify(ref)}, but no analysis file has that ID.${guess ? ` Did you mean ${JSON.stringify(guess)}?` : ''} Fix the ID or remove the entry.`;
      }
      out.push(finding(pack, 'ref/unknown-id', ['PackDefinition', 'IDs', i], message));
      invalidate.add(pack);
    });
  }

  // ---- ref/unknown-id in ScheduledQueries (RuleGate only: pat does not check it)
  const queryNames = new Set<string>();
  for (const item of items) if (QUERY_KINDS.has(item.kind) && typeof item.id === 'string') queryNames.add(item.id);
  for (const item of items) {
    if (!wholeRepository) break;
    if ((item.kind !== 'rule' && item.kind !== 'scheduled_rule') || isDerived(item)) continue;
    const queries = item.spec.ScheduledQueries;
    if (!Array.isArray(queries)) continue;
    queries.forEach((name, i) => {
      if (typeof name !== 'string' || queryNames.has(name)) return;
      const guess = closestId(name, queryNames);
      out.push(
        finding(
          item,
          'ref/unknown-id',
          ['ScheduledQueries', i],
          `ScheduledQueries names ${JSON.stringify(name)}, but no saved or scheduled query has that QueryName.${guess ? ` Did you mean ${JSON.stringify(guess)}?` : ''} The rule would never receive events; fix the name or add the query.`,
        ),
      );
    });
  }

  // ---- ref/unknown-id for derived rules' BaseDetection (a warning: pat skips such rules offline)
  const ruleIds = new Set<string>();
  for (const item of items) {
    if (DETECTION_KINDS.has(item.kind) && item.kind !== 'policy' && typeof item.spec.RuleID === 'string' && !isDerived(item)) ruleIds.add(item.spec.RuleID);
  }
  for (const item of items) {
    if (!isDerived(item)) continue;
    const base = item.spec.BaseDetection;
    if (typeof base !== 'string' || ruleIds.has(base)) continue;
    const guess = closestId(base, ruleIds);
    out.push(
      finding(
        item,
        'ref/unknown-id',
        ['BaseDetection'],
        `BaseDetection names ${JSON.stringify(base)}, but no rule in this repository has that RuleID.${guess ? ` Did you mean ${JSON.stringify(guess)}?` : ''} Offline, pat skips this derived rule and runs none of its tests (with an API token it asks the Panther backend for the base).`,
        'warning',
      ),
    );
  }

  // ---- correlation/unknown-rule: entries of correlation rules name detections (derived ones too)
  if (wholeRepository) {
    const detectionIds = new Set(items.filter((i) => DETECTION_KINDS.has(i.kind) && i.kind !== 'policy' && typeof i.spec.RuleID === 'string').map((i) => i.spec.RuleID as string));
    out.push(...unknownRuleFindings(items, detectionIds, (id) => closestId(id, detectionIds)));
  }

  // ---- ref/datamodel-conflict: one enabled data model per log type (spec §6.1 step 3)
  const claims = new Map<string, Array<{ item: Item; index: number }>>();
  for (const item of schemaValid) {
    if (item.kind !== 'datamodel' || item.spec.Enabled !== true || !Array.isArray(item.spec.LogTypes)) continue;
    const seen = new Set<string>();
    item.spec.LogTypes.forEach((logType, index) => {
      if (typeof logType !== 'string' || seen.has(logType)) return;
      seen.add(logType);
      const list = claims.get(logType);
      if (list) list.push({ item, index });
      else claims.set(logType, [{ item, index }]);
    });
  }
  for (const [logType, claimants] of claims) {
    if (claimants.length < 2) continue;
    claimants.sort((a, b) => byFile(a.item, b.item));
    claimants.forEach(({ item, index }, n) => {
      const others = claimants.filter((c) => c.item !== item).map((c) => c.item);
      out.push(
        finding(
          item,
          'ref/datamodel-conflict',
          ['LogTypes', index],
          `The log type ${JSON.stringify(logType)} is also claimed by the enabled data model${others.length > 1 ? 's' : ''} ${listOthers(others)}. Only one enabled data model may cover a log type (pat rejects all but the first it reads) — merge the mappings, or set Enabled: false on all but one.`,
        ),
      );
      // Keep one claimant usable (the first by path, deterministic) so rule tests still get a data model.
      if (n > 0) invalidate.add(item);
    });
  }

  // ---- test/duplicate-name: names are how results are reported; two equal names hide one result
  for (const item of items) {
    if (!DETECTION_KINDS.has(item.kind)) continue;
    const tests = item.spec.Tests;
    if (!Array.isArray(tests)) continue;
    const first = new Map<string, number>();
    tests.forEach((t, i) => {
      if (!isMapping(t) || typeof t.Name !== 'string') return;
      const prev = first.get(t.Name);
      if (prev === undefined) {
        first.set(t.Name, i);
        return;
      }
      const prevLine = item.positions.valueAt(['Tests', prev]).line;
      out.push(
        finding(
          item,
          'test/duplicate-name',
          ['Tests', i, 'Name'],
          `Two tests are named ${JSON.stringify(t.Name)} (this one and the one at line ${prevLine}); results and --test-names select tests by name, so give each test a unique Name.`,
        ),
      );
    });
  }

  for (const item of invalidate) item.valid = false;
  return out;
}

/**
 * A likely intended ID: same text in another case, or at most a few edits away. Bounded and
 * length-filtered, because it runs against every ID of the repository (1,300+ in the public pack).
 */
export function closestId(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const max = Math.min(3, Math.floor(word.length / 4));
  const counts = new Int32Array(128);
  for (let i = 0; i < lower.length; i++) counts[lower.charCodeAt(i) & 127]++;
  let best: string | undefined;
  let bestDistance = max + 1;
  for (const c of candidates) {
    const cl = c.toLowerCase();
    if (cl === lower) return c;
    if (Math.abs(cl.length - lower.length) >= bestDistance) continue;
    // each edit changes the character histogram by at most 2: a cheap bound before the O(n²) distance
    if (histogramDistance(counts, lower.length, cl) > 2 * (bestDistance - 1)) continue;
    const d = boundedDistance(lower, cl, bestDistance - 1);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

const scratch = new Int32Array(128);

function histogramDistance(counts: Int32Array, wordLength: number, s: string): number {
  scratch.set(counts);
  let d = wordLength;
  for (let i = 0; i < s.length; i++) {
    const k = s.charCodeAt(i) & 127;
    d += scratch[k] > 0 ? -1 : 1;
    scratch[k]--;
  }
  return d;
}

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/** Levenshtein distance, or max + 1 as soon as it must exceed `max` (two reused rows, no allocation). */
function boundedDistance(a: string, b: string, max: number): number {
  if (rowA.length <= b.length) {
    rowA = new Int32Array(b.length + 1);
    rowB = new Int32Array(b.length + 1);
  }
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1));
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[b.length];
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
