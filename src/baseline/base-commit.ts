// Existing problems of a pull request: the same checks run on the base commit's tree, and every head
// finding also found there is `existing`. The tree comes from `git archive` of the base commit into a
// temporary folder (the checkout and its .git stay untouched); it needs the base commit in the local
// repository (actions/checkout with `fetch-depth: 0`), else one shallow `git fetch` of it is tried.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Report } from '../core/types';
import type { RunOptions } from '../core/options';
import { runPipeline } from '../pipeline';
import { countProblems, markAllNew, markExisting } from './compare';

export interface BaseTree {
  /** The base commit's files; holds an empty `.git` so that paths are named as in the checkout. */
  dir: string;
  cleanup(): void;
}

const SHA = /^[0-9a-f]{7,64}$/i;

function git(cwd: string, args: string[], opts: { maxBuffer?: number; timeout?: number } = {}): Buffer {
  return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: opts.maxBuffer ?? 16 * 1024 * 1024, timeout: opts.timeout ?? 120_000 });
}

function hasCommit(gitTop: string, sha: string): boolean {
  try {
    git(gitTop, ['cat-file', '-e', `${sha}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/** Extracts the base commit's tree, fetching the commit once (shallow) when the checkout lacks it. */
export function checkoutBaseTree(gitTop: string, sha: string, tmpRoot = os.tmpdir()): BaseTree | { problem: string } {
  if (!SHA.test(sha)) return { problem: `"${sha}" is not a commit SHA` };
  if (!hasCommit(gitTop, sha)) {
    try {
      git(gitTop, ['fetch', '--no-tags', '--quiet', '--depth=1', 'origin', sha]);
    } catch {
      /* reported below */
    }
    if (!hasCommit(gitTop, sha))
      return {
        problem: `the base commit ${sha.slice(0, 7)} is not in the checkout and could not be fetched; use actions/checkout with "fetch-depth: 0"`,
      };
  }
  const dir = fs.mkdtempSync(path.join(tmpRoot, 'rulegate-base-'));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const tar = git(gitTop, ['archive', '--format=tar', sha], { maxBuffer: 4 * 1024 * 1024 * 1024 });
    execFileSync('tar', ['-x', '-f', '-', '-C', dir], { input: tar, stdio: ['pipe', 'ignore', 'pipe'], maxBuffer: 16 * 1024 * 1024 });
    // Output paths are relative to the enclosing git checkout (src/discover): mark the copy as one.
    fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
    return { dir, cleanup };
  } catch (e) {
    cleanup();
    return { problem: `the base commit ${sha.slice(0, 7)} could not be extracted (${firstLine(e)})` };
  }
}

/** A commit SHA for `ref` (a branch, tag or SHA) in the repository at `gitTop`. */
export function resolveCommit(gitTop: string, ref: string): string | undefined {
  if (ref.startsWith('-')) return undefined;
  try {
    return git(gitTop, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).toString('utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface CompareOptions {
  /** The checkout's top folder (holds .git); none when the files were not checked out with git. */
  gitTop: string | undefined;
  /** Temporary folder for the base tree (RUNNER_TEMP in the action). */
  tmpRoot?: string;
}

/**
 * Marks the findings of `report` (the head's run with `options`) new or existing by running the same
 * checks on `baseSha`. Tests run on the base only when the head has failing tests or Python problems.
 * When the base cannot be checked, every finding counts as new and `report.baseline.unavailable` says why.
 */
export async function compareWithBaseCommit(report: Report, options: RunOptions, baseSha: string, opts: CompareOptions): Promise<void> {
  const info = (report.baseline ??= { failOnExisting: options.failOnExisting, problems: { new: 0, existing: 0, accepted: 0 }, stale: 0 });
  info.baseCommit = baseSha;
  const unavailable = (why: string) => {
    info.unavailable = why;
    markAllNew(report.findings);
    info.problems = countProblems(report.findings);
  };
  if (!report.findings.some((f) => f.baseline !== 'accepted' && (f.severity === 'error' || f.severity === 'warning'))) {
    markAllNew(report.findings);
    info.problems = countProblems(report.findings);
    return;
  }
  if (!opts.gitTop) return unavailable('the workspace is not a git checkout');
  const gitTop = opts.gitTop;
  const tree = checkoutBaseTree(gitTop, baseSha, opts.tmpRoot);
  if ('problem' in tree) return unavailable(tree.problem);
  try {
    const inside = (p: string) => {
      const rel = path.relative(gitTop, p);
      return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : path.join(tree.dir, rel);
    };
    const root = inside(options.root);
    if (!root || !fs.existsSync(root)) return unavailable(`the folder ${options.rootArg} does not exist on the base commit`);
    // Tests run on the base only for the items whose tests (or Python) fail on the head.
    const testItems = new Set(report.findings.filter((f) => /^(test|python)\//.test(f.code) && f.baseline !== 'accepted' && f.itemId).map((f) => f.itemId!));
    const needTests = report.findings.some((f) => /^(test|python)\//.test(f.code) && f.baseline !== 'accepted');
    // The head's settings (its config file included) apply to the base too: the same problem gets the same severity.
    const baseOptions: RunOptions = {
      ...options,
      root,
      cwd: inside(options.cwd) ?? tree.dir,
      baselineFile: false,
      noTests: options.noTests || !needTests,
      testItems: testItems.size && !report.findings.some((f) => /^(test|python)\//.test(f.code) && !f.itemId) ? testItems : undefined,
      progress: options.progress ? (line) => options.progress!(`base ${baseSha.slice(0, 7)}: ${line}`) : undefined,
    };
    let base: Report;
    try {
      base = await runPipeline(baseOptions);
    } catch (e) {
      return unavailable(`the checks could not run on the base commit ${baseSha.slice(0, 7)} (${firstLine(e)})`);
    }
    markExisting(report.findings, base.findings);
    info.problems = countProblems(report.findings);
  } finally {
    tree.cleanup();
  }
}

function firstLine(e: unknown): string {
  const err = e as { stderr?: Buffer | string; message?: string };
  const text = (err?.stderr ? String(err.stderr) : '') || err?.message || String(e);
  return text.trim().split('\n')[0].slice(0, 300);
}
