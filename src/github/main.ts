// The action: read inputs, decide what to run (all, changed, nothing but publishing), run the pipeline,
// write the report files, publish, set outputs, and fail the step by `fail-on`.
import * as core from '@actions/core';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Report } from '../core/types';
import type { RunOptions } from '../core/options';
import { buildSettings } from '../core/settings';
import { FatalError } from '../core/errors';
import { runPipeline } from '../pipeline';
import { renderJson } from '../render/json';
import { renderSarif } from '../render/sarif';
import { renderJunit } from '../render/junit';
import { escapeText } from '../render/markdown';
import { createGitHubClient, type GitHubClient } from './api';
import { getChangedFiles, type ChangedFiles } from './changed-files';
import { addedLines, gitAddedLines, offerFixes } from './suggestions';
import { safeLogLine } from './commands';
import { isPullRequestEvent, readEventContext, type EventContext } from './event';
import { getSettings, InputError, type ActionSettings } from './inputs';
import { findGitRoot, rebaseReport, repoPaths, toEnginePaths } from './paths';
import { compareWithBaseCommit } from '../baseline/base-commit';
import { describeProblems, gateCounts } from '../baseline';
import { checkNameFor, commentKeyFor, gateFails, publishContextFromEnv, publishReport, readReport } from './publish';
import { AUDIT_EVENTS, publishAudit, type AuditOutcome } from './audit';

export const FORK_DOCS = 'README.md#fork-pull-requests';

/** What a run has done so far, for the failure path. */
interface RunState {
  summaryWritten: boolean;
  groupOpen?: boolean;
  workspace?: string;
  repoRoot?: string;
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const state: RunState = { summaryWritten: false };
  // A promise that never settles while nothing keeps Node alive would end the process with exit code 0
  // and no result: a silently green step. Never let that pass.
  let done = false;
  const onBeforeExit = () => {
    if (done) return;
    done = true;
    if (state.groupOpen) core.endGroup();
    fail(state, env, new FatalError('RuleGate stopped before it finished: work was left pending with nothing to wait for (a bug; please report it with this log).'));
  };
  process.once('beforeExit', onBeforeExit);
  try {
    const settings = getSettings();
    const ev = readEventContext(env);
    state.workspace = ev.workspace;
    if (settings.mode === 'publish') await publishOnly(settings, ev, env, state);
    else await validate(settings, ev, env, state);
  } catch (e) {
    fail(state, env, e);
  } finally {
    done = true;
    process.removeListener('beforeExit', onBeforeExit);
  }
}

/**
 * The step fails with one clear error line: on the file and line when the message names them (a broken
 * .rulegate.yml in the pull request), else a plain error. The job summary says so too, when not yet written.
 */
function fail(state: RunState, env: NodeJS.ProcessEnv, e: unknown): void {
  const known = e instanceof InputError || e instanceof FatalError;
  const message = known ? forAction((e as Error).message) : `RuleGate could not run: ${(e as Error)?.message ?? String(e)}`;
  if (!known && (e as Error)?.stack) core.info(safeLogLine(String((e as Error).stack)));
  const at = state.workspace ? locate(message, state.workspace, state.repoRoot ?? state.workspace) : undefined;
  if (at) {
    process.exitCode = core.ExitCode.Failure;
    core.error(at.message, { title: 'RuleGate', file: at.file, startLine: at.line, startColumn: at.column });
  } else core.setFailed(message);
  if (!state.summaryWritten && env.GITHUB_STEP_SUMMARY) {
    try {
      fs.appendFileSync(env.GITHUB_STEP_SUMMARY, `### ❌ RuleGate could not run\n\n${escapeText(message)}\n`, 'utf8');
      state.summaryWritten = true;
    } catch {
      /* the error line above is what matters */
    }
  }
}

/** The engine speaks CLI; the action's user sets inputs. */
function forAction(message: string): string {
  return message
    .replace(/"([^"]*[/\\][^"]*)" was not found on PATH/, '"$1" does not exist')
    .replace(/ or pass --python <path>/, " or set the action's `python` input to its path")
    .replace(/ \(for example: rulegate \.\)/, " (the action's `path` input, relative to the workspace)");
}

/** `file:line:col: message` (config errors) → an annotation's place, when the file is in the workspace. */
function locate(message: string, workspace: string, repoRoot: string): { file: string; line: number; column?: number; message: string } | undefined {
  const m = /^([^\s:][^:\r\n]*):(\d+)(?::(\d+))?: ([\s\S]+)$/.exec(message);
  if (!m) return undefined;
  const abs = path.resolve(workspace, m[1]);
  if (!fs.existsSync(abs)) return undefined;
  const rel = path.relative(repoRoot, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return { file: rel.split(path.sep).join('/'), line: Math.max(1, Number(m[2])), column: m[3] ? Number(m[3]) : undefined, message: `${m[4]} (${m[1]} line ${m[2]})` };
}

async function validate(settings: ActionSettings, ev: EventContext, env: NodeJS.ProcessEnv, state: RunState): Promise<void> {
  const workspace = ev.workspace;
  const root = path.resolve(workspace, settings.path);
  // Outputs name files from the repository's root (where GitHub places annotations), see ./paths.ts.
  const where = repoPaths(root, workspace);
  state.repoRoot = where.repoRoot;
  const api = settings.githubToken ? createGitHubClient(settings.githubToken, ev.apiUrl, { env }) : undefined;
  const notices: string[] = [];

  // Never run a fork's code with a token that can write and secrets in reach.
  let refusal: string | undefined;
  if (ev.untrustedFork && !settings.allowUntrustedCode) {
    refusal =
      `RuleGate did not run the rule tests: this ${ev.untrustedFork.eventName} run may have checked out code from the fork ${ev.untrustedFork.headRepo}, ` +
      `and rule tests execute that code while this job's token can write and its secrets are in reach. ` +
      `Run RuleGate on "pull_request" instead, upload the JSON report (report-file) as an artifact, and publish it from a "workflow_run" workflow ` +
      `with "publish-report" (the CLI: rulegate publish REPORT); see ${FORK_DOCS}. ` +
      `Schema, reference and ATT&CK checks ran; set allow-untrusted-code: true only if you accept running untrusted code here.`;
    notices.push(`> [!CAUTION]\n> ${refusal}`);
  }

  // Which files to check.
  let mode = settings.mode;
  if (mode === 'auto') mode = isPullRequestEvent(ev.eventName) ? 'changed' : AUDIT_EVENTS.has(ev.eventName) ? 'audit' : 'all';
  let changedFiles: string[] | undefined;
  let changed: ChangedFiles | undefined;
  if (mode === 'changed') {
    const got = await getChangedFiles(ev, api, root);
    if (got.changed) {
      changed = got.changed;
      changedFiles = got.changed.files;
      core.info(`Pull-request mode: ${changedFiles.length} changed ${changedFiles.length === 1 ? 'file' : 'files'} (from ${got.changed.source === 'api' ? 'the GitHub API' : 'git diff'}).`);
    } else {
      const why = got.problems.join('; ') || 'no pull request or push in this event';
      notices.push(`> [!NOTE]\n> Could not tell which files changed (${escapeText(why)}), so the whole repository was checked.`);
      core.info(safeLogLine(`Checking everything: could not list changed files (${why}).`));
    }
  }

  // Inputs left out are undefined here, so .rulegate.yml can set them (core/settings.ts).
  const options: RunOptions = buildSettings(
    { root, rootArg: settings.path, cwd: workspace },
    {
      configPath: settings.config ? path.resolve(workspace, settings.config) : undefined,
      python: settings.python,
      jobs: settings.jobs,
      testTimeoutSec: settings.testTimeout,
      minimumTests: settings.minimumTests,
      noTests: !!refusal,
      changedFiles: changedFiles ? toEnginePaths(changedFiles, where.prefix) : undefined,
    },
  );
  options.sandbox = settings.sandbox;
  options.allowNetwork = settings.allowNetwork;
  options.memoryLimitMb = settings.memoryLimitMb;
  options.audit = mode === 'audit';
  if (options.audit) options.auditSha = ev.headSha;
  options.failOnExisting = settings.failOnExisting;
  options.progress = (line) => core.info(safeLogLine(line));

  core.startGroup(`RuleGate: ${settings.path}`);
  state.groupOpen = true;
  let report: Report;
  try {
    const head = await runPipeline(options);
    // A pull request fails for what it introduces: compare with the base commit's findings.
    const pr = ev.pullRequest;
    if (pr?.baseSha && isPullRequestEvent(ev.eventName)) {
      await compareWithBaseCommit(head, options, pr.baseSha, { gitTop: findGitRoot(root), tmpRoot: env.RUNNER_TEMP || undefined });
      if (head.baseline) head.baseline.baseRef = baseRefName(ev);
      if (head.baseline?.unavailable) {
        notices.push(`> [!NOTE]\n> Could not compare with the base commit (${escapeText(head.baseline.unavailable)}), so every problem counts as new.`);
        core.info(safeLogLine(`Every problem counts as new: ${head.baseline.unavailable}.`));
      }
    }
    report = rebaseReport(head, where.prefix, changedFiles);
  } finally {
    state.groupOpen = false;
    core.endGroup();
  }

  if (report.selection && report.selection.selected.length === 0)
    core.info('Nothing to validate or test: no changed file is an analysis file or something one depends on (repository-wide checks still ran).');
  // A file that cannot be written fails the step, but after the results are published.
  const writeErrors: string[] = [];
  // The audit first: it adds the trend to the report the files carry.
  const audited: AuditOutcome | undefined = report.audit ? await publishAudit(report, settings, ev, api, writeErrors) : undefined;
  const files = writeFiles(report, settings, workspace, where.repoRoot, env, writeErrors);
  const failing = settings.failOn !== 'never' && gateFails(report, settings.failOn);
  const ctx = await publishContextFromEnv({ ...publishSettings(settings, settings.path), notices, env, event: ev });
  if (audited) ctx.summaryPreamble = audited.summary;
  ctx.stepWillFail = failing || !!refusal;
  if (changedFiles) ctx.changedFiles = changedFiles;
  const published = await publishReport(report, ctx);
  if (published.summary.status === 'written') state.summaryWritten = true;
  files.fixPatch = await offerFixesFor(report, settings, ev, api, changed, root, where.repoRoot, env, writeErrors);
  setOutputs(report, files);
  if (audited) {
    core.setOutput('coverage', audited.coverage);
    core.setOutput('audit-issue-url', audited.issueUrl ?? '');
  }

  if (writeErrors.length) throw new FatalError(writeErrors.join('; '));
  if (refusal) core.setFailed(refusal);
  else if (failing) core.setFailed(failureMessage(report, settings));
}

/** The publishing options both modes take from the inputs; `root` names the comment and the check run. */
function publishSettings(settings: ActionSettings, root: string) {
  return {
    token: settings.githubToken,
    annotations: settings.annotations,
    checkRun: settings.checkRun,
    comment: settings.comment,
    failOn: settings.failOn,
    existingAnnotations: settings.existingAnnotations,
    commentKey: commentKeyFor(root),
    checkName: checkNameFor(root),
  };
}

async function publishOnly(settings: ActionSettings, ev: EventContext, env: NodeJS.ProcessEnv, state: RunState): Promise<void> {
  const file = path.resolve(ev.workspace, settings.publishReport!);
  const report = readReport(file);
  core.info(`Publishing ${file} (${report.findings.length} findings, ${report.summary.tests} tests); nothing is run.`);
  const ctx = await publishContextFromEnv({ ...publishSettings(settings, report.root), env, event: ev });
  if (!ctx.pullRequest && ev.eventName === 'workflow_run') core.info('No open pull request has the triggering run’s head commit: no comment.');
  const published = await publishReport(report, ctx);
  if (published.summary.status === 'written') state.summaryWritten = true;
  const files: WrittenFiles = { report: file };
  if (settings.sarifFile) files.sarif = writeOut(path.resolve(ev.workspace, settings.sarifFile), renderSarif(report, { category: settings.sarifCategory }));
  if (settings.junitFile) files.junit = writeOut(path.resolve(ev.workspace, settings.junitFile), renderJunit(report, { failOn: settings.failOn }));
  setOutputs(report, files);
  // The run that produced the report gates the pull request; the publisher fails only if it could not publish.
}

interface WrittenFiles {
  report: string;
  sarif?: string;
  junit?: string;
  fixPatch?: string;
}

/** Fix suggestions on the pull request's changed lines, and the patch file of the other fixes. */
async function offerFixesFor(
  report: Report,
  settings: ActionSettings,
  ev: EventContext,
  api: GitHubClient | undefined,
  changed: ChangedFiles | undefined,
  root: string,
  repoRoot: string,
  env: NodeJS.ProcessEnv,
  errors: string[],
): Promise<string | undefined> {
  if (!report.findings.some((f) => f.fix)) return undefined;
  let added: Map<string, Set<number>> | undefined;
  const pr = ev.pullRequest;
  if (pr && settings.suggestions !== 'never') {
    if (changed?.patches?.size) added = new Map([...changed.patches].map(([file, patch]) => [file, addedLines(patch)]));
    else if (pr.baseSha && pr.headSha) added = gitAddedLines(root, pr.baseSha, pr.headSha);
  }
  const patchPath = settings.fixPatch ? path.resolve(ev.workspace, settings.fixPatch) : path.join(env.RUNNER_TEMP || os.tmpdir(), 'rulegate-fix.patch');
  try {
    const r = await offerFixes(report.findings, {
      mode: settings.suggestions,
      api,
      repository: ev.repository,
      pullRequest: pr?.number,
      headSha: pr?.headSha,
      added,
      repoRoot,
      patchPath,
      info: (line) => core.info(safeLogLine(line)),
    });
    return r.patchFile;
  } catch (e) {
    errors.push(`cannot write fix-patch ${patchPath}: ${(e as Error).message}`);
    return undefined;
  }
}

function writeFiles(report: Report, settings: ActionSettings, workspace: string, repoRoot: string, env: NodeJS.ProcessEnv, errors: string[]): WrittenFiles {
  const attempt = (input: string, file: string, render: () => string): string | undefined => {
    try {
      return writeOut(file, render());
    } catch (e) {
      errors.push(`cannot write ${input} ${file}: ${(e as Error).message}`);
      return undefined;
    }
  };
  const reportPath = settings.reportFile
    ? path.resolve(workspace, settings.reportFile)
    : path.join(env.RUNNER_TEMP || os.tmpdir(), 'rulegate-report.json');
  const files: WrittenFiles = { report: attempt('report-file', reportPath, () => renderJson(report)) ?? '' };
  if (settings.sarifFile) {
    const srcRoot = pathToFileURL(repoRoot).href;
    files.sarif = attempt('sarif-file', path.resolve(workspace, settings.sarifFile), () =>
      renderSarif(report, { srcRootUri: srcRoot.endsWith('/') ? srcRoot : srcRoot + '/', category: settings.sarifCategory }),
    );
  }
  if (settings.junitFile) files.junit = attempt('junit-file', path.resolve(workspace, settings.junitFile), () => renderJunit(report, { failOn: settings.failOn }));
  return files;
}

function writeOut(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // whole or not at all (temporary file + rename): the workers are gone, nothing half-written
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, text, 'utf8');
  fs.renameSync(tmp, file);
  return file;
}

function setOutputs(report: Report, files: WrittenFiles): void {
  core.setOutput('errors', String(report.summary.errors));
  core.setOutput('warnings', String(report.summary.warnings));
  core.setOutput('new-problems', String(report.baseline ? report.baseline.problems.new : report.summary.errors + report.summary.warnings));
  core.setOutput('tests', String(report.summary.tests));
  core.setOutput('tests-failed', String(report.summary.testsFailed));
  core.setOutput('report-file', files.report);
  core.setOutput('sarif-file', files.sarif ?? '');
  core.setOutput('fix-patch', files.fixPatch ?? '');
}

/** The base branch's name, for "already on main"; only a plain branch name is used in text. */
function baseRefName(ev: EventContext): string | undefined {
  const ref = ev.payload.pull_request?.base?.ref;
  return typeof ref === 'string' && /^[\w./-]{1,100}$/.test(ref) ? ref : undefined;
}

function failureMessage(report: Report, settings: ActionSettings): string {
  const compared = describeProblems(report);
  if (compared) {
    const g = gateCounts(report);
    const strict = report.baseline?.failOnExisting ? ' (fail-on-existing is on)' : '';
    return `RuleGate found ${compared}; ${g.errors} ${g.errors === 1 ? 'error fails' : 'errors fail'} the step${strict}. The job summary lists every finding.`;
  }
  const s = report.summary;
  const bits = [`${s.errors} ${s.errors === 1 ? 'error' : 'errors'}`];
  if (settings.failOn === 'warning') bits.push(`${s.warnings} ${s.warnings === 1 ? 'warning' : 'warnings'}`);
  const tests = s.testsFailed ? ` (${s.testsFailed} of ${s.tests} tests failed)` : '';
  return `RuleGate found ${bits.join(' and ')}${tests}; fail-on is '${settings.failOn}'. The job summary lists every finding.`;
}

