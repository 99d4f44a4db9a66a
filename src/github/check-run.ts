// One check run on the commit under review with every finding as an annotation. The Checks API takes
// at most 50 annotations per request, so the run is created with the first 50 and updated with the
// rest, 50 at a time (updates append). Needs `checks: write`; fork pull requests never have it.
import type { Finding } from '../core/types';
import type { GitHubClient } from './api';
import type { RepoRef } from './event';
import { isRepoPath } from '../render/markdown';
import { annotationMessage, annotationTitle } from './annotations';

export const ANNOTATIONS_PER_REQUEST = 50;
const MAX_MESSAGE = 60_000; // API: 64 KB
const MAX_TITLE = 255;

export type Conclusion = 'success' | 'failure' | 'neutral';

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunRequest {
  name: string;
  headSha: string;
  conclusion: Conclusion;
  title: string;
  /** Markdown, at most 65,535 characters. */
  summary: string;
  findings: Finding[];
  detailsUrl?: string;
  externalId?: string;
}

export interface CheckRunResult {
  id: number;
  url?: string;
  requests: number;
  /** Annotations sent. */
  annotations: number;
}

export function toCheckAnnotation(f: Finding): CheckAnnotation {
  const start = Math.max(1, Math.floor(f.line) || 1);
  const end = f.endLine && f.endLine > start ? Math.floor(f.endLine) : start;
  const a: CheckAnnotation = {
    path: f.file,
    start_line: start,
    end_line: end,
    annotation_level: f.severity === 'error' ? 'failure' : f.severity === 'warning' ? 'warning' : 'notice',
    message: truncate(annotationMessage(f) || f.code, MAX_MESSAGE),
    title: truncate(annotationTitle(f), MAX_TITLE),
  };
  // The traceback and the test's Log, behind "Raw output" on GitHub (API: 64 KB).
  if (f.details) a.raw_details = truncate(f.details, MAX_MESSAGE);
  // Columns only on single-line annotations (API rule).
  if (end === start && f.column && f.column >= 1) {
    a.start_column = Math.floor(f.column);
    a.end_column = Math.floor(f.column);
  }
  return a;
}

export async function publishCheckRun(api: GitHubClient, repo: RepoRef, req: CheckRunRequest): Promise<CheckRunResult> {
  // Annotations are plain text (only the summary is Markdown); a finding on a path that is not a plain
  // repository path (`../x`, `/etc/x`, from a forged report) is left to the summary.
  const annotations = req.findings.filter((f) => isRepoPath(f.file)).map(toCheckAnnotation);
  const batches: CheckAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  const output = (batch: CheckAnnotation[] | undefined) => ({
    title: truncate(req.title, MAX_TITLE),
    summary: truncate(req.summary, 65_535),
    ...(batch && batch.length ? { annotations: batch } : {}),
  });
  const created = await api.rest.checks.create({
    owner: repo.owner,
    repo: repo.repo,
    name: req.name,
    head_sha: req.headSha,
    status: 'completed',
    conclusion: req.conclusion,
    completed_at: new Date().toISOString(),
    ...(req.detailsUrl ? { details_url: req.detailsUrl } : {}),
    ...(req.externalId ? { external_id: req.externalId } : {}),
    output: output(batches[0]),
  });
  const id = created.data?.id;
  if (typeof id !== 'number') throw new Error(`GitHub API POST /repos/${repo.owner}/${repo.repo}/check-runs answered ${created.status} without a check run id`);
  for (const batch of batches.slice(1)) await api.rest.checks.update({ owner: repo.owner, repo: repo.repo, check_run_id: id, output: output(batch) });
  return { id, url: created.data?.html_url ?? undefined, requests: Math.max(1, batches.length), annotations: annotations.length };
}

function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return s.slice(0, end) + '…';
}
