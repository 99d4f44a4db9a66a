// Which fixes become suggestion blocks (all their lines added by the pull request, one per line
// range) and what the block holds; the added lines of a GitHub patch; the review against a local
// recording GitHub, posted once.
import { addedLines, planSuggestions, postSuggestions } from '../../src/github/suggestions';
import { createGitHubClient } from '../../src/github/api';
import type { Finding } from '../../src/core/types';
import { FILE, findingsOf, rule } from '../fix/helpers';
import { startFakeGitHub } from './helpers/fake-github';

const text = rule([
  '  MITRE ATT&CK:',
  '    - TA0005:T1562.001 # Impair Defenses: Disable or Modify Tools',
  '    - TA0112:T1685',
  '    - TA0005:T1562.008 # see ``` note',
]);
const findings = findingsOf(text).map((f) => ({ ...f, severity: 'error' }) as Finding);
const read = (file: string) => (file === FILE ? text : undefined);

test('addedLines reads the new-side numbers of + lines in a GitHub patch', () => {
  const patch = '@@ -1,3 +1,4 @@\n a\n-b\n+B\n+C\n c\n@@ -10,2 +11,2 @@\n x\n-y\n+Y\n\\ No newline at end of file';
  expect([...addedLines(patch)]).toEqual([2, 3, 12]);
});

test('only fixes whose every line the pull request added become suggestions; a removed line is an empty block', () => {
  const { suggestions, outside } = planSuggestions(findings, new Map([[FILE, new Set([9, 10])]]), read);
  expect(suggestions.map((s) => [s.path, s.line, s.startLine])).toEqual([[FILE, 9, undefined]]);
  expect(suggestions[0].body).toBe(
    '**RuleGate** `mitre/revoked`: Remove "TA0005:T1562.001": the list already has "TA0112:T1685".\n\n```suggestion\n```\n<!-- rulegate:suggestion -->',
  );
  expect(outside.map((f) => f.line)).toEqual([11]);
  expect(planSuggestions(findings, new Map(), read).outside).toHaveLength(2);
});

test('a suggestion holds the whole fixed line; backticks in the line get a longer fence', () => {
  const { suggestions } = planSuggestions(findings, new Map([[FILE, new Set([11])]]), read);
  expect(suggestions.map((s) => s.line)).toEqual([11]);
  expect(suggestions[0].body).toContain('\n````suggestion\n    - TA0112:T1685.002 # see ``` note\n````\n');
});

test('the review is posted once: a second call with the same suggestions posts nothing', async () => {
  const gh = await startFakeGitHub();
  try {
    const api = createGitHubClient('t', gh.url, { timeScale: 0.01, log: () => {} });
    const { suggestions } = planSuggestions(findings, new Map([[FILE, new Set([9, 11])]]), read);
    const first = await postSuggestions(api, { owner: 'acme', repo: 'det' }, 7, 'abc123', suggestions);
    expect(first).toMatchObject({ status: 'created', posted: 2, alreadyPosted: 0 });
    const second = await postSuggestions(api, { owner: 'acme', repo: 'det' }, 7, 'abc123', suggestions);
    expect(second).toMatchObject({ status: 'unchanged', posted: 0, alreadyPosted: 2 });
    expect(gh.writes().map((q) => `${q.method} ${q.path}`)).toEqual(['POST /repos/acme/det/pulls/7/reviews']);
    gh.state.deny.reviews = true;
    const changedText = suggestions.map((x) => ({ ...x, body: `${x.body} ` }));
    expect(await postSuggestions(api, { owner: 'acme', repo: 'det' }, 7, 'abc123', changedText)).toMatchObject({ status: 'forbidden', posted: 0 });
  } finally {
    await gh.close();
  }
});
