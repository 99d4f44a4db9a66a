// Runs a hostile fixture pack through the whole pipeline (as `rulegate PACK --format json` does)
// and checks the accounting rules every report must keep: nothing is silent or lost.
import * as fs from 'fs';
import * as path from 'path';
import { runPipeline } from '../../src/pipeline';
import { defaultOptions, type RunOptions } from '../../src/core/options';
import type { Report, TestResult } from '../../src/core/types';
import { loadYaml } from '../../src/load/yaml';

export const FIXTURES = path.join(__dirname, 'fixtures');

export async function runPack(root: string, over: Partial<RunOptions> = {}, env: Record<string, string> = {}): Promise<Report> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  try {
    const o = defaultOptions(root, root);
    o.cwd = root;
    o.jobs = 2;
    o.testTimeoutSec = 1;
    return await runPipeline({ ...o, ...over });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

export function findPycache(dir: string, out: string[] = []): string[] {
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    if (name === '__pycache__' || name.endsWith('.pyc')) out.push(p);
    else if (fs.statSync(p).isDirectory()) findPycache(p, out);
  }
  return out;
}

/** Every YAML file is an item, has a finding, or is a skipped file; every test is in tests[] or notRun[]. */
export function checkAccounting(report: Report, root: string): string[] {
  const problems: string[] = [];
  const seenFiles = new Set<string>([
    ...report.items.map((i) => i.file),
    ...report.findings.map((f) => f.file),
    ...report.skippedFiles.map((s) => s.file),
  ]);
  for (const abs of yamlFiles(root)) {
    const rel = path.relative(process.cwd(), abs).split(path.sep).join('/');
    if (![...seenFiles].some((f) => f === rel || rel.endsWith('/' + f) || f.endsWith(rel))) problems.push(`file not in the report: ${rel}`);
    const loaded = loadYaml(fs.readFileSync(abs, 'utf8'));
    if (!loaded.ok || !loaded.value || typeof loaded.value !== 'object') continue;
    const spec = loaded.value as Record<string, unknown>;
    const id = (spec.RuleID ?? spec.PolicyID) as string | undefined;
    if (typeof id !== 'string' || !Array.isArray(spec.Tests)) continue;
    const ran = report.tests.filter((t) => t.itemId === id && (t.file === rel || rel.endsWith(t.file) || t.file.endsWith(rel))).length;
    const notRun = report.notRun.filter((n) => n.itemId === id && (n.file === rel || rel.endsWith(n.file) || n.file.endsWith(rel))).reduce((a, n) => a + n.tests, 0);
    if (ran + notRun !== spec.Tests.length) problems.push(`${id} (${rel}): ${spec.Tests.length} tests, ${ran} in tests[] and ${notRun} in notRun[]`);
  }
  // every failed test has a finding at its Name line, with its file
  for (const t of report.tests) {
    if (t.passed) continue;
    const f = report.findings.find((x) => (x.code === 'test/failed' || x.code === 'test/error') && x.itemId === t.itemId && x.line === t.line && x.file === t.file);
    if (!f) problems.push(`failed test without a finding: ${t.itemId} / ${t.name}`);
    if (!t.error) problems.push(`failed test without error text: ${t.itemId} / ${t.name}`);
    if (!t.failedFunction) problems.push(`failed test without failing function: ${t.itemId} / ${t.name}`);
    if (typeof t.expected !== 'boolean') problems.push(`failed test without expected: ${t.itemId} / ${t.name}`);
  }
  return problems;
}

export type Verdict = [itemId: string, name: string, passed: boolean, failedFunction?: string, error?: string | RegExp];

/** The verdict rows of a report, in a form jest can compare exactly (regexps for error texts). */
export function verdicts(report: Report, expected: Verdict[]): { got: unknown[]; want: unknown[] } {
  const got: unknown[] = [];
  const want: unknown[] = [];
  for (const [itemId, name, passed, ff, err] of expected) {
    const t: TestResult | undefined = report.tests.find((r) => r.itemId === itemId && r.name === name);
    want.push([itemId, name, passed, ff ?? null, err === undefined ? (passed ? null : expect.anything()) : typeof err === 'string' ? err : expect.stringMatching(err)]);
    got.push(t ? [itemId, name, t.passed, t.failedFunction ?? null, t.error] : [itemId, name, 'MISSING']);
  }
  return { got, want };
}
