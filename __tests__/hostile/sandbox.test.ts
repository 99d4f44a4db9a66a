// Rule code as an attacker writes it (issue 9), one pack per attack, through the real CLI
// (dist/cli.js) with secrets planted in its environment — at every sandbox level this machine
// offers: `namespaces` where the kernel allows unprivileged user namespaces, and always `none`.
// What `none` cannot stop (a process of the same user reading /proc of RuleGate, stopping it,
// writing its cache, reaching the network) is stated in the README's security model and tested
// under namespaces only.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { namespacesAvailable } from '../../src/run/sandbox';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const SECRETS: Record<string, string> = {
  GITHUB_TOKEN: 'ghs_SANDBOXSECRET1',
  'INPUT_GITHUB-TOKEN': 'ghs_SANDBOXSECRET2',
  ACTIONS_RUNTIME_TOKEN: 'SANDBOXSECRET3',
  AWS_SECRET_ACCESS_KEY: 'SANDBOXSECRET4',
};
const LEVELS = namespacesAvailable().ok ? ['namespaces', 'none'] : ['none'];
const NS = LEVELS.includes('namespaces');
let base: string;
let cache: string;

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-sandbox-'));
  cache = path.join(base, 'cache');
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

/** A pack of one rule: `py` is its module; each test is [name, expected, Log]. */
function pack(name: string, rules: Array<{ id: string; py: string; tests: Array<[string, boolean, Record<string, unknown>]> }>, extra: Record<string, string> = {}): string {
  const dir = path.join(base, name);
  fs.mkdirSync(path.join(dir, 'rules'), { recursive: true });
  for (const r of rules) {
    const file = r.id.toLowerCase().replace(/\W/g, '_');
    fs.writeFileSync(path.join(dir, 'rules', `${file}.py`), r.py);
    const tests = r.tests.map(([n, x, log]) => `  - Name: ${n}\n    ExpectedResult: ${x}\n    Log: ${JSON.stringify(log)}\n`).join('');
    fs.writeFileSync(path.join(dir, 'rules', `${file}.yml`), `AnalysisType: rule\nRuleID: ${r.id}\nFilename: ${file}.py\nEnabled: true\nLogTypes: [Custom.Log]\nSeverity: Low\nTests:\n${tests}`);
  }
  for (const [f, text] of Object.entries(extra)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  out: string;
  report: any;
}

function rulegate(dir: string, level: string, args: string[] = []): Run {
  const out = path.join(base, `${path.basename(dir)}-${level}-${Date.now()}.json`);
  const r = spawnSync(process.execPath, [CLI, dir, '--format', 'json', '--output', out, '--jobs', '2', '--test-timeout', '3', '--sandbox', level, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...SECRETS, RULEGATE_CACHE: cache, NO_COLOR: '1' },
    timeout: 120_000,
  });
  const text = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, out, report: text ? JSON.parse(text) : undefined };
}

const verdict = (run: Run, id: string, name: string) => {
  const t = run.report.tests.find((x: any) => x.itemId === id && x.name === name);
  return t ? [t.passed, t.failedFunction ?? null, t.error] : 'MISSING';
};

describe.each(LEVELS)('sandbox %s', (level) => {
  test('planted secrets are in no output, even when the rule reads the environment and /proc/*/environ', () => {
    const dir = pack(`secrets-${level}`, [
      {
        id: 'Steal.Secrets',
        py: `import os, glob\n\n\ndef rule(event):\n    found = [k + "=" + v for k, v in os.environ.items()]\n    if event.get("proc"):\n        for f in glob.glob("/proc/*/environ") + ["/proc/%d/environ" % os.getppid()]:\n            try:\n                found.append(open(f, "rb").read().decode("latin-1"))\n            except OSError:\n                pass\n    print("\\n".join(found))\n    raise ValueError(" ".join(found)[:3000])\n`,
        tests: [
          ['own environment', true, { proc: false }],
          ['every /proc environ it can read', true, { proc: true }],
        ],
      },
    ]);
    const run = rulegate(dir, level);
    expect(run.code).toBe(1);
    expect(verdict(run, 'Steal.Secrets', 'own environment')).toEqual([false, 'rule', expect.stringMatching(/^ValueError: /)]);
    const everything = run.stdout + run.stderr + fs.readFileSync(run.out, 'utf8');
    const leaked = (t: string) => Object.values(SECRETS).filter((v) => t.includes(v));
    // the worker's own environment is an allow-list at every level
    const own = run.report.tests.find((t: any) => t.name === 'own environment');
    expect(leaked(own.error + (own.output ?? ''))).toEqual([]);
    // /proc of RuleGate is out of sight only in a PID namespace with its own /proc
    if (level === 'namespaces') expect(leaked(everything)).toEqual([]);
  });

  test('SIGUSR1 (inspector) and SIGSTOP against RuleGate: the run ends with exit 1 and a real report', () => {
    const stop = level === 'namespaces'; // under none a process of the same user can stop RuleGate: documented
    const dir = pack(`signals-${level}`, [
      {
        id: 'Attack.Signals',
        py: `import os, signal\n\n\ndef rule(event):\n    # its own RuleGate: the first cli.js up the parent chain (other RuleGate runs on the machine are not its business)\n    pid = os.getpid()\n    while pid > 1:\n        try:\n            pid = int(open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()[1])\n            cmd = open("/proc/%d/cmdline" % pid, "rb").read()\n        except (OSError, ValueError, IndexError):\n            return False\n        if b"cli.js" in cmd:\n            for sig in ([signal.SIGUSR1, signal.SIGSTOP] if event.get("stop") else [signal.SIGUSR1]):\n                try:\n                    os.kill(pid, sig)\n                except OSError:\n                    pass\n            print("signalled", pid)\n            break\n    return False\n`,
        tests: [['signals RuleGate', true, { stop }]],
      },
    ]);
    const run = rulegate(dir, level);
    expect(run.code).toBe(1);
    expect(verdict(run, 'Attack.Signals', 'signals RuleGate')).toEqual([false, 'rule', 'rule returned false, expected true']);
    expect(run.report.summary.errors).toBe(1);
    expect(run.stderr).not.toMatch(/Debugger listening/);
  });

  test('bytecode planted by rule code never runs in a later run of another repository', () => {
    const victimDir = pack(`victim-${level}`, [{ id: 'Victim.Rule', py: 'def rule(event):\n    return event.get("x") == 1\n', tests: [['matches', true, { x: 1 }]] }]);
    const victimPy = path.join(victimDir, 'rules', 'victim_rule.py');
    // the attacker knows the victim's source: bytecode of "return False" under every name RuleGate
    // used or might use (the old shared temp folder, __pycache__ beside the source, and — under
    // namespaces — RuleGate's own cache with the exact key of the victim's path and content; under
    // none rule code runs as this user and could write that cache like any file of the user:
    // documented in the README's security model)
    const attacker = pack(`planter-${level}`, [
      {
        id: 'Plant.Pyc',
        py: `import hashlib, importlib.util, marshal, os, tempfile\n\n\ndef rule(event):\n    victim, cache = event["victim"], event.get("cache") or "/nonexistent"\n    source = open(victim, "rb").read()\n    evil = compile(source.replace(b'== 1', b'== "PWNED"'), victim, "exec")\n    planted = []\n    key = hashlib.sha256(importlib.util.MAGIC_NUMBER + victim.encode() + b"\\0" + source).hexdigest() + ".code"\n    for folder in [os.path.join(cache, "bytecode"), os.path.join(tempfile.gettempdir(), "rulegate-pycache"), "/tmp/rulegate-pycache", os.path.join(os.path.dirname(victim), "__pycache__")]:\n        try:\n            os.makedirs(folder, exist_ok=True)\n            with open(os.path.join(folder, key), "wb") as f:\n                f.write(marshal.dumps(evil))\n            planted.append(folder)\n        except OSError:\n            pass\n    print("planted", planted)\n    return True\n`,
        tests: [['plants', true, level === 'namespaces' ? { victim: victimPy, cache } : { victim: victimPy }]],
      },
    ]);
    const first = rulegate(attacker, level);
    expect(first.code).toBe(0);
    const second = rulegate(victimDir, level);
    expect(verdict(second, 'Victim.Rule', 'matches')).toEqual([true, null, null]);
    if (level === 'namespaces') {
      // the cache and the repository are read-only to rule code: it could write only into its
      // private temp folder, which ends with the run
      const out = first.report.tests[0].output ?? '';
      expect(out).toMatch(/^planted \[('[^']*\/tmp\/rulegate-pycache')?\]/);
      expect(out).not.toContain(cache);
    }
  });

  test('nothing rule code starts outlives the run, and the report stays as written', async () => {
    const marker = `rulegate-hostile-daemon-${level}-${process.pid}`;
    const daemon = (where: string) =>
      `import os, sys, time\n\n\ndef _daemon(report):\n    if os.fork():\n        return\n    os.setsid()\n    if os.fork():\n        os._exit(0)\n    time.sleep(1.5)\n    try:\n        with open(report, "w") as f:\n            f.write('{"summary": {"errors": 0}}')\n    except OSError:\n        pass\n    os.execv(sys.executable, [sys.executable, "-c", "import time\\nwhile True: time.sleep(0.2)  # ${marker} ${where}"])\n`;
    const outFile = path.join(base, `outlive-${level}.json`);
    const dir = pack(
      `outlive-${level}`,
      [
        {
          id: 'Outlive.Rule',
          py: `${daemon('rule')}\n\ndef rule(event):\n    _daemon(event["report"])\n    return False\n`,
          tests: [['starts a daemon', true, { report: outFile }]],
        },
        { id: 'Outlive.Import', py: `import forever_helper\n\n\ndef rule(event):\n    return True\n`, tests: [['uses the helper', true, {}]] },
      ],
      {
        'global_helpers/forever_helper.py': `${daemon('helper')}\n_daemon(${JSON.stringify(outFile)})\n`,
        'global_helpers/forever_helper.yml': 'AnalysisType: global\nGlobalID: forever_helper\nFilename: forever_helper.py\n',
      },
    );
    const r = spawnSync(process.execPath, [CLI, dir, '--format', 'json', '--output', outFile, '--jobs', '2', '--test-timeout', '3', '--sandbox', level], {
      encoding: 'utf8',
      env: { ...process.env, RULEGATE_CACHE: cache },
      timeout: 120_000,
    });
    expect(r.status).toBe(1);
    const written = fs.readFileSync(outFile, 'utf8');
    expect(JSON.parse(written).summary.errors).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const alive = fs
      .readdirSync('/proc')
      .filter((e) => /^\d+$/.test(e))
      .filter((e) => {
        try {
          return fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(marker);
        } catch {
          return false;
        }
      });
    for (const pid of alive) process.kill(Number(pid), 'SIGKILL'); // clean up before failing
    expect(alive).toEqual([]);
    expect(fs.readFileSync(outFile, 'utf8')).toBe(written);
  });

  test('os.kill(0, SIGKILL) costs only the test that sends it: innocent rules are never blamed', () => {
    const innocent = (id: string) => ({ id, py: 'def rule(event):\n    return event.get("x") == 1\n', tests: Array.from({ length: 6 }, (_, i): [string, boolean, Record<string, unknown>] => [`t${i}`, i % 2 === 0, { x: i % 2 === 0 ? 1 : 0 }]) });
    const dir = pack(`kill0-${level}`, [
      { id: 'Kill.Group', py: 'import os, signal\n\n\ndef rule(event):\n    if event.get("kill"):\n        os.kill(0, signal.SIGKILL)\n    return True\n', tests: [['before', true, {}], ['kills its group', true, { kill: true }], ['after', true, {}]] },
      innocent('Innocent.A'),
      innocent('Innocent.B'),
      innocent('Innocent.C'),
    ]);
    const run = rulegate(dir, level);
    expect(verdict(run, 'Kill.Group', 'kills its group')).toEqual([false, 'harness', expect.stringMatching(/worker process ended while running this test/)]);
    expect(verdict(run, 'Kill.Group', 'after')).toEqual([true, null, null]);
    const others = run.report.tests.filter((t: any) => t.itemId.startsWith('Innocent.'));
    expect(others).toHaveLength(18);
    expect(others.filter((t: any) => !t.passed)).toEqual([]);
    expect(run.report.findings.filter((f: any) => f.itemId.startsWith('Innocent.'))).toEqual([]);
  });

  test('a 4 GB allocation ends as test/error naming the memory limit', () => {
    const dir = pack(`memory-${level}`, [
      { id: 'Memory.Hog', py: 'def rule(event):\n    data = bytearray(4 * 1024 ** 3)\n    return len(data) > 0\n', tests: [['allocates 4 GB', true, {}]] },
      { id: 'Memory.Fine', py: 'def rule(event):\n    return True\n', tests: [['still fine', true, {}]] },
    ]);
    const run = rulegate(dir, level);
    expect(verdict(run, 'Memory.Hog', 'allocates 4 GB')).toEqual([false, 'harness', expect.stringMatching(/ran out of memory in rule\(\): it hit RuleGate's memory limit of 2 GiB per worker \(--memory-limit/)]);
    const f = run.report.findings.find((x: any) => x.itemId === 'Memory.Hog');
    expect(f.code).toBe('test/error');
    expect(verdict(run, 'Memory.Fine', 'still fine')).toEqual([true, null, null]);
    expect(run.report.python.sandbox).toMatchObject({ level, memoryLimitMb: 2048 });
  });

  (NS && level === 'namespaces' ? test : test.skip)('a network connection from a test fails and says why', async () => {
    // a real listener on this machine's loopback: reachable from Node, not from the sandbox
    const server = net.createServer((s) => s.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const dir = pack(`network-${level}`, [
        { id: 'Net.Call', py: `import socket\n\n\ndef rule(event):\n    socket.create_connection(("127.0.0.1", ${port}), timeout=2).recv(5)\n    return True\n`, tests: [['calls out', true, {}]] },
      ]);
      const run = rulegate(dir, level);
      expect(verdict(run, 'Net.Call', 'calls out')).toEqual([false, 'rule', expect.stringMatching(/the network is off while tests run .*--allow-network \(action input allow-network: true\)/)]);
      const allowed = rulegate(dir, level, ['--allow-network']);
      expect(allowed.report.python.sandbox.network).toBe(true);
    } finally {
      server.close();
    }
  });
});

test('--sandbox required exits 2 with the reason when rule code cannot be isolated', () => {
  const dir = pack('required', [{ id: 'Req.Rule', py: 'def rule(event):\n    return True\n', tests: [['ok', true, {}]] }]);
  // an empty PATH hides unshare: no isolation is possible
  const r = spawnSync(process.execPath, [CLI, dir, '--sandbox', 'required', '--python', spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim()], {
    encoding: 'utf8',
    env: { ...process.env, PATH: path.join(base, 'nothing-here') },
    timeout: 60_000,
  });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/--sandbox required: rule code cannot be isolated: util-linux's unshare was not found on PATH/);
});
