// Where the Python worker is, and the environment it runs in: an allow-list, so that no token or
// secret of the runner (GITHUB_TOKEN, INPUT_*, ACTIONS_*, AWS_*, …) ever reaches rule code.
// Python writes no bytecode anywhere (PYTHONDONTWRITEBYTECODE), so nothing lands in the user's
// checkout; the worker itself caches the bytecode of the repository's own Python files in a
// folder outside it (bytecodeCacheDir), and reads the standard library's existing caches.
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

/** A bytecode cache outside the checkout (RUNNER_TEMP in Actions, else the OS temp dir). */
export function bytecodeCacheDir(source: NodeJS.ProcessEnv, root: string): string | undefined {
  const base = source.RULEGATE_PYCACHE || path.join(source.RUNNER_TEMP || os.tmpdir(), 'rulegate-pycache');
  const resolved = path.resolve(base);
  const rel = path.relative(path.resolve(root), resolved);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return undefined; // inside the checkout
  try {
    fs.mkdirSync(resolved, { recursive: true });
    return resolved;
  } catch {
    return undefined;
  }
}
