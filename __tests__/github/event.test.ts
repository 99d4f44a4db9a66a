import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readEventContext } from '../../src/github/event';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-event-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function ctx(eventName: string, payload: unknown, extra: Record<string, string> = {}) {
  const file = path.join(dir, `${eventName}-${Math.random()}.json`);
  fs.writeFileSync(file, JSON.stringify(payload));
  return readEventContext({ GITHUB_EVENT_NAME: eventName, GITHUB_EVENT_PATH: file, GITHUB_REPOSITORY: 'acme/det', GITHUB_SHA: 'merge', ...extra });
}

const pr = (headRepo: string | null) => ({
  repository: { full_name: 'acme/det' },
  pull_request: { number: 3, head: { sha: 'headsha', repo: headRepo ? { full_name: headRepo } : null }, base: { sha: 'basesha' } },
});

test('pull_request: results belong to the head SHA, not GITHUB_SHA (the merge commit)', () => {
  const c = ctx('pull_request', pr('forker/det'), { GITHUB_SERVER_URL: 'https://ghe.example.com/', GITHUB_RUN_ID: '9' });
  expect(c).toMatchObject({
    sha: 'merge',
    headSha: 'headsha',
    baseSha: 'basesha',
    pullRequest: { number: 3, headSha: 'headsha', baseSha: 'basesha', headRepo: 'forker/det' },
    repository: { owner: 'acme', repo: 'det' },
    runUrl: 'https://ghe.example.com/acme/det/actions/runs/9',
  });
  // A fork on pull_request is read-only and secret-free: safe to run.
  expect(c.untrustedFork).toBeUndefined();
});

test('pull_request_target from a fork (or a deleted fork) is untrusted; from the same repository it is not', () => {
  expect(ctx('pull_request_target', pr('forker/det')).untrustedFork).toEqual({ eventName: 'pull_request_target', headRepo: 'forker/det' });
  expect(ctx('pull_request_target', pr(null)).untrustedFork).toEqual({ eventName: 'pull_request_target', headRepo: '(deleted fork)' });
  expect(ctx('pull_request_target', pr('ACME/det')).untrustedFork).toBeUndefined();
});

test('push: before/after; a new branch (before = 0000…) has no base', () => {
  expect(ctx('push', { before: 'aaa', after: 'bbb' })).toMatchObject({ headSha: 'bbb', baseSha: 'aaa' });
  expect(ctx('push', { before: '0000000000000000000000000000000000000000', after: 'bbb' }).baseSha).toBeUndefined();
});

test('a missing payload file is a clear error', () => {
  expect(() => readEventContext({ GITHUB_EVENT_PATH: path.join(dir, 'nope.json') })).toThrow('cannot read the event payload GITHUB_EVENT_PATH=');
});
