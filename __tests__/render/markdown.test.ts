import { renderMarkdown, escapeText, blobUrl, formatDuration, isRepoPath, COMMENT_MAX_CHARS, SUMMARY_MAX_BYTES } from '../../src/render/markdown';
import { liveMarkup, links, renderGfm } from '../helpers/gfm';
import { cleanReport, ESCAPING_FILES, finding, hostileReport, makeReport, manyFindings, ODD_FILES } from './fixtures/report';

const ctx = { repository: 'acme/detections', sha: '0123456789abcdef0123456789abcdef01234567', serverUrl: 'https://github.example.com/' };

describe('renderMarkdown', () => {
  test('heading with totals, ATT&CK version, Python, timings', () => {
    const md = renderMarkdown(makeReport(), ctx);
    expect(md.startsWith('### ❌ RuleGate: 3 errors, 1 warning, 1 of 3 tests failed\n')).toBe(true);
    expect(md).toContain('| Tests | 3 run: 2 passed, 1 failed, 1 not run |');
    expect(md).toContain('| MITRE ATT&amp;CK catalog | Enterprise 19.2 |');
    expect(md).toContain('| Python | 3.11.7 (python3, builtin) |');
    expect(md).toContain('| tests | 900 ms |');
    expect(md).toContain('| **total** | **1.2 s** |');
  });

  test('failing items grouped by file, linked to the exact line at the head SHA', () => {
    const md = renderMarkdown(makeReport(), ctx);
    const base = 'https://github.example.com/acme/detections/blob/0123456789abcdef0123456789abcdef01234567';
    expect(md).toContain(`**[\`rules/aws/root_login.yml\`](${base}/rules/aws/root_login.yml)**`);
    expect(md).toContain(
      `- ❌ [line 14](${base}/rules/aws/root_login.yml#L14) \`mitre/unknown-technique\` (AWS.Root.Login): T9999 is not a technique of ATT&amp;CK Enterprise 19.2.`,
    );
    expect(md).toContain('DedupPeriodMinutes is 0, which the backend ignores.<br>_Hint:_ Use 60.');
    // errors-first file order when nothing is marked changed: files with errors first, then by path
    const order = ['packs/aws.yml', 'rules/aws/root_login.yml', 'rules/okta/mfa_reset.yml'].map((f) => md.indexOf(`[\`${f}\`]`));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  test('changed files come first and are marked; the selection says what and why', () => {
    const report = makeReport({
      selection: {
        mode: 'changed',
        changedFiles: ['rules/okta/mfa_reset.yml', 'global_helpers/panther_base_helpers.py'],
        selected: [
          { file: 'rules/okta/mfa_reset.yml', reason: 'YAML changed' },
          { file: 'rules/aws/root_login.yml', reason: 'imports changed helper panther_base_helpers' },
        ],
      },
    });
    const md = renderMarkdown(report, ctx);
    expect(md.indexOf('rules/okta/mfa_reset.yml`](')).toBeLessThan(md.indexOf('packs/aws.yml`]('));
    expect(md).toContain('· changed in this pull request');
    expect(md).toContain('**Pull-request mode:** 2 changed files; 2 of 4 items validated and tested because of them.');
    expect(md).toContain('- `rules/aws/root_login.yml`: imports changed helper panther\\_base\\_helpers');
  });

  test('no links without repository and SHA', () => {
    const md = renderMarkdown(makeReport());
    expect(md).not.toContain('](http');
    expect(md).toContain('- ❌ line 14 `mitre/unknown-technique`');
  });

  test('all clear', () => {
    const md = renderMarkdown(cleanReport(), { ...ctx, flavor: 'comment', preamble: '<!-- rulegate:report -->' });
    expect(md.startsWith('<!-- rulegate:report -->\n\n### ✅ RuleGate: all clear — 4 items checked, 1 test passed\n')).toBe(true);
    expect(md).toContain('No errors or warnings at [`0123456`](https://github.example.com/acme/detections/commit/0123456789abcdef0123456789abcdef01234567).');
    expect(md).not.toContain('#### Problems');
  });

  test('text from rule files cannot inject HTML, links or mentions', () => {
    const md = renderMarkdown(makeReport({ findings: [finding({ message: '<img src=x onerror=alert(1)> [click](http://evil) @octocat *bold* `code`' })] }));
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt; \\[click\\](http:\u200b//evil) @\u200boctocat \\*bold\\* \\`code\\`');
    expect(md).not.toContain('<img');
  });

  describe.each(['summary', 'comment', 'check'] as const)('a hostile report renders as text (%s)', (flavor) => {
    const base = 'https://github.example.com/acme/detections/';
    const md = renderMarkdown(hostileReport(), { ...ctx, flavor, runUrl: `${base}actions/runs/1`, preamble: flavor === 'comment' ? '<!-- rulegate:report -->' : undefined });

    test('no tag, link, comment, mention, reference or autolink from the data is live', () => {
      expect(liveMarkup(md, (href) => href.startsWith(base))).toEqual([]);
      // …and the hostile text is still there to read, as text.
      expect(renderGfm(md)).toContain('&lt;img src=x onerror=alert(1)&gt;');
    });

    test('odd file names link to exactly their file; paths out of the repository are not linked', () => {
      const hrefs = links(md);
      for (const file of ODD_FILES) expect(hrefs).toContain(blobUrl('https://github.example.com', 'acme/detections', ctx.sha, file));
      const blobFiles = hrefs
        .filter((h) => h.includes('/blob/'))
        .map((h) => decodeURIComponent(new URL(h).pathname.replace(`/acme/detections/blob/${ctx.sha}/`, '')));
      for (const f of blobFiles) expect(ODD_FILES.includes(f) || f.startsWith('rules/aws/')).toBe(true);
      for (const h of hrefs) expect(new URL(h).pathname.startsWith('/acme/detections/')).toBe(true);
    });
  });

  test('comment stays under 65,536 characters and says what was left out', () => {
    const report = makeReport({ findings: [...manyFindings(3000), ...manyFindings(500, 'warning')] });
    const md = renderMarkdown(report, { ...ctx, flavor: 'comment', preamble: '<!-- rulegate:report -->' });
    expect(md.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    const m = /> (\d+) more findings \((\d+) errors, (\d+) warnings\) in (\d+) files left out to stay within GitHub’s size limit\./.exec(md)!;
    expect(m).not.toBeNull();
    const shown = (md.match(/^- (❌|⚠️) /gm) ?? []).length;
    expect(shown + Number(m[1])).toBe(3500);
    expect(Number(m[2]) + Number(m[3])).toBe(Number(m[1]));
  });

  test('job summary stays under 1 MiB (bytes, not characters)', () => {
    const big = manyFindings(20000).map((f) => ({ ...f, message: 'ü'.repeat(60) + f.message }));
    const md = renderMarkdown(makeReport({ findings: big }), ctx);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(Buffer.byteLength(md)).toBeGreaterThan(SUMMARY_MAX_BYTES - 20_000);
    expect(md).toMatch(/more findings \(\d+ errors, 0 warnings\) in \d+ files left out/);
    expect(md).toContain('See the JSON report, SARIF or JUnit file for the full list.');
    // still ends with the tail sections
    expect(md).toContain('<summary>Timings</summary>');
  });

  test('check-run flavor: no timings, run link', () => {
    const md = renderMarkdown(makeReport(), { ...ctx, flavor: 'check', runUrl: 'https://github.example.com/acme/detections/actions/runs/7' });
    expect(md).not.toContain('Timings');
    expect(md).toContain('[Workflow run](https://github.example.com/acme/detections/actions/runs/7)');
  });

  test('notices come right after the heading', () => {
    const md = renderMarkdown(makeReport(), { notices: ['> [!CAUTION]\n> refused'] });
    expect(md.split('\n\n')[1]).toBe('> [!CAUTION]\n> refused');
  });
});

test('a pull request that selects nothing says so, in the heading and the selection section', () => {
  const report = cleanReport();
  report.tests = [];
  report.summary = { ...report.summary, tests: 0, testsPassed: 0, testsFailed: 0, testsNotRun: 0 };
  report.notRun = [];
  report.selection = { mode: 'changed', changedFiles: ['README.md', 'docs/x.md'], selected: [] };
  const md = renderMarkdown(report, { flavor: 'summary' });
  expect(md).toContain('### ✅ RuleGate: nothing to check — the changes touch no analysis file and nothing one depends on');
  expect(md).toContain(
    '**Pull-request mode:** 2 changed files, none of them an analysis file or something one depends on (helper, data model, pack, configuration), so no item was validated or tested.',
  );
  expect(md).not.toContain('What was selected and why');
  // With findings (repository-wide ones), the heading counts them as usual.
  const withFindings = makeReport();
  withFindings.selection = { mode: 'changed', changedFiles: ['README.md'], selected: [] };
  expect(renderMarkdown(withFindings, { flavor: 'summary' })).toMatch(/^### ❌ RuleGate: /);
});

describe('helpers', () => {
  test('escapeText', () => {
    expect(escapeText('a_b|c\nd')).toBe('a\\_b\\|c<br>d');
    expect(escapeText('@x #1 GH-2 o/r#3 https://e.test www.e.test a@b.c')).toBe(
      '@\u200bx #\u200b1 GH\u200b-2 o/r#\u200b3 https:\u200b//e.test www\u200b.e.test a@\u200bb.c',
    );
  });
  test('isRepoPath: only plain repository-relative paths', () => {
    for (const f of ODD_FILES) expect(isRepoPath(f)).toBe(true);
    for (const f of [...ESCAPING_FILES, '', './x', 'a//b', 'a/\nb']) expect(isRepoPath(f)).toBe(false);
  });
  test('blobUrl encodes each path segment', () => {
    expect(blobUrl('https://github.com', 'o/r', 'abc', 'rules/a b/#x.yml', 3)).toBe('https://github.com/o/r/blob/abc/rules/a%20b/%23x.yml#L3');
    expect(blobUrl('https://github.com', 'o/r', 'abc', 'rules/a)b(.yml')).toBe('https://github.com/o/r/blob/abc/rules/a%29b%28.yml');
  });
  test('formatDuration', () => {
    expect([formatDuration(12.4), formatDuration(1500), formatDuration(125_000)]).toEqual(['12 ms', '1.5 s', '2 min 5 s']);
  });
});
