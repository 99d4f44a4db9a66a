// The Octokit client against the recording GitHub in its trouble modes: rate limits are waited out
// within the budget and then reported as rate limits (never as missing permissions), 5xx and dropped
// connections are retried, a real 403/404 is an answer, and requests go through the runner's proxy.
import * as http from 'http';
import * as net from 'net';
import type { AddressInfo } from 'net';
import { createGitHubClient, isForbidden, isRateLimited, RateLimitError } from '../../src/github/api';
import { startFakeGitHub, type FakeGitHub, type TroubleMode } from './helpers/fake-github';

let gh: FakeGitHub;
beforeEach(async () => {
  gh = await startFakeGitHub();
});
afterEach(async () => {
  await gh.close();
});

const FAST = { timeScale: 0.01, log: () => undefined }; // retry-after: 1 waits 10 ms
const repo = { owner: 'acme', repo: 'detections' };
const createCheck = (client: ReturnType<typeof createGitHubClient>) =>
  client.rest.checks.create({ ...repo, name: 'RuleGate', head_sha: 'abc', status: 'completed', conclusion: 'success', output: { title: 't', summary: 's' } });

describe.each<TroubleMode>(['403-retry-after', '403-retry-after-only', '403-remaining-0', '429', '500', '502', 'drop'])('%s', (mode) => {
  test('twice, then the real answer: the write arrives', async () => {
    gh.state.trouble = { mode, times: 2, retryAfter: 1 };
    const waits: string[] = [];
    const res = await createCheck(createGitHubClient('t', gh.url, { ...FAST, log: (l) => waits.push(l) }));
    expect(res.status).toBe(201);
    expect(gh.requests.map((r) => r.trouble ?? 'ok')).toEqual([mode, mode, 'ok']);
    expect(gh.state.checkRuns.size).toBe(1);
    if (!['500', '502', 'drop'].includes(mode)) expect(waits).toHaveLength(2);
  });
});

test('a wait longer than the budget is not waited: the error is a rate limit, not a permission problem', async () => {
  gh.state.trouble = { mode: '429', times: 1, retryAfter: 3600 };
  const err = await createCheck(createGitHubClient('t', gh.url, FAST)).catch((e) => e);
  expect(err).toBeInstanceOf(RateLimitError);
  expect(err.message).toMatch(/^GitHub's API rate limit: POST \/repos\/acme\/detections\/check-runs answered 429 and asked to wait 3600 s/);
  expect(isRateLimited(err)).toBe(true);
  expect(isForbidden(err)).toBe(false);
  expect(gh.requests).toHaveLength(1);
});

test('the primary rate limit until an hour from now: reported as a rate limit', async () => {
  gh.state.trouble = { mode: '403-remaining-0', times: 5, resetIn: 3600 };
  const err = await createCheck(createGitHubClient('t', gh.url, FAST)).catch((e) => e);
  expect(isRateLimited(err)).toBe(true);
  expect(isForbidden(err)).toBe(false);
});

test('the budget is shared by every request of a client', async () => {
  gh.state.trouble = { mode: '429', times: 3, retryAfter: 40 }; // 40 + 40 fit in 90 s; the third does not
  const client = createGitHubClient('t', gh.url, FAST);
  const err = await createCheck(client).catch((e) => e);
  expect(err).toBeInstanceOf(RateLimitError);
  expect(gh.requests).toHaveLength(3);
});

test('a real 403 and 404 are answers: no retry, forbidden', async () => {
  gh.state.deny = { checks: true };
  const client = createGitHubClient('t', gh.url, FAST);
  const denied = await createCheck(client).catch((e) => e);
  expect(isForbidden(denied)).toBe(true);
  expect(isRateLimited(denied)).toBe(false);
  const missing = await client.rest.issues.updateComment({ ...repo, comment_id: 999, body: 'x' }).catch((e) => e);
  expect(missing.status).toBe(404);
  expect(isForbidden(missing)).toBe(true);
  expect(gh.requests).toHaveLength(2);
});

test('paginate follows Link headers; a server that ignores paging is read once', async () => {
  gh.state.comments.set(5, Array.from({ length: 250 }, (_, i) => ({ id: i + 1, body: `c${i}`, user: { login: 'u', type: 'User' }, html_url: '' })));
  const client = createGitHubClient('t', gh.url, FAST);
  const all = await client.paginate(client.rest.issues.listComments, { ...repo, issue_number: 5, per_page: 100 });
  expect(all).toHaveLength(250);
  expect(gh.requests.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
  gh.state.paging = 'none';
  gh.requests.length = 0;
  expect(await client.paginate(client.rest.issues.listComments, { ...repo, issue_number: 5, per_page: 100 })).toHaveLength(250);
  expect(gh.requests).toHaveLength(1);
});

test('requests go through the runner proxy (https_proxy / http_proxy) to GITHUB_API_URL', async () => {
  // A CONNECT proxy on 127.0.0.1 that records where it was asked to go and tunnels to the fake GitHub.
  const asked: string[] = [];
  const proxy = http.createServer();
  proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    asked.push(String(req.url));
    const port = Number(new URL(gh.url).port);
    const upstream = net.connect(port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const saved = { http_proxy: process.env.http_proxy, no_proxy: process.env.no_proxy };
  process.env.http_proxy = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  delete process.env.no_proxy;
  try {
    // A host name the proxy resolves (loopback addresses bypass proxies by design).
    const res = await createCheck(createGitHubClient('t', 'http://api.github.internal:80/', FAST));
    expect(res.status).toBe(201);
    expect(asked).toEqual(['api.github.internal:80']);
    expect(gh.requests[0].path).toBe('/repos/acme/detections/check-runs');
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    await new Promise<void>((r) => proxy.close(() => r()));
  }
});
