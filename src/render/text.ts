// Human-readable report for terminals and CI logs: findings grouped by file as
// `path:line:col  severity  code  message`, then test results, then one summary line.
import type { Finding, Report, TestResult } from '../core/types';
import { safeLogLine } from '../github/commands';
import { fixableNote } from '../core/findings';
import { describeProblems, gateCounts } from '../baseline';

export interface TextOptions {
  color: boolean;
  /** Print only failing tests (pat --show-failures-only); otherwise one line per detection too. */
  failuresOnly: boolean;
}

const paint = (on: boolean, code: string) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

export function renderText(report: Report, opts: TextOptions): string {
  const red = paint(opts.color, '31');
  const yellow = paint(opts.color, '33');
  const cyan = paint(opts.color, '36');
  const dim = paint(opts.color, '2');
  const bold = paint(opts.color, '1');
  const green = paint(opts.color, '32');
  const out: string[] = [];

  const sevLabel = (f: Finding) =>
    f.severity === 'error' ? red('error  ') : f.severity === 'warning' ? yellow('warning') : cyan('note   ');

  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  // Files with errors first, so failures are easy to find in a long log.
  const files = [...byFile.keys()].sort((a, b) => {
    const ea = byFile.get(a)!.some((f) => f.severity === 'error') ? 0 : 1;
    const eb = byFile.get(b)!.some((f) => f.severity === 'error') ? 0 : 1;
    return ea - eb || (a < b ? -1 : a > b ? 1 : 0);
  });
  for (const file of files) {
    out.push(bold(file));
    for (const f of byFile.get(file)!) {
      const loc = `${f.file}:${f.line}:${f.column ?? 1}`;
      const state = f.baseline === 'existing' || f.baseline === 'accepted' ? dim(` [${f.baseline}]`) : '';
      out.push(`  ${loc}  ${sevLabel(f)}  ${dim(f.code)}  ${f.message}${f.hint ? dim(` (${f.hint})`) : ''}${state}`);
    }
    out.push('');
  }

  if (report.tests.length > 0 && !opts.failuresOnly) {
    const byItem = new Map<string, TestResult[]>();
    for (const t of report.tests) {
      const list = byItem.get(t.itemId) ?? [];
      list.push(t);
      byItem.set(t.itemId, list);
    }
    out.push(bold('Tests'));
    for (const [id, results] of [...byItem.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const failed = results.filter((r) => !r.passed).length;
      out.push(`  ${failed ? red('FAIL') : green('PASS')} ${id} ${dim(`(${results.length - failed}/${results.length} passed)`)}`);
    }
    out.push('');
  }
  const failed = report.tests.filter((t) => !t.passed);
  if (failed.length > 0) {
    out.push(bold(red(`Failed tests (${failed.length})`)));
    for (const t of failed) {
      out.push(`  ${t.file}:${t.line}  ${t.itemId} › ${t.name}`);
      const detail = t.error ?? `expected ${t.expected}, got ${t.actual}`;
      out.push(`      ${t.failedFunction ? `[${t.failedFunction}] ` : ''}${detail}`);
      if (t.output) out.push(dim(`      output: ${t.output.split('\n').slice(0, 5).join('\n              ')}`));
    }
    out.push('');
  }
  if (report.notRun.length > 0) {
    out.push(bold('Not run'));
    for (const n of report.notRun) out.push(`  ${n.file}  ${n.itemId}: ${n.tests} test(s) not run — ${n.reason}`);
    out.push('');
  }
  if (report.selection) {
    out.push(bold(`Changed-files mode: ${report.selection.selected.length} item(s) selected from ${report.selection.changedFiles.length} changed file(s)`));
    for (const s of report.selection.selected.slice(0, 50)) out.push(`  ${s.file}: ${s.reason}`);
    out.push('');
  }
  const box = sandboxLine(report);
  if (box) out.push(dim(box));
  const fixable = fixableNote(report.findings);
  if (fixable) out.push(`${fixable} (\`rulegate fix --dry-run\` shows the changes first).`);
  out.push(summaryLine(report, opts.color));
  return neutraliseText(out.join('\n') + '\n', opts.color);
}

/** How rule code was isolated, in one line (text report and job summary). */
export function sandboxLine(report: Report): string | undefined {
  const box = report.python?.sandbox;
  if (!box) return undefined;
  const what =
    box.level === 'namespaces'
      ? `namespaces (own PID, mount and ${box.network ? 'network allowed' : 'no network'}; repository read-only)`
      : 'none (rule code runs as this user, with its rights and network)';
  const mem = box.memoryLimitMb > 0 ? `memory limit ${box.memoryLimitMb} MiB per worker` : 'no memory limit';
  return `Rule code sandbox: ${what}; ${mem}${box.note ? ` — ${box.note}` : ''}`;
}

/**
 * Text that reaches a terminal or a CI log holds strings from the repository (file names, rule
 * output, messages): no raw escape sequence other than our own colours, no NUL, no lone carriage
 * return (it would overwrite the line), and no workflow command (a line starting with `::`, or
 * `##[` anywhere — the same neutralisation as the action's log lines).
 */
export function neutraliseText(text: string, keepColors = false): string {
  const out = text
    .replace(/\r\n/g, '\n')
    // our own SGR colours are kept when colour is on; every other ESC becomes a visible ␛
    .replace(/\x1b(\[[0-9;]*m)?/g, (m, sgr) => (keepColors && sgr ? m : '\u241b' + (sgr ?? '')))
    .replace(/\r/g, '\u240d')
    .replace(/\0/g, '\u2400')
    .replace(/[\x01-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return safeLogLine(out);
}

export function summaryLine(report: Report, color = false): string {
  const s = report.summary;
  const red = paint(color, '31');
  const green = paint(color, '32');
  const verdict = gateCounts(report).errors > 0 ? red('✖ FAILED') : green('✔ OK');
  const compared = describeProblems(report);
  const tests = report.tests.length || s.testsNotRun ? `, ${s.tests} tests (${s.testsPassed} passed, ${s.testsFailed} failed, ${s.testsNotRun} not run)` : '';
  return (
    `${verdict}: ${compared ? `${compared}; ` : ''}${s.errors} error(s), ${s.warnings} warning(s) in ${s.items} item(s) from ${s.files} file(s)${tests}; ` +
    `${report.skippedFiles.length} file(s) skipped; ATT&CK v${report.attack.version}; ${(s.durationMs / 1000).toFixed(2)} s`
  );
}
