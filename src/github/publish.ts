// Publishing a Report where reviewers look, in layers that each work on their own:
//   1. a check run with every finding as an annotation (needs checks: write);
//   2. one sticky pull-request comment (needs pull-requests: write);
//   3. workflow-command annotations for the most important findings (always works, 10 per kind);
//   4. the job summary (always works, even on forks).
// A layer the token may not write (403: fork pull requests, read-only tokens) is skipped quietly.
// The action calls this after running the pipeline; `rulegate publish REPORT` calls it on a saved report.
import * as fs from 'fs';
import type { Report } from '../core/types';
import { parseReport } from '../core/report-schema';
import { renderMarkdown, isClean, nothingSelected, CHECK_SUMMARY_MAX_CHARS, COMMENT_MAX_CHARS, SUMMARY_MAX_BYTES } from '../render/markdown';
import { ApiError, GitHubApi } from './api';
import { planAnnotations, prioritize, STEP_CAP } from './annotations';
import { publishCheckRun, type Conclusion } from './check-run';
import { commentMarker, upsertStickyComment } from './comment';
import { formatCommand, safeLogLine } from './commands';
import { readEventContext, type EventContext, type RepoRef } from './event';
import { InputError, type AnnotationsMode, type CheckRunMode, type CommentMode, type FailOn } from './inputs';

export interface PublishContext {
  repository?: RepoRef;
  /** Default https://github.com. */
  serverUrl: string;
  eventName: string;
  /** The commit findings belong to: the pull request's head SHA (never the merge commit). */
  headSha?: string;
  /** Pull request number for the sticky comment. */
  pullRequest?: number;
  runUrl?: string;
  /** Without it, no check run and no comment. */
  api?: GitHubApi;
  /** GITHUB_STEP_SUMMARY; without it, no job summary. */
  summaryFile?: string;
  annotations: AnnotationsMode;
  checkRun: CheckRunMode;
  comment: CommentMode;
  failOn: FailOn;
  /** Check run name; default `RuleGate`. */
  checkName?: string;
  /** Sticky comment marker key; default `report`. */
  commentKey?: string;
  /** Paragraphs (Markdown) for the summary and the comment: refusals, selection problems. */
  notices?: string[];
  /** Repository-relative files the pull request changed; default report.selection.changedFiles. */
  changedFiles?: string[];
  /** The step will fail: one error annotation slot is kept for its own failure message. */
  stepWillFail?: boolean;
  /** stdout for workflow commands (default process.stdout). */
  write?: (text: string) => void;
  /** Log lines (default: stdout, as core.info does). */
  info?: (line: string) => void;
}

type LayerStatus = 'created' | 'updated' | 'unchanged' | 'written' | 'skipped' | 'forbidden' | 'failed';

export interface PublishResult {
  annotations: { lines: string[] };
  checkRun: { status: LayerStatus; id?: number; url?: string; requests?: number; reason?: string };
  comment: { status: LayerStatus; id?: number; url?: string; reason?: string };
  summary: { status: LayerStatus; bytes?: number; reason?: string };
}

/** At most this many check-run annotations (20 requests); the rest are in the summary. */
export const MAX_CHECK_ANNOTATIONS = 1000;

/** Events where a check run belongs to a commit under review. */
const CHECK_EVENTS = new Set(['pull_request', 'pull_request_target', 'push', 'workflow_run', 'merge_group']);

/** Whether findings make the gate fail, by `fail-on` (`never` judges like `error`, for the check run's conclusion). */
export function gateFails(report: Report, failOn: FailOn): boolean {
  const s = report.summary;
  return failOn === 'warning' ? s.errors + s.warnings > 0 : s.errors > 0;
}

export async function publishReport(report: Report, ctx: PublishContext): Promise<PublishResult> {
  const write = ctx.write ?? ((t: string) => void process.stdout.write(t));
  const rawInfo = ctx.info ?? ((l: string) => write(l + '\n'));
  // Log lines can carry text from the API or the report (which a fork's run produced): never a command.
  const info = (l: string) => rawInfo(safeLogLine(l));
  const changedFiles = ctx.changedFiles ?? report.selection?.changedFiles ?? [];
  const notices = [...(ctx.notices ?? [])];
  const result: PublishResult = {
    annotations: { lines: [] },
    checkRun: { status: 'skipped' },
    comment: { status: 'skipped' },
    summary: { status: 'skipped' },
  };
  const mdBase = {
    repository: ctx.repository ? `${ctx.repository.owner}/${ctx.repository.repo}` : undefined,
    serverUrl: ctx.serverUrl,
    sha: ctx.headSha,
    changedFiles,
    runUrl: ctx.runUrl,
  };

  // 1. Check run.
  const checkName = ctx.checkName ?? 'RuleGate';
  if (ctx.checkRun === 'never') result.checkRun.reason = 'check-run: never';
  else if (!ctx.api) result.checkRun.reason = 'no github-token';
  else if (!ctx.repository || !ctx.headSha) result.checkRun.reason = 'no repository or commit SHA in the environment';
  else if (!CHECK_EVENTS.has(ctx.eventName)) result.checkRun.reason = `no check runs on ${ctx.eventName || 'this'} event`;
  else {
    const failing = gateFails(report, ctx.failOn);
    const conclusion: Conclusion = failing ? (ctx.failOn === 'never' ? 'neutral' : 'failure') : 'success';
    try {
      const r = await publishCheckRun(ctx.api, ctx.repository, {
        name: checkName,
        headSha: ctx.headSha,
        conclusion,
        title: checkTitle(report),
        summary: renderMarkdown(report, { ...mdBase, flavor: 'check', maxLength: CHECK_SUMMARY_MAX_CHARS, notices }),
        findings: prioritize(report.findings, changedFiles).slice(0, MAX_CHECK_ANNOTATIONS),
        detailsUrl: ctx.runUrl,
      });
      result.checkRun = { status: 'created', id: r.id, url: r.url, requests: r.requests };
      info(`Check run "${checkName}" created on ${ctx.headSha.slice(0, 7)} with ${Math.min(report.findings.length, MAX_CHECK_ANNOTATIONS)} annotations (${r.requests} ${r.requests === 1 ? 'request' : 'requests'}).`);
    } catch (e) {
      result.checkRun = layerFailure(e, 'checks: write');
      info(`Check run not created: ${result.checkRun.reason}`);
    }
  }

  // 2. Sticky comment.
  if (ctx.comment === 'never') result.comment.reason = 'comment: never';
  else if (!ctx.api) result.comment.reason = 'no github-token';
  else if (!ctx.repository || !ctx.pullRequest) result.comment.reason = 'not a pull request';
  else {
    const marker = commentMarker(ctx.commentKey);
    try {
      const body = renderMarkdown(report, { ...mdBase, flavor: 'comment', maxLength: COMMENT_MAX_CHARS, notices, preamble: marker });
      const hasFindings = !isClean(report);
      const r = await upsertStickyComment(ctx.api, ctx.repository, ctx.pullRequest, body, { mode: ctx.comment, hasFindings, marker });
      result.comment = { status: r.action, id: r.id, url: r.url, reason: r.reason };
      info(`Pull-request comment: ${r.action}${r.reason ? ` (${r.reason})` : ''}${r.url ? ` ${r.url}` : ''}`);
    } catch (e) {
      result.comment = layerFailure(e, 'pull-requests: write');
      info(`Pull-request comment not written: ${result.comment.reason}`);
    }
  }

  // 3. Workflow-command annotations.
  if (ctx.annotations !== 'never' && report.findings.length) {
    const inCheckRun = result.checkRun.status === 'created';
    let lines: string[];
    if (ctx.annotations === 'auto' && inCheckRun) {
      // Every finding is already an annotation of the check run; printing them again would show each twice.
      const total = report.findings.length;
      const n = Math.min(total, MAX_CHECK_ANNOTATIONS);
      const where = `the check run "${checkName}"${result.checkRun.url ? ` (${result.checkRun.url})` : ''}`;
      lines = [
        formatCommand(
          'notice',
          { title: 'RuleGate' },
          n === total
            ? `${n} ${n === 1 ? 'finding is' : 'findings are'} annotated in ${where} and listed in the job summary.`
            : `The first ${n} of ${total} findings are annotated in ${where}; the job summary and the JSON report list the rest.`,
        ),
      ];
    } else {
      const plan = planAnnotations(report, {
        changedFiles,
        reserveErrors: ctx.stepWillFail ? 1 : 0,
        elsewhere: inCheckRun ? `the check run "${checkName}" and the job summary` : 'the job summary',
      });
      lines = plan.lines;
    }
    for (const l of lines) write(l + '\n');
    result.annotations.lines = lines;
  }

  // 4. Job summary (last, so it can say what the other layers did).
  if (!ctx.summaryFile) result.summary.reason = 'GITHUB_STEP_SUMMARY is not set';
  else {
    const layerNotes = [...notices];
    const denied = [result.checkRun, result.comment].some((l) => l.status === 'forbidden');
    if (denied)
      layerNotes.push(
        '> [!NOTE]\n> The token could not write a check run or pull-request comment (fork pull requests and read-only tokens cannot), so the results are here and in the annotations. ' +
          'To get them on the pull request, publish the JSON report from a `workflow_run` workflow.',
      );
    if (report.findings.length > STEP_CAP && result.checkRun.status !== 'created' && ctx.annotations !== 'never')
      layerNotes.push(`_GitHub shows at most ${STEP_CAP} annotations of each kind per step; every finding is listed below._`);
    try {
      const md = renderMarkdown(report, { ...mdBase, flavor: 'summary', maxLength: SUMMARY_MAX_BYTES, notices: layerNotes });
      fs.appendFileSync(ctx.summaryFile, md, 'utf8');
      result.summary = { status: 'written', bytes: Buffer.byteLength(md) };
    } catch (e) {
      result.summary = { status: 'failed', reason: (e as Error).message };
      info(`Job summary not written: ${(e as Error).message}`);
    }
  }
  return result;
}

function layerFailure(e: unknown, permission: string): { status: LayerStatus; reason: string } {
  if (e instanceof ApiError && e.forbidden)
    return { status: 'forbidden', reason: `the token may not do this (HTTP ${e.status}; fork pull requests and tokens without \`${permission}\` cannot)` };
  return { status: 'failed', reason: (e as Error).message };
}

function checkTitle(report: Report): string {
  const s = report.summary;
  if (isClean(report) && nothingSelected(report)) return 'Nothing to check: the changes touch no analysis file';
  if (isClean(report)) return `All clear: ${s.items} items checked, ${s.tests} tests passed`;
  const bits: string[] = [];
  if (s.errors) bits.push(`${s.errors} ${s.errors === 1 ? 'error' : 'errors'}`);
  if (s.warnings) bits.push(`${s.warnings} ${s.warnings === 1 ? 'warning' : 'warnings'}`);
  if (s.testsFailed) bits.push(`${s.testsFailed} of ${s.tests} tests failed`);
  return bits.join(', ');
}

export interface PublishEnvOptions {
  /** Default: env GITHUB_TOKEN, then INPUT_GITHUB-TOKEN. */
  token?: string;
  annotations?: AnnotationsMode;
  checkRun?: CheckRunMode;
  comment?: CommentMode;
  failOn?: FailOn;
  checkName?: string;
  commentKey?: string;
  notices?: string[];
  env?: NodeJS.ProcessEnv;
  /** Already-read event context (the action passes its own). */
  event?: EventContext;
}

/**
 * The PublishContext of the current GitHub Actions job, from its environment: GITHUB_REPOSITORY,
 * GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_SERVER_URL, GITHUB_API_URL, GITHUB_RUN_ID,
 * GITHUB_STEP_SUMMARY, and a token. On `workflow_run` (the fork-safe publisher) the pull request is the
 * open one whose head is the triggering run's head commit, looked up through the API when the event
 * does not list it (GitHub leaves `pull_requests` empty for forks).
 */
export async function publishContextFromEnv(options: PublishEnvOptions = {}): Promise<PublishContext> {
  const env = options.env ?? process.env;
  const ev = options.event ?? readEventContext(env);
  const token = options.token ?? (env.GITHUB_TOKEN || env['INPUT_GITHUB-TOKEN'] || '');
  const api = token ? new GitHubApi(token, ev.apiUrl) : undefined;
  let pullRequest = ev.pullRequest?.number;
  if (!pullRequest && ev.eventName === 'workflow_run' && api && ev.repository) pullRequest = await findPullRequestForRun(api, ev);
  return {
    repository: ev.repository,
    serverUrl: ev.serverUrl,
    eventName: ev.eventName,
    headSha: ev.headSha,
    pullRequest,
    runUrl: ev.runUrl,
    api,
    summaryFile: env.GITHUB_STEP_SUMMARY || undefined,
    annotations: options.annotations ?? 'auto',
    checkRun: options.checkRun ?? 'auto',
    comment: options.comment ?? 'auto',
    failOn: options.failOn ?? 'error',
    checkName: options.checkName,
    commentKey: options.commentKey,
    notices: options.notices,
  };
}

/** The open pull request whose head is the workflow_run's head commit (forks included). */
export async function findPullRequestForRun(api: GitHubApi, ev: EventContext): Promise<number | undefined> {
  const run = ev.payload.workflow_run;
  if (!run || !ev.repository || !run.head_sha) return undefined;
  if (run.event && !['pull_request', 'pull_request_target'].includes(run.event)) return undefined;
  const owner = run.head_repository?.owner?.login;
  const branch = run.head_branch;
  if (!owner || !branch) return undefined;
  try {
    const head = encodeURIComponent(`${owner}:${branch}`);
    const { items } = await api.paginate<{ number: number; head?: { sha?: string } }>(
      `/repos/${encodeURIComponent(ev.repository.owner)}/${encodeURIComponent(ev.repository.repo)}/pulls?state=open&head=${head}`,
      3,
    );
    return items.find((p) => p.head?.sha === run.head_sha)?.number;
  } catch {
    return undefined;
  }
}

/** A report file larger than this is refused unread (real reports of big packs are a few MiB). */
export const MAX_REPORT_BYTES = 256 * 1024 * 1024;

/**
 * Reads a JSON report (version 1) that may come from a fork's run: anything off the contract is refused
 * with one line naming the first bad field, before anything is posted.
 */
export function readReport(file: string): Report {
  let data: unknown;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_REPORT_BYTES) throw new Error(`the file is ${size} bytes, more than a report can be (${MAX_REPORT_BYTES})`);
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`Input 'publish-report': cannot read a JSON report from ${file}: ${(e as Error).message}`);
  }
  const parsed = parseReport(data);
  if (!parsed.ok) throw new InputError(`Input 'publish-report': ${file} is not a RuleGate JSON report (version 1): ${parsed.problem}. Nothing was published.`);
  return parsed.report;
}

/** Sticky-comment key: several RuleGate steps on different paths keep separate comments. */
export function commentKeyFor(root: string | undefined): string {
  const norm = normalizeRoot(root);
  return norm ? `report:${norm}` : 'report';
}

/** Check-run name: `RuleGate`, or `RuleGate (path)` when the step checks a sub-folder. */
export function checkNameFor(root: string | undefined): string {
  const norm = normalizeRoot(root);
  return norm ? `RuleGate (${norm})` : 'RuleGate';
}

function normalizeRoot(root: string | undefined): string {
  return String(root ?? '')
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\.$/, '')
    .replace(/\/+$/, '')
    .replace(/[\r\n]/g, ' ')
    .slice(0, 100);
}
