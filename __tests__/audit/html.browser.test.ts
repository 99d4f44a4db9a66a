// The HTML report in a real headless browser: Debian's Chromium (/usr/bin/chromium, installed by
// .ci/run) driven by playwright-core. The report comes from dist/cli.js auditing a generated pack with a
// hostile detection; the page must render offline with no console error, show one cell per layer entry,
// list a cell's detections on click, never run the pack's text as markup, and give a screenshot
// (RULEGATE_UPDATE_SCREENSHOT=1 also writes docs/audit-report.png for the README).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { writeDemoPack, HOSTILE } from './demo-pack';
import { loadAttackCatalog } from '../../src/attack';

const ROOT = path.resolve(__dirname, '..', '..');
const CHROMIUM = process.env.RULEGATE_CHROMIUM || '/usr/bin/chromium';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-html-'));
const pack = path.join(tmp, 'pack');
const html = path.join(tmp, 'audit.html');
const layerFile = path.join(tmp, 'layer.json');

let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];
const requests: string[] = [];
// The page's globals, for code that runs in the browser (this project compiles without the DOM library).
type PageWindow = { __pwned?: number; scrollTo(x: number, y: number): void; getComputedStyle(e: unknown): { backgroundColor: string } };

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install it (apt-get install -y chromium, as .ci/run does) or set RULEGATE_CHROMIUM`);
  writeDemoPack(pack);
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'audit', 'pack', '--html', html, '--navigator', layerFile, '--format', 'json', '--output', path.join(tmp, 'report.json'), '--jobs', '1'], { encoding: 'utf8', cwd: tmp });
  if (r.status !== 1) throw new Error(`audit exited ${r.status}: ${r.stderr}`); // 1: the pack has failing tests on purpose
  context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1800, height: 1100 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('request', (req) => {
    if (!req.url().startsWith('file://')) requests.push(req.url());
  });
  await page.goto('file://' + html, { waitUntil: 'load' });
}, 120_000);

afterAll(async () => {
  await context?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('renders offline with no console error and no request', async () => {
  expect(await page.title()).toContain('RuleGate audit');
  expect(consoleErrors).toEqual([]);
  expect(requests).toEqual([]);
  const source = fs.readFileSync(html, 'utf8');
  expect(source).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//i); // no external asset (file links are off without a repository)
});

test('one cell per layer entry; tactics as columns in matrix order; sub-techniques folded', async () => {
  const layer = JSON.parse(fs.readFileSync(layerFile, 'utf8'));
  expect(await page.locator('.cell').count()).toBe(layer.techniques.length);
  const catalog = loadAttackCatalog('19.2');
  const headers = await page.locator('.tactic h3').evaluateAll((hs) => hs.map((h) => h.firstChild?.textContent));
  expect(headers).toEqual([...catalog.tactics.values()].map((t) => t.name));
  // Columns side by side: each tactic starts to the right of the one before.
  const xs = await page.locator('.tactic').evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect().left));
  expect(xs).toEqual([...xs].sort((a, b) => a - b));
  expect(new Set(xs).size).toBe(xs.length);
  // Sub-technique cells are inside closed <details>: present, not visible.
  const sub = page.locator('.tactic[data-tactic="TA0006"] .cell.sub[data-technique="T1110.003"]');
  expect(await sub.isVisible()).toBe(false);
  await page.locator('.tactic[data-tactic="TA0006"] .cell[data-technique="T1110"]').locator('xpath=..').locator('summary').click();
  expect(await sub.isVisible()).toBe(true);
});

test('a cell lists its detections on hover and click; shading follows the score', async () => {
  const cell = page.locator('.tactic[data-tactic="TA0006"] .cell:not(.sub)[data-technique="T1110"]');
  expect(await cell.getAttribute('title')).toContain('Demo.Okta.PasswordSpray');
  await cell.click();
  await page.locator('#panel').waitFor({ state: 'visible' });
  expect(await page.locator('#panel-rules li').allTextContents()).toEqual(['Demo.Okta.PasswordSpray']);
  const empty = page.locator('.tactic[data-tactic="TA0007"] .cell:not(.sub)[data-technique="T1087"]');
  const bg = (l: typeof cell) => l.evaluate((e) => (globalThis as unknown as PageWindow).getComputedStyle(e).backgroundColor);
  expect(await bg(empty)).not.toBe(await bg(cell));
  await page.locator('#close').click();
  expect(await page.locator('#panel').isVisible()).toBe(false);
});

test('text from the pack is shown as text, never run', async () => {
  expect(await page.evaluate(() => (globalThis as unknown as PageWindow).__pwned)).toBeUndefined();
  expect(await page.locator('script').count()).toBe(1);
  expect(await page.locator('img, svg').count()).toBe(0);
  const body = (await page.locator('body').textContent()) ?? '';
  expect(body).toContain(HOSTILE.testName);
  expect(body).toContain(HOSTILE.id);
  expect(body).toContain(HOSTILE.logType);
  // The hostile detection's cell: clicking it lists the ID as text.
  await page.locator('.tactic[data-tactic="TA0005"] .cell:not(.sub)[data-technique="T1036"]').click();
  expect(await page.locator('#panel-rules li').allTextContents()).toEqual([HOSTILE.id]);
  expect(await page.evaluate(() => (globalThis as unknown as PageWindow).__pwned)).toBeUndefined();
});

test('a screenshot of the report', async () => {
  if (await page.locator('#panel').isVisible()) await page.locator('#close').click();
  await page.evaluate(() => (globalThis as unknown as PageWindow).scrollTo(0, 0));
  const shot = path.join(tmp, 'audit-report.png');
  await page.screenshot({ path: shot, clip: { x: 0, y: 0, width: 1800, height: 1100 } });
  const png = fs.readFileSync(shot);
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(png.length).toBeGreaterThan(20_000);
  if (process.env.RULEGATE_UPDATE_SCREENSHOT === '1') fs.copyFileSync(shot, path.join(ROOT, 'docs', 'audit-report.png'));
});

