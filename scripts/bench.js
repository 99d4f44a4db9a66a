#!/usr/bin/env node
// RuleGate benchmark: runs the built CLI (dist/cli.js) exactly as a user would and reports
// wall time, time per stage, files/s, tests/s and peak memory (Node + Python workers).
//
//   npm run bench -- PATH                 full run and a --no-tests run on PATH
//   npm run bench -- PATH --filter ID     adds a single-rule run (pat: --filter RuleID=ID)
//   npm run bench -- --generated          generated packs: 2,000 and 20,000 Python rules x 5 tests,
//                                          2,000 simple detections x 10 tests
//   npm run bench -- --micro              in-process figures: simple-detection evaluations/s, schema
//                                          validation speed (what unit tests must not assert)
//   extra arguments after -- are passed to the CLI (e.g. --python, --jobs)
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');

function descendants(pid) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      /* process ended */
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]) || []));
  return out;
}

function rssKiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Runs the CLI with a JSON report; returns wall ms, the report and the peak RSS of the process tree. */
function run(args) {
  return new Promise((resolve, reject) => {
    const out = path.join(os.tmpdir(), `rulegate-bench-${process.pid}-${Date.now()}.json`);
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [cli, ...args, '--format', 'json', '--output', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let peak = 0;
    const canSample = fs.existsSync('/proc/self/status');
    const timer = setInterval(() => {
      if (!canSample) return;
      const total = descendants(child.pid).reduce((sum, pid) => sum + rssKiB(pid), 0);
      if (total > peak) peak = total;
    }, 50);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 2 || !fs.existsSync(out)) return reject(new Error(`rulegate exited ${code}: ${stderr}`));
      const report = JSON.parse(fs.readFileSync(out, 'utf8'));
      fs.rmSync(out, { force: true });
      resolve({ wallMs, report, peakMiB: peak / 1024, exitCode: code });
    });
  });
}

function describe(label, r) {
  const s = r.report.summary;
  const stages = Object.entries(r.report.timings || {})
    .map(([k, v]) => `${k} ${Math.round(v)} ms`)
    .join(', ');
  const lines = [
    `${label}`,
    `  wall time      ${(r.wallMs / 1000).toFixed(2)} s  (engine ${(s.durationMs / 1000).toFixed(2)} s; the rest is Node start-up and report writing)`,
    `  stages         ${stages}`,
    `  files          ${s.files} (${Math.round(s.files / (r.wallMs / 1000))} files/s), ${s.items} items, ${r.report.skippedFiles.length} skipped`,
  ];
  if (s.tests || s.testsNotRun)
    lines.push(
      `  tests          ${s.tests} run (${s.testsPassed} passed, ${s.testsFailed} failed), ${s.testsNotRun} not run; ${Math.round(s.tests / ((r.report.timings.tests || r.wallMs) / 1000))} tests/s in the test stage`,
    );
  lines.push(`  findings       ${s.errors} errors, ${s.warnings} warnings (exit ${r.exitCode})`);
  lines.push(`  peak memory    ${r.peakMiB.toFixed(0)} MiB (Node and Python workers together)`);
  console.log(lines.join('\n'));
}

function generatePack(dir, count, kind) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'rules'), { recursive: true });
  for (let i = 0; i < count; i++) {
    const id = `Bench.${kind}.${i}`;
    const base = path.join(dir, 'rules', `bench_${i}`);
    const tests = [];
    const n = kind === 'simple' ? 10 : 5;
    for (let t = 0; t < n; t++) {
      const hit = t % 2 === 0;
      tests.push(
        `  - Name: case ${t}\n    ExpectedResult: ${hit}\n    Log:\n      eventName: ${hit ? 'DeleteTrail' : 'DescribeTrails'}\n      sourceIPAddress: 10.0.${t}.${i % 250}\n      userIdentity: {type: IAMUser, arn: "arn:aws:iam::123456789012:user/u${t}"}\n      requestParameters: {name: trail-${i}}\n`,
      );
    }
    const common = `RuleID: ${id}\nEnabled: true\nLogTypes: [AWS.CloudTrail]\nSeverity: Medium\nReports:\n  MITRE ATT&CK:\n    - TA0040:T1485\nTests:\n${tests.join('')}`;
    if (kind === 'simple') {
      fs.writeFileSync(
        `${base}.yml`,
        `AnalysisType: rule\n${common}Detection:\n  - Key: eventName\n    Condition: IsIn\n    Values: [DeleteTrail, StopLogging, UpdateTrail]\n  - KeyPath: userIdentity.type\n    Condition: Equals\n    Value: IAMUser\n  - Any:\n      - KeyPath: sourceIPAddress\n        Condition: IsIPAddressPrivate\n      - KeyPath: requestParameters.name\n        Condition: StartsWith\n        Value: trail\nAlertTitle: "Trail {requestParameters.name} changed"\n`,
      );
    } else {
      fs.writeFileSync(`${base}.yml`, `AnalysisType: rule\nFilename: bench_${i}.py\n${common}`);
      fs.writeFileSync(
        `${base}.py`,
        `WATCHED = {"DeleteTrail", "StopLogging", "UpdateTrail"}\n\n\ndef rule(event):\n    return event.get("eventName") in WATCHED and event.deep_get("userIdentity", "type") == "IAMUser"\n\n\ndef title(event):\n    return f"Trail {event.deep_get('requestParameters', 'name')} changed by {event.deep_get('userIdentity', 'arn')}"\n`,
      );
    }
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const filterAt = argv.indexOf('--filter');
  const filter = filterAt !== -1 ? argv.splice(filterAt, 2)[1] : undefined;
  const generated = argv.includes('--generated');
  const micro = argv.includes('--micro');
  const rest = argv.filter((a) => a !== '--generated' && a !== '--micro');
  const target = rest[0] && !rest[0].startsWith('--') ? rest.shift() : undefined;
  console.log(`RuleGate benchmark — ${os.cpus().length} cores, Node ${process.version}`);
  if ((target || generated) && !fs.existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build first');

  if (target) {
    const abs = path.resolve(target);
    // Warm the file cache once so the first measured run is not a disk benchmark.
    await run([abs, '--no-tests', ...rest]);
    describe(`${target} --no-tests`, await run([abs, '--no-tests', ...rest]));
    describe(`${target} (validation + all tests)`, await run([abs, ...rest]));
    if (filter) describe(`${target} --filter RuleID=${filter}`, await run([abs, '--filter', `RuleID=${filter}`, ...rest]));
  }
  if (generated) {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-bench-packs-'));
    try {
      const results = {};
      for (const count of [2000, 20000]) {
        const dir = path.join(base, `python-${count}`);
        generatePack(dir, count, 'python');
        const r = await run([dir, ...rest]);
        describe(`generated pack: ${count} Python rules x 5 tests`, r);
        results[count] = r;
        fs.rmSync(dir, { recursive: true, force: true });
      }
      const ratio = results[20000].wallMs / results[2000].wallMs;
      console.log(`  scaling        20,000 / 2,000 rules: time x${ratio.toFixed(1)} (linear would be x10; target <= 12)`);
      const dir = path.join(base, 'simple-2000');
      generatePack(dir, 2000, 'simple');
      const r = await run([dir, ...rest]);
      describe('generated pack: 2,000 simple detections x 10 tests', r);
      const evaluations = r.report.summary.tests * 3; // three top-level match expressions per test
      console.log(`  match evals    ~${Math.round(evaluations / ((r.report.timings.tests || r.wallMs) / 1000)).toLocaleString('en-US')} expressions/s in the test stage`);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  }
  if (micro) {
    console.log('micro benchmarks (TypeScript sources, in process)');
    const r = require('child_process').spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, 'bench-micro.ts')], { stdio: 'inherit', cwd: root });
    if (r.status !== 0) throw new Error('the micro benchmarks failed');
  }
  if (!target && !generated && !micro) console.log('nothing to do: give a PATH, --generated and/or --micro');
}

main().catch((e) => {
  console.error(e.message);
  process.exit(2);
});
