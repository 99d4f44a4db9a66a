// `rulegate fix`: apply the fixes the checks can prove, in passes until stable. Each pass checks the
// files (from memory after the first pass), applies every fix that does not overlap another one in
// the same file, and checks again; a fix held back by an overlap is retried on the next pass. Only
// at the end are files written, each atomically, and only files this run read, inside the repository,
// whose bytes on disk are still what the run read.
import * as fs from 'fs';
import * as path from 'path';
import type { Finding, Fix, Item, Report } from '../core/types';
import type { RunOptions } from '../core/options';
import { runPipelineWithItems } from '../pipeline';
import { applyFilters } from '../formats/panther/filters';
import { findRepoRoot } from '../discover';
import { applyFixes } from './edits';
import { diffSafePath, unifiedDiff } from './diff';

export const MAX_PASSES = 10;

export interface FixOptions {
  /** Only fixes of findings with these codes. */
  codes?: string[];
  maxPasses?: number;
}

export interface FileChange {
  /** Repository-relative path. */
  file: string;
  absPath: string;
  before: string;
  after: string;
  /** What was changed, one line per applied fix. */
  applied: string[];
}

export interface FixResult {
  changes: FileChange[];
  /** Fixable findings that are still there after the last pass (overlapping or failing fixes). */
  remaining: Finding[];
  passes: number;
  /** The checks' report after the last pass (on the fixed text). */
  report: Report;
}

/** Whether a finding's fix is one this run applies (code and --filter selection). */
function wanted(f: Finding, codes: string[] | undefined, files: ReadonlySet<string>): f is Finding & { fix: Fix } {
  return !!f.fix && files.has(f.file) && (!codes || codes.length === 0 || codes.includes(f.code));
}

/** Computes the fixed texts (in memory). Nothing is written. */
export async function computeFixes(options: RunOptions, fixOptions: FixOptions = {}): Promise<FixResult> {
  const maxPasses = fixOptions.maxPasses ?? MAX_PASSES;
  const overlay = new Map<string, string>();
  const changes = new Map<string, FileChange>();
  const run = (): ReturnType<typeof runPipelineWithItems> => runPipelineWithItems({ ...options, noTests: true, overlay, progress: undefined });
  let { report, items } = await run();
  let passes = 0;
  const selected = (its: Item[]) => new Set(applyFilters(its, options.filters).map((i) => i.file));
  for (; passes < maxPasses; ) {
    const byFile = new Map<string, Fix[]>();
    const files = selected(items);
    for (const f of report.findings) {
      if (!wanted(f, fixOptions.codes, files)) continue;
      // an edit must be for the finding's own file: the only text this run read for it
      if (f.fix.edits.some((e) => e.file !== f.file)) continue;
      const list = byFile.get(f.file) ?? [];
      list.push(f.fix);
      byFile.set(f.file, list);
    }
    let changed = false;
    for (const item of items) {
      const fixes = byFile.get(item.file);
      if (!fixes) continue;
      const ordered = [...fixes].sort((a, b) => Math.min(...a.edits.map((e) => e.start)) - Math.min(...b.edits.map((e) => e.start)));
      const result = applyFixes(item.source, ordered);
      if (result.applied.length === 0 || result.text === item.source) continue;
      changed = true;
      overlay.set(item.absPath, result.text);
      const change = changes.get(item.absPath) ?? { file: item.file, absPath: item.absPath, before: item.source, after: item.source, applied: [] };
      change.after = result.text;
      change.applied.push(...result.applied.map((x) => x.description));
      changes.set(item.absPath, change);
    }
    if (!changed) break;
    passes++;
    ({ report, items } = await run());
  }
  const files = selected(items);
  const remaining = report.findings.filter((f) => wanted(f, fixOptions.codes, files));
  return { changes: [...changes.values()].filter((c) => c.before !== c.after), remaining, passes, report };
}

export class FixWriteError extends Error {}

/**
 * Writes the fixed files. Each file must sit inside the repository (by real path), hold exactly
 * the text this run read, and is replaced atomically (temp file + rename) keeping its mode.
 */
export function writeChanges(changes: FileChange[], root: string): void {
  const repoReal = fs.realpathSync(findRepoRoot(root));
  for (const c of changes) {
    const real = fs.realpathSync(c.absPath);
    const rel = path.relative(repoReal, real);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel))
      throw new FixWriteError(`${c.file}: not written, it resolves to ${real}, outside the repository ${repoReal}`);
    const buf = fs.readFileSync(real);
    const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
    const onDisk = buf.toString('utf8').slice(bom ? 1 : 0);
    if (onDisk !== c.before) throw new FixWriteError(`${c.file}: not written, it changed on disk while RuleGate was fixing it; run rulegate fix again`);
    const mode = fs.statSync(real).mode & 0o7777;
    const tmp = path.join(path.dirname(real), `.${path.basename(real)}.rulegate-${process.pid}-${Math.random().toString(36).slice(2)}.tmp`);
    try {
      fs.writeFileSync(tmp, (bom ? '\ufeff' : '') + c.after, { flag: 'wx', mode });
      fs.chmodSync(tmp, mode);
      fs.renameSync(tmp, real);
    } catch (e) {
      try {
        fs.unlinkSync(tmp);
      } catch {
        /* already gone */
      }
      throw new FixWriteError(`${c.file}: not written: ${(e as Error).message}`);
    }
  }
}

/** The changes as one patch for `git apply` at the repository's root. */
export function patchOf(changes: FileChange[]): string {
  return changes
    .filter((c) => diffSafePath(c.file))
    .map((c) => unifiedDiff(c.file, c.before, c.after))
    .join('');
}
