// Where the Python worker is, and the environment it runs in: an allow-list, so that no token or
// secret of the runner (GITHUB_TOKEN, INPUT_*, ACTIONS_*, AWS_*, …) ever reaches rule code.
// Python writes no bytecode anywhere (PYTHONDONTWRITEBYTECODE), so nothing lands in the user's
// checkout; RuleGate's compiler (rulegate_sandbox.py) caches the bytecode of the repository's own
// Python files in a private folder outside it (cacheDir), which the workers only read.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The worker script: next to the bundle in dist/, or in ./python beside the sources. */
export function workerScript(): string {
  const candidates = [path.join(__dirname, 'rulegate_worker.py'), path.join(__dirname, 'python', 'rulegate_worker.py')];
  for (const c of candidates) if (fs.existsSync(c)) return c;
  return candidates[candidates.length - 1];
}

/** Variables a Python interpreter legitimately needs; everything else is dropped. */
const ALLOWED = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'TEMP',
  'TMP',
  'PYTHONPATH',
  'PYTHONHOME',
  'PYTHONUTF8',
  'PYTHONIOENCODING',
  'PYTHONHASHSEED',
  'VIRTUAL_ENV',
  'CONDA_PREFIX',
  'CONDA_DEFAULT_ENV',
  'PYENV_ROOT',
  'PYENV_VERSION',
  'LD_LIBRARY_PATH',
  'DYLD_LIBRARY_PATH',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  // Windows
  'SYSTEMROOT',
  'SystemRoot',
  'WINDIR',
  'SYSTEMDRIVE',
  'COMSPEC',
  'PATHEXT',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'PROGRAMDATA',
]);

export function workerEnv(source: NodeJS.ProcessEnv, root: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(source)) {
    if (v === undefined) continue;
    if (ALLOWED.has(k) || k.startsWith('LC_')) env[k] = v;
  }
  void root;
  env.PYTHONDONTWRITEBYTECODE = '1';
  return env;
}

/**
 * RuleGate's cache folder (bytecode of the repository's Python files, the run cache): per user and
 * private — RUNNER_TEMP/rulegate in Actions (a fresh folder per job), else $XDG_CACHE_HOME/rulegate
 * or ~/.cache/rulegate, else <tmp>/rulegate-<uid>. It must be a real folder (not a symlink) owned
 * by this user with no access for anyone else (0700), never inside the checkout; otherwise no
 * cache is used (a folder another user can write into could plant bytecode that RuleGate runs).
 */
export function cacheDir(source: NodeJS.ProcessEnv, root: string): string | undefined {
  const home = source.HOME || os.homedir();
  const candidates = [
    source.RULEGATE_CACHE,
    source.RUNNER_TEMP && path.join(source.RUNNER_TEMP, 'rulegate'),
    source.XDG_CACHE_HOME && path.join(source.XDG_CACHE_HOME, 'rulegate'),
    home && path.join(home, '.cache', 'rulegate'),
    path.join(os.tmpdir(), `rulegate-${typeof process.getuid === 'function' ? process.getuid() : 'user'}`),
  ].filter((c): c is string => !!c);
  for (const c of candidates) {
    const dir = privateDir(path.resolve(c), root);
    if (dir) return dir;
  }
  return undefined;
}

function privateDir(dir: string, root: string): string | undefined {
  const rel = path.relative(path.resolve(root), dir);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return undefined; // inside the checkout
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory() || st.isSymbolicLink()) return undefined;
    if (process.platform !== 'win32') {
      if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return undefined;
      if (st.mode & 0o077) fs.chmodSync(dir, 0o700); // our own folder: make it private
      if (fs.lstatSync(dir).mode & 0o077) return undefined;
    }
    return dir;
  } catch {
    return undefined;
  }
}

/** The bytecode cache (see rulegate_sandbox.py): inside the private cache folder. */
export function bytecodeCacheDir(source: NodeJS.ProcessEnv, root: string): string | undefined {
  const dir = cacheDir(source, root);
  if (!dir) return undefined;
  const code = path.join(dir, 'bytecode');
  try {
    fs.mkdirSync(code, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  return code;
}
