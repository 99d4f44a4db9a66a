// Pagination against GitHub-like and naive list servers.
import * as http from 'http';
import type { AddressInfo } from 'net';
import { GitHubApi } from '../../src/github/api';

type Handler = (page: number, per: number) => { body: unknown; link?: string };

async function serve(handler: Handler): Promise<{ url: string; pages: number[]; close: () => Promise<void> }> {
  const pages: number[] = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const page = Number(u.searchParams.get('page') ?? 1);
    pages.push(page);
    const { body, link } = handler(page, Number(u.searchParams.get('per_page') ?? 30));
    res.writeHead(200, { 'content-type': 'application/json', ...(link ? { link } : {}) });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, pages, close: () => new Promise((r) => server.close(() => r())) };
}

const list = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ filename: `f${from + i}` }));

describe('GitHubApi.paginate', () => {
  test('follows Link rel="next" and stops at the last page, whatever the page sizes', async () => {
    const s = await serve((page) => ({ body: list(page < 3 ? 100 : 7, (page - 1) * 100), link: page < 3 ? `<http://x?page=${page + 1}>; rel="next"` : '<http://x?page=1>; rel="first"' }));
    const r = await new GitHubApi('t', s.url).paginate('/l');
    await s.close();
    expect(r.items).toHaveLength(207);
    expect(r.truncated).toBe(false);
    expect(s.pages).toEqual([1, 2, 3]);
  });

  test('without Link headers: a short page ends the list; exactly 100 asks once more', async () => {
    const s = await serve((page) => ({ body: page === 1 ? list(100) : [] }));
    const r = await new GitHubApi('t', s.url).paginate('/l');
    await s.close();
    expect(r.items).toHaveLength(100);
    expect(s.pages).toEqual([1, 2]);
  });

  test('a server that ignores paging (the whole list on every page) is read once', async () => {
    const whole = await serve(() => ({ body: list(250) }));
    const a = await new GitHubApi('t', whole.url).paginate('/l', 30);
    await whole.close();
    expect(a.items).toHaveLength(250);
    expect(a.truncated).toBe(false);
    expect(whole.pages).toEqual([1]);
    // …also when that list happens to be exactly one page long.
    const same = await serve(() => ({ body: list(100) }));
    const b = await new GitHubApi('t', same.url).paginate('/l', 30);
    await same.close();
    expect(b.items).toHaveLength(100);
    expect(same.pages).toEqual([1, 2]);
  });

  test('maxPages reached with more to come: truncated', async () => {
    const s = await serve((page) => ({ body: list(100, (page - 1) * 100), link: `<http://x?page=${page + 1}>; rel="next"` }));
    const r = await new GitHubApi('t', s.url).paginate('/l', 3);
    await s.close();
    expect(r.items).toHaveLength(300);
    expect(r.truncated).toBe(true);
  });
});
