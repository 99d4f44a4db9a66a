// The action's audit mode after the pipeline: the previous snapshot (from `audit-baseline` or the audit
// issue), the trend, the layer and HTML files, the audit issue, and the job summary's audit section.
// Nothing here can fail the step except a file that cannot be written: a token without `issues: write`
// (or an API that cannot be reached) leaves the issue alone and says how to grant it.
import * as core from '@actions/core';
import * as fs from 'fs';
import * as path from 'path';
import type { Report } from '../core/types';
import { TOOL_VERSION } from '../core/version';
import { loadAttackCatalog } from '../attack';
import { attachTrend } from '../audit';
import { decodeSnapshot, parseSnapshot } from '../audit/snapshot';
import { buildLayer, renderLayer } from '../audit/navigator';
import { renderAuditHtml } from '../audit/html';
import { renderAuditMarkdown, ISSUE_BODY_LIMIT } from '../audit/markdown';
import { escapeText } from '../render/markdown';
import { describeApiError, isForbidden, type GitHubClient } from './api';
import { auditMarker, findAuditIssue, writeAuditIssue, type AuditIssue } from './audit-issue';
import { safeLogLine } from './commands';
import type { EventContext } from './event';
import type { ActionSettings } from './inputs';
import { commentKeyFor } from './publish';

export interface AuditOutcome {
  /** Markdown for the job summary (before the findings). */
  summary: string;
  coverage: string;
  issueUrl?: string;
  navigatorFile?: string;
  htmlReport?: string;
}

/** Events on which `mode: auto` audits instead of checking. */
export const AUDIT_EVENTS: ReadonlySet<string> = new Set(['schedule', 'workflow_dispatch']);

export async function publishAudit(report: Report, settings: ActionSettings, ev: EventContext, api: GitHubClient | undefined, writeErrors: string[]): Promise<AuditOutcome> {
  const audit = report.audit!;
  const marker = auditMarker(commentKeyFor(settings.path));
  const notes: string[] = [];
  const useIssue = settings.auditIssue === 'auto' && !!api && !!ev.repository;
  let issueProblem: string | undefined;
  let forbidden = false;
  let existing: AuditIssue | undefined;
  if (useIssue) {
    try {
      existing = await findAuditIssue(api!, ev.repository!, marker);
    } catch (e) {
      issueProblem = describe(e);
      forbidden = isForbidden(e);
    }
  }

  // The previous audit: an explicit baseline file wins over the issue's snapshot.
  if (settings.auditBaseline) {
    const file = path.resolve(ev.workspace, settings.auditBaseline);
    let got: ReturnType<typeof parseSnapshot>;
    try {
      got = parseSnapshot(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      got = { problem: `cannot read it (${(e as Error).message})` };
    }
    attachTrend(audit, { ...got, source: `audit-baseline ${settings.auditBaseline}` });
  } else if (existing && typeof existing.body === 'string') {
    const got = decodeSnapshot(existing.body);
    if (got.snapshot || got.problem) attachTrend(audit, { ...got, source: `issue #${existing.number}` });
  }
  if (audit.baseline?.problem) core.info(safeLogLine(`Audit trend: the previous snapshot (${audit.baseline.source}) was not used: ${audit.baseline.problem}.`));

  // Files.
  const catalog = loadAttackCatalog(report.attack.version);
  const links = { repository: ev.repository ? `${ev.repository.owner}/${ev.repository.repo}` : undefined, serverUrl: ev.serverUrl, sha: ev.headSha };
  const out: AuditOutcome = { summary: '', coverage: coverageText(report) };
  const write = (input: string, rel: string, render: () => string): string | undefined => {
    const file = path.resolve(ev.workspace, rel);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, render(), 'utf8');
      return file;
    } catch (e) {
      writeErrors.push(`cannot write ${input} ${file}: ${(e as Error).message}`);
      return undefined;
    }
  };
  if (settings.navigatorFile) out.navigatorFile = write('navigator-file', settings.navigatorFile, () => renderLayer(buildLayer(audit.coverage, catalog, { toolVersion: TOOL_VERSION, sha: ev.headSha })));
  if (settings.htmlReport) out.htmlReport = write('html-report', settings.htmlReport, () => renderAuditHtml(report, catalog, links));

  // The issue.
  if (useIssue && !issueProblem) {
    const body = renderAuditMarkdown(report, { ...links, flavor: 'issue', runUrl: ev.runUrl, marker, maxChars: ISSUE_BODY_LIMIT });
    try {
      const r = await writeAuditIssue(api!, ev.repository!, existing, { title: settings.auditIssueTitle, body, reopen: settings.auditReopen, regressed: !!audit.trend?.regressed });
      out.issueUrl = r.url;
      core.info(safeLogLine(`Audit issue${r.number ? ` #${r.number}` : ''}: ${r.action}${r.url ? ` ${r.url}` : ''}`));
      notes.push(`Audit issue${r.number ? ` #${r.number}` : ''} ${r.action}${r.url ? `: ${r.url}` : ''}.`);
    } catch (e) {
      issueProblem = describe(e);
      forbidden = isForbidden(e);
    }
  }
  if (issueProblem) {
    core.info(safeLogLine(`Audit issue not written: ${issueProblem}${forbidden ? ` ${GRANT}` : ''}`));
    notes.push(`> [!NOTE]\n> The audit issue was not written: ${escapeText(issueProblem)}${forbidden ? ` ${GRANT}` : ''}`);
  } else if (settings.auditIssue === 'never') notes.push('No audit issue (`audit-issue: never`).');
  else if (!api) notes.push('No audit issue: `github-token` is empty.');

  out.summary = renderAuditMarkdown(report, { ...links, flavor: 'summary', runUrl: ev.runUrl, notes, maxChars: 200_000 });
  return out;
}

const GRANT = 'Grant it in the workflow with `permissions: issues: write` (next to `contents: read`).';

function describe(e: unknown): string {
  if (isForbidden(e)) return `the token may not use this repository's issues (HTTP ${(e as { status?: number }).status}).`;
  return describeApiError(e);
}

function coverageText(report: Report): string {
  const t = report.audit!.coverage.tactics;
  return `${t.reduce((n, x) => n + x.covered, 0)}/${t.reduce((n, x) => n + x.techniques, 0)}`;
}
