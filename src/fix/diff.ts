// Unified diffs of fixed files, in the form `git apply` accepts: `a/` and `b/` repository paths,
// three lines of context, line endings kept inside the lines (CRLF files stay CRLF), and the
// "\ No newline at end of file" marker for a last line without one.

/** Lines with their terminators; the last one may have none. */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
    lines.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Line operations turning `a` into `b`: common prefix and suffix, then an LCS of the middle. */
function lineOps(a: string[], b: string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  const n = am.length;
  const m = bm.length;
  // lcs[i][j] = LCS length of am[i..] and bm[j..]
  const lcs = new Int32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * (m + 1) + j] = am[i] === bm[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
  const ops: Op[] = a.slice(0, pre).map((line) => ({ kind: ' ', line }));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && am[i] === bm[j]) {
      ops.push({ kind: ' ', line: am[i] });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1])) {
      ops.push({ kind: '-', line: am[i++] }); // removals before additions, the usual diff look
    } else ops.push({ kind: '+', line: bm[j++] });
  }
  for (const line of a.slice(a.length - suf)) ops.push({ kind: ' ', line });
  return ops;
}

function emit(op: Op): string {
  const body = op.line.endsWith('\n') ? op.line : `${op.line}\n\\ No newline at end of file\n`;
  return op.kind + body;
}

/** A path git would quote (control characters, quotes, backslashes) cannot go into a plain diff header. */
export function diffSafePath(file: string): boolean {
  return !/[\x00-\x1f\x7f"\\]/.test(file);
}

/** A unified diff of one file (empty when nothing changed). `file` is the repository path. */
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const ops = lineOps(splitLines(before), splitLines(after));
  let out = `diff --git a/${file} b/${file}\n--- a/${file}\n+++ b/${file}\n`;
  let k = 0;
  // old/new line numbers (1-based) of ops[k]
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 1;
  let nn = 1;
  for (const op of ops) {
    oldAt.push(o);
    newAt.push(nn);
    if (op.kind !== '+') o++;
    if (op.kind !== '-') nn++;
  }
  while (k < ops.length) {
    if (ops[k].kind === ' ') {
      k++;
      continue;
    }
    // a hunk: from `context` lines before this change to `context` lines after the last change
    // that is at most 2*context lines of sameness away
    const start = Math.max(0, k - context);
    let end = k;
    let same = 0;
    for (let x = k; x < ops.length; x++) {
      if (ops[x].kind === ' ') {
        same++;
        if (same > 2 * context) break;
      } else {
        same = 0;
        end = x;
      }
    }
    const stop = Math.min(ops.length, end + 1 + context);
    const slice = ops.slice(start, stop);
    const oldCount = slice.filter((op) => op.kind !== '+').length;
    const newCount = slice.filter((op) => op.kind !== '-').length;
    const oldStart = oldCount === 0 ? oldAt[start] - 1 : oldAt[start];
    const newStart = newCount === 0 ? newAt[start] - 1 : newAt[start];
    out += `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@\n`;
    for (const op of slice) out += emit(op);
    k = stop;
  }
  return out;
}
