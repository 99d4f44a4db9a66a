// Markdown for people: the job summary, the sticky pull-request comment and the check-run summary.
// A pure function of the Report and a context; it never goes over the size budget it is given
// (GitHub drops a job summary over 1 MiB and rejects comments and check summaries over 65,535
// characters), and when it has to leave findings out it says how many and of which kind.
import type { Finding, Report } from '../core/types';
import { sandboxLine } from './text';
import { fixableNote } from '../core/findings';
import { describeProblems, gateCounts } from '../baseline';

export type MarkdownFlavor = 'summary' | 'comment' | 'check';

export interface MarkdownContext {
  /** `owner/repo`; without it, file names are not linked. */
  repository?: string;
  /** Default `https://github.com`. */
  serverUrl?: string;
  /** Commit the links point at: the pull request's head SHA, not the merge commit. */
  sha?: string;
  /** Repository-relative files the pull request changed: listed first and marked. */
  changedFiles?: Iterable<string>;
  /** Link to the workflow run (shown in comments and check runs). */
  runUrl?: string;
  /** Size budget; default 1 MiB in bytes for `summary`, 65,000 characters otherwise. */
  maxLength?: number;
  /** How `maxLength` is measured; default bytes for `summary`, UTF-16 characters otherwise. */
  measure?: 'bytes' | 'chars';
  flavor?: MarkdownFlavor;
  /** Paragraphs shown right under the heading (refusals, publish notes); rendered as-is. */
  notices?: string[];
  /** Text put before everything else (the sticky comment's hidden marker); counted in the budget. */
  preamble?: string;
  /** Heading text; default `RuleGate`. */
  title?: string;
}

export const SUMMARY_MAX_BYTES = 1024 * 1024 - 16 * 1024; // 1 MiB, less room for other steps' headers
export const COMMENT_MAX_CHARS = 65_000; // GitHub: 65,536
export const CHECK_SUMMARY_MAX_CHARS = 65_000; // GitHub: 65,535

const ICON: Record<string, string> = { error: '❌', warning: '⚠️', note: 'ℹ️' };
const RANK: Record<string, number> = { error: 0, warning: 1, note: 2 };

export function renderMarkdown(report: Report, ctx: MarkdownContext = {}): string {
  const flavor = ctx.flavor ?? 'summary';
  const measure = ctx.measure ?? (flavor === 'summary' ? 'bytes' : 'chars');
  const max = ctx.maxLength ?? (flavor === 'summary' ? SUMMARY_MAX_BYTES : flavor === 'comment' ? COMMENT_MAX_CHARS : CHECK_SUMMARY_MAX_CHARS);
  const size = (s: string) => (measure === 'bytes' ? Buffer.byteLength(s, 'utf8') : s.length);
  const changed = new Set(ctx.changedFiles ?? report.selection?.changedFiles ?? []);
  const links = new Links(ctx);

  const head: string[] = [];
  if (ctx.preamble) head.push(ctx.preamble);
  head.push(heading(report, ctx.title ?? 'RuleGate'));
  for (const n of ctx.notices ?? []) head.push(n);
  if (flavor === 'comment' && isClean(report)) {
    head.push(`No errors or warnings${ctx.sha ? ` at ${links.commit(ctx.sha)}` : ''}. Everything RuleGate reported earlier on this pull request is fixed.`);
  }
  head.push(totalsTable(report, ctx, links));
  const fixable = flavor === 'summary' ? fixableNote(report.findings) : undefined;
  if (fixable) head.push(`${fixable} (\`rulegate fix --dry-run\` shows the changes first).`);
  if (report.selection) head.push(selectionSection(report, flavor));

  const tail: string[] = [];
  const notRun = notRunSection(report);
  if (notRun) tail.push(notRun);
  if (flavor === 'summary') {
    const skipped = skippedSection(report);
    if (skipped) tail.push(skipped);
    tail.push(timingsSection(report));
  }
  if (flavor !== 'summary' && ctx.runUrl) tail.push(`<sub>[Workflow run](${ctx.runUrl}) · RuleGate ${escapeText(report.tool.version)}</sub>`);

  // Findings by file: changed files first, then files with errors, then by path. When the run was
  // compared (base commit, baseline file), new problems come first and the others are collapsed.
  const sections = findingSections(report);

  let used = size(join(head)) + size(join(tail)) + 8;
  const reserve = 600; // room for the "left out" note
  const body: string[] = [];
  const shown = new Set<Finding>();
  let budgetHit = false;
  for (const section of sections) {
    const groups = groupByFile(section.findings, changed);
    const open = section.collapsed ? `<details><summary>${section.title}</summary>\n` : `#### ${section.title}\n`;
    const close = section.collapsed ? '\n</details>' : '';
    if (budgetHit || used + size(open) + size(close) + 4 > max - reserve) {
      budgetHit = true;
      break;
    }
    used += size(open) + size(close) + 4;
    const blocks: string[] = [];
    for (const g of groups) {
      const title = `**${links.file(g.file)}**${changed.has(g.file) ? ' · changed in this pull request' : ''}`;
      const lines = g.findings.map((f) => findingLine(f, links));
      const block = [title, ...lines].join('\n') + '\n';
      if (!budgetHit && used + size(block) + 2 <= max - reserve) {
        blocks.push(block);
        used += size(block) + 2;
        for (const f of g.findings) shown.add(f);
        continue;
      }
      // Partly: as many findings of this file as still fit.
      if (!budgetHit) {
        const partial: string[] = [title];
        let partUsed = size(title) + 3;
        for (const [i, l] of lines.entries()) {
          if (used + partUsed + size(l) + 1 > max - reserve) break;
          partial.push(l);
          partUsed += size(l) + 1;
          shown.add(g.findings[i]);
        }
        if (partial.length > 1) {
          blocks.push(partial.join('\n') + '\n');
          used += partUsed;
        }
      }
      budgetHit = true;
    }
    if (blocks.length) body.push(open + '\n' + blocks.join('\n') + close);
  }
  const left = report.findings.filter((f) => !shown.has(f));
  if (left.length) body.push(leftOutNote(left, flavor));

  const parts = [...head];
  if (body.length) parts.push(body.join('\n\n'));
  parts.push(...tail);
  let out = join(parts);
  // Last resort (huge notices or selection lists): cut hard, keeping valid UTF-16.
  if (size(out) > max) out = cut(out, max, size) + '\n\n_(cut to fit GitHub’s size limit)_\n';
  return out;
}

function join(parts: string[]): string {
  return parts.filter((p) => p !== '').join('\n\n') + '\n';
}

function cut(s: string, max: number, size: (s: string) => number): string {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (size(s.slice(0, mid)) <= max - 80) lo = mid;
    else hi = mid - 1;
  }
  // At a line end: a line cut inside a code span would leave its text (`<!--` from a report) live.
  const nl = s.lastIndexOf('\n', lo);
  let end = nl > 0 ? nl : lo;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return s.slice(0, end);
}

/** Pull-request mode selected nothing: the changes affect no analysis file. */
export function nothingSelected(report: Report): boolean {
  return report.selection?.mode === 'changed' && report.selection.selected.length === 0;
}

export function isClean(report: Report): boolean {
  return report.summary.errors === 0 && report.summary.warnings === 0 && report.summary.testsFailed === 0;
}

interface Section {
  title: string;
  findings: Finding[];
  collapsed: boolean;
}

/** One "Problems" section; or, for a compared run, new problems and then the others, collapsed. */
function findingSections(report: Report): Section[] {
  if (!report.findings.length) return [];
  if (!report.baseline) return [{ title: 'Problems', findings: report.findings, collapsed: false }];
  const fresh = report.findings.filter((f) => f.baseline !== 'existing' && f.baseline !== 'accepted');
  const sections: Section[] = [];
  if (fresh.length) sections.push({ title: 'New problems', findings: fresh, collapsed: false });
  const strict = report.baseline.failOnExisting;
  const on = escapeText(report.baseline.baseRef ?? 'the base branch');
  const existing = report.findings.filter((f) => f.baseline === 'existing');
  if (existing.length)
    sections.push({ title: `${existing.length} ${plural(existing.length, 'problem')} already on ${on}${strict ? ' (these fail too: fail-on-existing)' : ''}`, findings: existing, collapsed: true });
  const accepted = report.findings.filter((f) => f.baseline === 'accepted');
  if (accepted.length)
    sections.push({ title: `${accepted.length} ${plural(accepted.length, 'problem')} accepted in the baseline${strict ? ' (these fail too: fail-on-existing)' : ''}`, findings: accepted, collapsed: true });
  return sections;
}

function heading(report: Report, title: string): string {
  const s = report.summary;
  const compared = describeProblems(report);
  if (compared && !isClean(report)) {
    const g = gateCounts(report);
    const icon = g.errors ? '❌' : g.warnings ? '⚠️' : '✅';
    return `### ${icon} ${escapeText(title)}: ${escapeText(compared)}`;
  }
  if (isClean(report) && nothingSelected(report)) return `### ✅ ${escapeText(title)}: nothing to check — the changes touch no analysis file and nothing one depends on`;
  if (isClean(report)) {
    const tests = s.tests ? `, ${s.tests} ${plural(s.tests, 'test')} passed` : '';
    return `### ✅ ${escapeText(title)}: all clear — ${s.items} ${plural(s.items, 'item')} checked${tests}`;
  }
  const bits: string[] = [];
  if (s.errors) bits.push(`${s.errors} ${plural(s.errors, 'error')}`);
  if (s.warnings) bits.push(`${s.warnings} ${plural(s.warnings, 'warning')}`);
  if (s.testsFailed) bits.push(`${s.testsFailed} of ${s.tests} ${plural(s.tests, 'test')} failed`);
  const icon = s.errors ? '❌' : '⚠️';
  return `### ${icon} ${escapeText(title)}: ${bits.join(', ')}`;
}

function totalsTable(report: Report, ctx: MarkdownContext, links: Links): string {
  const s = report.summary;
  const rows: Array<[string, string]> = [];
  rows.push(['Files / items', `${s.files} / ${s.items}`]);
  const testBits = [`${s.testsPassed} passed`, `${s.testsFailed} failed`];
  if (s.testsNotRun) testBits.push(`${s.testsNotRun} not run`);
  rows.push(['Tests', `${s.tests} run: ${testBits.join(', ')}`]);
  rows.push(['Errors / warnings', `${s.errors} / ${s.warnings}`]);
  rows.push(['MITRE ATT&amp;CK catalog', `Enterprise ${escapeText(report.attack.version)}`]);
  if (report.python) rows.push(['Python', `${escapeText(report.python.version)} (${escapeText(report.python.executable)}, ${report.python.event})`]);
  const box = sandboxLine(report);
  if (box) rows.push(['Sandbox', escapeText(box.replace(/^Rule code sandbox: /, ''))]);
  else rows.push(['Python', 'not used']);
  rows.push(['Duration', formatDuration(s.durationMs)]);
  if (ctx.sha) rows.push(['Commit', links.commit(ctx.sha)]);
  return ['| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`)].join('\n');
}

function selectionSection(report: Report, flavor: MarkdownFlavor): string {
  const sel = report.selection!;
  if (sel.mode === 'all') return `Checked the whole repository.`;
  const files = new Map<string, string[]>();
  for (const { file, reason } of sel.selected) {
    const list = files.get(file) ?? [];
    list.push(reason);
    files.set(file, list);
  }
  const lines = [
    files.size === 0
      ? `**Pull-request mode:** ${sel.changedFiles.length} changed ${plural(sel.changedFiles.length, 'file')}, none of them an analysis file or ` +
        `something one depends on (helper, data model, pack, configuration), so no item was validated or tested. ` +
        `Repository-wide checks (IDs, references) covered all ${report.summary.items} ${plural(report.summary.items, 'item')}.`
      : `**Pull-request mode:** ${sel.changedFiles.length} changed ${plural(sel.changedFiles.length, 'file')}; ` +
        `${files.size} of ${report.summary.items} ${plural(report.summary.items, 'item')} validated and tested because of them. ` +
        `Repository-wide checks (IDs, references) covered everything.`,
  ];
  if (files.size) {
    const limit = flavor === 'summary' ? 2000 : 200;
    const entries = [...files.entries()];
    lines.push('', '<details><summary>What was selected and why</summary>', '');
    for (const [file, reasons] of entries.slice(0, limit)) lines.push(`- \`${escapeCode(file)}\`: ${reasons.map(escapeText).join('; ')}`);
    if (entries.length > limit) lines.push(`- … and ${entries.length - limit} more`);
    lines.push('', '</details>');
  }
  return lines.join('\n');
}

function notRunSection(report: Report): string {
  if (!report.notRun.length) return '';
  const lines = ['<details><summary>Tests not run</summary>', ''];
  for (const n of report.notRun.slice(0, 200))
    lines.push(`- \`${escapeCode(n.itemId)}\` (${n.tests} ${plural(n.tests, 'test')}, \`${escapeCode(n.file)}\`): ${escapeText(n.reason)}`);
  if (report.notRun.length > 200) lines.push(`- … and ${report.notRun.length - 200} more`);
  lines.push('', '</details>');
  return lines.join('\n');
}

function skippedSection(report: Report): string {
  if (!report.skippedFiles.length) return '';
  const byReason = new Map<string, number>();
  for (const s of report.skippedFiles) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
  const lines = [`<details><summary>Files not checked (${report.skippedFiles.length})</summary>`, ''];
  for (const [reason, n] of [...byReason.entries()].sort((a, b) => b[1] - a[1]).slice(0, 50)) lines.push(`- ${n} × ${escapeText(reason)}`);
  lines.push('', '</details>');
  return lines.join('\n');
}

function timingsSection(report: Report): string {
  const entries = Object.entries(report.timings ?? {});
  if (!entries.length) return '';
  const lines = ['<details><summary>Timings</summary>', '', '| stage | time |', '| --- | ---: |'];
  for (const [stage, ms] of entries) lines.push(`| ${escapeText(stage)} | ${formatDuration(ms)} |`);
  lines.push(`| **total** | **${formatDuration(report.summary.durationMs)}** |`, '', '</details>');
  return lines.join('\n');
}

interface FileGroup {
  file: string;
  findings: Finding[];
}

function groupByFile(findings: Finding[], changed: ReadonlySet<string>): FileGroup[] {
  const map = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = map.get(f.file) ?? [];
    list.push(f);
    map.set(f.file, list);
  }
  const groups = [...map.entries()].map(([file, list]) => ({
    file,
    findings: list.sort((a, b) => a.line - b.line || (RANK[a.severity] ?? 3) - (RANK[b.severity] ?? 3) || ((a.column ?? 0) - (b.column ?? 0))),
  }));
  const worst = (g: FileGroup) => Math.min(...g.findings.map((f) => RANK[f.severity] ?? 3));
  groups.sort(
    (a, b) =>
      Number(!changed.has(a.file)) - Number(!changed.has(b.file)) || worst(a) - worst(b) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0),
  );
  return groups;
}

function findingLine(f: Finding, links: Links): string {
  const where = links.line(f.file, f.line);
  const id = f.itemId ? ` (${escapeText(f.itemId)})` : '';
  let line = `- ${ICON[f.severity] ?? '•'} ${where} \`${escapeCode(f.code)}\`${id}: ${escapeText(f.message)}`;
  if (f.hint) line += `<br>_Hint:_ ${escapeText(f.hint)}`;
  if (f.details) line += '\n' + detailsBlock(f.details);
  return line;
}

/**
 * A test's traceback and Log, collapsed under its finding (indented to stay in the list item). A <pre>
 * block ends only at `</pre>`, which the escaping turns into text, so nothing in the Log can leave it.
 */
function detailsBlock(text: string): string {
  const body = defuse(String(text).slice(0, 6000).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'))
    .split(/\r\n|\r|\n/)
    .map((l) => `  ${l}`)
    .join('\n');
  return `  <details><summary>Traceback, Log and expected result</summary><pre>\n${body}\n  </pre></details>`;
}

function leftOutNote(left: Finding[], flavor: MarkdownFlavor): string {
  const count = (sev: string) => left.filter((f) => f.severity === sev).length;
  const files = new Set(left.map((f) => f.file)).size;
  const bits = [`${count('error')} ${plural(count('error'), 'error')}`, `${count('warning')} ${plural(count('warning'), 'warning')}`];
  if (count('note')) bits.push(`${count('note')} ${plural(count('note'), 'note')}`);
  const where =
    flavor === 'summary'
      ? 'See the JSON report, SARIF or JUnit file for the full list.'
      : 'The job summary and the JSON report have the full list.';
  return `> [!NOTE]\n> ${left.length} more ${plural(left.length, 'finding')} (${bits.join(', ')}) in ${files} ${plural(files, 'file')} left out to stay within GitHub’s size limit. ${where}\n`;
}

class Links {
  private readonly base?: string;
  constructor(private readonly ctx: MarkdownContext) {
    if (ctx.repository && ctx.sha) this.base = `${(ctx.serverUrl ?? 'https://github.com').replace(/\/+$/, '')}/${ctx.repository}`;
  }
  file(file: string): string {
    const text = `\`${escapeCode(file)}\``;
    return this.base && isRepoPath(file) ? `[${text}](${this.blob(file)})` : text;
  }
  line(file: string, line: number): string {
    const text = `line ${line}`;
    return this.base && line > 0 && isRepoPath(file) ? `[${text}](${this.blob(file)}#L${line})` : text;
  }
  commit(sha: string): string {
    const short = escapeText(sha.slice(0, 7));
    return this.base ? `[\`${short}\`](${this.base}/commit/${encodeURIComponent(sha)})` : `\`${short}\``;
  }
  private blob(file: string): string {
    return `${this.base}/blob/${encodeURIComponent(this.ctx.sha!)}/${encodePath(file)}`;
  }
}

/**
 * A plain repository-relative path (`a/b.yml`): not absolute, no `.`/`..`/empty segments, no backslash or
 * control character. Only such paths are linked and annotated: a report could name `../../evil/repo`,
 * and a browser resolves `blob/SHA/../../…` to another repository.
 */
export function isRepoPath(file: string): boolean {
  if (typeof file !== 'string' || file === '' || /[\\\u0000-\u001f\u007f]/.test(file)) return false;
  return file.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

/**
 * The file's URL path: each segment percent-encoded, `/` kept. Parentheses are encoded too: an unbalanced
 * `)` would end a Markdown link early and leave the rest of the name outside it.
 */
export function encodePath(file: string): string {
  return file
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/[()'*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/** Blob URL of a file at a line, as the summary links it. */
export function blobUrl(serverUrl: string, repository: string, sha: string, file: string, line?: number): string {
  return `${serverUrl.replace(/\/+$/, '')}/${repository}/blob/${encodeURIComponent(sha)}/${encodePath(file)}${line ? `#L${line}` : ''}`;
}

// Text from rule files, rule code and reports (a fork's pull request wrote them) goes into Markdown that
// GitHub renders in comments, check runs and job summaries. It must stay text there:
// - HTML is shown, not rendered: & < > become entities (so `-->` cannot close the comment's marker);
// - no Markdown syntax: links, images, emphasis, code and tables are backslash-escaped;
// - nobody is notified and nothing is cross-referenced: a zero-width space after `@` (a backslash does not
//   stop a mention; code spans do not survive the plain-text e-mail copy, see dependabot-core#3157) and
//   after `#` before a digit (`#12`, `owner/repo#12` would add events to other issues);
// - no link is live: GitHub autolinks `scheme://…` and `www.…` in plain text, so these get a zero-width space.
const ZWSP = '\u200b';

/** Mentions, issue references and autolinks broken with a zero-width space (text looks the same). */
function defuse(s: string): string {
  return s
    .replace(/@(?=[A-Za-z0-9])/g, `@${ZWSP}`)
    .replace(/#(?=\d)/g, `#${ZWSP}`)
    .replace(/(GH)-(?=\d)/gi, `$1${ZWSP}-`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/(www)\./gi, `$1${ZWSP}.`);
}

/** Text from rule files, rule code and reports: no HTML, no Markdown, no mentions, references or links. */
export function escapeText(s: string): string {
  return defuse(
    String(s)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/([\\`*_[\]|~])/g, '\\$1'),
  ).replace(/\r\n|\r|\n/g, '<br>');
}

/** Text inside a code span: backticks cannot be escaped there, so they are replaced. */
function escapeCode(s: string): string {
  return defuse(String(s).replace(/`/g, 'ˋ').replace(/\r\n|\r|\n/g, ' '));
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
