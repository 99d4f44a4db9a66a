// The baseline file, `.rulegate-baseline.json`: the problems a team has accepted for now (written by
// `rulegate baseline`). One entry per line, so a diff shows exactly which problems were fixed or added,
// and a stale entry can be reported on its own line.
import * as fs from 'fs';
import type { Finding, RawFinding } from '../core/types';
import { fingerprint } from './fingerprint';

export const BASELINE_FILE = '.rulegate-baseline.json';

export interface BaselineEntry {
  fingerprint: string;
  code: string;
  item?: string;
  file: string;
  message: string;
  /** Line of the entry in the file (1-based), for reporting it. */
  line: number;
}

const NOTE =
  'Problems accepted when this file was written: RuleGate counts them but fails only on others. ' +
  'Delete entries as problems get fixed (RuleGate reports stale ones), or run "rulegate baseline" again.';

/** The file's text for these findings (errors and warnings; notes never fail a run). */
export function baselineText(findings: readonly Finding[], toolVersion: string): string {
  const entries = findings
    .filter((f) => f.severity === 'error' || f.severity === 'warning')
    .map((f) => ({ fingerprint: fingerprint(f), code: f.code, ...(f.itemId ? { item: f.itemId } : {}), file: f.file, message: f.message }))
    .sort((a, b) => cmp(a.file, b.file) || cmp(a.code, b.code) || cmp(a.item ?? '', b.item ?? '') || cmp(a.message, b.message));
  const lines = entries.map((e, i) => `    ${JSON.stringify(e)}${i < entries.length - 1 ? ',' : ''}`);
  return [
    '{',
    `  "version": 1,`,
    `  "tool": ${JSON.stringify(`rulegate ${toolVersion}`)},`,
    `  "note": ${JSON.stringify(NOTE)},`,
    entries.length ? `  "entries": [\n${lines.join('\n')}\n  ]` : `  "entries": []`,
    '}',
    '',
  ].join('\n');
}

export type BaselineRead = { entries: BaselineEntry[]; problem?: undefined } | { entries?: undefined; problem: RawFinding };

/** Reads and checks a baseline file; a broken one is a finding on its line, and the run goes on without it. */
export function readBaselineFile(absPath: string, file: string): BaselineRead {
  const bad = (line: number, what: string): BaselineRead => ({
    problem: {
      code: 'baseline/invalid',
      file,
      line,
      message: `${file} cannot be used as a baseline: ${what}. Every problem counts as new until it is fixed; "rulegate baseline" writes a valid file.`,
    },
  });
  let text: string;
  try {
    text = fs.readFileSync(absPath, 'utf8');
  } catch (e) {
    return bad(1, `it cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const pos = /position (\d+)/.exec((e as Error).message);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : 1;
    return bad(line, `it is not valid JSON (${(e as Error).message})`);
  }
  const d = data as { version?: unknown; entries?: unknown };
  if (!d || typeof d !== 'object' || d.version !== 1 || !Array.isArray(d.entries)) return bad(1, 'it is not a RuleGate baseline (version 1 with an "entries" list)');
  const lines = entryLines(text);
  const entries: BaselineEntry[] = [];
  for (const [i, raw] of (d.entries as unknown[]).entries()) {
    const e = raw as Record<string, unknown>;
    if (!e || typeof e !== 'object' || typeof e.fingerprint !== 'string' || typeof e.code !== 'string')
      return bad(lines[i] ?? 1, `entry ${i + 1} has no "fingerprint" and "code" strings`);
    const line = lines[i] ?? 1;
    entries.push({
      fingerprint: e.fingerprint,
      code: e.code,
      ...(typeof e.item === 'string' ? { item: e.item } : {}),
      file: typeof e.file === 'string' ? e.file : '',
      message: typeof e.message === 'string' ? e.message : '',
      line,
    });
  }
  return { entries };
}

/** The line each entry starts on: lines opening an object after `"entries"` (one entry per line, or pretty-printed). */
function entryLines(text: string): number[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.includes('"entries"'));
  const out: number[] = [];
  for (let i = Math.max(0, start); i < lines.length; i++) if (/^\s*(\[\s*)?\{/.test(lines[i]) || (i === start && /\[\s*\{/.test(lines[i]))) out.push(i + 1);
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
