// The sandbox the Python workers run in, chosen once at start-up (README, "Security model").
//  * namespaces: util-linux `unshare` gives the workers their own user, PID, mount, IPC, UTS and
//    (unless --allow-network) network namespaces; the worker then makes every mount read-only,
//    mounts a private temp folder and drops every capability before it imports any rule code
//    (python/rulegate_sandbox.py). Rule code sees no process of the runner (no RuleGate PID, no
//    /proc of it, no signal to it), no network, cannot write the checkout or the caches.
//  * none: plain processes of the user (still: own session per worker, limits, fresh environment).
// `auto` uses namespaces when the kernel allows them, else none (and says why); `required` and
// `namespaces` fail (exit 2) when they are not available.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FatalError } from '../core/errors';

export type SandboxRequest = 'auto' | 'required' | 'namespaces' | 'none';
export const SANDBOX_LEVELS: readonly SandboxRequest[] = ['auto', 'required', 'namespaces', 'none'];

export interface Sandbox {
  level: 'namespaces' | 'none';
  requested: SandboxRequest;
  network: boolean;
  /** why namespaces are not used (auto fell back, or none was asked for) */
  note?: string;
  /** command and arguments that go before `python worker.py` */
  prefix: string[];
}

/** The one workflow line that lifts Ubuntu 24.04's AppArmor restriction (GitHub-hosted runners). */
export const APPARMOR_FIX = 'sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0';

const UNSHARE_FLAGS = ['--user', '--map-root-user', '--pid', '--fork', '--kill-child', '--mount', '--mount-proc', '--ipc', '--uts'];

function unshareArgs(network: boolean): string[] {
  return network ? UNSHARE_FLAGS : [...UNSHARE_FLAGS, '--net'];
}

let probed: { ok: boolean; why?: string } | undefined;

/** Can this process create the namespaces and mount inside them? Tried for real, once. */
export function namespacesAvailable(): { ok: boolean; why?: string } {
  if (probed) return probed;
  if (process.platform !== 'linux') return (probed = { ok: false, why: `user namespaces are Linux only (this is ${process.platform})` });
  const unshare = findUnshare();
  if (!unshare) return (probed = { ok: false, why: "util-linux's unshare was not found on PATH" });
  // the same namespaces the workers get, plus a mount: AppArmor's restriction (Ubuntu 24.04)
  // lets the namespace be created but denies what is done in it
  const r = spawnSync(unshare, [...unshareArgs(false), '--', 'sh', '-c', 'mount -t tmpfs tmpfs /mnt 2>/dev/null || mount -t tmpfs tmpfs /tmp'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 10_000,
    encoding: 'utf8',
  });
  if (r.status === 0) return (probed = { ok: true });
  const msg = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n')[0];
  let why = `unprivileged user namespaces are not available here (unshare: ${msg})`;
  if (fs.existsSync('/proc/sys/kernel/apparmor_restrict_unprivileged_userns')) {
    let restricted = '';
    try {
      restricted = fs.readFileSync('/proc/sys/kernel/apparmor_restrict_unprivileged_userns', 'utf8').trim();
    } catch {
      /* unreadable */
    }
    if (restricted === '1') why += `; AppArmor restricts them (Ubuntu 23.10+): a workflow step "run: ${APPARMOR_FIX}" before RuleGate lifts it`;
  }
  return (probed = { ok: false, why });
}

function findUnshare(): string | undefined {
  for (const dir of (process.env.PATH || '/usr/bin:/bin').split(path.delimiter)) {
    const p = `${dir}/unshare`;
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** Chooses the sandbox for this run; a FatalError (exit 2) when isolation is required but missing. */
export function chooseSandbox(requested: SandboxRequest = 'auto', allowNetwork = false): Sandbox {
  if (requested === 'none') return { level: 'none', requested, network: true, note: 'sandbox none was asked for', prefix: [] };
  const ns = namespacesAvailable();
  if (ns.ok) return { level: 'namespaces', requested, network: allowNetwork, prefix: [findUnshare()!, ...unshareArgs(allowNetwork), '--'] };
  if (requested === 'auto') return { level: 'none', requested, network: true, note: ns.why, prefix: [] };
  throw new FatalError(`--sandbox ${requested}: rule code cannot be isolated: ${ns.why}. Use --sandbox auto or none to run without isolation.`);
}

/** Test hook: forget the probe result (tests that fake PATH). */
export function resetSandboxProbe(): void {
  probed = undefined;
}
