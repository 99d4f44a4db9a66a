// Which findings become annotations, in which order, and how they look — for workflow commands
// (capped by GitHub at 10 errors, 10 warnings and 10 notices per step; extra ones vanish silently)
// and for check runs (no cap, 50 per request).
import type { Finding, Report } from '../core/types';
import { formatCommand } from './commands';

export const STEP_CAP = 10;
export type AnnotationLevel = 'error' | 'warning' | 'notice';

const RANK: Record<string, number> = { error: 0, warning: 1, note: 2 };

/** Changed files first, then errors before warnings before notes, then by file and line. */
export function prioritize(findings: readonly Finding[], changedFiles: Iterable<string> = []): Finding[] {
  const changed = new Set(changedFiles);
  return [...findings].sort(
    (a, b) =>
      Number(!changed.has(a.file)) - Number(!changed.has(b.file)) ||
      (RANK[a.severity] ?? 3) - (RANK[b.severity] ?? 3) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}

export function levelOf(f: Finding): AnnotationLevel {
  return f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
}

export function annotationTitle(f: Finding): string {
  return f.itemId ? `${f.code} (${f.itemId})` : f.code;
}

export function annotationMessage(f: Finding): string {
  return f.hint ? `${f.message}\nHint: ${f.hint}` : f.message;
}

/** One finding as a workflow command. Columns only when the annotation is on one line (GitHub's rule). */
export function formatAnnotation(f: Finding): string {
  const line = Math.max(1, Math.floor(f.line) || 1);
  const endLine = f.endLine && f.endLine > line ? Math.floor(f.endLine) : undefined;
  const col = !endLine && f.column && f.column >= 1 ? Math.floor(f.column) : undefined;
  return formatCommand(levelOf(f), { file: f.file, line, endLine, col, title: annotationTitle(f) }, annotationMessage(f));
}

export interface AnnotationPlan {
  /** Command lines to print, in order. */
  lines: string[];
  /** Findings printed as annotations. */
  shown: Finding[];
  /** Findings not printed. */
  omitted: number;
}

export interface AnnotationOptions {
  changedFiles?: Iterable<string>;
  /** Error slots kept free (the step's own failure message is one more error annotation). */
  reserveErrors?: number;
  /** Where the rest can be read, for the closing notice; default the job summary. */
  elsewhere?: string;
}

/** The most important findings within the per-step caps, plus a notice saying how many more there are. */
export function planAnnotations(report: Report, options: AnnotationOptions = {}): AnnotationPlan {
  const caps: Record<AnnotationLevel, number> = {
    error: Math.max(0, STEP_CAP - (options.reserveErrors ?? 0)),
    warning: STEP_CAP,
    notice: STEP_CAP,
  };
  const ordered = prioritize(report.findings, options.changedFiles ?? report.selection?.changedFiles ?? []);
  const totals: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };
  for (const f of ordered) totals[levelOf(f)]++;
  const overflow = (Object.keys(totals) as AnnotationLevel[]).some((l) => totals[l] > caps[l]);
  if (overflow) caps.notice -= 1; // one notice slot for "N more in the summary"

  const used: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };
  const shown: Finding[] = [];
  for (const f of ordered) {
    const l = levelOf(f);
    if (used[l] >= caps[l]) continue;
    used[l]++;
    shown.push(f);
  }
  const lines = shown.map(formatAnnotation);
  const omitted = ordered.length - shown.length;
  if (omitted > 0) {
    const bits = (Object.keys(totals) as AnnotationLevel[])
      .filter((l) => totals[l] > used[l])
      .map((l) => `${used[l]} of ${totals[l]} ${l === 'notice' ? 'notes' : l + 's'}`);
    const where = options.elsewhere ?? 'the job summary';
    lines.push(
      formatCommand('notice', { title: 'RuleGate' }, `${omitted} more ${omitted === 1 ? 'finding is' : 'findings are'} in ${where} (annotations shown: ${bits.join(', ')}; GitHub shows at most 10 of each kind per step).`),
    );
  }
  return { lines, shown, omitted };
}
