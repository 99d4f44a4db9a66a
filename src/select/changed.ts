// Dependency-aware pull-request selection: which analysis files a change can affect.
// The pipeline validates and tests only these (repository-wide checks still see everything).
//
// An item is selected when
//   - its YAML or its Python file changed;
//   - its Python imports a changed global helper, directly or through helpers that import it
//     (static scan of `import X` / `from X import …`; a helper's module name is its GlobalID);
//   - it is a rule whose LogTypes a changed data model covers (a data model whose Python imports a
//     changed helper counts as changed);
//   - it is derived from (BaseDetection), or a scheduled rule of (ScheduledQueries), or a correlation
//     rule over, a changed item;
//   - it is a rule that calls udm() on a log type no data model covers, when a YAML file (maybe a data model)
//     was removed or renamed;
//   - it is a pack that lists a changed ID, or (when a YAML file was removed or renamed) an ID no loaded item has;
//   - it is listed by a changed pack.
// A change to the tool's or the pack's configuration (.rulegate.yml, requirements) selects everything.
import * as fs from 'fs';
import * as path from 'path';
import type { Item } from '../core/types';
import { isSigmaItem, sigmaDependencies } from '../formats/sigma'; // [sigma-seam]

export interface Selection {
  selectedFiles: Set<string>;
  reasons: Array<{ file: string; reason: string }>;
}

/** Files whose change can alter every verdict: everything is selected. */
const EVERYTHING = new Set(['.rulegate.yml', '.rulegate.yaml', '.panther_settings.yml', 'requirements.txt', 'Pipfile', 'Pipfile.lock', 'pyproject.toml']);

const CODE_KINDS = new Set(['rule', 'scheduled_rule', 'policy', 'global', 'datamodel']);

export function selectChanged(items: Item[], changedFiles: string[]): Selection {
  const changed = new Set(changedFiles.map(normalize).filter(Boolean));
  const reasons = new Map<string, string[]>();
  const order: string[] = [];
  const select = (item: Item, reason: string) => {
    let list = reasons.get(item.file);
    if (!list) {
      list = [];
      reasons.set(item.file, list);
      order.push(item.file);
    }
    if (!list.includes(reason)) list.push(reason);
  };
  const label = (i: Item) => (i.id ? `${i.id}` : i.file);

  // 0. Configuration and requirements: everything.
  const global = [...changed].find((f) => EVERYTHING.has(path.posix.basename(f)) && !f.includes('/node_modules/'));
  if (global) {
    for (const item of items) select(item, `${global} changed, which can affect every item`);
    return finish();
  }

  // 1. Directly changed items.
  const direct = new Set<Item>();
  for (const item of items) {
    if (changed.has(item.file)) {
      select(item, 'YAML changed');
      direct.add(item);
    }
    if (item.pythonFile && changed.has(normalize(item.pythonFile))) {
      select(item, `Python file ${item.pythonFile} changed`);
      direct.add(item);
    }
  }

  // 2. Helpers: module name (GlobalID) → item; changed modules; modules that import changed modules.
  const helpers = new Map<string, Item>();
  for (const item of items) if (item.kind === 'global' && item.id) helpers.set(item.id, item);
  const changedModules = new Map<string, string>(); // module → why ("changed helper X")
  for (const item of direct) if (item.kind === 'global' && item.id) changedModules.set(item.id, `changed helper ${item.id}`);
  // A changed .py/.yml that no loaded item claims may be a removed or renamed helper: its stem is a likely module name.
  const claimed = new Set<string>();
  for (const item of items) {
    claimed.add(item.file);
    if (item.pythonFile) claimed.add(normalize(item.pythonFile));
  }
  for (const f of changed) {
    if (claimed.has(f) || !/\.(py|ya?ml)$/.test(f)) continue;
    const stem = path.posix.basename(f).replace(/\.(py|ya?ml)$/, '');
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(stem) && !changedModules.has(stem)) changedModules.set(stem, `changed helper ${stem} (${f} was removed or renamed)`);
  }

  const importsOf = new Map<Item, Set<string>>();
  const imports = (item: Item): Set<string> => {
    let s = importsOf.get(item);
    if (!s) {
      s = item.pythonPath && CODE_KINDS.has(String(item.kind)) ? scanImports(readText(item.pythonPath)) : new Set<string>();
      importsOf.set(item, s);
    }
    return s;
  };

  // Transitive closure over helpers: a helper importing an affected module is affected.
  const affected = new Map(changedModules); // module → explanation
  for (let grew = true; grew; ) {
    grew = false;
    for (const [id, helper] of helpers) {
      if (affected.has(id)) continue;
      for (const m of imports(helper)) {
        const why = affected.get(m);
        if (why) {
          affected.set(id, `helper ${id}, which imports ${why}`);
          select(helper, `imports ${why}`);
          grew = true;
          break;
        }
      }
    }
  }

  const changedDataModels = new Set<Item>([...direct].filter((i) => i.kind === 'datamodel'));
  if (affected.size) {
    for (const item of items) {
      if (!item.pythonPath || item.kind === 'global') continue;
      for (const m of imports(item)) {
        const why = affected.get(m);
        if (!why) continue;
        select(item, `imports ${why}`);
        if (item.kind === 'datamodel') changedDataModels.add(item);
      }
    }
  }

  // 3. Data models: rules whose LogTypes a changed data model covers. Scheduled rules never get a data model.
  if (changedDataModels.size) {
    const byLogType = new Map<string, Item>();
    for (const dm of changedDataModels) for (const lt of strings(dm.spec.LogTypes)) if (!byLogType.has(lt)) byLogType.set(lt, dm);
    for (const item of items) {
      if (item.kind !== 'rule') continue;
      for (const lt of strings(item.spec.LogTypes)) {
        const dm = byLogType.get(lt);
        if (dm) select(item, `log type ${lt} is covered by changed data model ${label(dm)}`);
      }
    }
  }

  // 3b. A removed (or renamed-away) YAML may have been a data model: rules that call udm() on a log type
  // no loaded data model covers lost their mappings with it.
  const removedYaml = [...changed].filter((f) => /\.ya?ml$/.test(f) && !claimed.has(f));
  if (removedYaml.length) {
    const covered = new Set(items.filter((i) => i.kind === 'datamodel').flatMap((dm) => strings(dm.spec.LogTypes)));
    for (const item of items) {
      if (item.kind !== 'rule' || !item.pythonPath) continue;
      const uncovered = strings(item.spec.LogTypes).filter((lt) => !covered.has(lt));
      if (!uncovered.length || !/\.udm(_path)?\s*\(/.test(readText(item.pythonPath))) continue;
      select(item, `calls udm() on log type ${uncovered[0]}, which no data model covers now (${removedYaml[0]} was removed or renamed)`);
    }
  }

  // 4. Items that build on a changed item.
  const changedIds = new Map<string, Item>();
  for (const item of direct) if (item.id) changedIds.set(item.id, item);
  if (changedIds.size) {
    for (const item of items) {
      const base = item.spec.BaseDetection;
      if (typeof base === 'string' && changedIds.has(base)) select(item, `derived from changed detection ${base}`);
      for (const q of strings(item.spec.ScheduledQueries)) if (changedIds.has(q)) select(item, `runs changed query ${q}`);
      if (item.kind === 'correlation_rule') {
        for (const id of correlationRuleIds(item.spec.Detection)) if (changedIds.has(id)) select(item, `correlates changed rule ${id}`);
      }
    }
  }

  // 4b. [sigma-seam] Sigma correlations and filters name their rules by id or name (chains included).
  const sigmaRefs = new Map<string, string>(); // id or name → label
  const addSigma = (i: Item) => {
    for (const key of [i.id, typeof i.spec.name === 'string' ? i.spec.name : undefined]) if (key) sigmaRefs.set(key.toLowerCase(), key);
  };
  for (const item of direct) if (isSigmaItem(item)) addSigma(item);
  for (let grew = sigmaRefs.size > 0; grew; ) {
    grew = false;
    for (const item of items) {
      if (!isSigmaItem(item)) continue;
      for (const ref of sigmaDependencies(item)) {
        const hit = sigmaRefs.get(ref.toLowerCase());
        if (!hit || reasons.get(item.file)?.some((r) => r.endsWith(`Sigma rule ${hit}`))) continue;
        select(item, `${item.kind === 'sigma_filter' ? 'filters' : 'correlates'} changed Sigma rule ${hit}`);
        if (!sigmaRefs.has((item.id ?? '').toLowerCase())) {
          addSigma(item);
          grew = true;
        }
      }
    }
  }

  // 5. Packs. When an analysis file was removed or renamed (a changed YAML no item claims), packs that
  // list an ID nothing has any more are selected too.
  const allIds = new Set(items.map((i) => i.id).filter((id): id is string => typeof id === 'string'));
  const byId = new Map<string, Item[]>();
  for (const item of items) if (item.id) byId.set(item.id, [...(byId.get(item.id) ?? []), item]);
  for (const pack of items) {
    if (pack.kind !== 'pack') continue;
    const ids = packIds(pack);
    for (const id of ids) {
      if (changedIds.has(id)) select(pack, `lists changed item ${id}`);
      else if (removedYaml.length && !allIds.has(id)) select(pack, `lists ${id}, which no loaded item has (removed or renamed?)`);
    }
    if (direct.has(pack)) {
      for (const id of ids) for (const listed of byId.get(id) ?? []) if (listed !== pack) select(listed, `listed by changed pack ${label(pack)}`);
    }
  }

  return finish();

  function finish(): Selection {
    return {
      selectedFiles: new Set(order),
      reasons: order.map((file) => ({ file, reason: reasons.get(file)!.join('; ') })),
    };
  }
}

/**
 * Top-level module names a Python file imports: `import a.b as c, d` → a.b, a, d; `from a.b import c` → a.b, a
 * (and a.b.c, in case `c` is a module). Comments, strings and relative imports are ignored.
 */
export function scanImports(source: string): Set<string> {
  const out = new Set<string>();
  const code = stripStringsAndComments(source).replace(/\\\r?\n/g, ' ');
  // Parenthesised from-imports span lines: join them first.
  const joined = code.replace(/\(([^()]*)\)/g, (_m, inner: string) => `(${inner.replace(/\r?\n/g, ' ')})`);
  const addDotted = (name: string) => {
    const parts = name.split('.');
    for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join('.'));
  };
  for (const rawLine of joined.split(/\r?\n|;/)) {
    const line = rawLine.trim();
    let m = /^from\s+([A-Za-z_][\w.]*)\s+import\s+(.+)$/.exec(line);
    if (m) {
      addDotted(m[1]);
      for (const name of m[2].replace(/[()]/g, '').split(',')) {
        const n = name.trim().split(/\s+as\s+/)[0].trim();
        if (/^[A-Za-z_]\w*$/.test(n)) out.add(`${m[1]}.${n}`);
      }
      continue;
    }
    m = /^import\s+(.+)$/.exec(line);
    if (m) {
      for (const part of m[1].split(',')) {
        const n = part.trim().split(/\s+as\s+/)[0].trim();
        if (/^[A-Za-z_][\w.]*$/.test(n)) addDotted(n);
      }
    }
  }
  // importlib.import_module("x") / __import__("x") with a literal name.
  for (const m of source.matchAll(/\b(?:import_module|__import__)\(\s*['"]([A-Za-z_][\w.]*)['"]/g)) addDotted(m[1]);
  return out;
}

/** Replaces comments and string literals (including triple-quoted ones) with spaces, keeping newlines. */
function stripStringsAndComments(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = src.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      let j = i + quote.length;
      while (j < src.length) {
        if (src[j] === '\\') {
          j += 2;
          continue;
        }
        if (src.startsWith(quote, j)) break;
        if (!triple && src[j] === '\n') break;
        j++;
      }
      const end = Math.min(src.length, j + (src.startsWith(quote, j) ? quote.length : 0));
      out += ' ' + src.slice(i, end).replace(/[^\n]/g, '');
      i = end;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function normalize(file: string): string {
  return file.replace(/\\/g, '/').replace(/^\.\//, '');
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function packIds(pack: Item): string[] {
  const def = pack.spec.PackDefinition;
  if (!def || typeof def !== 'object' || Array.isArray(def)) return [];
  return strings((def as Record<string, unknown>).IDs);
}

function correlationRuleIds(detection: unknown): string[] {
  const out: string[] = [];
  if (!Array.isArray(detection)) return out;
  for (const d of detection) {
    if (!d || typeof d !== 'object') continue;
    for (const key of ['Sequence', 'Group']) {
      const list = (d as Record<string, unknown>)[key];
      if (!Array.isArray(list)) continue;
      for (const e of list) {
        const id = e && typeof e === 'object' ? (e as Record<string, unknown>).RuleID : undefined;
        if (typeof id === 'string') out.push(id);
      }
    }
  }
  return out;
}
