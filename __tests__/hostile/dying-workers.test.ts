// A dying worker costs exactly its own test, on a saturated machine too (issue 8 part 1): 40 rules,
// 20 of whose 180 tests end their worker process (os._exit or SIGKILL to itself), run 10 times
// with every core kept busy by spinning processes, --jobs 2 --test-timeout 1. Every verdict must be
// exactly right in every run: no innocent rule reported as "ended while importing", no passing
// test blamed for its neighbour's death, nothing lost.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runPack } from './helpers';

const RUNS = 10;
let dir: string;
const spinners: ChildProcess[] = [];
/** "<itemId> <test name> <verdict>" for every test */
const expected: string[] = [];

const RULE_PY = `import os
import signal


def rule(event):
    act = event.get("act")
    if act == "exit":
        os._exit(3)
    if act == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    return event.get("hit") is True
`;

function test_(name: string, expect: boolean, hit: boolean, act?: string): string {
  return `  - Name: ${name}\n    ExpectedResult: ${expect}\n    Log:\n      hit: ${hit}\n${act ? `      act: ${act}\n` : ''}`;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-dying-'));
  fs.mkdirSync(path.join(dir, 'rules'));
  let deaths = 0;
  let total = 0;
  for (let r = 0; r < 40; r++) {
    const id = `Load.R${r}`;
    const dying = r < 20;
    const count = dying ? 5 : 4;
    const tests: string[] = [];
    for (let t = 0; t < count; t++) {
      const name = `t${t}`;
      total++;
      if (dying && t === r % count) {
        deaths++;
        tests.push(test_(name, true, true, r % 2 ? 'kill' : 'exit'));
        expected.push(`${id} ${name} harness died`);
      } else if (t === 1) {
        tests.push(test_(name, true, false)); // an honest failure
        expected.push(`${id} ${name} rule: rule returned false, expected true`);
      } else {
        const hit = t % 2 === 0;
        tests.push(test_(name, hit, hit));
        expected.push(`${id} ${name} passed`);
      }
    }
    fs.writeFileSync(path.join(dir, 'rules', `r${r}.py`), RULE_PY);
    fs.writeFileSync(
      path.join(dir, 'rules', `r${r}.yml`),
      `AnalysisType: rule\nRuleID: ${id}\nFilename: r${r}.py\nEnabled: true\nLogTypes: [AWS.CloudTrail]\nSeverity: Low\nTests:\n${tests.join('')}`,
    );
  }
  if (deaths !== 20 || total !== 180) throw new Error(`pack shape: ${deaths} deaths, ${total} tests`);
  // keep every core busy for the whole test
  for (let n = 0; n < Math.max(2, os.cpus().length); n++) spinners.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
});

afterAll(() => {
  for (const s of spinners) if (s.pid) process.kill(s.pid, 'SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

test(`every verdict is right in each of ${RUNS} runs on a saturated machine`, async () => {
  const failures: string[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const report = await runPack(dir, { jobs: 2, testTimeoutSec: 1 });
    const got = report.tests.map((t) => {
      if (t.passed) return `${t.itemId} ${t.name} passed`;
      if (t.failedFunction === 'harness' && /worker process ended while running this test/.test(t.error ?? '')) return `${t.itemId} ${t.name} harness died`;
      return `${t.itemId} ${t.name} ${t.failedFunction}: ${t.error}`;
    });
    const wrong = expected.filter((e) => !got.includes(e));
    const extra = got.filter((g) => !expected.includes(g));
    const importErrors = report.findings.filter((f) => f.code === 'python/import').map((f) => f.message);
    if (wrong.length || extra.length || importErrors.length || report.notRun.length || got.length !== 180)
      failures.push(`run ${run}: ${got.length} verdicts; missing ${JSON.stringify(wrong)}; unexpected ${JSON.stringify(extra)}; import errors ${JSON.stringify(importErrors)}; not run ${JSON.stringify(report.notRun)}`);
  }
  expect(failures).toEqual([]);
}, 300_000);
