// "Did you mean …?" suggestions for misspelled keys, codes and options.

export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n];
}

/** The candidate closest to `word` (case-insensitive), if it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    if (c.toLowerCase() === lower) return c;
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return bestScore <= limit ? best : undefined;
}

/** Like closest(), but only when exactly one candidate is that close (a fix may rename to it). */
export function closestUnique(word: string, candidates: readonly string[]): string | undefined {
  const best = closest(word, candidates);
  if (best === undefined) return undefined;
  const lower = word.toLowerCase();
  const exact = candidates.filter((c) => c.toLowerCase() === lower);
  if (exact.length) return exact.length === 1 ? best : undefined;
  const d = editDistance(lower, best.toLowerCase());
  return candidates.filter((c) => editDistance(lower, c.toLowerCase()) === d).length === 1 ? best : undefined;
}
