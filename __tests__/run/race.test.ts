// The race between a worker's last messages and its death (issue 8 part 1), made deterministic:
// the watchdog tick is fired (through the pool's test seam) at the exact moment the race needs —
// after the worker has written its results and died, before Node has read those results. On a
// saturated machine this happens on its own about one run in three; here it happens every time.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PythonPool, type Job, type LoadMsg, type ResultMsg } from '../../src/run/pool';
import { workerEnv, workerScript } from '../../src/run/env';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-race-'));
  // a test whose Log names a marker file writes its PID there and ends the process at once
  fs.writeFileSync(
    path.join(dir, 'rule.py'),
    'import os\n\n\ndef rule(event):\n    marker = event.get("die")\n    if marker:\n        with open(marker, "w") as f:\n            f.write(str(os.getpid()))\n        os._exit(1)\n    return True\n',
  );
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Blocks Node (as a busy event loop would) until the rule has written `marker` and its process is gone. */
function waitForDeath(marker: string): void {
  const deadline = Date.now() + 20_000;
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    if (Date.now() > deadline) throw new Error('the worker did not die');
    const pid = fs.existsSync(marker) ? Number(fs.readFileSync(marker, 'utf8')) : 0;
    if (pid > 0) {
      try {
        process.kill(pid, 0);
      } catch {
        return; // ESRCH: reaped by the zygote
      }
    }
    Atomics.wait(nap, 0, 0, 2);
  }
}

interface Outcome {
  loads: string[];
  results: string[];
}

/** tests: [name, marker file or null]; the hook runs inside the handler of the message it names. */
async function race(jobs: Array<{ id: string; py?: string; tests: Array<[string, string | null]> }>, hookAt: (kind: 'L' | 'R', id: string, i?: number) => boolean): Promise<Outcome> {
  const pool = new PythonPool({ python: 'python3', script: workerScript(), jobs: 1, timeoutMs: 30_000, cwd: dir, env: workerEnv(process.env, dir) });
  const out: Outcome = { loads: [], results: [] };
  try {
    await pool.start();
    await pool.init({ root: dir, globals: [], dataModels: [], preload: [] });
    const ids = new Map<number, string>();
    const list: Job[] = jobs.map((j, key) => {
      ids.set(key, j.id);
      return {
        key,
        header: `"k":${key},"id":${JSON.stringify(j.id)},"py":${JSON.stringify(path.join(dir, j.py ?? 'rule.py'))},"kind":"rule","ca":true`,
        cost: 1,
        tests: j.tests.map(([n, marker], i) => ({ i, json: JSON.stringify({ i, n, x: true, e: marker ? { die: marker } : { ok: 1 } }) })),
      };
    });
    let fired = false;
    const fire = (kind: 'L' | 'R', id: string, i?: number) => {
      if (fired || !hookAt(kind, id, i)) return;
      fired = true;
      const marker = jobs.flatMap((j) => j.tests).find((t) => t[1])?.[1];
      if (!marker) return;
      waitForDeath(marker);
      pool.watchdogTick(); // the tick fires between the worker's last message and Node reading it
    };
    await pool.run(list, {
      onLoad: (job, msg: LoadMsg) => {
        const line = `${ids.get(job.key)} ${msg.ok ? 'loaded' : `${msg.code}: ${msg.msg}`}`;
        if (!out.loads.includes(line)) out.loads.push(line); // a re-queued rest loads again in the next worker
        fire('L', ids.get(job.key)!);
      },
      onResult: (job, msg: ResultMsg) => {
        out.results.push(`${ids.get(job.key)} #${msg.i} ${msg.p ? 'passed' : `${msg.ff}: ${msg.err}`}`);
        fire('R', ids.get(job.key)!, msg.i);
      },
    });
  } finally {
    await pool.close();
  }
  return out;
}

const DIED = 'harness: the Python worker process ended while running this test (os._exit(), a signal such as os.kill(os.getpid(), 9), or a crash)';

test('a passing test is never blamed for the death of the test after it', async () => {
  const marker = path.join(dir, 'm1');
  const out = await race([{ id: 'Race.D', tests: [['t0', null], ['t1', null], ['t2 dies', marker], ['t3', null]] }], (kind, _id, i) => kind === 'R' && i === 0);
  expect(out.loads).toEqual(['Race.D loaded']);
  expect(out.results).toEqual(['Race.D #0 passed', 'Race.D #1 passed', `Race.D #2 ${DIED}`, 'Race.D #3 passed']);
});

test('a module whose load result was still unread is not reported as ended while importing', async () => {
  const marker = path.join(dir, 'm2');
  const out = await race(
    [
      { id: 'Race.Before', tests: [['b0', null]] },
      { id: 'Race.Next', tests: [['n0 dies', marker], ['n1', null]] },
    ],
    (kind, id) => kind === 'R' && id === 'Race.Before',
  );
  expect(out.loads).toEqual(['Race.Before loaded', 'Race.Next loaded']);
  expect(out.results).toEqual(['Race.Before #0 passed', `Race.Next #0 ${DIED}`, 'Race.Next #1 passed']);
});

test('a death judged inside the load message of the module itself: its tests still run', async () => {
  const marker = path.join(dir, 'm3');
  const out = await race([{ id: 'Race.L', tests: [['l0', null], ['l1 dies', marker]] }], (kind) => kind === 'L');
  expect(out.loads).toEqual(['Race.L loaded']);
  expect(out.results).toEqual(['Race.L #0 passed', `Race.L #1 ${DIED}`]);
});

test('a worker killed from outside while it imports a module: the module is tried again, not blamed', async () => {
  // the first import writes its PID and waits; this test kills that process from outside (as a
  // sibling's kill or the OOM killer would); the second import finds the marker and goes on
  const marker = path.join(dir, 'import-marker');
  fs.writeFileSync(
    path.join(dir, 'slow_import.py'),
    `import os\nimport time\n\nif not os.path.exists(${JSON.stringify(marker)}):\n    with open(${JSON.stringify(marker)}, "w") as f:\n        f.write(str(os.getpid()))\n    time.sleep(60)\n\n\ndef rule(event):\n    return True\n`,
  );
  const killer = setInterval(() => {
    const pid = fs.existsSync(marker) ? Number(fs.readFileSync(marker, 'utf8')) : 0;
    if (!(pid > 0)) return;
    clearInterval(killer);
    process.kill(pid, 'SIGKILL');
  }, 5);
  try {
    const out = await race([{ id: 'Race.Import', py: 'slow_import.py', tests: [['i0', null], ['i1', null]] }], () => false);
    expect(out.loads).toEqual(['Race.Import loaded']);
    expect(out.results).toEqual(['Race.Import #0 passed', 'Race.Import #1 passed']);
  } finally {
    clearInterval(killer);
  }
});
