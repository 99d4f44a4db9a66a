#!/usr/bin/env node
// Flip check for correlation-rule tests: every verdict must come from the test data, never from a
// default. Runs the built CLI (dist/cli.js) on a pack, then, in a temporary copy of its correlation
// rules, flips each test's ExpectedResult in turn and checks that exactly that test fails.
//
//   node scripts/correlation-flip.js PACK_PATH
//
// Prints the counts; exits 1 when any check fails. The pack itself is never modified.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const cli = path.join(__dirname, '..', 'dist', 'cli.js');
const pack = process.argv[2];
if (!pack) {
  console.error('usage: node scripts/correlation-flip.js PACK_PATH');
  process.exit(2);
}

function run(root, extra = []) {
  const r = spawnSync(process.execPath, [cli, root, '--format', 'json', '--filter', 'AnalysisType=correlation_rule', ...extra], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status === 2 || !r.stdout) throw new Error(`rulegate failed on ${root}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
const key = (t) => `${t.file}\u0000${t.name}`;
const correlationTests = (report) => {
  const kinds = new Map(report.items.map((i) => [i.id, i.kind]));
  return report.tests.filter((t) => kinds.get(t.itemId) === 'correlation_rule');
};

// 1. the pack as it is: every correlation test runs and passes
const base = run(pack);
const tests = correlationTests(base);
const kinds = new Map(base.items.map((i) => [i.id, i.kind]));
const notRun = base.notRun.filter((n) => kinds.get(n.itemId) === 'correlation_rule');
const files = [...new Set(base.items.filter((i) => i.kind === 'correlation_rule').map((i) => i.file))];
const declared = base.items.filter((i) => i.kind === 'correlation_rule').reduce((n, i) => n + i.tests, 0);
console.log(`pack: ${files.length} correlation rules, ${declared} tests declared, ${tests.length} run, ${tests.filter((t) => t.passed).length} passed, ${notRun.length} not run`);
console.log(`verdicts: ${tests.filter((t) => t.actual === true).length} true, ${tests.filter((t) => t.actual === false).length} false`);
console.log(`tests.correlation: ${base.timings['tests.correlation']} ms of the test stage (${base.timings.tests} ms)`);
let bad = notRun.length > 0 || tests.length !== declared || tests.some((t) => !t.passed);

// 2. flips, in a temporary copy of the correlation rules
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-flip-'));
for (const f of files) {
  fs.mkdirSync(path.dirname(path.join(tmp, f)), { recursive: true });
  fs.copyFileSync(path.join(pack, f), path.join(tmp, f));
}
const copyTests = correlationTests(run(tmp));
if (copyTests.length !== tests.length || copyTests.some((t) => !t.passed)) {
  console.log('the copy does not give the same results as the pack');
  bad = true;
}
let flipped = 0;
let exact = 0;
const wrong = [];
for (const t of tests) {
  const file = path.join(tmp, t.file);
  const original = fs.readFileSync(file, 'utf8');
  const lines = original.split('\n');
  // the test's ExpectedResult: the first one after its Name line (t.line)
  const i = lines.findIndex((l, n) => n >= t.line - 1 && /^\s*-?\s*ExpectedResult:\s*(true|false)\s*$/i.test(l));
  if (i < 0) {
    wrong.push(`${t.file}: "${t.name}": no ExpectedResult line found`);
    continue;
  }
  lines[i] = lines[i].replace(/(true|false)/i, (v) => (v.toLowerCase() === 'true' ? 'false' : 'true'));
  fs.writeFileSync(file, lines.join('\n'));
  flipped++;
  try {
    const after = correlationTests(run(tmp));
    const failed = after.filter((x) => !x.passed).map(key);
    if (failed.length === 1 && failed[0] === key(t) && after.length === tests.length) exact++;
    else wrong.push(`${t.file}: "${t.name}": failing after the flip: ${JSON.stringify(failed)}`);
  } finally {
    fs.writeFileSync(file, original);
  }
}
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`flips: ${flipped} tests flipped one at a time, ${exact} made exactly that test fail, ${wrong.length} did not`);
for (const w of wrong) console.log(`  ${w}`);
process.exit(bad || wrong.length || exact !== tests.length ? 1 : 0);
