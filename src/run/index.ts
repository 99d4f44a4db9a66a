// Test execution: every `Tests:` entry of Python rules, scheduled rules and policies runs in a
// pool of Python workers with pat's verdicts (panther-format.md §6); simple detections run in
// TypeScript (../simple); correlation rules need a backend and are reported as not run.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Item, NotRun, RawFinding, Report, TestResult } from '../core/types';
import type { RunOptions } from '../core/options';
import { FatalError } from '../core/errors';
import { findRepoRoot, toRepoPath } from '../discover';
import { enrichmentNotes, evaluateInlineFilters, isSimpleDetection, mocksIgnoredNotes, runSimpleTests } from '../formats/panther/simple';
import { toPythonJson } from './encode';
import { needsTypedKeys, typedEntryJson } from './pylog';
import { bytecodeCacheDir, workerEnv, workerScript } from './env';
import { describeFailure, pipName } from './messages';
import { PythonPool, type DataModelConfig, type EncodedTest, type HelloInfo, type InitConfig, type Job, type LoadMsg, type ReadyInfo, type ResultMsg, type SetupFinding } from './pool';

export { toPythonJson } from './encode';

export interface TestRunOutput {
  results: TestResult[];
  findings: RawFinding[];
  notRun: NotRun[];
  python: Report['python'];
  /** Where the time went (ms), for benchmarks and the report's timings. */
  timings?: Record<string, number>;
}

/** Characters of captured output kept, in total, for tests that passed. */
const PASSED_OUTPUT_BUDGET = 256 * 1024;

export const CORRELATION_REASON = 'correlation rules need a Panther backend (pat skips them offline too)';

const DETECTION_KINDS = new Set(['rule', 'scheduled_rule', 'policy', 'correlation_rule']);

interface SelectedTest {
  index: number;
  name: string;
  expected: unknown;
  line: number;
}

interface PyDetection {
  key: number;
  order: number;
  item: Item;
  id: string;
  pythonPath: string;
  pythonFile: string;
  /** item whose YAML holds the tests (a derived rule may inherit its base's) */
  testsOwner: Item;
  allTests: unknown[];
  hasTestsKey: boolean;
  selected: SelectedTest[];
  loaded?: boolean;
  loadFailed?: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: Obj, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export async function runTests(toRun: Item[], all: Item[], options: RunOptions): Promise<TestRunOutput> {
  const t0 = performance.now();
  const results: Array<{ order: number; index: number; result: TestResult }> = [];
  const findings: RawFinding[] = [];
  const notRun: NotRun[] = [];
  const names = new Set(options.testNames ?? []);
  const byRuleId = new Map<string, Item>();
  for (const item of toRun) if (DETECTION_KINDS.has(String(item.kind)) && item.id !== undefined) byRuleId.set(item.id, item);

  const pyDets: PyDetection[] = [];
  const simple: Array<{ order: number; item: Item }> = [];
  toRun.forEach((item, order) => {
    const kind = String(item.kind);
    if (!DETECTION_KINDS.has(kind)) return;
    const spec = item.spec;
    const id = item.id ?? String(spec[item.idKey] ?? item.file);
    const own = Array.isArray(spec.Tests) ? spec.Tests : [];
    const skip = (reason: string, tests = own.length) => notRun.push({ itemId: id, file: item.file, tests, reason });
    if (!item.valid) return skip('not run: the file has errors that make it an invalid spec for pat (see its findings)');
    if (options.skipDisabled && !spec.Enabled) return skip('disabled (Enabled is not true) and --skip-disabled-tests is set');
    if (names.size && !own.some((t) => isObj(t) && names.has(t.Name as string)))
      return skip('none of its tests is named in --test-names');
    if (kind === 'correlation_rule') {
      skip(CORRELATION_REASON);
      findings.push(...insufficientTests(item, id, own, has(spec, 'Tests'), options.minimumTests));
      return;
    }
    let codeItem = item;
    let testsOwner = item;
    const base = spec.BaseDetection;
    if (typeof base === 'string' && base !== '') {
      const baseItem = byRuleId.get(base);
      if (!baseItem) return skip(`derived detection: its base detection ${base} is not among the loaded detections (pat skips it offline)`);
      codeItem = baseItem;
      if (!has(spec, 'Tests')) testsOwner = baseItem;
    } else if (isSimpleDetection(item)) {
      simple.push({ order, item });
      return;
    }
    if (!codeItem.pythonPath) return skip('no Python file to run (Filename is missing)');
    const allTests = Array.isArray(testsOwner.spec.Tests) ? (testsOwner.spec.Tests as unknown[]) : [];
    const selected: SelectedTest[] = [];
    allTests.forEach((t, index) => {
      const name = isObj(t) && t.Name !== undefined && t.Name !== null ? String(t.Name) : `Tests[${index}]`;
      if (names.size && !names.has(name)) return;
      const line = testsOwner.positions.keyAt(isObj(t) && has(t, 'Name') ? ['Tests', index, 'Name'] : ['Tests', index]).line;
      selected.push({ index, name, expected: isObj(t) ? t.ExpectedResult : undefined, line });
    });
    pyDets.push({
      key: pyDets.length,
      order,
      item,
      id,
      pythonPath: codeItem.pythonPath,
      pythonFile: codeItem.pythonFile ?? codeItem.pythonPath,
      testsOwner,
      allTests,
      hasTestsKey: has(testsOwner.spec, 'Tests'),
      selected,
    });
  });

  // Start Python first: it boots while we run simple detections and encode the test inputs.
  let pool: PythonPool | undefined;
  let helloP: Promise<HelloInfo> | undefined;
  const timings: Record<string, number> = {};
  const adopted = takeWarmPool(options);
  if (pyDets.length) {
    if (adopted) {
      ({ pool, hello: helloP } = adopted);
      pool.ref();
      timings.warm = 1;
    } else {
      pool = new PythonPool(poolConfig(options));
      helloP = pool.start();
      helloP.catch(() => undefined);
    }
  } else if (adopted) void adopted.pool.close(); // unused warm pool: let it go without waiting (it keeps nothing alive)

  for (const { order, item } of simple) {
    const id = item.id ?? item.file;
    let rs: TestResult[];
    try {
      rs = runSimpleTests(item, { testNames: names.size ? [...names] : undefined });
    } catch (e) {
      notRun.push({ itemId: id, file: item.file, tests: Array.isArray(item.spec.Tests) ? item.spec.Tests.length : 0, reason: `the simple detection could not be evaluated: ${(e as Error).message}` });
      continue;
    }
    rs.forEach((r, index) => {
      results.push({ order, index, result: r });
      if (!r.passed) {
        const fn = r.failedFunction ?? 'rule';
        const detail = fn === 'rule' || fn === 'harness' ? r.error ?? `${fn} failed` : `${fn} failed: ${r.error ?? 'error'}`;
        findings.push(failureFinding(item.file, id, r, detail));
      }
    });
    findings.push(...selectedNotes(item, names), ...mocksIgnoredNotes(item));
  }
  // Python rules whose InlineFilters read enrichment data get the same notes
  for (const d of pyDets) if (String(d.item.kind) === 'rule' && d.item.spec.InlineFilters != null) findings.push(...selectedNotes(d.item, names));
  timings.simple = performance.now() - t0;

  if (!pool || !helloP) return finish();

  const repoRoot = findRepoRoot(options.root);
  const known = new Map<string, string>();
  for (const it of all) {
    known.set(it.absPath, it.file);
    if (it.pythonPath && it.pythonFile) known.set(it.pythonPath, it.pythonFile);
  }
  const rel = (abs: string): string => {
    if (typeof abs !== 'string') return String(abs);
    const k = known.get(abs);
    if (k) return k;
    if (!path.isAbsolute(abs)) return abs;
    const r = toRepoPath(repoRoot, abs);
    return r.startsWith('../') ? abs : r; // outside the repository: say where exactly
  };

  const cache = readRunCache(options);
  const init = initConfig(all, pyDets, options.root);
  const readyP = pool.init(init); // set-up runs in Python while the test inputs are encoded here
  readyP.catch(() => undefined);
  const jobs = pyDets.map((d) => {
    const job = encodeJob(d);
    const known = cache.det[d.id];
    job.cost = typeof known === 'number' ? known : 0.3 + 0.25 * d.selected.length;
    return job;
  });

  // Encode test inputs (slowest jobs first, as they are dispatched) while Python sets up.
  let settled = false;
  readyP.then(
    () => (settled = true),
    () => (settled = true),
  );
  const byCost = [...jobs].sort((a, b) => b.cost - a.cost);
  for (let n = 0; n < byCost.length && !settled; n++) {
    void byCost[n].tests;
    if (n % 16 === 15) await new Promise((resolve) => setImmediate(resolve));
  }

  let hello: HelloInfo;
  let ready: ReadyInfo;
  try {
    const tWait = performance.now();
    hello = await helloP;
    ready = await readyP;
    timings.waitPython = performance.now() - tWait;
    if (pool.marks.hello !== undefined) timings.pythonStart = pool.marks.hello;
  } catch (e) {
    await pool.close();
    if (e instanceof FatalError) throw e;
    throw new FatalError(`the Python worker could not be started: ${(e as Error).message}`);
  }
  for (const f of ready.findings) findings.push(setupFinding(f, all, rel));
  for (const [k, v] of Object.entries(ready.ms)) timings[`python.${k}`] = v;

  const byKey = new Map(pyDets.map((d) => [d.key, d]));
  let outputBudget = PASSED_OUTPUT_BUDGET;
  const spent: Record<string, number> = {};
  const addSpent = (d: PyDetection, ms: unknown) => {
    if (typeof ms === 'number') spent[d.id] = (spent[d.id] ?? 0) + ms;
  };
  const tRun = performance.now();
  try {
    await pool.run(jobs, {
      onLoad: (job, msg) => onLoad(byKey.get(job.key)!, msg),
      onResult: (job, msg) => onResult(byKey.get(job.key)!, msg),
    });
    timings.run = performance.now() - tRun;
    const learned = await pool.collectModules();
    pool.workerCpu.forEach((ms, n) => (timings[`python.worker${n + 1}Cpu`] = ms));
    writeRunCache(options, cache, spent, learned);
  } finally {
    await pool.close();
  }
  for (const d of pyDets)
    if (d.loaded && !d.loadFailed) findings.push(...insufficientTests(d.testsOwner, d.id, d.allTests, d.hasTestsKey, options.minimumTests, d.item));
  return finish({ executable: hello.exe, version: hello.version, event: ready.event });

  // ------------------------------------------------------------------------------------------

  function finish(python: Report['python'] = null): TestRunOutput {
    results.sort((a, b) => a.order - b.order || a.index - b.index);
    timings.total = performance.now() - t0;
    const ms: Record<string, number> = {};
    for (const [k, v] of Object.entries(timings)) if (typeof v === 'number') ms[k] = Math.round(v * 10) / 10;
    return { results: results.map((r) => r.result), findings, notRun, python, timings: ms };
  }

  function onLoad(d: PyDetection, msg: LoadMsg): void {
    addSpent(d, msg.ms);
    if (msg.ok) {
      d.loaded = true;
      return;
    }
    d.loaded = true;
    d.loadFailed = true;
    findings.push(...loadFindings(d, msg, rel));
    notRun.push({
      itemId: d.id,
      file: d.item.file,
      tests: d.selected.length,
      reason: `its Python module could not be loaded (${msg.code ?? 'python/import'}: ${msg.msg ?? 'error'})`,
    });
  }

  function onResult(d: PyDetection, msg: ResultMsg): void {
    addSpent(d, msg.ms);
    const t = d.selected.find((s) => s.index === msg.i);
    if (!t) return;
    const result: TestResult = {
      itemId: d.id,
      name: t.name,
      file: d.testsOwner.file,
      line: t.line,
      passed: !!msg.p,
      expected: t.expected === true,
      actual: typeof msg.a === 'boolean' ? msg.a : null,
      error: msg.p ? null : msg.err ?? 'the test failed',
      durationMs: msg.ms,
    };
    if (msg.ff) result.failedFunction = msg.ff;
    if (msg.fn) result.functions = msg.fn;
    // Output is kept for every failed test; passed tests share a budget (the report stays small).
    if (msg.o && (!msg.p || outputBudget > 0)) {
      result.output = msg.o;
      if (msg.p) outputBudget -= msg.o.length;
    }
    results.push({ order: d.order, index: t.index, result });
    if (!msg.p) findings.push(failureFinding(d.testsOwner.file, d.id, result, describeFailure(msg, t.expected, rel)));
  }

  function encodeJob(d: PyDetection): Job {
    const spec = d.item.spec;
    const kind = String(d.item.kind);
    const createAlert = !has(spec, 'CreateAlert') || !!spec.CreateAlert;
    const filters = kind === 'rule' && spec.InlineFilters !== undefined && spec.InlineFilters !== null;
    const header =
      `"k":${d.key},"id":${JSON.stringify(d.id)},"py":${JSON.stringify(d.pythonPath)},` +
      `"kind":${JSON.stringify(kind)},"ca":${createAlert ? 'true' : 'false'}`;
    const encodeTests = (): EncodedTest[] => d.selected.map((s) => {
      const t = d.allTests[s.index];
      let json = `{"i":${s.index},"n":${JSON.stringify(s.name)},"x":${toPythonJson(s.expected)}`;
      if (isObj(t)) {
        const entryKey = has(t, 'Resource') ? 'Resource' : has(t, 'Log') ? 'Log' : undefined;
        if (entryKey) {
          const entry = t[entryKey];
          // keys such as `200:` or `true:` (typed in Python) and integer-like keys (reordered by
          // JavaScript objects) are rebuilt from the YAML source
          const typed = needsTypedKeys(entry) ? typedEntryJson(d.testsOwner, s.index, entryKey) : undefined;
          json += `,"e":${typed ? typed.json : toPythonJson(entry)}`;
          if (typed?.typed) json += ',"kx":1';
          if (entryKey === 'Resource') json += ',"ek":"Resource"';
          if (filters && isObj(entry)) {
            let f: boolean | string;
            try {
              const r = evaluateInlineFilters(d.item, entry);
              f = r.error !== undefined ? r.error : !!r.pass;
            } catch (e) {
              f = (e as Error).message || String(e);
            }
            json += `,"f":${JSON.stringify(f)}`;
          }
        }
        if (Array.isArray(t.Mocks)) {
          const pairs = t.Mocks.filter((m) => isObj(m) && has(m, 'objectName') && has(m, 'returnValue')).map(
            (m) => `[${toPythonJson((m as Obj).objectName)},${toPythonJson((m as Obj).returnValue)}]`,
          );
          if (pairs.length) json += `,"m":[${pairs.join(',')}]`;
        }
      }
      return { i: s.index, json: json + '}' };
    });
    // encoded when first dispatched: the first workers start while the rest is still being encoded
    let tests: EncodedTest[] | undefined;
    return {
      key: d.key,
      header,
      cost: 2 + d.selected.length,
      get tests(): EncodedTest[] {
        if (!tests) {
          const t1 = performance.now();
          tests = encodeTests();
          timings.encode = (timings.encode ?? 0) + performance.now() - t1;
        }
        return tests;
      },
    };
  }
}

/** Globals, enabled data models and the modules worth importing once before forking. */
function initConfig(all: Item[], pyDets: PyDetection[], root: string): InitConfig {
  const globals = new Map<string, string>();
  const dataModels: DataModelConfig[] = [];
  all.forEach((item, i) => {
    if (!item.valid || item.id === undefined) return;
    if (item.kind === 'global' && item.pythonPath && !globals.has(item.id) && fs.existsSync(item.pythonPath)) globals.set(item.id, item.pythonPath);
    if (item.kind === 'datamodel' && item.spec.Enabled)
      dataModels.push({
        i,
        id: item.id,
        py: item.pythonPath ?? null,
        logTypes: Array.isArray(item.spec.LogTypes) ? item.spec.LogTypes : [],
        mappings: Array.isArray(item.spec.Mappings) ? item.spec.Mappings : [],
      });
  });
  // Modules imported by several detections (and every global helper a detection imports) are
  // imported once in the zygote, so the forked workers share them instead of each paying for them.
  const counts = new Map<string, number>();
  const seenFiles = new Set<string>();
  for (const d of pyDets) {
    if (seenFiles.has(d.pythonPath)) continue;
    seenFiles.add(d.pythonPath);
    let text: string;
    try {
      text = fs.readFileSync(d.pythonPath, 'utf8');
    } catch {
      continue;
    }
    for (const m of importedModules(text)) counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  const preload: string[] = [];
  for (const [m, n] of counts) if (n >= 2 || globals.has(m)) preload.push(m);
  preload.sort((a, b) => Number(globals.has(a)) - Number(globals.has(b)) || (counts.get(b) ?? 0) - (counts.get(a) ?? 0));
  return { root: path.resolve(root), globals: [...globals.entries()], dataModels, preload };
}

const IMPORT_RE = /^[ \t]*(?:from[ \t]+([A-Za-z_]\w*)[\w.]*[ \t]+import\b|import[ \t]+([^#\n;]+))/gm;

export function importedModules(source: string): Set<string> {
  const out = new Set<string>();
  for (const m of source.matchAll(IMPORT_RE)) {
    if (m[1]) out.add(m[1]);
    else if (m[2])
      for (const part of m[2].split(',')) {
        const name = /^\s*([A-Za-z_]\w*)/.exec(part);
        if (name) out.add(name[1]);
      }
  }
  return out;
}

/** test/enrichment-absent notes of the tests that run (all, or those named by --test-names). */
function selectedNotes(item: Item, names: ReadonlySet<string>): RawFinding[] {
  let notes: RawFinding[];
  try {
    notes = enrichmentNotes(item);
  } catch {
    return [];
  }
  if (!names.size || !notes.length) return notes;
  const lines = new Set<number>();
  const tests = Array.isArray(item.spec.Tests) ? item.spec.Tests : [];
  tests.forEach((t, i) => {
    if (isObj(t) && names.has(String(t.Name))) lines.add(item.positions.keyAt(['Tests', i, 'Name']).line);
  });
  return notes.filter((n) => lines.has(n.line));
}

function failureFinding(file: string, itemId: string, r: TestResult, detail: string): RawFinding {
  return {
    code: r.failedFunction === 'harness' ? 'test/error' : 'test/failed',
    file,
    line: r.line,
    itemId,
    message: `test "${r.name}" of ${itemId} ${r.failedFunction === 'harness' ? 'could not run' : 'failed'}: ${detail}`,
  };
}

function loadFindings(d: PyDetection, msg: LoadMsg, rel: (abs: string) => string): RawFinding[] {
  const code = msg.code ?? 'python/import';
  const pyFile = d.pythonFile;
  if (code === 'python/syntax') {
    const file = msg.file ? rel(msg.file) : pyFile;
    const own = file === pyFile;
    return [
      {
        code,
        file,
        line: msg.line ?? 1,
        ...(msg.col ? { column: msg.col } : {}),
        itemId: d.id,
        message: `${msg.msg} in ${file} line ${msg.line ?? 1}${msg.text ? ` (${msg.text})` : ''}${own ? '' : `, imported by ${pyFile}`}; the tests of ${d.id} cannot run until it is fixed`,
      },
    ];
  }
  if (code === 'python/missing-function') {
    const fn = d.item.kind === 'policy' ? 'policy' : 'rule';
    return [
      {
        code,
        file: pyFile,
        line: 1,
        itemId: d.id,
        message: `${pyFile} defines no ${fn}(${fn === 'policy' ? 'resource' : 'event'}) function, which pat requires${d.item.kind === 'scheduled_rule' ? ' for scheduled rules too' : ''}; the tests of ${d.id} cannot run`,
        hint: `add "def ${fn}(${fn === 'policy' ? 'resource' : 'event'}):" returning True or False`,
      },
    ];
  }
  const where = msg.inner ? ` (raised in ${rel(msg.inner[0])} line ${msg.inner[1]})` : '';
  let message: string;
  let hint: string | undefined;
  if (msg.harness) message = `${d.id}: ${msg.msg}`;
  else if (msg.missing && siblingModule(d.pythonPath, msg.missing)) {
    const root = msg.missing.split('.')[0];
    message = `${pyFile} cannot be imported: it imports "${root}", a Python file of the repository that is not a global helper (${msg.msg}); pat makes only global helpers importable, by their GlobalID, so the tests of ${d.id} cannot run`;
    hint = `give ${root}.py a YAML file with AnalysisType: global, GlobalID: ${root} and Filename: ${root}.py (and put it in global_helpers/), or copy what the rule needs into ${path.basename(d.pythonPath)}`;
  } else if (msg.missing) {
    const root = msg.missing.split('.')[0];
    message = `${pyFile} cannot be imported: module "${msg.missing}" is not installed${where} (${msg.msg}); the tests of ${d.id} cannot run. Install it in the Python that runs the tests: pip install ${pipName(root)}`;
    hint = `pip install ${pipName(root)}`;
  } else message = `${pyFile} failed while being imported: ${msg.msg}${where}; the tests of ${d.id} cannot run`;
  const f: RawFinding = { code: 'python/import', file: pyFile, line: msg.line && msg.file && rel(msg.file) === pyFile ? msg.line : 1, itemId: d.id, message };
  if (hint) f.hint = hint;
  return [f];
}

/** True when `module` names a .py file or package beside the detection's Python file. */
function siblingModule(pythonPath: string, module: string): boolean {
  const root = module.split('.')[0];
  if (!/^[A-Za-z_]\w*$/.test(root)) return false;
  const dir = path.dirname(pythonPath);
  try {
    return fs.existsSync(path.join(dir, `${root}.py`)) || fs.existsSync(path.join(dir, root, '__init__.py'));
  } catch {
    return false;
  }
}

function setupFinding(f: SetupFinding, all: Item[], rel: (abs: string) => string): RawFinding {
  const item = f.dm !== undefined ? all[f.dm] : undefined;
  const id = item?.id ?? '';
  if (f.code === 'datamodel/invalid' || !f.file) {
    const line = item ? (f.map !== undefined ? item.positions.keyAt(['Mappings', f.map, f.key ?? 'Name']).line : item.positions.keyAt([item.idKey]).line) : 1;
    return { code: 'datamodel/invalid', file: item?.file ?? '', line, itemId: id, message: `data model ${id}: ${f.msg}; udm() of its log types will not use this mapping` };
  }
  const file = rel(f.file);
  const out: RawFinding = {
    code: f.code,
    file,
    line: f.line ?? 1,
    itemId: id,
    message: `data model ${id}: its Python file ${file} cannot be loaded: ${f.msg}${f.inner ? ` (raised in ${rel(f.inner[0])} line ${f.inner[1]})` : ''}; tests of its log types run without the data model`,
  };
  if (f.missing) out.hint = `pip install ${pipName(f.missing)}`;
  return out;
}

/** pat's --minimum-tests (§6.7): count, and a positive and a negative test when N ≥ 2. */
function insufficientTests(owner: Item, id: string, tests: unknown[], hasKey: boolean, n: number, item: Item = owner): RawFinding[] {
  if (!n || n <= 0) return [];
  const out: RawFinding[] = [];
  const line = hasKey ? owner.positions.keyAt(['Tests']).line : item.positions.keyAt([item.idKey]).line;
  const file = hasKey ? owner.file : item.file;
  if (tests.length < n)
    out.push({
      code: 'test/insufficient',
      file,
      line,
      itemId: id,
      message: `${id}: Insufficient test coverage: ${n} tests required but only ${tests.length} found (--minimum-tests ${n})`,
    });
  if (hasKey && n > 1) {
    const pos = tests.some((t) => isObj(t) && !!t.ExpectedResult);
    const neg = tests.some((t) => isObj(t) && !t.ExpectedResult);
    if (!(pos && neg))
      out.push({
        code: 'test/insufficient',
        file,
        line,
        itemId: id,
        message: `${id}: Insufficient test coverage: expected at least one positive and one negative test (--minimum-tests ${n}); add a test with ExpectedResult: ${pos ? 'false' : 'true'}`,
      });
  }
  return out;
}

// ---- warm start and the run cache -----------------------------------------------------------

function poolConfig(options: RunOptions) {
  return {
    python: options.python || 'python3',
    script: workerScript(),
    jobs: Math.max(1, options.jobs ?? os.cpus().length),
    timeoutMs: Math.max(0.05, options.testTimeoutSec ?? 10) * 1000,
    cwd: options.cwd || options.root,
    env: workerEnv(process.env, options.root),
    pycache: bytecodeCacheDir(process.env, options.root),
    // debugging knob: RULEGATE_WORKERS=spawn starts each worker as a fresh process (as on Windows)
    noFork: process.env.RULEGATE_WORKERS === 'spawn',
  };
}

function poolKey(options: RunOptions): string {
  const c = poolConfig(options);
  return JSON.stringify([c.python, c.jobs, c.timeoutMs, c.cwd, path.resolve(options.root)]);
}

let warm: { key: string; pool: PythonPool; hello: Promise<HelloInfo> } | undefined;

/**
 * Starts Python early (call it before discovery/loading): the interpreter boots and imports the
 * modules the previous run needed while Node is still reading YAML. runTests() adopts it when
 * its options match; an unused warm-up never keeps the process alive and is harmless if Python
 * is missing (runTests reports that, if Python rules exist).
 */
export function warmUp(options: RunOptions): void {
  if (options.noTests) return;
  const key = poolKey(options);
  if (warm?.key === key) return;
  if (warm) void warm.pool.close();
  const pool = new PythonPool(poolConfig(options));
  pool.preImport(readRunCache(options).modules);
  const hello = pool.start();
  hello.catch(() => undefined);
  pool.unref();
  warm = { key, pool, hello };
}

function takeWarmPool(options: RunOptions): { pool: PythonPool; hello: Promise<HelloInfo> } | undefined {
  const w = warm;
  warm = undefined;
  if (!w) return undefined;
  if (w.key === poolKey(options)) return w;
  void w.pool.close();
  return undefined;
}

interface RunCache {
  v: 1;
  /** measured ms per detection (module load + tests): scheduling runs the slowest first */
  det: Record<string, number>;
  /** modules from outside the repository that the workers imported (pre-imported by warmUp) */
  modules: string[];
}

function runCachePath(options: RunOptions): string | undefined {
  const dir = bytecodeCacheDir(process.env, options.root);
  if (!dir) return undefined;
  const h = createHash('sha1').update(path.resolve(options.root)).digest('hex').slice(0, 16);
  return path.join(dir, `rulegate-run-${h}.json`);
}

function readRunCache(options: RunOptions): RunCache {
  const empty: RunCache = { v: 1, det: {}, modules: [] };
  const file = runCachePath(options);
  if (!file) return empty;
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (data?.v !== 1) return empty;
    return { v: 1, det: isObj(data.det) ? (data.det as Record<string, number>) : {}, modules: Array.isArray(data.modules) ? data.modules.filter((m: unknown) => typeof m === 'string') : [] };
  } catch {
    return empty;
  }
}

function writeRunCache(options: RunOptions, cache: RunCache, spent: Record<string, number>, modules: string[]): void {
  const file = runCachePath(options);
  if (!file) return;
  const det = { ...cache.det };
  for (const [id, ms] of Object.entries(spent)) det[id] = Math.round(ms * 100) / 100;
  const mods = modules.length ? [...new Set([...modules])].sort() : cache.modules;
  try {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ v: 1, det, modules: mods }));
    fs.renameSync(tmp, file);
  } catch {
    /* the cache is an optimisation only */
  }
}
