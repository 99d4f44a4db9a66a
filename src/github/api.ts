// GitHub's REST API through Octokit, as GitHub's own actions call it: @actions/github's client (REST
// methods, paginate; GITHUB_API_URL for GitHub Enterprise Server and local test servers; the runner's
// proxy settings through @actions/http-client) with @octokit/plugin-throttling (pacing of writes, rate
// limits) and @octokit/plugin-retry (5xx and network errors, with back-off).
//
// What the plugins leave to us: throttling only recognises a 403 that says "secondary rate limit" or has
// `x-ratelimit-remaining: 0`; GitHub (and proxies in front of GHES) also answer 429, or 403 with just a
// `retry-after`. `rateLimitWaits` waits those out too. Every wait comes out of one budget per client;
// past it the request fails as a RateLimitError, which the publisher reports as a rate limit, never as a
// missing permission.
import { GitHub } from '@actions/github/lib/utils';
import { getProxyAgent, getProxyFetch } from '@actions/github/lib/internal/utils';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { Octokit } from '@octokit/core';
import type BottleneckType from 'bottleneck';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Bottleneck: typeof BottleneckType = require('bottleneck/light');

/** Longest total wait for rate limits per run, in seconds: a check run is worth a minute, not an hour. */
export const RATE_LIMIT_BUDGET_SECONDS = 90;

const Client = GitHub.plugin(throttling, retry);
export type GitHubClient = InstanceType<typeof Client>;

export class RateLimitError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterSeconds: number,
    readonly route: string,
  ) {
    super(
      `GitHub's API rate limit: ${route} answered ${status} and asked to wait ${retryAfterSeconds} s, more than is left of RuleGate's ` +
        `${RATE_LIMIT_BUDGET_SECONDS} s budget for waiting; it was not retried`,
    );
    this.name = 'RateLimitError';
  }
}

interface HttpError extends Error {
  status?: number;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
  request?: { method?: string; url?: string };
}

/** How to wait: `timeScale` shortens every wait and the write pacing (tests only, via RULEGATE_API_TIME_SCALE). */
export interface ClientOptions {
  budgetSeconds?: number;
  timeScale?: number;
  /** Where waits are logged (default: the log, as core.info writes it). */
  log?: (line: string) => void;
  /** Environment for RULEGATE_API_TIME_SCALE (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export function createGitHubClient(token: string, baseUrl: string, options: ClientOptions = {}): GitHubClient {
  const url = baseUrl.replace(/\/+$/, '');
  const scale = options.timeScale ?? timeScaleFromEnv(options.env ?? process.env);
  const budget = { left: options.budgetSeconds ?? RATE_LIMIT_BUDGET_SECONDS };
  const log = options.log ?? ((line: string) => void process.stdout.write(line + '\n'));
  /** Whether to wait `seconds` (and take them from the budget). */
  const mayWait = (seconds: number, what: string, route: string): boolean => {
    if (seconds > budget.left) return false;
    budget.left -= seconds;
    log(`GitHub ${what} on ${route}: waiting ${seconds} s before retrying.`);
    return true;
  };
  // The plugin retries when its handler returns true (its types say void).
  const onLimit = (kind: string) => (retryAfter: number, o: { method?: string; url?: string }) => mayWait(retryAfter, kind, `${o.method} ${o.url}`);
  const octokit = new Client({
    auth: `token ${token}`,
    baseUrl: url,
    userAgent: 'rulegate',
    // The proxy decision (https_proxy, no_proxy) for this API's host, not for the one @actions/github saw at load.
    request: { agent: getProxyAgent(url), fetch: getProxyFetch(url) },
    throttle: {
      onRateLimit: onLimit('rate limit'),
      onSecondaryRateLimit: onLimit('secondary rate limit'),
      retryAfterBaseValue: 1000 * scale,
      fallbackSecondaryRateRetryAfter: 60,
      // Own pacing groups (the plugin's defaults are shared module-wide): GitHub asks for a second between writes.
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 1000 * scale }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 3000 * scale }),
    },
    // 5xx and network errors (which Octokit reports as 500): 3 retries after 1, 4 and 9 s. Rate limits are not
    // the retry plugin's business (it would ignore retry-after); 403/404 are answers, not accidents.
    retry: { retries: 3, retryAfterBaseValue: 1000 * scale, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
  });
  rateLimitWaits(octokit, mayWait, scale);
  return octokit;
}

/** The rate-limit answers throttling does not recognise (429; 403 with only `retry-after`), waited out within the budget. */
function rateLimitWaits(octokit: Octokit, mayWait: (s: number, what: string, route: string) => boolean, scale: number): void {
  octokit.hook.wrap('request', async (request, options) => {
    for (;;) {
      try {
        return await request(options);
      } catch (e) {
        const err = e as HttpError;
        if (!isRateLimited(err)) throw e;
        const route = routeOf(err, options);
        const seconds = retryAfterSeconds(err);
        if (!mayWait(seconds, err.status === 429 ? 'rate limit (429)' : 'rate limit', route)) throw new RateLimitError(err.status ?? 0, seconds, route);
        await new Promise((r) => setTimeout(r, seconds * 1000 * scale));
      }
    }
  });
}

/** `POST /repos/acme/x/check-runs`: the request as sent (the options hold the URL template). */
function routeOf(err: HttpError, options: { method?: string; url?: string }): string {
  const sent = err.request?.url ?? String(options.url);
  let path = sent;
  try {
    path = new URL(sent).pathname;
  } catch {
    /* a relative template */
  }
  return `${err.request?.method ?? options.method} ${path}`;
}

/** 429, or a 403 that is GitHub's primary or secondary rate limit rather than a missing permission. */
export function isRateLimited(e: unknown): boolean {
  const err = e as HttpError;
  if (!err || typeof err !== 'object') return false;
  if (err instanceof RateLimitError || err.status === 429) return true;
  if (err.status !== 403) return false;
  const h = err.response?.headers ?? {};
  return h['retry-after'] !== undefined || String(h['x-ratelimit-remaining']) === '0' || /\brate limit/i.test(err.message ?? '');
}

/** Seconds to wait: `retry-after`, else until `x-ratelimit-reset`, else a minute (GitHub's advice). */
function retryAfterSeconds(err: HttpError): number {
  const h = err.response?.headers ?? {};
  const after = Number(h['retry-after']);
  if (Number.isFinite(after) && after >= 0) return Math.ceil(after);
  const reset = Number(h['x-ratelimit-reset']);
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, Math.ceil(reset - Date.now() / 1000) + 1);
  return 60;
}

/** The token may not do this (fork pull requests, read-only tokens, missing permissions): 401, 403, 404 that are not rate limits. */
export function isForbidden(e: unknown): boolean {
  const status = (e as HttpError)?.status;
  return (status === 401 || status === 403 || status === 404) && !isRateLimited(e);
}

/** One line for the log: what was asked and what GitHub answered. */
export function describeApiError(e: unknown): string {
  const err = e as HttpError;
  if (err instanceof RateLimitError) return err.message;
  const req = err?.request?.method && err.request.url ? `${routeOf(err, {})} ` : '';
  // Octokit reports a network error as status 500 without a response.
  const status = typeof err?.status === 'number' && err.response ? `answered ${err.status}: ` : 'failed: ';
  return `GitHub API ${req}${status}${String(err?.message ?? e).split('\n')[0]}`;
}

/** Tests shorten waits and pacing (retry-after: 1 becomes 10 ms at 0.01); never set it in a workflow. */
function timeScaleFromEnv(env: NodeJS.ProcessEnv): number {
  const v = Number(env.RULEGATE_API_TIME_SCALE ?? '');
  return env.RULEGATE_API_TIME_SCALE && Number.isFinite(v) && v >= 0 && v <= 1 ? v : 1;
}
