// Mutation check of Sigma regression tests: for each test, change the event value the rule matched
// on (found by flipping one field at a time), rerun every regression test of the repository with
// only that change, and check that exactly that test fails. Usage: npx tsx scripts/sigma-mutate.ts PATH
import * as fs from 'fs';
import * as path from 'path';
import { findRepoRoot } from '../src/discover';
import { isSigmaFile, loadSigma } from '../src/formats/sigma';
import { checkSigmaRepository } from '../src/formats/sigma/repository';
import { runRegressionTests } from '../src/formats/sigma/regression';
import { compileRule, flattenEvent, parseEventsFile } from '../src/formats/sigma/match';

const root = path.resolve(process.argv[2] ?? '.');
const repoRoot = findRepoRoot(root);
const files: Array<{ file: string; absPath: string; text: string }> = [];
const walk = (dir: string) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && !e.name.startsWith('.')) walk(p);
    else if (e.isFile() && /\.ya?ml$/.test(e.name)) {
      const text = fs.readFileSync(p, 'utf8');
      if (isSigmaFile(p, text)) files.push({ file: path.relative(repoRoot, p), absPath: p, text });
    }
  }
};
walk(root);
const { items } = loadSigma(files);
const { regression } = checkSigmaRepository(items, repoRoot, { wholeRepository: false });
const cache = new Map<string, unknown[]>();
const read = (p: string) => {
  if (!cache.has(p)) cache.set(p, parseEventsFile(fs.readFileSync(p, 'utf8')));
  return cache.get(p)!;
};
const baseline = runRegressionTests(regression, read).results;
const failing = baseline.filter((r) => !r.passed).length;
console.log(`baseline: ${baseline.length} tests, ${failing} failing`);

/** A Windows event with one flattened field changed; other shapes get the top-level key changed. */
function mutate(raw: unknown, field: string): unknown {
  const copy = JSON.parse(JSON.stringify(raw));
  const spoil = (v: unknown) => (typeof v === 'number' ? v + 7919 : 'rulegate-mutated-value');
  const visit = (o: any): boolean => {
    if (!o || typeof o !== 'object') return false;
    for (const k of Object.keys(o)) {
      if ((k === field || k.replace(/ /g, '') === field) && (o[k] === null || typeof o[k] !== 'object')) {
        o[k] = spoil(o[k]);
        return true;
      }
      if (k === '#attributes' && typeof o[k] === 'object') {
        for (const a of Object.keys(o[k])) if (field.endsWith(`_${a}`) || field === a) {
          o[k][a] = spoil(o[k][a]);
          return true;
        }
      }
      if (visit(o[k])) return true;
    }
    return false;
  };
  visit(copy);
  return copy;
}

let ok = 0;
const problems: string[] = [];
regression.forEach((info) => {
  const rule = compileRule(info.item.spec);
  for (const t of info.tests) {
    const jsonPath = t.absPath.replace(/\.evtx$/i, '.json');
    const events = read(jsonPath);
    // Mutate, in every matching event, fields one at a time (cumulatively) until the rule stops matching.
    const mutated = events.map((ev) => {
      let cur = ev;
      for (const field of flattenEvent(ev).keys()) {
        if (!rule.matches(cur)) break;
        cur = mutate(cur, field);
      }
      return cur;
    });
    const results = runRegressionTests(regression, (p) => (p === jsonPath ? mutated : read(p))).results;
    const failed = results.filter((r) => !r.passed);
    const target = `${t.name} (${t.path})`;
    if (failed.length === 1 && failed[0].name === target && failed[0].file === info.item.file) ok++;
    else problems.push(`${info.item.file} ${t.path}: ${failed.length} failed (${failed.map((f) => f.name).slice(0, 3).join('; ')})`);
  }
});
console.log(`mutations: ${ok} of ${baseline.length} made exactly their own test fail`);
for (const p of problems) console.log('  ' + p);
process.exitCode = problems.length || failing ? 1 : 0;
