// What the workflow run is about: repository, event, pull request, and the commit results belong to.
// Read from the runner's environment and the event payload (GITHUB_EVENT_PATH); nothing else.
import * as fs from 'fs';

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface PullRequestRef {
  number: number;
  headSha: string;
  baseSha?: string;
  /** `owner/name` of the repository the pull request comes from. */
  headRepo?: string;
}

export interface EventContext {
  eventName: string;
  payload: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  repository?: RepoRef;
  /** GITHUB_SHA: on pull_request this is the synthetic merge commit. */
  sha?: string;
  /** The commit results belong to: the pull request's head, the workflow_run's head, else GITHUB_SHA. */
  headSha?: string;
  /** Base of a push (payload.before) or pull request, for `git diff base...head`. */
  baseSha?: string;
  pullRequest?: PullRequestRef;
  /**
   * The checkout may hold code from a fork while the token can write and secrets are in reach:
   * pull_request_target or workflow_run triggered by a fork's pull request.
   */
  untrustedFork?: { eventName: string; headRepo: string };
  serverUrl: string;
  apiUrl: string;
  workspace: string;
  runUrl?: string;
}

const ZERO_SHA = /^0+$/;

export function readEventContext(env: NodeJS.ProcessEnv = process.env): EventContext {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  let payload: Record<string, any> = {}; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(fs.readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
    } catch (e) {
      throw new Error(`cannot read the event payload GITHUB_EVENT_PATH=${env.GITHUB_EVENT_PATH}: ${(e as Error).message}`);
    }
  }
  const full: string | undefined = env.GITHUB_REPOSITORY || payload.repository?.full_name;
  const repository = parseRepo(full);
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const ctx: EventContext = {
    eventName,
    payload,
    repository,
    sha: env.GITHUB_SHA || undefined,
    headSha: env.GITHUB_SHA || undefined,
    serverUrl,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
  };
  if (repository && env.GITHUB_RUN_ID) ctx.runUrl = `${serverUrl}/${repository.owner}/${repository.repo}/actions/runs/${env.GITHUB_RUN_ID}`;

  const pr = payload.pull_request;
  if (pr && typeof pr.number === 'number' && pr.head?.sha) {
    ctx.pullRequest = { number: pr.number, headSha: pr.head.sha, baseSha: pr.base?.sha, headRepo: pr.head.repo?.full_name };
    ctx.headSha = pr.head.sha;
    ctx.baseSha = pr.base?.sha;
    const baseRepo = payload.repository?.full_name ?? full;
    const headRepo: string | undefined = pr.head.repo?.full_name;
    // A deleted fork has head.repo null: treat it as foreign.
    const foreign = !headRepo || (baseRepo && headRepo.toLowerCase() !== String(baseRepo).toLowerCase());
    if (eventName === 'pull_request_target' && foreign) ctx.untrustedFork = { eventName, headRepo: headRepo ?? '(deleted fork)' };
  } else if (eventName === 'push' && typeof payload.after === 'string') {
    ctx.headSha = payload.after;
    if (typeof payload.before === 'string' && !ZERO_SHA.test(payload.before)) ctx.baseSha = payload.before;
  } else if (eventName === 'workflow_run' && payload.workflow_run) {
    const run = payload.workflow_run;
    if (run.head_sha) ctx.headSha = run.head_sha;
    const headRepo: string | undefined = run.head_repository?.full_name;
    const baseRepo = run.repository?.full_name ?? payload.repository?.full_name ?? full;
    if (headRepo && baseRepo && headRepo.toLowerCase() !== String(baseRepo).toLowerCase())
      ctx.untrustedFork = { eventName, headRepo };
    const listed = Array.isArray(run.pull_requests) ? run.pull_requests.find((p: any) => p?.head?.sha === run.head_sha) : undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (listed && typeof listed.number === 'number') ctx.pullRequest = { number: listed.number, headSha: run.head_sha, baseSha: listed.base?.sha, headRepo };
  }
  return ctx;
}

export function parseRepo(full: string | undefined): RepoRef | undefined {
  if (!full) return undefined;
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(full);
  return m ? { owner: m[1], repo: m[2] } : undefined;
}

export function isPullRequestEvent(eventName: string): boolean {
  return eventName === 'pull_request' || eventName === 'pull_request_target';
}
