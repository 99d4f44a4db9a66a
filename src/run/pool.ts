// The pool of Python processes that run detection tests.
//
// Protocol (newline-delimited JSON over a private Unix socket, or loopback TCP on Windows):
//  * Node spawns a "zygote" (rulegate_worker.py) and writes {addr, token} to its stdin. The
//    zygote connects, says hello, imports unittest.mock / panther_core once, receives `init`
//    (globals, data models, modules to preload), reports progress ("P") and then `ready`.
//  * On `fork` the zygote forks workers (cheap copies of the warmed process) that connect on
//    their own; each receives `run` batches of detections and answers one "L" per module load
//    and one "R" per test. Rule output never reaches the socket (it is captured per test, and
//    fds 1/2 point at /dev/null), so a rule cannot corrupt the channel.
//  * A per-step watchdog kills a worker that exceeds the time limit; a worker that dies loses
//    only the step it was on, its remaining work is re-queued, and the zygote forks a new one.
//    Without os.fork (Windows) every worker is a zygote of its own that is told to `serve`.
import { spawn, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { FatalError } from '../core/errors';
import type { Sandbox } from './sandbox';
import { ignoreInspectorSignal } from '../core/inspector';

export interface PoolConfig {
  python: string;
  script: string;
  jobs: number;
  timeoutMs: number;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** folder for the bytecode of the repository's Python files (outside the checkout) */
  pycache?: string;
  /** run every worker as its own process instead of forking a warmed one (Windows; tests) */
  noFork?: boolean;
  /** the isolation the Python processes run in (./sandbox.ts); none when absent */
  sandbox?: Sandbox;
  /** repository folder: read-only under the sandbox, and the files the bytecode compiler caches */
  root?: string;
  /** per-worker resource limits (bytes, processes, files, CPU seconds) */
  limits?: { mem?: number; nproc?: number; nofile?: number; cpu?: number };
}

export interface HelloInfo {
  exe: string;
  version: string;
  fork: boolean;
}

export interface DataModelConfig {
  i: number;
  id: string;
  py: string | null;
  logTypes: unknown[];
  mappings: unknown[];
}

export interface InitConfig {
  /** repository root: modules loaded from inside it are not "learned" for pre-importing */
  root: string;
  globals: Array<[string, string]>;
  dataModels: DataModelConfig[];
  preload: string[];
}

export interface SetupFinding {
  code: string;
  msg: string;
  dm?: number;
  map?: number;
  key?: string;
  file?: string;
  line?: number;
  col?: number;
  missing?: string;
  inner?: [string, number];
  type?: string;
}

export interface ReadyInfo {
  event: 'builtin' | 'panther_core';
  findings: SetupFinding[];
  ms: Record<string, number>;
}

export interface EncodedTest {
  i: number;
  json: string;
}

export interface Job {
  key: number;
  /** JSON members describing the detection: "k":…,"id":…,"py":…,"kind":…,"ca":… */
  header: string;
  /** Read only when the job is first dispatched (it may be encoded lazily, off the critical path). */
  readonly tests: EncodedTest[];
  cost: number;
}

export interface LoadMsg {
  t: 'L';
  k: number;
  ok: boolean;
  code?: string;
  msg?: string;
  type?: string;
  file?: string;
  line?: number;
  col?: number;
  text?: string;
  missing?: string;
  inner?: [string, number];
  ms?: number;
  /** set by the pool: the load did not finish (time limit, crash) */
  harness?: boolean;
}

export interface ResultMsg {
  t: 'R';
  k: number;
  i: number;
  p: boolean;
  a: boolean | null;
  ms: number;
  err?: string;
  ff?: string;
  /** Failed functions; `tb`: the user frames of an exception, outermost first ([file, line, function]). */
  fl?: Array<{ f: string; e?: string; v?: unknown; loc?: [string, number]; tb?: Array<[string, number, string]> }>;
  fn?: Array<{ name: string; value?: unknown; error?: string; matched: boolean }>;
  o?: string;
  /** InlineFilters rejected the event, so rule() was not called */
  fx?: number;
}

export interface RunHandlers {
  onLoad(job: Job, msg: LoadMsg): void;
  onResult(job: Job, msg: ResultMsg): void;
}

interface Slice {
  job: Job;
  /** undefined until dispatched: then job.tests */
  tests?: EncodedTest[];
  next: number;
  loaded: boolean;
  /** estimated ms still to run in this slice */
  cost: number;
  /** workers that died while importing this module: the first death is not blamed on it (another
   * process may have killed the worker), it is re-queued; a second one is */
  loadDeaths?: number;
}

type Msg = { t: string; [k: string]: any };

function testsOf(s: Slice): EncodedTest[] {
  return (s.tests ??= s.job.tests);
}

class Conn {
  private buf = '';
  closed = false;
  /** the peer sent something that is not a protocol message (rule code wrote into the channel) */
  garbled = false;
  /** characters received so far: a death seen by the PID probe is judged only once this stops growing */
  received = 0;
  constructor(
    readonly sock: net.Socket,
    private readonly onMsg: (m: Msg) => void,
    private readonly onClose: () => void,
  ) {
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => this.data(chunk));
    sock.on('error', () => undefined);
    sock.on('close', () => {
      if (this.closed) return;
      this.closed = true;
      this.onClose();
    });
  }
  private data(chunk: string): void {
    if (this.closed) return;
    this.received += chunk.length;
    this.buf += chunk;
    let start = 0;
    let nl: number;
    while ((nl = this.buf.indexOf('\n', start)) !== -1) {
      const line = this.buf.slice(start, nl);
      start = nl + 1;
      let msg: Msg;
      try {
        msg = JSON.parse(line);
        if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) throw new Error('not a message');
      } catch {
        this.fail();
        return;
      }
      try {
        this.onMsg(msg);
      } catch {
        // a message that parses but cannot be handled (wrong shapes): never let it crash Node
        this.fail();
        return;
      }
      if (this.closed) return;
    }
    this.buf = start ? this.buf.slice(start) : this.buf;
    if (this.buf.length > 16 * 1024 * 1024) this.fail();
  }
  private fail(): void {
    this.garbled = true;
    this.destroy();
    this.onClose();
  }
  send(text: string): void {
    if (!this.closed) this.sock.write(text);
  }
  destroy(): void {
    this.closed = true;
    this.sock.destroy();
  }
}

interface Zygote {
  token: string;
  child: ChildProcess;
  conn?: Conn;
  hello?: HelloInfo;
  state: 'starting' | 'init' | 'ready' | 'dead';
  serve: boolean; // spawn mode: becomes a worker once ready
  stderr: string;
  lastActivity: number;
  step?: string;
  spawnError?: Error;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  /** importing something (pre-imports or set-up): watched by the time limit */
  busy?: boolean;
  /** spawn mode: the worker this process became once ready */
  asWorker?: Worker;
  /** killed by the watchdog (a set-up step over its time limit) */
  killedForTime?: boolean;
}

interface Worker {
  conn: Conn;
  pid: number;
  zygote: Zygote;
  pending: Slice[];
  pendingTests: number;
  /** estimated ms of work sent and not yet answered: keeps slow jobs from hoarding small ones */
  pendingCost: number;
  loadedKeys: Set<number>;
  lastActivity: number;
  dead: boolean;
  /** the PID probe (or the process's exit) says it is gone: judged on a later turn of the event
   * loop, once everything it wrote before dying has been read */
  confirming?: boolean;
}

const LOW_WATER = 24;
const BATCH_TESTS = 32;
/** ms of estimated work a worker may have queued; a batch is cut at BATCH_COST */
const LOW_COST = 12;
const BATCH_COST = 24;
const MAX_ZYGOTE_STARTS = 6;

export class PythonPool {
  private server?: net.Server;
  /** every accepted connection, identified or not: close() ends them all */
  private sockets = new Set<net.Socket>();
  private addr: string | [string, number] = '';
  private dir?: string;
  private zygotes = new Map<string, Zygote>();
  private primary?: Zygote;
  private workers = new Set<Worker>();
  private queue: Slice[] = [];
  private handlers?: RunHandlers;
  private initConfig?: InitConfig;
  private skip: string[] = [];
  private setupFindings: SetupFinding[] = [];
  private zygoteStarts = 0;
  /** zygotes that died before they were ready without a set-up step to blame (and skip) */
  private failedStarts = 0;
  /** global helpers: preloading one is a step of repository code, held to the test time limit */
  private repoModules = new Set<string>();
  private forkMode = true;
  private desired = 0;
  private pendingStarts = 0;
  private watchdog?: NodeJS.Timeout;
  private helloWait?: { resolve: (h: HelloInfo) => void; reject: (e: Error) => void };
  private readyWait?: { resolve: (r: ReadyInfo) => void; reject: (e: Error) => void };
  private runWait?: { resolve: () => void };
  private readyInfo?: ReadyInfo;
  private closed = false;
  private referenced = true;
  private pre: string[] = [];
  private modsWait?: { pending: number; mods: Set<string>; resolve: (m: string[]) => void };
  /** the bytecode compiler (rulegate_sandbox.py compile) of a run without namespaces */
  private compiler?: ChildProcess;
  /** CPU ms each worker spent (reported when modules are collected at the end). */
  readonly workerCpu: number[] = [];
  /** Wall-clock marks for the report of where time goes. */
  readonly marks: Record<string, number> = {};

  constructor(private readonly cfg: PoolConfig) {
    // SIGUSR1 would open Node's inspector to rule code (the front ends already did this at start-up)
    ignoreInspectorSignal();
  }

  get sandbox(): Sandbox | undefined {
    return this.cfg.sandbox;
  }

  private get zygoteLimitMs(): number {
    return Math.max(this.cfg.timeoutMs, 10_000);
  }

  /** Time limit of the zygote's current step: importing repository code (a data model, a global
   * helper) gets the test time limit; Python's start and third-party imports get at least 10 s. */
  private stepLimitMs(z: Zygote): number {
    const step = z.step;
    if (step && (step.startsWith('dm:') || (step.startsWith('m:') && this.repoModules.has(step.slice(2))))) return this.cfg.timeoutMs;
    return this.zygoteLimitMs;
  }

  /** Spawns the first process; resolves when Python has answered (version, executable). */
  async start(): Promise<HelloInfo> {
    const t0 = performance.now();
    const listening = this.listenNow();
    const hello = new Promise<HelloInfo>((resolve, reject) => (this.helloWait = { resolve, reject }));
    if (!(this.addr instanceof Array && !this.addr[1])) this.primary = this.spawnZygote(false);
    this.startWatchdog();
    await listening;
    if (!this.primary) {
      // the port was not known synchronously
      const a = this.server!.address() as net.AddressInfo;
      this.addr = ['127.0.0.1', a.port];
      this.primary = this.spawnZygote(false);
    }
    const h = await hello;
    this.marks.hello = performance.now() - t0;
    return h;
  }

  /** Sends the shared set-up to the zygote; resolves when it has imported everything. */
  init(config: InitConfig): Promise<ReadyInfo> {
    this.initConfig = config;
    this.repoModules = new Set(config.globals.map((g) => g[0]));
    const ready = new Promise<ReadyInfo>((resolve, reject) => (this.readyWait = { resolve, reject }));
    const z = this.primary;
    if (z && z.conn && z.state === 'starting') this.sendInit(z);
    return ready;
  }

  /** Runs the jobs (largest first); resolves when every test has a result. */
  run(jobs: Job[], handlers: RunHandlers): Promise<void> {
    this.handlers = handlers;
    // Several workers: the slowest detections first. One worker: pat's own order (the walk order
    // the jobs come in), so state that detections share through a global helper evolves as in pat.
    const sorted = this.cfg.jobs > 1 ? [...jobs].sort((a, b) => b.cost - a.cost) : [...jobs];
    this.queue = sorted.map((job) => ({ job, next: 0, loaded: false, cost: job.cost }));
    this.desired = Math.max(1, Math.min(this.cfg.jobs, jobs.length));
    const done = new Promise<void>((resolve) => (this.runWait = { resolve }));
    if (!this.queue.length) this.finishIfDone();
    else this.replenish();
    return done;
  }

  /** Modules to import in the zygote as soon as it starts (call before start()). */
  preImport(mods: string[]): void {
    this.pre = mods;
  }

  /** Top-level modules the workers imported from outside the repository (for the next run). */
  collectModules(waitMs = 300): Promise<string[]> {
    const live = [...this.workers].filter((w) => !w.dead);
    if (!live.length) return Promise.resolve([]);
    return new Promise<string[]>((resolve) => {
      const state = { pending: live.length, mods: new Set<string>(), resolve };
      this.modsWait = state;
      const timer = setTimeout(() => finish(), waitMs);
      const finish = () => {
        clearTimeout(timer);
        if (this.modsWait === state) this.modsWait = undefined;
        resolve([...state.mods]);
      };
      state.resolve = () => finish();
      for (const w of live) w.conn.send('{"t":"mods"}\n');
    });
  }

  /** While unreferenced (a warm-up nobody used yet) the pool does not keep Node running. */
  unref(): void {
    this.referenced = false;
    this.server?.unref();
    for (const z of this.zygotes.values()) this.refZygote(z, false);
  }

  ref(): void {
    this.referenced = true;
    this.server?.ref();
    for (const z of this.zygotes.values()) this.refZygote(z, true);
  }

  private refZygote(z: Zygote, on: boolean): void {
    const targets: Array<{ ref(): unknown; unref(): unknown } | null | undefined> = [z.child, z.child.stderr as any, z.child.stdin as any, z.conn?.sock];
    for (const t of targets) {
      if (!t) continue;
      try {
        if (on) t.ref();
        else t.unref();
      } catch {
        /* not refable */
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    for (const w of this.workers) {
      w.conn.send('{"t":"exit"}\n');
      w.conn.destroy();
    }
    this.workers.clear();
    // before the zygotes go: while they live, every orphan of rule code is found below them
    this.endEverything();
    const exits: Array<Promise<void>> = [];
    for (const z of this.zygotes.values()) {
      z.conn?.send('{"t":"exit"}\n');
      z.conn?.destroy();
      if (z.exit || z.spawnError) continue;
      exits.push(
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            try {
              z.child.kill('SIGKILL');
            } catch {
              /* gone */
            }
            resolve();
          }, 1000);
          z.child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        }),
      );
    }
    await Promise.all(exits);
    // A worker forked just before close() may connect only now: end every connection, or the
    // server would wait for it forever (and the run would never finish).
    for (const sock of this.sockets) sock.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      const timer = setTimeout(resolve, 2000);
      timer.unref();
      this.server.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    // Nothing rule code started may outlive the run: every worker's session, every descendant of
    // the zygotes (orphans are re-parented to the zygote, a child subreaper), the zygotes' groups.
    // Under namespaces ending the zygote (PID 1 of the namespace) makes the kernel end the rest.
    this.endEverything();
    for (const z of this.zygotes.values()) {
      z.child.stderr?.destroy();
      z.child.stdin?.destroy();
    }
    try {
      if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    } catch {
      /* a temporary folder */
    }
  }

  private endEverything(): void {
    if (process.platform === 'win32') return;
    const signal = (pid: number) => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    };
    // only processes Node has not reaped yet: a reaped PID may already belong to someone else
    const roots = [...this.zygotes.values()]
      .filter((z) => !z.exit && !z.spawnError)
      .map((z) => z.child.pid)
      .filter((p): p is number => !!p);
    if (this.compiler?.pid && this.compiler.exitCode === null && this.compiler.signalCode === null) roots.push(this.compiler.pid);
    // twice: a process forked while the first sweep ran is caught by the second
    for (let round = 0; round < 3; round++) {
      const found = descendants(roots); // live workers and every orphan are below the zygotes
      for (const pid of found) {
        signal(-pid); // its session / group, if it leads one
        signal(pid);
      }
      for (const pid of roots) signal(-pid);
      if (round > 0 && !found.some((pid) => alivePid(pid))) break;
    }
  }

  /** The bytecode compiler runs beside the first zygote (it never runs rule code). */
  private startCompiler(env: NodeJS.ProcessEnv): void {
    if (!this.cfg.pycache || !this.cfg.root) return;
    try {
      const child = spawn(this.cfg.python, [path.join(path.dirname(this.cfg.script), 'rulegate_sandbox.py'), 'compile', path.resolve(this.cfg.root), this.cfg.pycache], {
        cwd: this.cfg.cwd,
        env,
        stdio: 'ignore',
        detached: true,
      });
      child.on('error', () => undefined);
      child.unref();
      this.compiler = child;
    } catch {
      /* an optimisation only */
    }
  }

  /** Under a PID namespace a worker reports its PID inside it: find the PID Node can signal. */
  private outerPid(z: Zygote, inner: number): number {
    if (this.cfg.sandbox?.level !== 'namespaces' || !z.child.pid) return inner;
    for (const pid of descendants([z.child.pid])) {
      try {
        const m = /^NSpid:\s+(.*)$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
        const ids = m ? m[1].trim().split(/\s+/) : [];
        if (ids.length > 1 && Number(ids[ids.length - 1]) === inner) return pid;
      } catch {
        /* gone */
      }
    }
    return 0; // not found (already gone): the probe treats 0 as unknown
  }

  // ------------------------------------------------------------------------------------------

  /** Binds the server synchronously (Node binds pipes and TCP sockets inside listen()), so the
   * first Python process can be spawned at once, even if the caller then blocks the event loop. */
  private listenNow(): Promise<void> {
    const server = net.createServer((sock) => this.accept(sock));
    this.server = server;
    let failed: Error | undefined;
    const listening = new Promise<void>((resolve, reject) => {
      server.once('error', (e) => {
        failed = e;
        reject(e);
      });
      server.once('listening', () => resolve());
    });
    listening.catch(() => undefined);
    if (process.platform === 'win32') {
      server.listen(0, '127.0.0.1');
      const a = server.address() as net.AddressInfo | null;
      this.addr = ['127.0.0.1', a ? a.port : 0];
    } else {
      this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-'));
      fs.chmodSync(this.dir, 0o700);
      const file = path.join(this.dir, 'w.sock');
      this.addr = file;
      server.listen(file);
    }
    if (failed) return Promise.reject(failed);
    return listening;
  }

  /** The run's private temp folder (TMPDIR of the workers; a tmpfs of their own under namespaces). */
  private privateTmp(): string | undefined {
    if (!this.dir) return undefined;
    const tmp = path.join(this.dir, 'tmp');
    try {
      fs.mkdirSync(tmp, { mode: 0o700 });
    } catch {
      /* exists */
    }
    return tmp;
  }

  private spawnZygote(serve: boolean): Zygote {
    this.zygoteStarts++;
    const token = randomBytes(16).toString('hex');
    const box = this.cfg.sandbox;
    const prefix = box?.prefix ?? [];
    const tmp = this.privateTmp();
    const env = tmp ? { ...this.cfg.env, TMPDIR: tmp, TEMP: tmp, TMP: tmp } : this.cfg.env;
    if (!this.compiler && box?.level !== 'namespaces') this.startCompiler(env);
    const command = [...prefix, this.cfg.python, this.cfg.script];
    const child = spawn(command[0], command.slice(1), {
      cwd: this.cfg.cwd,
      env,
      stdio: ['pipe', 'ignore', 'pipe'],
      windowsHide: true,
      // its own process group: rule code that signals its group (os.killpg(0, ...)) reaches the
      // Python processes only, never Node
      detached: process.platform !== 'win32',
    });
    const z: Zygote = { token, child, state: 'starting', serve, stderr: '', lastActivity: Date.now() };
    this.zygotes.set(token, z);
    if (!this.referenced) setImmediate(() => this.refZygote(z, false));
    child.stdin?.on('error', () => undefined);
    const pre = this.pre.filter((m) => !this.skip.includes('pre:' + m));
    if (pre.length) z.busy = true;
    const sandbox =
      box?.level === 'namespaces' && tmp ? { level: 'namespaces', root: path.resolve(this.cfg.root ?? this.cfg.cwd), cache: this.cfg.pycache ?? tmp, tmp } : { level: 'none' };
    // Node's PID is not handed over: rule code must not learn whom to signal or whose /proc to read
    child.stdin?.end(
      JSON.stringify({ addr: this.addr, token, pre, pycache: this.cfg.pycache ?? null, nofork: !!this.cfg.noFork, sandbox, limits: this.cfg.limits ?? {}, netOff: box?.level === 'namespaces' && !box.network }) + '\n',
    );
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => {
      z.stderr = (z.stderr + d).slice(-8192);
    });
    child.on('error', (err) => {
      z.spawnError = err;
      this.zygoteDied(z);
    });
    child.on('exit', (code, signal) => {
      z.exit = { code, signal };
      // let the socket's last messages arrive before judging the death
      setImmediate(() => this.zygoteDied(z));
    });
    return z;
  }

  private accept(sock: net.Socket): void {
    if (this.closed) {
      sock.destroy();
      return;
    }
    this.sockets.add(sock);
    sock.once('close', () => this.sockets.delete(sock));
    if (this.addr instanceof Array) sock.setNoDelay(true);
    if (!this.referenced) sock.unref();
    let identified: Zygote | Worker | undefined;
    const conn: Conn = new Conn(
      sock,
      (msg) => {
        if (!identified) {
          const z = msg.t === 'hello' ? this.zygotes.get(String(msg.token)) : undefined;
          if (!z || (z.state === 'dead' && msg.role === 'zygote')) {
            conn.destroy();
            return;
          }
          if (msg.role === 'zygote') {
            identified = z;
            this.zygoteHello(z, conn, msg);
          } else {
            identified = this.workerHello(z, conn, this.outerPid(z, Number(msg.pid)));
          }
          return;
        }
        if ('pending' in identified) this.workerMsg(identified, msg);
        else this.zygoteMsg(identified, msg);
      },
      () => {
        if (!identified) return;
        if ('pending' in identified) this.workerDied(identified, conn.garbled ? 'protocol' : 'exit');
        else this.zygoteDied(identified as Zygote);
      },
    );
  }

  // ---- zygotes --------------------------------------------------------------------------------

  private zygoteHello(z: Zygote, conn: Conn, msg: Msg): void {
    z.conn = conn;
    z.hello = { exe: String(msg.exe), version: String(msg.ver), fork: !!msg.fork };
    z.lastActivity = Date.now();
    if (this.helloWait && z === this.primary) {
      this.forkMode = z.hello.fork;
      this.helloWait.resolve(z.hello);
      this.helloWait = undefined;
    }
    if (this.initConfig) this.sendInit(z);
  }

  private sendInit(z: Zygote): void {
    if (!this.initConfig || !z.conn || z.state !== 'starting') return;
    z.state = 'init';
    z.busy = true;
    z.lastActivity = Date.now();
    z.conn.send(JSON.stringify({ t: 'init', ...this.initConfig, skip: this.skip }) + '\n');
  }

  private zygoteMsg(z: Zygote, msg: Msg): void {
    if (z.asWorker) return this.workerMsg(z.asWorker, msg);
    z.lastActivity = Date.now();
    if (msg.t === 'P') z.step = String(msg.s);
    else if (msg.t === 'idle') {
      // pre-imports done; if init was already sent, its set-up steps are what runs now (still busy)
      if (z.state === 'starting') z.busy = false;
      z.step = undefined;
    }
    else if (msg.t === 'ready') {
      z.state = 'ready';
      z.busy = false;
      z.step = undefined;
      if (!this.readyInfo) {
        this.readyInfo = { event: msg.event, findings: [...this.setupFindings, ...(msg.findings ?? [])], ms: msg.ms ?? {} };
        this.marks.ready = performance.now();
      }
      if (this.readyWait) {
        this.readyWait.resolve(this.readyInfo);
        this.readyWait = undefined;
      }
      if (this.forkMode) this.replenish();
      else {
        // spawn mode (no os.fork): this process serves tests itself
        if (z.serve) this.pendingStarts = Math.max(0, this.pendingStarts - 1);
        z.conn!.send('{"t":"serve"}\n');
        const w = this.newWorker(z, z.conn!, this.cfg.sandbox?.level === 'namespaces' ? 0 : z.child.pid ?? 0);
        z.asWorker = w;
        this.dispatch(w);
        this.finishIfDone();
      }
    }
  }

  private zygoteDied(z: Zygote): void {
    if (z.state === 'dead') return;
    const wasReady = z.state === 'ready';
    z.state = 'dead';
    // serving tests itself: read what it sent before dying, then judge it as a worker
    if (z.asWorker) return this.suspectDead(z.asWorker);
    z.conn?.destroy();
    if (this.closed) return;
    if (z === this.primary && this.helloWait) {
      this.helloWait.reject(this.startError(z));
      this.helloWait = undefined;
      return;
    }
    let blamed = false;
    if (z.busy && z.step && !this.skip.includes(z.step)) {
      // a set-up step hung or ended the process: skip it from now on (this restart made progress,
      // so it does not count against the limit of failed starts)
      const step = z.step;
      const limit = this.stepLimitMs(z);
      this.skip.push(step);
      blamed = true;
      if (step.startsWith('dm:'))
        this.setupFindings.push({
          code: 'datamodel/invalid',
          dm: Number(step.slice(3)),
          msg: z.killedForTime
            ? `loading the data model's Python file did not finish within ${limit / 1000} s`
            : "loading the data model's Python file ended the Python process",
        });
    }
    if (!wasReady && !blamed) this.failedStarts++;
    if (z === this.primary) {
      this.primary = undefined;
      if (this.forkMode) this.pendingStarts = 0;
    } else if (z.serve) this.pendingStarts = Math.max(0, this.pendingStarts - 1);
    if (this.failedStarts >= MAX_ZYGOTE_STARTS) {
      const err = new FatalError(`the Python worker could not be started (${this.describeExit(z)})`);
      if (this.readyWait) {
        this.readyWait.reject(err);
        this.readyWait = undefined;
      }
      this.abortAll(err.message);
      return;
    }
    if (this.readyWait && !this.primary) this.primary = this.spawnZygote(false);
    else this.replenish();
  }

  private startError(z: Zygote): Error {
    const exe = this.cfg.python;
    const notFound = z.exit?.code === 127; // under unshare: it could not execute the Python named
    if ((z.spawnError && (z.spawnError as NodeJS.ErrnoException).code === 'ENOENT') || notFound)
      return new FatalError(
        `Python 3 is needed to run the tests of Python rules, but "${exe}" was not found on PATH; install Python 3 (e.g. actions/setup-python) or pass --python <path>`,
      );
    if (z.spawnError) return new FatalError(`Python ("${exe}") could not be started: ${z.spawnError.message}`);
    const last = z.stderr.trim().split('\n').slice(-1)[0] ?? '';
    return new FatalError(
      `"${exe}" could not run RuleGate's Python worker (${this.describeExit(z)})${last ? `: ${last}` : ''}; RuleGate needs Python 3.8 or later`,
    );
  }

  private describeExit(z: Zygote): string {
    if (z.spawnError) return z.spawnError.message;
    if (z.exit?.signal) return `killed by ${z.exit.signal}`;
    if (z.exit) return `exit code ${z.exit.code}`;
    return 'connection lost';
  }

  // ---- workers --------------------------------------------------------------------------------

  private replenish(): void {
    if (this.closed || !this.handlers) return;
    const alive = this.workers.size + this.pendingStarts;
    const want = this.queue.length ? Math.min(this.desired, alive + this.queue.length) - alive : 0;
    if (want > 0) {
      if (this.forkMode) {
        const p = this.primary;
        if (!p || p.state === 'dead') {
          if (this.failedStarts >= MAX_ZYGOTE_STARTS) {
            if (!this.workers.size) this.abortAll('the Python worker could not be restarted');
          } else this.primary = this.spawnZygote(false);
        } else if (p.state === 'ready') {
          this.pendingStarts += want;
          this.forkRequestedAt = Date.now();
          p.conn!.send(JSON.stringify({ t: 'fork', n: want }) + '\n');
        } // else: it forks once ready
      } else {
        for (let n = 0; n < want; n++) {
          if (this.failedStarts >= MAX_ZYGOTE_STARTS) {
            if (!this.workers.size && !this.pendingStarts) this.abortAll('the Python worker could not be restarted');
            break;
          }
          this.pendingStarts++;
          this.spawnZygote(true);
        }
      }
    }
    for (const w of this.workers) this.dispatch(w);
    this.finishIfDone();
  }

  private workerHello(z: Zygote, conn: Conn, pid: number): Worker {
    this.pendingStarts = Math.max(0, this.pendingStarts - 1);
    if (this.closed) conn.send('{"t":"exit"}\n');
    const w = this.newWorker(z, conn, pid);
    this.dispatch(w);
    this.finishIfDone();
    return w;
  }

  private newWorker(z: Zygote, conn: Conn, pid: number): Worker {
    const w: Worker = { conn, pid, zygote: z, pending: [], pendingTests: 0, pendingCost: 0, loadedKeys: new Set(), lastActivity: Date.now(), dead: false };
    this.workers.add(w);
    return w;
  }

  private dispatch(w: Worker): void {
    if (w.dead || w.pendingTests >= LOW_WATER || w.pendingCost >= LOW_COST || !this.queue.length) return;
    const batch: Slice[] = [];
    let tests = 0;
    let cost = 0;
    while (this.queue.length && tests < BATCH_TESTS && cost < BATCH_COST) {
      const s = this.queue.shift()!;
      s.tests ??= s.job.tests;
      if (w.loadedKeys.has(s.job.key)) s.loaded = true;
      batch.push(s);
      tests += s.tests!.length + 1;
      cost += s.cost;
    }
    let text = '{"t":"run","jobs":[';
    batch.forEach((s, n) => {
      if (n) text += ',';
      text += '{' + s.job.header + ',"tests":[';
      const list = s.tests!;
      for (let i = 0; i < list.length; i++) {
        if (i) text += ',';
        text += list[i].json;
      }
      text += ']}';
    });
    text += ']}\n';
    if (!w.pending.length) w.lastActivity = Date.now();
    for (const s of batch) {
      w.pending.push(s);
      w.pendingTests += s.tests!.length;
      w.pendingCost += s.cost;
    }
    w.conn.send(text);
  }

  private workerMsg(w: Worker, msg: Msg): void {
    w.lastActivity = Date.now();
    const head = w.pending[0];
    if (msg.t === 'L') {
      if (!head || head.loaded || head.job.key !== msg.k) return this.protocolError(w);
      this.handlers!.onLoad(head.job, msg as LoadMsg);
      if (msg.ok) {
        head.loaded = true;
        w.loadedKeys.add(head.job.key);
        if (!testsOf(head).length) {
          w.pending.shift();
          w.pendingCost -= head.cost;
        }
      } else {
        w.pending.shift();
        w.pendingTests -= testsOf(head).length;
        w.pendingCost -= head.cost;
      }
    } else if (msg.t === 'M') {
      const m = this.modsWait;
      if (typeof msg.cpu === 'number') this.workerCpu.push(msg.cpu);
      if (m) {
        for (const x of Array.isArray(msg.m) ? msg.m : []) m.mods.add(String(x));
        if (--m.pending <= 0) m.resolve([...m.mods]);
      }
      return;
    } else if (msg.t === 'R') {
      if (!head || !head.loaded || head.job.key !== msg.k || testsOf(head)[head.next]?.i !== msg.i) return this.protocolError(w);
      const share = head.cost / Math.max(1, testsOf(head).length - head.next);
      head.next++;
      head.cost -= share;
      w.pendingCost -= share;
      w.pendingTests--;
      if (head.next >= testsOf(head).length) w.pending.shift();
      if (!w.pending.length) w.pendingCost = 0;
      this.handlers!.onResult(head.job, msg as ResultMsg);
    } else return;
    this.dispatch(w);
    if (!w.pending.length) this.finishIfDone();
  }

  private protocolError(w: Worker): void {
    this.kill(w.pid);
    this.workerDied(w, 'protocol');
  }

  private alive(pid: number): boolean {
    if (!(pid > 0)) return true;
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code !== 'ESRCH';
    }
  }

  private kill(pid: number): void {
    try {
      if (pid > 0) process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }

  private workerDied(w: Worker, why: 'exit' | 'timeout' | 'protocol'): void {
    if (w.dead) return;
    w.dead = true;
    this.workers.delete(w);
    w.conn.destroy();
    if (why !== 'exit') this.kill(w.pid);
    if (w.zygote.asWorker === w) w.zygote.state = 'dead';
    const sec = this.cfg.timeoutMs / 1000;
    const requeue: Slice[] = [];
    const head = w.pending.shift();
    if (head) {
      if (!head.loaded && why === 'exit' && !head.loadDeaths) {
        // Died while importing this module, as far as Node can tell: it may be the module's
        // doing, or the worker was killed from outside. Once more in a fresh worker decides.
        requeue.push({ job: head.job, tests: testsOf(head), next: 0, loaded: false, cost: head.cost, loadDeaths: 1 });
      } else if (!head.loaded) {
        this.handlers!.onLoad(head.job, {
          t: 'L',
          k: head.job.key,
          ok: false,
          harness: true,
          code: 'python/import',
          msg:
            why === 'timeout'
              ? `importing the module did not finish within the ${sec} s time limit`
              : why === 'protocol'
                ? "the Python worker was stopped while importing the module: something wrote into RuleGate's private channel to it (code writing to file descriptors it does not own, or forking)"
                : 'the Python worker process ended while importing the module (os._exit(), a signal, or a crash)',
        });
      } else {
        const t = testsOf(head)[head.next];
        if (t) {
          const err =
            why === 'timeout'
              ? `the test did not finish within the ${sec} s time limit (the worker running it was stopped)`
              : why === 'protocol'
                ? "the Python worker was stopped while running this test: something wrote into RuleGate's private channel to it (code writing to file descriptors it does not own, or forking)"
                : 'the Python worker process ended while running this test (os._exit(), a signal such as os.kill(os.getpid(), 9), or a crash)';
          this.handlers!.onResult(head.job, {
            t: 'R',
            k: head.job.key,
            i: t.i,
            p: false,
            a: null,
            ms: why === 'timeout' ? this.cfg.timeoutMs : 0,
            ff: 'harness',
            err,
            fl: [{ f: 'harness', e: err }],
          });
          const rest = testsOf(head).slice(head.next + 1);
          if (rest.length) requeue.push({ job: head.job, tests: rest, next: 0, loaded: false, cost: (head.cost * rest.length) / Math.max(1, testsOf(head).length - head.next) });
        }
      }
    }
    for (const s of w.pending) requeue.push({ job: s.job, tests: testsOf(s).slice(s.next), next: 0, loaded: false, cost: s.cost });
    w.pending = [];
    this.queue.unshift(...requeue);
    this.replenish();
    this.finishIfDone();
  }

  private abortAll(reason: string): void {
    const slices = [...this.queue];
    this.queue = [];
    for (const w of this.workers) {
      slices.push(...w.pending);
      w.pending = [];
    }
    for (const s of slices) {
      if (!s.loaded) this.handlers?.onLoad(s.job, { t: 'L', k: s.job.key, ok: false, harness: true, code: 'python/import', msg: reason });
      else
        for (const t of testsOf(s).slice(s.next))
          this.handlers?.onResult(s.job, { t: 'R', k: s.job.key, i: t.i, p: false, a: null, ms: 0, ff: 'harness', err: reason, fl: [{ f: 'harness', e: reason }] });
    }
    this.finishIfDone();
  }

  private finishIfDone(): void {
    if (!this.runWait || this.queue.length) return;
    for (const w of this.workers) if (w.pending.length) return;
    const done = this.runWait;
    this.runWait = undefined;
    this.marks.done = performance.now();
    done.resolve();
  }

  private tickEvery = 250;
  private forkRequestedAt = 0;
  private lastTick = 0;

  private startWatchdog(): void {
    const every = Math.max(20, Math.min(250, Math.floor(this.cfg.timeoutMs / 10)));
    this.tickEvery = every;
    this.lastTick = Date.now();
    this.watchdog = setInterval(() => this.tick(), every);
    this.watchdog.unref();
  }

  /** A worker the PID probe (or its process's exit) reports gone. Its connection may still hold
   * messages it wrote just before dying (Node reads sockets after timers): judge it only on a later
   * turn of the event loop in which nothing more arrived, or when its connection closes. */
  private suspectDead(w: Worker): void {
    if (w.dead || w.confirming) return;
    w.confirming = true;
    // Two quiet turns in a row: a whole poll phase (where Node reads sockets) lies between them,
    // even when the suspicion arose inside a socket's own read callback.
    let seen = w.conn.received;
    let quiet = 0;
    const judge = () => {
      if (w.dead || this.closed) return;
      if (w.conn.received !== seen) {
        seen = w.conn.received;
        quiet = 0;
      } else if (++quiet >= 2) return this.workerDied(w, 'exit');
      setImmediate(judge);
    };
    setImmediate(judge);
  }

  /** A worker silent past the time limit: stopped unless a message arrives before a later turn of
   * the event loop (it may have answered just before the tick, unread yet). */
  private suspectHung(w: Worker, limit: number): void {
    if (w.dead || w.confirming) return;
    w.confirming = true;
    setImmediate(() => {
      w.confirming = false;
      if (w.dead || this.closed) return;
      if (w.pending.length && Date.now() - w.lastActivity > limit) this.workerDied(w, 'timeout');
    });
  }

  /** Test seam: one watchdog tick now (tests call it at the exact moment a race needs). */
  watchdogTick(): void {
    this.tick();
  }

  private tick(): void {
    const now = Date.now();
    const late = now - this.lastTick > this.tickEvery * 3;
    this.lastTick = now;
    // Node itself was busy (e.g. loading YAML synchronously): messages that arrived meanwhile
    // have not been read yet, so on a late tick judge only workers silent for far longer than the
    // limit (a machine that is always busy must still end a hang).
    const limit = late ? this.cfg.timeoutMs * 3 : this.cfg.timeoutMs;
    for (const w of [...this.workers]) {
      if (w.pending.length && now - w.lastActivity > limit) this.suspectHung(w, limit);
      else if (late) continue;
      else if (w.pending.length && !this.alive(w.pid)) {
        // gone, but its connection is still open (unread messages, or a process the rule forked
        // holds a copy of it)
        this.suspectDead(w);
      }
    }
    if (late) return;
    if (this.forkMode && this.pendingStarts > 0 && now - this.forkRequestedAt > this.zygoteLimitMs) {
      // forked workers that never connected: ask again
      this.pendingStarts = 0;
      this.replenish();
    }
    for (const z of this.zygotes.values()) {
      if (z.busy && z.state !== 'dead' && now - z.lastActivity > this.stepLimitMs(z)) {
        z.killedForTime = true;
        try {
          z.child.kill('SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
  }
}

/** Every process below the given ones (by parent PID, from /proc; Linux). */
function descendants(roots: number[]): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid);
      if (list) list.push(Number(entry));
      else children.set(ppid, [Number(entry)]);
    } catch {
      /* ended meanwhile */
    }
  }
  const out: number[] = [];
  const queue = [...roots];
  while (queue.length) {
    const next = children.get(queue.shift()!) ?? [];
    out.push(...next);
    queue.push(...next);
  }
  return out;
}

function alivePid(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
