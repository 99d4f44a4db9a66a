// A patch file from the fixes of a report's findings, for `git apply` at the repository's root:
// the action offers the fixes outside a pull request's diff this way, and `rulegate --fix-patch`
// writes one. One pass: a fix that overlaps another in the same file is left out (rulegate fix
// applies those in later passes).
import * as fs from 'fs';
import * as path from 'path';
import type { Finding, Fix } from '../core/types';
import { applyFixes } from './edits';
import { diffSafePath, unifiedDiff } from './diff';

export interface PatchResult {
  patch: string;
  /** Fixes in the patch. */
  fixes: number;
  files: number;
}

/** Reads `file` (repository-relative, text after a BOM) under `repoRoot`, refusing anything that resolves outside it. */
export function readRepoFile(repoRoot: string, file: string): string | undefined {
  try {
    const rootReal = fs.realpathSync(repoRoot);
    const real = fs.realpathSync(path.resolve(repoRoot, file));
    const rel = path.relative(rootReal, real);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    const text = fs.readFileSync(real, 'utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return undefined;
  }
}

export function patchForFindings(findings: readonly Finding[], repoRoot: string): PatchResult {
  const byFile = new Map<string, Fix[]>();
  for (const f of findings) {
    if (!f.fix || f.fix.edits.some((e) => e.file !== f.file)) continue;
    const list = byFile.get(f.file) ?? [];
    list.push(f.fix);
    byFile.set(f.file, list);
  }
  let patch = '';
  let fixes = 0;
  let files = 0;
  for (const [file, list] of [...byFile.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (!diffSafePath(file)) continue;
    const before = readRepoFile(repoRoot, file);
    if (before === undefined) continue;
    const ordered = [...list].sort((a, b) => a.edits[0].start - b.edits[0].start);
    const out = applyFixes(before, ordered);
    if (out.text === before) continue;
    patch += unifiedDiff(file, before, out.text);
    fixes += out.applied.length;
    files++;
  }
  return { patch, fixes, files };
}
