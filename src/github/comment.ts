// One sticky pull-request conversation comment (issue comment, not a review comment: findings often
// sit on lines the pull request did not touch). Found again by a hidden marker and edited in place,
// never posted twice. Needs `pull-requests: write`.
import type { GitHubApi } from './api';
import type { RepoRef } from './event';
import type { CommentMode } from './inputs';

export const COMMENT_LIMIT = 65_536;

/**
 * `<!-- rulegate:KEY -->`, the first line of every RuleGate comment. KEY tells several RuleGate steps apart;
 * it comes from the report's root (a fork may have written it), so it loses `<`, `>` and line ends: nothing
 * in it can close the HTML comment (`-->`, `--!>`) and show the rest.
 */
export function commentMarker(key = 'report'): string {
  return `<!-- rulegate:${key.replace(/[<>\r\n]/g, '')} -->`;
}

interface IssueComment {
  id: number;
  body?: string;
  html_url?: string;
  user?: { login?: string; type?: string } | null;
}

export interface CommentResult {
  action: 'created' | 'updated' | 'unchanged' | 'skipped';
  id?: number;
  url?: string;
  reason?: string;
}

export async function findStickyComment(api: GitHubApi, repo: RepoRef, pr: number, marker: string): Promise<IssueComment | undefined> {
  const { items } = await api.paginate<IssueComment>(`/repos/${enc(repo.owner)}/${enc(repo.repo)}/issues/${pr}/comments`, 100);
  const ours = items.filter((c) => c && typeof c.body === 'string' && typeof c.id === 'number' && c.body.startsWith(marker));
  // Prefer a bot's comment (the workflow token's identity) if someone quoted the marker by hand.
  return ours.find((c) => c.user?.type === 'Bot') ?? ours[0];
}

/**
 * Creates or updates the sticky comment. `body` must start with `marker`.
 * `auto`: post only when there is something to say (`hasFindings`) or an earlier comment to update.
 */
export async function upsertStickyComment(
  api: GitHubApi,
  repo: RepoRef,
  pr: number,
  body: string,
  opts: { mode: CommentMode; hasFindings: boolean; marker: string },
): Promise<CommentResult> {
  if (opts.mode === 'never') return { action: 'skipped', reason: 'comment: never' };
  if (!body.startsWith(opts.marker)) body = `${opts.marker}\n${body}`;
  if (body.length > COMMENT_LIMIT) throw new Error(`comment body is ${body.length} characters, over GitHub's ${COMMENT_LIMIT}`);
  const existing = await findStickyComment(api, repo, pr, opts.marker);
  if (!existing) {
    if (opts.mode === 'auto' && !opts.hasFindings) return { action: 'skipped', reason: 'no findings and no earlier comment' };
    const res = await api.request<IssueComment>('POST', `/repos/${enc(repo.owner)}/${enc(repo.repo)}/issues/${pr}/comments`, { body });
    return { action: 'created', id: res.data?.id, url: res.data?.html_url };
  }
  if (existing.body === body) return { action: 'unchanged', id: existing.id, url: existing.html_url };
  const res = await api.request<IssueComment>('PATCH', `/repos/${enc(repo.owner)}/${enc(repo.repo)}/issues/comments/${existing.id}`, { body });
  return { action: 'updated', id: existing.id, url: res.data?.html_url ?? existing.html_url };
}

function enc(s: string): string {
  return encodeURIComponent(s);
}
