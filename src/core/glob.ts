// Glob matching for config/CLI ignore and include patterns (`**`, `*`, `?`, `[abc]`, `{a,b}`),
// and fnmatch-style patterns where `*` also matches `/` (pat's directory filter, spec §2.2).

const cache = new Map<string, RegExp>();

function escapeRegex(ch: string): string {
  return /[\\^$.|?*+()[\]{}]/.test(ch) ? `\\${ch}` : ch;
}

/** Path glob: `*` and `?` stop at `/`, `**` crosses directories. A pattern without `/` matches a basename anywhere. */
export function globToRegExp(pattern: string): RegExp {
  const key = `g:${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let p = pattern.replace(/\\/g, '/').replace(/^\.\//, '');
  if (p.endsWith('/')) p += '**';
  const anywhere = !p.includes('/');
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*') {
      if (p[i + 1] === '*') {
        const slash = p[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = p.indexOf(']', i + 1);
      if (end === -1) re += '\\[';
      else {
        const body = p.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else if (c === '{') {
      const end = p.indexOf('}', i + 1);
      if (end === -1) re += '\\{';
      else {
        re += `(?:${p
          .slice(i + 1, end)
          .split(',')
          .map((alt) => alt.split('').map(escapeRegex).join(''))
          .join('|')})`;
        i = end;
      }
    } else re += escapeRegex(c);
  }
  const rx = new RegExp(anywhere ? `(?:^|/)${re}(?:/.*)?$` : `^${re}(?:/.*)?$`);
  cache.set(key, rx);
  return rx;
}

export function matchesAny(path: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => globToRegExp(p).test(path));
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
