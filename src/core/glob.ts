// User globs (config `ignore`/`include`, --ignore/--include) are minimatch's globs, as in .gitignore-like
// tools: `*` and `?` stop at `/`, `**` crosses folders, `[abc]`/`[!a]` classes never match `/`, `{a,b}`
// braces nest and may hold globs (`{*.yml,templates/**}`). A pattern without `/` matches a file's name in
// any folder; a pattern that matches a folder covers everything under it (`templates` = `templates/**`).
// fnmatch below is Python's, where `*` also matches `/` (pat's directory filter, spec §2.2).
import { Minimatch } from 'minimatch';

const cache = new Map<string, RegExp>();
const globs = new Map<string, Minimatch>();

function escapeRegex(ch: string): string {
  return /[\\^$.|?*+()[\]{}]/.test(ch) ? `\\${ch}` : ch;
}

function compile(pattern: string): Minimatch {
  let m = globs.get(pattern);
  if (!m) {
    let p = pattern.replace(/\\/g, '/').replace(/^\.\//, '');
    if (p.endsWith('/')) p += '**';
    m = new Minimatch(p, { dot: true, matchBase: !p.includes('/'), nocomment: true, nonegate: true });
    globs.set(pattern, m);
  }
  return m;
}

/** True when `file` (relative, `/`-separated) or a folder above it matches the glob. */
export function matchesGlob(file: string, pattern: string): boolean {
  const m = compile(pattern);
  const parts = file.replace(/\\/g, '/').replace(/^\.\//, '').split('/');
  for (let n = parts.length; n >= 1; n--) if (m.match(parts.slice(0, n).join('/'))) return true;
  return false;
}

export function matchesAny(path: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => matchesGlob(path, p));
}

/** Python fnmatch semantics (used by pat): `*` matches any characters including `/`. */
export function fnmatch(name: string, pattern: string): boolean {
  const key = `f:${pattern}`;
  let rx = cache.get(key);
  if (!rx) {
    let re = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === '*') re += '.*';
      else if (c === '?') re += '.';
      else if (c === '[') {
        const end = pattern.indexOf(']', i + 1);
        if (end === -1) re += '\\[';
        else {
          re += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
          i = end;
        }
      } else re += escapeRegex(c);
    }
    rx = new RegExp(`^${re}$`, 's');
    cache.set(key, rx);
  }
  return rx.test(name);
}
