// The files a pull request (or push) changed: from the REST API (GET /pulls/{n}/files, 100 a page,
// GitHub stops at 3000 files), else from `git diff --name-only base...head` in the checkout.
import { execFileSync } from 'child_process';
import type { GitHubClient } from './api';
import type { EventContext } from './event';

/** GitHub lists at most this many files of a pull request. */
export const PR_FILES_LIMIT = 3000;

export interface ChangedFiles {
  files: string[];
  source: 'api' | 'git';
  /** The API's per-file patches (GitHub leaves out those of very large diffs), for fix suggestions. */
  patches?: Map<string, string>;
}

export interface ChangedFilesResult {
  changed?: ChangedFiles;
  /** Why the list could not be had (then everything is checked). */
  problems: string[];
}

interface PullFile {
  filename: string;
  status?: string;
  previous_filename?: string;
  patch?: string;
}

export async function getChangedFiles(ev: EventContext, api: GitHubClient | undefined, gitDir: string): Promise<ChangedFilesResult> {
  const problems: string[] = [];
  if (ev.pullRequest && ev.repository && api) {
    const { owner, repo } = ev.repository;
    let pages = 0;
    try {
      let truncated = false;
      const items: PullFile[] = await api.paginate(
        api.rest.pulls.listFiles,
        { owner, repo, pull_number: ev.pullRequest.number, per_page: 100 },
        (res, done) => {
          // GitHub lists at most 3000 files; stop there rather than trust a server that goes on.
          if (++pages >= PR_FILES_LIMIT / 100) (truncated = true), done();
          return res.data;
        },
      );
      const files = fromPullFiles(items);
      if (truncated || items.length >= PR_FILES_LIMIT) problems.push(`the pull request changes ${PR_FILES_LIMIT} files or more, more than GitHub's API lists`);
      // A pull request changes at least one file; an empty list is not to be trusted with the gate.
      else if (!files.length) problems.push('the GitHub API listed no changed files');
      else {
        const patches = new Map(items.filter((f) => f && typeof f.patch === 'string' && typeof f.filename === 'string').map((f) => [f.filename, f.patch!]));
        return { changed: { files, source: 'api', patches }, problems };
      }
    } catch (e) {
      problems.push(`listing the pull request's files failed (${(e as Error).message})`);
    }
  } else if (ev.pullRequest && !api) {
    problems.push('no github-token to list the pull request’s files');
  }
  const base = ev.pullRequest?.baseSha ?? ev.baseSha;
  const head = ev.pullRequest?.headSha ?? ev.headSha;
  if (base && head) {
    const files = gitDiff(gitDir, base, head, problems);
    if (files) return { changed: { files, source: 'git' }, problems };
  } else {
    problems.push('the event payload names no base and head commit');
  }
  return { problems };
}

export function fromPullFiles(items: PullFile[]): string[] {
  const out = new Set<string>();
  for (const f of items) {
    if (!f || typeof f !== 'object') continue;
    if (typeof f.filename === 'string' && f.filename) out.add(f.filename);
    if (typeof f.previous_filename === 'string' && f.previous_filename) out.add(f.previous_filename);
  }
  return [...out];
}

/**
 * `git diff --name-only --no-renames base...head`; renames appear as their old and new paths. Without the
 * merge base (shallow history), `git diff base head`, which can only list more files, never fewer.
 */
export function gitDiff(gitDir: string, base: string, head: string, problems: string[] = []): string[] | undefined {
  if (!/^[0-9a-f]{4,64}$/i.test(base) || !/^[0-9a-f]{4,64}$/i.test(head)) {
    problems.push('base or head is not a commit SHA');
    return undefined;
  }
  const run = (range: string[]) =>
    execFileSync('git', ['-c', 'core.quotePath=false', 'diff', '--name-only', '--no-renames', '-z', ...range], {
      cwd: gitDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
  try {
    return run([`${base}...${head}`]).split('\0').filter(Boolean);
  } catch (e) {
    const err = String((e as { stderr?: string }).stderr || (e as Error).message).trim();
    const range = `git diff ${base.slice(0, 7)}...${head.slice(0, 7)} failed`;
    // A shallow checkout (fetch-depth: 2 of the merge commit) holds both commits but not their merge base:
    // the two trees' difference is a superset of the pull request's files (it adds the base's own changes).
    if (/no merge base/i.test(err)) {
      try {
        return run([base, head]).split('\0').filter(Boolean);
      } catch {
        /* fall through */
      }
    }
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') problems.push(`${range}: git is not installed`);
    else if (/not a git repository/i.test(err)) problems.push(`${range}: the workspace is not a git checkout`);
    else problems.push(`${range} (${err.split('\n')[0]}); check out with fetch-depth: 0 so both commits and their merge base are present`);
    return undefined;
  }
}
