// Sigma string values (spec §2.4): `*` and `?` wildcards, `\` escapes only `*`, `?` and `\`.
// Also the regex dialect bridge: Sigma regexes are PCRE-like; JavaScript needs a few rewrites.

export type StrPart = string | { wildcard: '*' | '?' };

/** Splits a Sigma string into literal text and wildcards. */
export function parseSigmaString(s: string): StrPart[] {
  const parts: StrPart[] = [];
  let lit = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length && (s[i + 1] === '*' || s[i + 1] === '?' || s[i + 1] === '\\')) {
      lit += s[i + 1];
      i++;
    } else if (c === '*' || c === '?') {
      if (lit) parts.push(lit);
      lit = '';
      parts.push({ wildcard: c });
    } else lit += c;
  }
  if (lit) parts.push(lit);
  return parts;
}

/** Does the string hold an escaped (literal) `*` or `?`? */
export function hasEscapedWildcard(s: string): boolean {
  if (!s.includes('\\*') && !s.includes('\\?')) return false;
  return parseSigmaString(s).some((p) => typeof p === 'string' && /[*?]/.test(p));
}

export interface SigmaRegex {
  source: string;
  flags: string;
}

/** Rewrites PCRE-only syntax JavaScript lacks: a leading `(?i)`/`(?s)`/`(?m)` becomes a flag,
 * `(?P<n>` becomes `(?<n>`, `\A`/`\Z`/`\z` become `^`/`$`. */
export function toJsRegex(pattern: string, flags: { i?: boolean; m?: boolean; s?: boolean }): SigmaRegex {
  let src = pattern;
  const f = new Set<string>();
  if (flags.i) f.add('i');
  if (flags.m) f.add('m');
  if (flags.s) f.add('s');
  const lead = /^\(\?([imsx]+)\)/.exec(src);
  if (lead) {
    for (const c of lead[1]) if (c !== 'x') f.add(c);
    src = src.slice(lead[0].length);
  }
  src = src.replace(/\(\?P</g, '(?<').replace(/\\A/g, '^').replace(/\\[Zz]/g, '$');
  return { source: src, flags: [...f].join('') };
}

/** A group that repeats something already repeated — `(a+)+`, `(\w*)*`, `(x|y+){2,}` — can backtrack
 * exponentially in a backtracking engine such as JavaScript's. */
export function hasNestedQuantifier(pattern: string): boolean {
  return /\((?:[^()\\]|\\.)*(?:[+*]|\{\d+,\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\d*\})/.test(pattern);
}

/** Compiles a Sigma regex, or returns the error text. */
export function compileSigmaRegex(pattern: string, flags: { i?: boolean; m?: boolean; s?: boolean } = {}): RegExp | string {
  const { source, flags: f } = toJsRegex(pattern, flags);
  try {
    return new RegExp(source, f);
  } catch (e) {
    return (e as Error).message.replace(/^Invalid regular expression: /, '');
  }
}
