// Repository-wide Sigma checks (spec §11.1): one index of ids, names, titles and file names after
// every file is loaded; then correlation/filter references, `related`, regression-test paths.
import * as fs from 'fs';
import * as path from 'path';
import type { SigmaItem } from './load';
import { isRecord } from './load';
import { emitterFor, type SigmaFinding } from './findings';
import { loadYamlDocuments } from '../../load/yaml';

export interface RegressionInfo {
  item: SigmaItem;
  infoFile: string; // repository-relative
  tests: Array<{ name: string; type: string; matchCount: number | undefined; path: string; absPath: string; exists: boolean }>;
}

export function checkSigmaRepository(items: SigmaItem[], repoRoot: string, options: { wholeRepository: boolean }): { findings: SigmaFinding[]; regression: RegressionInfo[] } {
  const out: SigmaFinding[] = [];
  const byId = new Map<string, SigmaItem[]>();
  const byName = new Map<string, SigmaItem[]>();
  const byTitle = new Map<string, SigmaItem[]>();
  const byBase = new Map<string, Set<string>>();
  const add = <K>(m: Map<K, SigmaItem[]>, k: K, it: SigmaItem) => m.set(k, [...(m.get(k) ?? []), it]);
  for (const it of items) {
    if (typeof it.spec.id === 'string') add(byId, it.spec.id.toLowerCase(), it);
    if (typeof it.spec.name === 'string') add(byName, it.spec.name, it);
    // a retired rule and its successor often share a title and file name: compare like with like
    const scope = it.retired ? 'retired:' : '';
    if (typeof it.spec.title === 'string' && it.kind === 'sigma_rule' && !it.legacy) add(byTitle, scope + it.spec.title, it);
    const base = scope + path.posix.basename(it.file);
    byBase.set(base, (byBase.get(base) ?? new Set()).add(it.file));
  }
  for (const [id, list] of byId) {
    // a legacy action: global collection repeats its id on purpose
    const files = new Set(list.map((i) => i.file));
    if (list.length < 2 || (files.size === 1 && list[0].legacy)) continue;
    for (const it of list) {
      const others = list.filter((o) => o !== it).map((o) => `${o.file}${o.document ? ` (document ${o.document + 1})` : ''}`);
      emitterFor(it, out)({ code: 'id/duplicate', validator: 'identifier_uniqueness', path: ['id'], message: `the id ${id} is also used by ${others.join(', ')}`, hint: 'give one of them a new random UUID' });
    }
  }
  for (const [name, list] of byName)
    if (list.length > 1)
      for (const it of list) emitterFor(it, out)({ code: 'sigma/name-duplicate', path: ['name'], message: `the name "${name}" is also used by ${list.filter((o) => o !== it).map((o) => o.file).join(', ')}`, hint: 'correlations refer to rules by name, so names must be unique' });
  for (const [title, list] of byTitle)
    if (list.length > 1)
      for (const it of list) emitterFor(it, out)({ code: 'sigma/title-duplicate', validator: 'duplicate_title', path: ['title'], message: `the title "${title.replace(/^retired:/, '')}" is also used by ${list.filter((o) => o !== it).map((o) => o.file).join(', ')}` });
  for (const it of items) {
    const files = byBase.get((it.retired ? 'retired:' : '') + path.posix.basename(it.file))!;
    if (files.size > 1 && it.document === 0)
      emitterFor(it, out)({ code: 'sigma/filename-duplicate', validator: 'duplicate_filename', path: ['title'], message: `the file name ${path.posix.basename(it.file)} is also used by ${[...files].filter((f) => f !== it.file).join(', ')}` });
  }
  // references
  const resolves = (ref: string) => byId.has(ref.toLowerCase()) || byName.has(ref);
  for (const it of items) {
    const emit = emitterFor(it, out);
    const c = it.spec.correlation;
    if (isRecord(c) && options.wholeRepository) {
      const rules = typeof c.rules === 'string' ? [c.rules] : Array.isArray(c.rules) ? c.rules : [];
      rules.forEach((r, i) => {
        if (typeof r === 'string' && !resolves(r))
          emit({ code: 'ref/unknown-id', path: typeof c.rules === 'string' ? ['correlation', 'rules'] : ['correlation', 'rules', i], message: `the correlation refers to "${r}", which is neither the id nor the name of a loaded Sigma rule (sigma check stops the whole run here)` });
      });
      if (isRecord(c.aliases))
        for (const [alias, map] of Object.entries(c.aliases))
          if (isRecord(map))
            for (const ruleName of Object.keys(map))
              if (!byName.has(ruleName) && !byId.has(ruleName.toLowerCase()))
                emit({ code: 'ref/unknown-id', path: ['correlation', 'aliases', alias, ruleName], key: true, message: `the alias ${alias} names the rule "${ruleName}", which no loaded rule has as its name` });
      const cyc = cycleFrom(it, byId, byName);
      if (cyc) emit({ code: 'sigma/correlation-invalid', path: ['correlation', 'rules'], message: `correlation rules refer to each other in a cycle: ${cyc}` });
    }
    const f = it.spec.filter;
    if (isRecord(f) && Array.isArray(f.rules) && options.wholeRepository)
      f.rules.forEach((r, i) => {
        if (typeof r === 'string' && !resolves(r)) emit({ code: 'ref/unknown-id', path: ['filter', 'rules', i], message: `the filter applies to "${r}", which is not the id of a loaded Sigma rule` });
      });
    if (Array.isArray(it.spec.related) && options.wholeRepository)
      it.spec.related.forEach((r, i) => {
        if (isRecord(r) && typeof r.id === 'string' && !byId.has(r.id.toLowerCase()))
          emit({ code: 'sigma/related-unknown-id', path: ['related', i, 'id'], message: `related ${String(r.type)} id ${r.id} is not in this repository` });
      });
  }
  return { findings: out, regression: regressionInfos(items, repoRoot, out) };
}

/** Regression infos without the other repository checks, reusing what validation already read. */
export function regressionInfosOf(items: SigmaItem[], repoRoot: string): RegressionInfo[] {
  const out: RegressionInfo[] = [];
  const todo = items.filter((it) => !INFO_CACHE.has(it));
  if (todo.length) regressionInfos(todo, repoRoot, []);
  for (const it of items) {
    const info = INFO_CACHE.get(it);
    if (info) out.push(info);
  }
  return out;
}

function cycleFrom(start: SigmaItem, byId: Map<string, SigmaItem[]>, byName: Map<string, SigmaItem[]>): string | undefined {
  const refs = (it: SigmaItem): SigmaItem[] => {
    const c = it.spec.correlation;
    if (!isRecord(c)) return [];
    const rules = Array.isArray(c.rules) ? c.rules : typeof c.rules === 'string' ? [c.rules] : [];
    return rules.flatMap((r) => (typeof r === 'string' ? [...(byId.get(r.toLowerCase()) ?? []), ...(byName.get(r) ?? [])] : []));
  };
  const stack: SigmaItem[] = [];
  const visit = (it: SigmaItem): string | undefined => {
    if (stack.includes(it)) return it === start ? [...stack, it].map((x) => String(x.spec.name ?? x.spec.id)).join(' → ') : undefined;
    if (stack.length > 50) return undefined;
    stack.push(it);
    for (const n of refs(it)) {
      const r = visit(n);
      if (r) return r;
    }
    stack.pop();
    return undefined;
  };
  return visit(start);
}

/** Resolves a path the way SigmaHQ's runner does: relative to the rule's folder, then each parent. */
function resolveUp(repoRoot: string, fromDir: string, rel: string): string {
  if (path.isAbsolute(rel)) return rel;
  const norm = rel.replace(/\\/g, '/');
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, norm);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir || !isInside(parent, repoRoot)) return path.join(repoRoot, norm);
    dir = parent;
  }
}

function isInside(child: string, parent: string): boolean {
  const r = path.relative(parent, child);
  return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
}

/** Inside the repository after following symbolic links (a hostile link must not read /etc/passwd). */
function reallyInside(p: string, repoRoot: string): boolean {
  try {
    return isInside(fs.realpathSync(p), fs.realpathSync(repoRoot));
  } catch {
    return isInside(p, repoRoot); // does not exist: reported as missing
  }
}

const INFO_CACHE = new WeakMap<SigmaItem, RegressionInfo | null>();

function regressionInfos(items: SigmaItem[], repoRoot: string, out: SigmaFinding[]): RegressionInfo[] {
  const infos: RegressionInfo[] = [];
  for (const it of items) {
    const rtp = it.spec.regression_tests_path;
    INFO_CACHE.set(it, null);
    if (rtp === undefined) continue;
    const emit = emitterFor(it, out);
    if (typeof rtp !== 'string') {
      emit({ code: 'schema/type', path: ['regression_tests_path'], message: 'regression_tests_path must be a path string' });
      continue;
    }
    const abs = resolveUp(repoRoot, path.dirname(it.absPath), rtp);
    if (!reallyInside(abs, repoRoot)) {
      emit({ code: 'ref/missing-file', path: ['regression_tests_path'], message: `regression_tests_path ${rtp} points outside the repository` });
      continue;
    }
    let text: string;
    try {
      text = fs.readFileSync(abs, 'utf8');
    } catch {
      emit({ code: 'ref/missing-file', path: ['regression_tests_path'], message: `regression_tests_path ${rtp} does not exist`, hint: 'fix the path (it is relative to the repository root) or remove the key' });
      continue;
    }
    const infoFile = path.relative(repoRoot, abs).split(path.sep).join('/');
    const parsed = loadYamlDocuments(text, 'yaml11');
    const doc = parsed.ok ? parsed.documents[0]?.value : undefined;
    if (!isRecord(doc) || !Array.isArray(doc.regression_tests_info)) {
      emit({ code: 'ref/missing-file', path: ['regression_tests_path'], message: `${infoFile} is not a regression-test info file (no regression_tests_info list${parsed.ok ? '' : `; YAML error at line ${parsed.error.line}: ${parsed.error.message}`})` });
      continue;
    }
    const meta = Array.isArray(doc.rule_metadata) ? doc.rule_metadata.filter(isRecord) : [];
    const metaId = meta.length ? meta[meta.length - 1].id : undefined;
    if (metaId !== undefined && metaId !== it.spec.id)
      emit({ code: 'sigma/regression-id-mismatch', path: ['regression_tests_path'], message: `${infoFile} is for rule ${String(metaId)}, not for this rule (${String(it.spec.id)})` });
    const info: RegressionInfo = { item: it, infoFile, tests: [] };
    for (const t of doc.regression_tests_info) {
      if (!isRecord(t)) continue;
      const p = typeof t.path === 'string' ? t.path : '';
      let testAbs = resolveUp(repoRoot, path.dirname(it.absPath), p);
      if (!reallyInside(testAbs, repoRoot) || !reallyInside(testAbs.replace(/\.evtx$/i, '.json'), repoRoot)) testAbs = path.join(repoRoot, '__outside__');
      const exists = p !== '' && fs.existsSync(testAbs);
      const name = typeof t.name === 'string' ? t.name : 'Unnamed Test';
      if (!exists) emit({ code: 'ref/missing-file', path: ['regression_tests_path'], message: `the regression test "${name}" in ${infoFile} names ${p || 'no path'}, which does not exist` });
      else if (typeof it.spec.id === 'string' && !path.basename(p).startsWith(it.spec.id))
        emit({ code: 'sigma/regression-id-mismatch', path: ['regression_tests_path'], message: `the regression test file ${path.basename(p)} is not named after the rule id ${it.spec.id}` });
      info.tests.push({ name, type: typeof t.type === 'string' ? t.type : 'unknown', matchCount: typeof t.match_count === 'number' ? t.match_count : undefined, path: p, absPath: testAbs, exists });
    }
    infos.push(info);
    INFO_CACHE.set(it, info);
  }
  return infos;
}
