// Repository-relative paths for the action. GitHub places annotations, check-run annotations and blob
// links by the path from the repository's root, and lists a pull request's files the same way. The
// engine names files relative to the enclosing git checkout of the rule folder, or — when there is no
// `.git` (actions/checkout falls back to downloading a tarball when git is missing) — relative to the
// rule folder itself. Then, for a `path` below the workspace, the action moves the engine's names under
// that folder (and the pull request's files out of it) so that every output still lands on the diff.
import * as fs from 'fs';
import * as path from 'path';
import type { Report } from '../core/types';

export interface RepoPaths {
  /** The folder every output path is relative to. */
  repoRoot: string;
  /** The engine's root for paths (git checkout of the rule folder, else the rule folder). */
  engineRoot: string;
  /** repoRoot → engineRoot, `/`-separated; '' when they are the same folder. */
  prefix: string;
}

/** The nearest folder at or above `dir` that holds `.git`, if any. */
export function findGitRoot(dir: string): string | undefined {
  let d = path.resolve(dir);
  for (;;) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

export function repoPaths(root: string, workspace: string): RepoPaths {
  const abs = path.resolve(root);
  const git = findGitRoot(abs);
  if (git) return { repoRoot: git, engineRoot: git, prefix: '' };
  const ws = path.resolve(workspace);
  const rel = path.relative(ws, abs);
  const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  if (!inside) return { repoRoot: abs, engineRoot: abs, prefix: '' };
  return { repoRoot: ws, engineRoot: abs, prefix: rel.split(path.sep).join('/') };
}

/** Repository-relative paths (from the API or git) as the engine names them (`../x` for files outside its root). */
export function toEnginePaths(files: string[], prefix: string): string[] {
  if (!prefix) return files;
  return files.map((f) => path.posix.relative(prefix, f.replace(/\\/g, '/').replace(/^\.\//, '')));
}

/** The engine's path of a file, from the repository's root. */
export function fromEnginePath(file: string, prefix: string): string {
  if (!prefix || typeof file !== 'string' || file === '' || file.startsWith('/')) return file;
  return path.posix.normalize(path.posix.join(prefix, file));
}

/** Every file path of a report, from the engine's root to the repository's root (in place). */
export function rebaseReport(report: Report, prefix: string, changedFiles?: string[]): Report {
  if (!prefix) return report;
  const fix = <T extends { file: string }>(x: T): T => ({ ...x, file: fromEnginePath(x.file, prefix) });
  report.findings = report.findings.map((f) => (f.fix ? { ...fix(f), fix: { ...f.fix, edits: f.fix.edits.map(fix) } } : fix(f)));
  report.tests = report.tests.map(fix);
  report.items = report.items.map(fix);
  report.notRun = report.notRun.map(fix);
  report.skippedFiles = report.skippedFiles.map(fix);
  if (report.selection) {
    report.selection = {
      ...report.selection,
      changedFiles: changedFiles ?? report.selection.changedFiles.map((f) => fromEnginePath(f, prefix)),
      selected: report.selection.selected.map(fix),
    };
  }
  if (report.audit) {
    const c = report.audit.coverage;
    c.disabled = c.disabled.map(fix);
    c.untested = c.untested.map(fix);
    if (report.audit.forecast) report.audit.forecast.entries = report.audit.forecast.entries.map(fix);
  }
  return report;
}
