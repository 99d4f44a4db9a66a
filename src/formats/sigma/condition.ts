// The Sigma condition grammar (spec §2.7) as a small recursive-descent parser over tokens with
// offsets, so every error points at the column of the offending token.
//
//   or_expr  = and_expr { "or" and_expr }      and_expr = not_expr { "and" not_expr }
//   not_expr = "not" not_expr | primary         primary  = "(" or_expr ")" | selector | identifier
//   selector = ("1" | "all" | "any") "of" (pattern | "them")

export type CondNode =
  | { t: 'id'; name: string; offset: number }
  | { t: 'of'; quantifier: '1' | 'all' | 'any'; pattern: string; offset: number; patternOffset: number }
  | { t: 'not'; expr: CondNode }
  | { t: 'and' | 'or'; left: CondNode; right: CondNode };

export interface CondProblem {
  code: 'sigma/condition-syntax' | 'sigma/condition-legacy-aggregation' | 'sigma/condition-pysigma-misparse';
  offset: number;
  message: string;
  hint?: string;
}

export interface ParsedCondition {
  ast?: CondNode;
  problems: CondProblem[];
}

interface Token {
  text: string;
  offset: number;
}

/** Real conditions are short (SigmaHQ's longest has 83 tokens); hostile ones must not exhaust the stack. */
const MAX_TOKENS = 2000;
const MAX_DEPTH = 100;

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', 'all', 'any', '1']);
const WORD_RE = /[A-Za-z0-9_*-]+/y;

function tokenize(text: string, problems: CondProblem[]): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      tokens.push({ text: c, offset: i });
      i++;
      continue;
    }
    if (c === '|') {
      problems.push({
        code: 'sigma/condition-legacy-aggregation',
        offset: i,
        message: `the condition uses the Sigma v1 aggregation "${text.slice(i).trim()}"; Sigma 2 has no pipe in conditions`,
        hint: 'move the aggregation into a correlation rule (correlation: type: event_count / value_count …) that references this rule',
      });
      return undefined;
    }
    WORD_RE.lastIndex = i;
    const m = WORD_RE.exec(text);
    if (!m) {
      problems.push({
        code: 'sigma/condition-syntax',
        offset: i,
        message: `unexpected character "${c}" in the condition`,
        hint: 'a condition uses selection names, "and", "or", "not", parentheses and "1 of"/"all of" patterns',
      });
      return undefined;
    }
    tokens.push({ text: m[0], offset: i });
    i += m[0].length;
  }
  return tokens;
}

/** Thrown inside the parser to stop at the first syntax error (defined once: classes are costly to create). */
class Fail extends Error {}

/** Parses one condition string. Problems carry offsets into `text`. */
export function parseCondition(text: string): ParsedCondition {
  const problems: CondProblem[] = [];
  const tokens = tokenize(text, problems);
  if (!tokens) return { problems };
  if (tokens.length > MAX_TOKENS) {
    problems.push({ code: 'sigma/condition-syntax', offset: tokens[MAX_TOKENS].offset, message: `the condition has more than ${MAX_TOKENS} tokens; split the rule` });
    return { problems };
  }
  let depth = 0;
  let pos = 0;
  const end = text.length;

  const fail = (offset: number, message: string, hint?: string): never => {
    problems.push({ code: 'sigma/condition-syntax', offset, message, hint });
    throw new Fail(message);
  };
  const peek = () => tokens[pos];
  const describe = (t: Token | undefined) => (t ? `"${t.text}"` : 'the end of the condition');

  const checkWord = (t: Token) => {
    const lower = t.text.toLowerCase();
    if (KEYWORDS.has(lower) && lower !== t.text)
      fail(t.offset, `"${t.text}" must be written in lower case: Sigma keywords are "and", "or", "not", "of", "them", "all"`, `write "${lower}"`);
    if (t.text === 'near') fail(t.offset, '"near" is Sigma v1 aggregation syntax and no longer exists', 'use a temporal correlation rule instead');
  };

  const parseOr = (): CondNode => {
    let left = parseAnd();
    while (peek()?.text === 'or') {
      pos++;
      left = { t: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): CondNode => {
    let left = parseNot();
    while (peek()?.text === 'and') {
      pos++;
      left = { t: 'and', left, right: parseNot() };
    }
    return left;
  };
  const parseNot = (): CondNode => {
    if (peek()?.text === 'not') {
      const t = peek()!;
      pos++;
      if (++depth > MAX_DEPTH) fail(t.offset, `more than ${MAX_DEPTH} nested "not" or parentheses`);
      const expr = parseNot();
      depth--;
      return { t: 'not', expr };
    }
    return parsePrimary();
  };
  const parsePrimary = (): CondNode => {
    const t = peek();
    if (!t) return fail(end, 'the condition ends where a selection name, "not", "(" or "1 of …" is expected');
    checkWord(t);
    if (t.text === '(') {
      pos++;
      if (++depth > MAX_DEPTH) fail(t.offset, `more than ${MAX_DEPTH} nested "not" or parentheses`);
      const inner = parseOr();
      depth--;
      const close = peek();
      if (close?.text !== ')') fail(close?.offset ?? end, `expected ")" to close the "(" at column ${t.offset + 1}, found ${describe(close)}`);
      pos++;
      return inner;
    }
    if (t.text === '1' || t.text === 'all' || t.text === 'any' || /^\d+$/.test(t.text)) {
      const next = tokens[pos + 1];
      if (/^\d+$/.test(t.text) && t.text !== '1')
        fail(t.offset, `"${t.text} of" is not Sigma: only "1 of" and "all of" exist`, 'use "1 of" (any one matches) or "all of"');
      if (next?.text !== 'of') {
        if (t.text === '1' || t.text === 'any') fail(next?.offset ?? end, `expected "of" after "${t.text}", found ${describe(next)}`);
      } else {
        pos += 2;
        const pat = peek();
        if (!pat || pat.text === '(' || pat.text === ')') return fail(pat?.offset ?? end, `expected a selection pattern or "them" after "${t.text} of", found ${describe(pat)}`);
        checkWord(pat);
        if (pat.text !== 'them' && KEYWORDS.has(pat.text)) fail(pat.offset, `"${pat.text}" is a keyword, not a selection pattern`);
        if (pat.text.includes('-') && pat.text.includes('*'))
          fail(pat.offset + pat.text.indexOf('-'), `a pattern after "of" may not contain "-" (pySigma rejects "${pat.text}")`, 'rename the selections with "_" instead of "-"');
        pos++;
        if (t.text === 'any')
          problems.push({
            code: 'sigma/condition-pysigma-misparse',
            offset: t.offset,
            message: '"any of" is accepted by pySigma only; the Sigma specification knows "1 of" and "all of"',
            hint: 'write "1 of"',
          });
        return { t: 'of', quantifier: t.text as '1' | 'all' | 'any', pattern: pat.text, offset: t.offset, patternOffset: pat.offset };
      }
    }
    if (t.text === ')' || t.text === 'and' || t.text === 'or' || t.text === 'of' || t.text === 'them')
      return fail(t.offset, `unexpected ${describe(t)}: a selection name, "not", "(" or "1 of …" is expected here`);
    if (t.text.includes('*'))
      return fail(t.offset, `the pattern "${t.text}" can only follow "1 of" or "all of"`, `write "1 of ${t.text}"`);
    pos++;
    const glued = /^(not|and|or)(?=[A-Za-z0-9_])/.exec(t.text);
    if (glued)
      problems.push({
        code: 'sigma/condition-pysigma-misparse',
        offset: t.offset,
        message: `pySigma reads "${t.text}" as "${glued[1]} ${t.text.slice(glued[1].length)}" (it matches keywords as prefixes), so sigma check will disagree with this rule`,
        hint: `rename the selection so it does not start with "${glued[1]}"`,
      });
    return { t: 'id', name: t.text, offset: t.offset };
  };

  try {
    if (tokens.length === 0) fail(0, 'the condition is empty');
    const ast = parseOr();
    const rest = peek();
    if (rest) checkWord(rest);
    if (rest) fail(rest.offset, `unexpected ${describe(rest)} after a complete expression: join parts with "and" or "or"`);
    return { ast, problems };
  } catch (e) {
    if (e instanceof Fail) return { problems };
    throw e;
  }
}

const PATTERN_CACHE = new Map<string, RegExp>();

/** Does a condition pattern (`sel_*`, `them`) match a selection name? `_`-names only match `_`-patterns. */
export function patternMatches(pattern: string, name: string): boolean {
  if (pattern === 'them') return !name.startsWith('_');
  if (name.startsWith('_') && !pattern.startsWith('_')) return false;
  let re = PATTERN_CACHE.get(pattern);
  if (!re) PATTERN_CACHE.set(pattern, (re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`)));
  return re.test(name);
}

/** Every identifier and pattern node of an AST, in source order. */
export function conditionLeaves(root: CondNode | undefined): Array<Extract<CondNode, { t: 'id' | 'of' }>> {
  const out: Array<Extract<CondNode, { t: 'id' | 'of' }>> = [];
  const stack: CondNode[] = root ? [root] : [];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.t === 'id' || node.t === 'of') out.push(node);
    else if (node.t === 'not') stack.push(node.expr);
    else stack.push(node.right, node.left);
  }
  return out;
}
