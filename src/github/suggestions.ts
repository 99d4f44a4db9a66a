// Fixes on a pull request: for fixable findings on lines the pull request changed, ONE review with a
// GitHub suggestion block per fix (a reviewer applies it with one click); suggestions already posted
// on the same line with the same text are not posted again. Every other fix goes into a patch file
// that `git apply` accepts. Needs `pull-requests: write`; a token that may not review is skipped quietly.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Finding, Fix } from '../core/types';
import { applyFixes } from '../fix/edits';
import { patchForFindings, readRepoFile } from '../fix/patch';
import { escapeText } from '../render/markdown';
import { describeApiError, isForbidden, type GitHubClient } from './api';
import type { RepoRef } from './event';
import type { SuggestionsMode } from './inputs';


/** At most this many suggestions in one review; the rest go into the patch. */
export const MAX_SUGGESTIONS = 50;
const MARKER = '<!-- rulegate:suggestion -->';

/** New-side line numbers of added lines in a unified diff of one file (GitHub's `patch` field). */
export function addedLines(patch: string): Set<number> {
  const lines = new Set<number>();
  let n = 0;
  for (const l of patch.split('\n')) {
    const h = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(l);
    if (h) n = Number(h[1]);
    else if (n === 0 || l.startsWith('\\')) continue;
    else if (l.startsWith('+')) lines.add(n++);
    else if (l.startsWith('-')) continue;
    else n++;
  }
  return lines;
}

/** Added lines per file from `git diff -U0 base...head` (the API's patches are used when GitHub sends them). */
export function gitAddedLines(gitDir: string, base: string, head: string): Map<string, Set<number>> | undefined {
  if (!/^[0-9a-f]{4,64}$/i.test(base) || !/^[0-9a-f]{4,64}$/i.test(head)) return undefined;
  let out: string;
  try {
    out = execFileSync('git', ['-c', 'core.quotePath=false', 'diff', '-U0', '--no-renames', '--no-color', `${base}...${head}`], {
      cwd: gitDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch {
    return undefined;
  }
  const map = new Map<string, Set<number>>();
  let chunk: string[] = [];
  let file: string | undefined;
  const flush = () => {
    if (file) map.set(file, addedLines(chunk.join('\n')));
    chunk = [];
  };
  for (const l of out.split('\n')) {
    if (l.startsWith('diff --git ')) {
      flush();
      file = undefined;
    } else if (l.startsWith('+++ ')) file = l === '+++ /dev/null' ? undefined : l.slice(4).replace(/^b\//, '');
    else chunk.push(l);
  }
  flush();
  return map;
}

export interface Suggestion {
  path: string;
  /** Last line of the replaced range (GitHub's `line`), and its first when it spans several. */
  line: number;
  startLine?: number;
  body: string;
  fixes: Fix[];
}

/** The lines [from, to] (1-based) of `text`, as offsets: start of `from`, end of `to` before its line break. */
function lineRange(text: string, from: number, to: number): [number, number] | undefined {
  let start = 0;
  for (let l = 1; l < from; l++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return undefined;
    start = nl + 1;
  }
  let end = start;
  for (let l = from; l <= to; l++) {
    const nl = text.indexOf('\n', end);
    end = nl < 0 ? text.length : nl + (l < to ? 1 : 0);
    if (nl < 0 && l < to) return undefined;
  }
  if (text[end - 1] === '\r') end--;
  return [start, end];
}

/** Lines a fix touches: a removed line break at column 1 of the end line does not touch that line. */
function fixLines(fix: Fix): [number, number] {
  let from = Infinity;
  let to = 0;
  for (const e of fix.edits) {
    from = Math.min(from, e.startLine);
    to = Math.max(to, e.endColumn === 1 && e.endLine > e.startLine ? e.endLine - 1 : e.endLine);
  }
  return [from, to];
}

function fence(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((s) => s.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * Splits fixable findings into suggestions (every line they touch was added by the pull request,
 * one suggestion per line range) and the rest. `read` gives a file's text (after a BOM).
 */
export function planSuggestions(
  findings: readonly Finding[],
  added: ReadonlyMap<string, ReadonlySet<number>>,
  read: (file: string) => string | undefined,
  max = MAX_SUGGESTIONS,
): { suggestions: Suggestion[]; outside: Finding[] } {
  const suggestions: Suggestion[] = [];
  const outside: Finding[] = [];
  const taken = new Map<string, Array<[number, number]>>();
  const texts = new Map<string, string | undefined>();
  for (const f of findings) {
    if (!f.fix) continue;
    const fix = f.fix;
    const lines = added.get(f.file);
    const [from, to] = fixLines(fix);
    const inDiff = !!lines && fix.edits.every((e) => e.file === f.file) && Array.from({ length: to - from + 1 }, (_, i) => from + i).every((l) => lines.has(l));
    const spans = taken.get(f.file) ?? [];
    if (!inDiff || suggestions.length >= max || spans.some(([a, b]) => from <= b && a <= to)) {
      outside.push(f);
      continue;
    }
    if (!texts.has(f.file)) texts.set(f.file, read(f.file));
    const text = texts.get(f.file);
    const range = text === undefined ? undefined : lineRange(text, from, to);
    const applied = text === undefined ? undefined : applyFixes(text, [fix]);
    if (!range || !applied || applied.applied.length !== 1) {
      outside.push(f);
      continue;
    }
    // the same range in the fixed text: everything before it is unchanged, the rest moved by delta
    const delta = applied.text.length - text!.length;
    let after = range[1] + delta >= range[0] ? applied.text.slice(range[0], range[1] + delta) : '';
    if (after.endsWith('\r')) after = after.slice(0, -1);
    const removesLines = fix.edits.some((e) => e.replacement === '' && e.endColumn === 1 && e.endLine > e.startLine) && after.trim() === '';
    const content = removesLines ? '' : after.replace(/\r\n/g, '\n');
    const f3 = fence(content);
    const body = `**RuleGate** \`${f.code}\`: ${escapeText(fix.description)}.\n\n${f3}suggestion\n${content}${content ? '\n' : ''}${f3}\n${MARKER}`;
    spans.push([from, to]);
    taken.set(f.file, spans);
    suggestions.push({ path: f.file, line: to, ...(to > from ? { startLine: from } : {}), body, fixes: [fix] });
  }
  return { suggestions, outside };
}

interface ReviewComment {
  path?: string;
  line?: number | null;
  original_line?: number | null;
  body?: string;
}

export interface SuggestionsResult {
  status: 'created' | 'unchanged' | 'skipped' | 'forbidden' | 'failed';
  posted: number;
  /** Suggestions already on the pull request (same file, line and text). */
  alreadyPosted: number;
  reason?: string;
  reviewId?: number;
}

/** Posts one review holding every suggestion not already on the pull request. */
export async function postSuggestions(
  api: GitHubClient,
  repo: RepoRef,
  pr: number,
  headSha: string,
  suggestions: Suggestion[],
): Promise<SuggestionsResult> {
  if (suggestions.length === 0) return { status: 'skipped', posted: 0, alreadyPosted: 0, reason: 'no fix on a changed line' };
  const where = { owner: repo.owner, repo: repo.repo, pull_number: pr };
  try {
    const items = (await api.paginate(api.rest.pulls.listReviewComments, { ...where, per_page: 100 })) as ReviewComment[];
    const seen = new Set(items.filter((c) => c && typeof c.body === 'string').map((c) => `${c.path}\0${c.line ?? c.original_line}\0${c.body}`));
    const fresh = suggestions.filter((s) => !seen.has(`${s.path}\0${s.line}\0${s.body}`));
    const alreadyPosted = suggestions.length - fresh.length;
    if (fresh.length === 0) return { status: 'unchanged', posted: 0, alreadyPosted };
    const n = fresh.length;
    const res = await api.rest.pulls.createReview({
      ...where,
      commit_id: headSha,
      event: 'COMMENT',
      body: `RuleGate can fix ${n} ${n === 1 ? 'finding' : 'findings'} on lines this pull request changed: apply ${n === 1 ? 'the suggestion' : 'each suggestion'} with one click, or run \`rulegate fix\` locally.`,
      comments: fresh.map((s) => ({ path: s.path, line: s.line, side: 'RIGHT' as const, ...(s.startLine ? { start_line: s.startLine, start_side: 'RIGHT' as const } : {}), body: s.body })),
    });
    return { status: 'created', posted: n, alreadyPosted, reviewId: res.data?.id };
  } catch (e) {
    if (isForbidden(e))
      return { status: 'forbidden', posted: 0, alreadyPosted: 0, reason: `the token may not review (HTTP ${(e as { status?: number }).status}; fork pull requests and tokens without \`pull-requests: write\` cannot)` };
    return { status: 'failed', posted: 0, alreadyPosted: 0, reason: describeApiError(e) };
  }
}

export interface OfferOptions {
  mode: SuggestionsMode;
  api?: GitHubClient;
  repository?: RepoRef;
  pullRequest?: number;
  headSha?: string;
  /** Added lines per file of the pull request; undefined off pull requests. */
  added?: ReadonlyMap<string, ReadonlySet<number>>;
  repoRoot: string;
  /** Where the patch of the other fixes goes. */
  patchPath: string;
  info: (line: string) => void;
}

export interface OfferResult {
  suggestions: SuggestionsResult;
  /** The patch file written, when any fix was left for it. */
  patchFile?: string;
  patchFixes: number;
}

/** Suggestions for fixes on changed lines (one review), a patch file for the rest. */
export async function offerFixes(findings: readonly Finding[], o: OfferOptions): Promise<OfferResult> {
  const fixable = findings.filter((f) => f.fix);
  let suggestions: SuggestionsResult = { status: 'skipped', posted: 0, alreadyPosted: 0 };
  let forPatch: readonly Finding[] = fixable;
  if (fixable.length === 0) suggestions.reason = 'nothing fixable';
  else if (o.mode === 'never') suggestions.reason = 'suggestions: never';
  else if (!o.api) suggestions.reason = 'no github-token';
  else if (!o.repository || !o.pullRequest || !o.headSha || !o.added) suggestions.reason = 'not a pull request';
  else {
    const plan = planSuggestions(fixable, o.added, (file) => readRepoFile(o.repoRoot, file));
    suggestions = await postSuggestions(o.api, o.repository, o.pullRequest, o.headSha, plan.suggestions);
    // suggestions that reached the pull request are not repeated in the patch
    if (suggestions.status === 'created' || suggestions.status === 'unchanged' || suggestions.status === 'skipped') forPatch = plan.outside;
    const s = suggestions;
    if (s.status === 'created') o.info(`Fix suggestions: one review with ${s.posted} ${s.posted === 1 ? 'suggestion' : 'suggestions'}${s.alreadyPosted ? ` (${s.alreadyPosted} already posted)` : ''}.`);
    else if (s.status === 'unchanged') o.info(`Fix suggestions: all ${s.alreadyPosted} already posted on the pull request.`);
    else if (s.reason) o.info(`Fix suggestions not posted: ${s.reason}`);
  }
  if (forPatch.length === 0) return { suggestions, patchFixes: 0 };
  const patch = patchForFindings(forPatch, o.repoRoot);
  if (!patch.patch) return { suggestions, patchFixes: 0 };
  fs.mkdirSync(path.dirname(o.patchPath), { recursive: true });
  fs.writeFileSync(o.patchPath, patch.patch, 'utf8');
  o.info(`${patch.fixes} ${patch.fixes === 1 ? 'fix' : 'fixes'} in ${patch.files} ${patch.files === 1 ? 'file' : 'files'} written to ${o.patchPath} (git apply it, or run rulegate fix).`);
  return { suggestions, patchFile: o.patchPath, patchFixes: patch.fixes };
}
