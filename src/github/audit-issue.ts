// One audit issue per pack: found again by its hidden marker (like the sticky comment) among the issues
// labelled `rulegate-audit`, created by the first audit and edited in place afterwards — never one issue
// per run. A closed one is reopened only by `audit-reopen` (default: when the audit regressed).
// Needs `issues: write`; callers treat a 403 as "not allowed" and carry on.
import type { GitHubClient } from './api';
import type { RepoRef } from './event';
import type { AuditReopen } from './inputs';

export const AUDIT_LABEL = 'rulegate-audit';

/** `<!-- rulegate-audit:KEY -->`, the first line of the issue body; KEY tells packs (paths) apart. */
export function auditMarker(key: string): string {
  return `<!-- rulegate-audit:${key.replace(/-->|[\r\n]/g, '')} -->`;
}

export interface AuditIssue {
  number: number;
  title?: string;
  body?: string | null;
  state?: string;
  html_url?: string;
  user?: { login?: string; type?: string } | null;
  pull_request?: unknown;
}

export interface AuditIssueResult {
  action: 'created' | 'updated' | 'reopened' | 'unchanged';
  number?: number;
  url?: string;
}


/** The pack's audit issue, open or closed; prefers one a bot (the workflow token) wrote if someone copied the marker. */
export async function findAuditIssue(api: GitHubClient, repo: RepoRef, marker: string): Promise<AuditIssue | undefined> {
  const items = (await api.paginate(api.rest.issues.listForRepo, { ...repo, labels: AUDIT_LABEL, state: 'all', sort: 'created', direction: 'asc', per_page: 100 })) as AuditIssue[];
  const ours = items.filter((i) => i && typeof i.number === 'number' && !i.pull_request && typeof i.body === 'string' && i.body.startsWith(marker));
  return ours.find((i) => i.user?.type === 'Bot') ?? ours[0];
}

/** Creates the issue, or edits `existing` (found by findAuditIssue) in place. `body` must start with the marker. */
export async function writeAuditIssue(
  api: GitHubClient,
  repo: RepoRef,
  existing: AuditIssue | undefined,
  opts: { title: string; body: string; reopen: AuditReopen; regressed: boolean },
): Promise<AuditIssueResult> {
  if (!existing) {
    const res = await api.rest.issues.create({ ...repo, title: opts.title, body: opts.body, labels: [AUDIT_LABEL] });
    return { action: 'created', number: res.data?.number, url: res.data?.html_url };
  }
  const reopen = existing.state === 'closed' && (opts.reopen === 'always' || (opts.reopen === 'regressed' && opts.regressed));
  if (!reopen && existing.body === opts.body && existing.title === opts.title) return { action: 'unchanged', number: existing.number, url: existing.html_url };
  const res = await api.rest.issues.update({ ...repo, issue_number: existing.number, title: opts.title, body: opts.body, ...(reopen ? { state: 'open' as const } : {}) });
  return { action: reopen ? 'reopened' : 'updated', number: existing.number, url: res.data?.html_url ?? existing.html_url };
}
