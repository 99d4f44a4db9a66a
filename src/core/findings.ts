// Turns raw findings into final ones: severity from config override, else the finding's own, else the
// registry default; codes turned off are dropped; output is sorted and free of exact duplicates.
import type { Finding, RawFinding, Severity } from './types';
import { CODES, isKnownCode } from './codes';
import type { Config } from './config';

/** Codes that describe the whole repository: shown in PR mode even on files the PR did not touch. */
export const REPOSITORY_WIDE = /^(id|ref)\//;

export function finalizeFindings(raw: RawFinding[], config: Config, selectedFiles?: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const f of raw) {
    const override = config.severity[f.code];
    const base: Severity | 'off' = override ?? f.severity ?? (isKnownCode(f.code) ? CODES[f.code].severity : 'error');
    if (base === 'off') continue;
    if (selectedFiles && !selectedFiles.has(f.file) && !REPOSITORY_WIDE.test(f.code)) continue;
    const finding: Finding = { ...f, severity: base };
    const key = `${finding.file}\0${finding.line}\0${finding.code}\0${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(finding);
  }
  out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.column ?? 0) - (b.column ?? 0)));
  return out;
}

/** "N findings can be fixed with `rulegate fix`", or undefined when none can. */
export function fixableNote(findings: readonly Finding[]): string | undefined {
  const n = findings.filter((f) => f.fix).length;
  if (n === 0) return undefined;
  return `${n} ${n === 1 ? 'finding' : 'findings'} can be fixed with \`rulegate fix\``;
}
