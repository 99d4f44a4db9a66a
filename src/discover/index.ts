// Discovery: the YAML files pat would load (spec §2), widened or narrowed by config globs.
// Every YAML file walked is either returned or listed in `skipped` with a reason.
import * as fs from 'fs';
import * as path from 'path';
import type { SkippedFile } from '../core/types';
import type { RunOptions } from '../core/options';
import { FatalError } from '../core/errors';
import { fnmatch, matchesAny } from '../core/glob';
import { isSigmaFile } from '../formats/sigma'; // [sigma-seam] Sigma files are found in any folder

export interface DiscoveredFile {
  absPath: string;
  /** Repository-relative path with `/` separators (what every output shows). */
  file: string;
  /** a symbolic link to a file outside the repository: reported, never read */
  outside?: boolean;
}

export interface Discovery {
  files: DiscoveredFile[];
  skipped: SkippedFile[];
  /** YAML files looked at (returned + skipped). */
  looked: number;
  /** The folder that output paths are relative to. */
  repoRoot: string;
}

/** pat only loads sub-directories matching these when it runs on the repository root (spec §2.2). */
const PAT_DIRECTORY_GLOBS = ['*rules*', '*policies*', '*queries*', '*data_models*', '*lookup_tables*', '*scheduled_prompts*', '*/global_helpers', '*/packs'];
/** Files pat never parses, whatever their folder. */
const PAT_IGNORED_NAMES = new Set(['dependabot.yml', 'package.json', 'package-lock.json']);
/** Extra roots pat searches so that helpers and data models load when testing a sub-folder (spec §2.1). */
const HELPER_ROOTS = ['./global_helpers', '../global_helpers', './data_models', '../data_models'];

/** The folder output paths are relative to: the enclosing git checkout, else the root itself. */
export function findRepoRoot(root: string): string {
  let dir = root;
  for (;;) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return root;
    dir = parent;
  }
}

export function toRepoPath(repoRoot: string, absPath: string): string {
  const rel = path.relative(repoRoot, absPath);
  return rel.split(path.sep).join('/');
}

function isYamlName(name: string): boolean {
  return fnmatch(name, '*.y*ml');
}

export function discoverFiles(options: RunOptions): Discovery {
  const root = options.root;
  let rootStat: fs.Stats;
  try {
    rootStat = fs.statSync(root);
  } catch {
    throw new FatalError(`cannot read the rule folder "${options.rootArg}": it does not exist. Give the path of your rule repository (for example: rulegate .)`);
  }
  if (!rootStat.isDirectory()) throw new FatalError(`"${options.rootArg}" is not a folder. Give the path of your rule repository.`);

  const repoRoot = findRepoRoot(root);
  const seen = new Set<string>();
  const files: DiscoveredFile[] = [];
  const skipped: SkippedFile[] = [];
  let looked = 0;

  // pat applies its directory filter only when run on the repository root.
  const normalizedArg = options.rootArg.replace(/\\/g, '/');
  // Outside a git checkout only "." counts, as in pat; an absolute path to a checkout's top counts too.
  const atRepoRoot = normalizedArg === '.' || normalizedArg === './' || (root === repoRoot && fs.existsSync(path.join(root, '.git')));

  const realRepo = realOrSelf(repoRoot);
  const consider = (absPath: string, relDir: string, dirAllowed: boolean, outside = false) => {
    if (seen.has(absPath)) return;
    seen.add(absPath);
    looked++;
    const file = toRepoPath(repoRoot, absPath);
    const name = path.basename(absPath);
    const fromRoot = toRepoPath(root, absPath);
    if (name.startsWith('.')) return void skipped.push({ file, reason: 'hidden file' });
    if (PAT_IGNORED_NAMES.has(name)) return void skipped.push({ file, reason: 'ignored by name, as pat does' });
    if (options.ignore.length && (matchesAny(file, options.ignore) || matchesAny(fromRoot, options.ignore)))
      return void skipped.push({ file, reason: 'matches an ignore pattern' });
    const included = options.include.length > 0 && (matchesAny(file, options.include) || matchesAny(fromRoot, options.include));
    // a link that leaves the repository is never opened, not even to see whether it is Sigma
    if (!dirAllowed && !included && outside)
      return void skipped.push({ file, reason: `symbolic link to a file outside the repository, in folder ${relDir} (not one pat loads): never opened` });
    if (!dirAllowed && !included && !isSigmaPath(absPath))
      return void skipped.push({
        file,
        reason: `folder ${relDir} is not one pat loads from the repository root (add it to "include" in .rulegate.yml to check it)`,
      });
    files.push(outside ? { absPath, file, outside } : { absPath, file });
  };

  const walk = (dir: string, walkRoot: string, filterDirs: boolean) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      skipped.push({ file: toRepoPath(repoRoot, dir) || '.', reason: `folder cannot be read: ${(e as Error).message}` });
      return;
    }
    const rel = toRepoPath(walkRoot, dir);
    const relDir = rel === '' ? '.' : `./${rel}`;
    const dirAllowed = !filterDirs || rel === '' || PAT_DIRECTORY_GLOBS.some((g) => fnmatch(relDir, g));
    const names = entries.map((e) => e.name).sort();
    const byName = new Map(entries.map((e) => [e.name, e]));
    const subdirs: string[] = [];
    for (const name of names) {
      const entry = byName.get(name)!;
      const abs = path.join(dir, name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let special = specialKind(entry);
      let outside = false;
      if (entry.isSymbolicLink()) {
        // Like pat (os.walk), never descend into a linked folder: links can loop or leave the repository.
        try {
          const st = fs.statSync(abs); // stat never opens the target (a FIFO would block)
          isFile = st.isFile();
          special = specialKind(st);
          outside = !isInside(realOrSelf(abs), realRepo);
        } catch {
          continue; // dangling link
        }
        isDir = false;
      }
      if (special && isYamlName(name)) {
        // a named pipe, socket or device with a rule file's name: opening it could block or never end
        skipped.push({ file: toRepoPath(repoRoot, abs), reason: `${special}, not a regular file: never opened` });
        continue;
      }
      if (isDir) {
        if (name.startsWith('.') || name === '__pycache__' || name === 'node_modules') continue;
        subdirs.push(abs);
      } else if (isFile && isYamlName(name)) consider(abs, relDir, dirAllowed, outside);
    }
    // Unlike pat (file-system order), sub-directories are walked sorted so results never depend on the disk.
    for (const sub of subdirs) walk(sub, walkRoot, filterDirs);
  };

  walk(root, root, atRepoRoot);
  for (const helper of HELPER_ROOTS) {
    for (const base of [root, options.cwd]) {
      const dir = path.resolve(base, helper);
      if (dir === root || isInside(dir, root)) continue; // already walked
      if (fs.existsSync(dir) && fs.statSync(dir).isDirectory()) walk(dir, dir, false);
    }
  }
  return { files, skipped, looked, repoRoot };
}

/** [sigma-seam] A YAML file outside pat's folders is still ours when it is a Sigma document. */
function isSigmaPath(absPath: string): boolean {
  try {
    if (fs.statSync(absPath).size > 5 * 1024 * 1024) return false;
    return isSigmaFile(absPath, fs.readFileSync(absPath, 'utf8'));
  } catch {
    return false;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function specialKind(st: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string | undefined {
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device file';
  return undefined;
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}
