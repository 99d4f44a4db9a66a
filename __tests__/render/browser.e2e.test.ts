// The pull-request comment as a reviewer sees it: a real run (dist/index.js, two new problems on a base
// with four), its sticky comment rendered as GitHub renders Markdown (markdown-it with raw HTML, a small
// GitHub-like stylesheet) in Chromium from the Debian packages, to PNG. The first screen must hold the
// headline and the first new problem. UPDATE_DOCS=1 also writes the README's example (docs/comment.png).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { renderGfm } from '../helpers/gfm';
import { startFakeGitHub } from '../github/helpers/fake-github';
import { cleanupRepos, DIST, makeRepo, PACK, pullFiles, runAction, SLOW_RUN_TIMEOUT_MS } from '../github/helpers/scenario';

const CHROMIUM = process.env.RULEGATE_CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const CSS = `
body { font-family: -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; font-size: 14px; line-height: 1.5;
  color: #1f2328; background: #fff; margin: 0; padding: 16px; width: 880px; }
.comment { border: 1px solid #d1d9e0; border-radius: 6px; padding: 16px; }
h3 { font-size: 1.25em; margin: 0 0 16px; } h4 { font-size: 1em; margin: 16px 0 8px; }
a { color: #0969da; text-decoration: none; } code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 85%;
  background: rgba(129,139,152,.12); border-radius: 6px; padding: .2em .4em; }
ul { padding-left: 2em; margin: 0 0 16px; } p { margin: 0 0 16px; }
details summary { cursor: pointer; } pre { background: #f6f8fa; border-radius: 6px; padding: 12px; font-size: 85%; overflow: auto; }
blockquote { margin: 0 0 16px; padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; } sub { color: #59636e; }
table { border-collapse: collapse; } td, th { border: 1px solid #d1d9e0; padding: 6px 13px; }`;

const describeBrowser = fs.existsSync(DIST) && fs.existsSync(CHROMIUM) ? describe : describe.skip;
afterAll(() => cleanupRepos());

describeBrowser('the sticky comment in a browser', () => {
  test('the first screen (800 px) holds the headline and the first new problem', async () => {
    const gh = await startFakeGitHub();
    let body: string;
    try {
      const base = {
        ...PACK,
        'packs/acme.yml': PACK['packs/acme.yml'] + '    - Acme.Gone.One\n    - Acme.Gone.Two\n',
        'rules/aws/root_login.yml': PACK['rules/aws/root_login.yml'].replace('    - TA0001:T1078\n', '    - TA0001:T1078\n    - TA0001:T9999\n    - TA0040:T1078\n'),
      };
      const repo = makeRepo({
        base,
        change: {
          'rules/aws/root_login.yml': base['rules/aws/root_login.yml']
            .replace('    - TA0040:T1078\n', '    - TA0040:T1078\n    - TA0002:T8888\n')
            .concat('  - Name: root API call\n    ExpectedResult: true\n    Log: {eventName: GetObject, userIdentity: {type: Root}}\n'),
        },
      });
      gh.state.prFiles.set(7, pullFiles(repo));
      const r = await runAction(repo, { apiUrl: gh.url, timeoutMs: SLOW_RUN_TIMEOUT_MS });
      expect(r.code).toBe(1);
      body = gh.state.comments.get(7)![0].body;
    } finally {
      await gh.close();
    }
    const html = `<!doctype html><meta charset="utf-8"><style>${CSS}</style><div class="comment">${renderGfm(body)}</div>`;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    try {
      const page = await browser.newPage({ viewport: { width: 912, height: 800 } });
      await page.setContent(html);
      const headline = page.locator('h3').first();
      await expect(headline.textContent()).resolves.toBe('❌ RuleGate: 2 new problems (4 already on main)');
      const firstNew = page.locator('h4:has-text("New problems") ~ ul li').first();
      await expect(firstNew.textContent()).resolves.toMatch(/T8888|root API call/);
      for (const el of [headline, firstNew]) {
        const box = await el.boundingBox();
        expect(box).not.toBeNull();
        expect(box!.y + box!.height).toBeLessThanOrEqual(800);
      }
      // The problems already on main are collapsed: their text is not visible.
      await expect(page.locator('details summary', { hasText: '4 problems already on main' }).isVisible()).resolves.toBe(true);
      await expect(page.locator('li', { hasText: 'T9999' }).first().isVisible()).resolves.toBe(false);
      const png = await page.screenshot({ fullPage: false });
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      fs.writeFileSync(path.join(os.tmpdir(), 'rulegate-comment.png'), png);
      if (process.env.UPDATE_DOCS === '1') fs.writeFileSync(path.join(__dirname, '..', '..', 'docs', 'comment.png'), png);
    } finally {
      await browser.close();
    }
  });
});
