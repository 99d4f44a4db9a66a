// The action: read inputs, decide what to run (all, changed, nothing but publishing), run the pipeline,
// write the report files, publish, set outputs, and fail the step by `fail-on`.
import * as core from '@actions/core';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Report } from '../core/types';
import { defaultOptions, type RunOptions } from '../core/options';
import { FatalError } from '../core/errors';
import { runPipeline } from '../pipeline';
import { renderJson } from '../render/json';
import { renderSarif } from '../render/sarif';
import { renderJunit } from '../render/junit';
import { GitHubApi } from './api';
import { getChangedFiles } from './changed-files';
import { safeLogLine } from './commands';
import { isPullRequestEvent, readEventContext, type EventContext } from './event';
import { getSettings, InputError, type ActionSettings } from './inputs';
import { checkNameFor, commentKeyFor, gateFails, publishContextFromEnv, publishReport, readReport } from './publish';

export const FORK_DOCS = 'README.md#fork-pull-requests';

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const settings = getSettings();
    const ev = readEventContext(env);
    if (settings.mode === 'publish') await publishOnly(settings, ev, env);
    else await validate(settings, ev, env);
  } catch (e) {
    if (e instanceof InputError || e instanceof FatalError) core.setFailed(e.message);
    else core.setFailed(`RuleGate could not run: ${(e as Error)?.stack ?? String(e)}`);
  }
}

async function validate(settings: ActionSettings, ev: EventContext, env: NodeJS.ProcessEnv): Promise<void> {
  const workspace = ev.workspace;
  const root = path.resolve(workspace, settings.path);
  const api = settings.githubToken ? new GitHubApi(settings.githubToken, ev.apiUrl) : undefined;
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
  if (mode === 'auto') mode = isPullRequestEvent(ev.eventName) ? 'changed' : 'all';
  let changedFiles: string[] | undefined;
  if (mode === 'changed') {
    const got = await getChangedFiles(ev, api, root);
    if (got.changed) {
      changedFiles = got.changed.files;
      core.info(`Pull-request mode: ${changedFiles.length} changed files (from ${got.changed.source === 'api' ? 'the GitHub API' : 'git diff'}).`);
    } else {
      const why = got.problems.join('; ') || 'no pull request or push in this event';
      notices.push(`> [!NOTE]\n> Could not tell which files changed (${escapeMd(why)}), so the whole repository was checked.`);
      core.info(`Checking everything: could not list changed files (${why}).`);
    }
  }

  const options: RunOptions = defaultOptions(root, settings.path);
  options.cwd = workspace;
  if (settings.config) options.configPath = path.resolve(workspace, settings.config);
  if (settings.python) options.python = settings.python;
  if (settings.jobs) options.jobs = settings.jobs;
  options.testTimeoutSec = settings.testTimeout;
  options.minimumTests = settings.minimumTests;
  options.noTests = !!refusal;
  if (changedFiles) options.changedFiles = changedFiles;
  options.progress = (line) => core.info(safeLogLine(line));

  core.startGroup(`RuleGate: ${settings.path}`);
  let report: Report;
  try {
    report = await runPipeline(options);
  } finally {
    core.endGroup();
  }

  const files = writeFiles(report, settings, workspace, root, env);
  const failing = settings.failOn !== 'never' && gateFails(report, settings.failOn);
  const ctx = await publishContextFromEnv({
    token: settings.githubToken,
    annotations: settings.annotations,
    checkRun: settings.checkRun,
    comment: settings.comment,
    failOn: settings.failOn,
    commentKey: commentKeyFor(settings.path),
    checkName: checkNameFor(settings.path),
    notices,
    env,
    event: ev,
  });
  ctx.stepWillFail = failing || !!refusal;
  if (changedFiles) ctx.changedFiles = changedFiles;
  await publishReport(report, ctx);
  setOutputs(report, files);

  if (refusal) core.setFailed(refusal);
  else if (failing) core.setFailed(failureMessage(report, settings));
}

async function publishOnly(settings: ActionSettings, ev: EventContext, env: NodeJS.ProcessEnv): Promise<void> {
  const file = path.resolve(ev.workspace, settings.publishReport!);
  const report = readReport(file);
  core.info(`Publishing ${file} (${report.findings.length} findings, ${report.summary.tests} tests); nothing is run.`);
  const ctx = await publishContextFromEnv({
    token: settings.githubToken,
    annotations: settings.annotations,
    checkRun: settings.checkRun,
    comment: settings.comment,
    failOn: settings.failOn,
    commentKey: commentKeyFor(report.root),
    checkName: checkNameFor(report.root),
    env,
    event: ev,
  });
  if (!ctx.pullRequest && ev.eventName === 'workflow_run') core.info('No open pull request has the triggering run’s head commit: no comment.');
  await publishReport(report, ctx);
  const files: WrittenFiles = { report: file };
  if (settings.sarifFile) files.sarif = writeOut(path.resolve(ev.workspace, settings.sarifFile), renderSarif(report));
  if (settings.junitFile) files.junit = writeOut(path.resolve(ev.workspace, settings.junitFile), renderJunit(report));
  setOutputs(report, files);
  // The run that produced the report gates the pull request; the publisher fails only if it could not publish.
}

interface WrittenFiles {
  report: string;
  sarif?: string;
  junit?: string;
}

function writeFiles(report: Report, settings: ActionSettings, workspace: string, root: string, env: NodeJS.ProcessEnv): WrittenFiles {
  const reportPath = settings.reportFile
    ? path.resolve(workspace, settings.reportFile)
    : path.join(env.RUNNER_TEMP || os.tmpdir(), 'rulegate-report.json');
  const files: WrittenFiles = { report: writeOut(reportPath, renderJson(report)) };
  if (settings.sarifFile) {
    const srcRoot = pathToFileURL(gitRoot(root)).href;
    files.sarif = writeOut(path.resolve(workspace, settings.sarifFile), renderSarif(report, { srcRootUri: srcRoot.endsWith('/') ? srcRoot : srcRoot + '/' }));
  }
  if (settings.junitFile) files.junit = writeOut(path.resolve(workspace, settings.junitFile), renderJunit(report));
  return files;
}

function writeOut(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, 'utf8');
  return file;
}

function setOutputs(report: Report, files: WrittenFiles): void {
  core.setOutput('errors', String(report.summary.errors));
  core.setOutput('warnings', String(report.summary.warnings));
  core.setOutput('tests', String(report.summary.tests));
  core.setOutput('tests-failed', String(report.summary.testsFailed));
  core.setOutput('report-file', files.report);
  core.setOutput('sarif-file', files.sarif ?? '');
}

function failureMessage(report: Report, settings: ActionSettings): string {
  const s = report.summary;
  const bits = [`${s.errors} ${s.errors === 1 ? 'error' : 'errors'}`];
  if (settings.failOn === 'warning') bits.push(`${s.warnings} ${s.warnings === 1 ? 'warning' : 'warnings'}`);
  const tests = s.testsFailed ? ` (${s.testsFailed} of ${s.tests} tests failed)` : '';
  return `RuleGate found ${bits.join(' and ')}${tests}; fail-on is '${settings.failOn}'. The job summary lists every finding.`;
}

function gitRoot(dir: string): string {
  let d = dir;
  for (;;) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    const parent = path.dirname(d);
    if (parent === d) return dir;
    d = parent;
  }
}

function escapeMd(s: string): string {
  return s.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
}
