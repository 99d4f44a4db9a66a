// The audit in Markdown: the job summary's audit section and the audit issue's body. Both say the
// headline numbers, what changed since the last audit, coverage per tactic (with a compact bar), the
// gaps, and the lints that need an owner (with links to the files at the audited commit); the issue
// body ends with the hidden snapshot block the next audit compares with. Lists are shortened until the
// text fits its budget (GitHub: 65,536 characters per issue body), and say how many were left out.
import type { Finding, Report } from '../core/types';
import { blobUrl, escapeText } from '../render/markdown';
import { LINT_CODES } from './index';
import { encodeSnapshot } from './snapshot';
import { bar, percent } from './text';
import { trendGroups } from './trend';

export interface AuditMarkdownContext {
  flavor: 'summary' | 'issue';
  /** `owner/repo`, server and commit: file links at the audited commit. */
  repository?: string;
  serverUrl?: string;
  sha?: string;
  runUrl?: string;
  /** Hidden marker that starts the issue body. */
  marker?: string;
  /** Lines shown under the heading (where the issue is, why it was not written). */
  notes?: string[];
  /** Budget in UTF-16 characters. */
  maxChars: number;
}

export const ISSUE_BODY_LIMIT = 65_536;

export function renderAuditMarkdown(report: Report, ctx: AuditMarkdownContext): string {
  const audit = report.audit;
  if (!audit) throw new Error('renderAuditMarkdown needs an audit report');
  let snapshot = ctx.flavor === 'issue' ? encodeSnapshot(audit.snapshot) : '';
  // A pack so large that its snapshot alone would crowd out the body: keep the detections, drop the failure list.
  if (snapshot.length > ctx.maxChars / 2) snapshot = encodeSnapshot({ ...audit.snapshot, failures: [] });
  if (snapshot.length > ctx.maxChars * 0.8)
    snapshot = '<!-- rulegate-audit-snapshot: left out, too large for an issue body; pass the JSON report of this run as audit-baseline next time -->';
  for (const cap of [50, 20, 10, 5, 2, 0]) {
    const text = compose(report, ctx, cap, snapshot);
    if (text.length <= ctx.maxChars) return text;
  }
  return (ctx.marker ? ctx.marker + '\n' : '') + '## RuleGate audit\n\nThe audit is too large to show here; see the job summary and the JSON report.\n' + (snapshot.length < ctx.maxChars - 300 ? snapshot + '\n' : '');
}

function compose(report: Report, ctx: AuditMarkdownContext, cap: number, snapshot: string): string {
  const audit = report.audit!;
  const c = audit.coverage;
  const s = report.summary;
  const link = (file: string, line?: number) => {
    const label = `\`${file.replace(/`/g, 'ˋ')}${line ? `:${line}` : ''}\``;
    return ctx.repository && ctx.sha ? `[${label}](${blobUrl(ctx.serverUrl ?? 'https://github.com', ctx.repository, ctx.sha, file, line)})` : label;
  };
  const ids = (list: string[]) => {
    const shown = list.slice(0, cap).map((x) => `\`${x.replace(/`/g, 'ˋ').replace(/\r?\n/g, ' ')}\``);
    return shown.join(', ') + (list.length > shown.length ? `${shown.length ? ', ' : ''}and ${list.length - shown.length} more` : '');
  };
  const out: string[] = [];
  if (ctx.marker) out.push(ctx.marker);
  const heading = ctx.flavor === 'issue' ? '## RuleGate audit' : '### RuleGate audit';
  const sub = ctx.flavor === 'issue' ? '###' : '####';
  out.push(`${heading}: \`${escapeCodeSpan(report.root)}\``);
  const commit = ctx.sha ? (ctx.repository ? `[\`${ctx.sha.slice(0, 7)}\`](${(ctx.serverUrl ?? 'https://github.com').replace(/\/+$/, '')}/${ctx.repository}/commit/${ctx.sha})` : `\`${ctx.sha.slice(0, 7)}\``) : 'the working tree';
  out.push(`Audited ${commit} on ${audit.snapshot.at.slice(0, 16).replace('T', ' ')} UTC · ATT&CK Enterprise v${escapeText(c.attackVersion)}${ctx.runUrl ? ` · [workflow run](${ctx.runUrl})` : ''}`);
  for (const n of ctx.notes ?? []) out.push(n);

  const cells = c.tactics.reduce((n, t) => n + t.techniques, 0);
  const covered = c.tactics.reduce((n, t) => n + t.covered, 0);
  out.push(
    [
      '| | |',
      '| --- | --- |',
      `| detections counting as coverage¹ | **${c.counted}** of ${c.detections} (${c.disabled.length} disabled, ${c.untested.length} without a passing test) |`,
      `| technique cells covered | **${covered}** of ${cells} (${percent(covered, cells)}); ${c.coveredTechniques.length} distinct techniques and sub-techniques |`,
      `| tests | ${s.testsPassed} passed, ${s.testsFailed} failed${s.testsNotRun ? `, ${s.testsNotRun} not run` : ''} |`,
      `| findings | ${s.errors} errors, ${s.warnings} warnings |`,
    ].join('\n'),
  );

  out.push(`${sub} Since the last audit`);
  if (audit.trend) {
    const t = audit.trend;
    const icon = { bad: '🔴 ', good: '🟢 ', neutral: '' } as const;
    const lines = trendGroups(t)
      .filter((g) => g.ids.length)
      .map((g) => `- ${icon[g.tone]}${g.label} (${g.ids.length}): ${ids(g.ids)}`);
    out.push(`Compared with the audit of ${escapeText(t.since.slice(0, 16).replace('T', ' '))} UTC${t.sinceSha ? ` (\`${t.sinceSha.slice(0, 7)}\`)` : ''}${t.regressed ? ' — **regressed**' : ''}.`);
    out.push(lines.length ? lines.join('\n') : 'No change.');
  } else if (audit.baseline?.problem) out.push(`No comparison: the previous snapshot (${escapeText(audit.baseline.source)}) could not be used: ${escapeText(audit.baseline.problem)}.`);
  else out.push('This is the first audit: the next one will show what changed.');

  out.push(`${sub} Coverage per tactic`);
  out.push(['| tactic | covered | |', '| --- | ---: | --- |', ...c.tactics.map((t) => `| ${escapeText(t.name)} | ${t.covered}/${t.techniques} | \`${bar(t.covered, t.techniques)}\` ${percent(t.covered, t.techniques)} |`)].join('\n'));

  if (c.gaps.length && cap > 0) {
    out.push(`${sub} Top gaps`);
    out.push('Uncovered techniques that a disabled or untested detection already maps to: fix that detection and the gap closes.');
    out.push(c.gaps.slice(0, Math.min(cap, 10)).map((g) => `- **${g.technique}** ${escapeText(g.name)} (${g.tactic}): ${ids(g.waiting)}`).join('\n') + (c.gaps.length > Math.min(cap, 10) ? `\n- and ${c.gaps.length - Math.min(cap, 10)} more` : ''));
  }

  out.push(`${sub} Lints that need an owner`);
  const byCode = new Map<string, Finding[]>();
  for (const f of report.findings) if (LINT_CODES.includes(f.code)) byCode.set(f.code, [...(byCode.get(f.code) ?? []), f]);
  const lintRows = LINT_CODES.filter((code) => audit.lints[code]).map((code) => `| \`${code}\` | ${audit.lints[code]} |`);
  out.push(lintRows.length ? ['| lint | findings |', '| --- | ---: |', ...lintRows].join('\n') : 'None.');
  if (cap > 0)
    for (const [code, list] of byCode) {
      const shown = list.slice(0, cap).map((f) => `- ${link(f.file, f.line)}${f.itemId ? ` \`${escapeCodeSpan(f.itemId)}\`` : ''}`);
      out.push(`<details><summary><code>${code}</code> (${list.length})</summary>\n\n${shown.join('\n')}${list.length > cap ? `\n- and ${list.length - cap} more in the JSON report` : ''}\n\n</details>`);
    }

  if (audit.forecast) {
    const f = audit.forecast;
    out.push(`${sub} Upgrade forecast: ATT&CK v${escapeText(f.from)} → v${escapeText(f.to)}`);
    if (!f.entries.length) out.push(`No mapping changes: the pack can move to v${escapeText(f.to)} as it is.`);
    else {
      out.push(`${f.entries.length} ${f.entries.length === 1 ? 'mapping changes' : 'mappings change'} (\`audit/attack-upgrade\` findings).`);
      if (cap > 0) out.push(f.entries.slice(0, cap).map((e) => `- ${link(e.file, e.line)} \`${e.mapping}\` ${e.change}${e.replacement.length ? ` → \`${e.replacement.join('` or `')}\`` : ''}`).join('\n') + (f.entries.length > cap ? `\n- and ${f.entries.length - cap} more` : ''));
    }
  }
  out.push(
    '<sub>¹ A detection counts when it is enabled, has at least one passing unit test in this run, and is a rule, scheduled rule, policy or correlation rule; its valid ATT&CK mappings are what it covers. See the README (Audit coverage).</sub>',
  );
  if (snapshot) out.push(snapshot);
  return out.join('\n\n') + '\n';
}

function escapeCodeSpan(s: string): string {
  return String(s).replace(/`/g, 'ˋ').replace(/\r?\n/g, ' ');
}
