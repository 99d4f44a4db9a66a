// A small GitHub REST client: the few endpoints RuleGate calls, against GITHUB_API_URL (GitHub
// Enterprise Server and local test servers alike). @actions/http-client honours the runner's proxy
// settings (https_proxy, no_proxy).
import { HttpClient } from '@actions/http-client';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly route: string,
    detail: string,
  ) {
    super(`GitHub API ${method} ${route} answered ${status}${detail ? `: ${detail}` : ''}`);
    this.name = 'ApiError';
  }
  /** The token may not do this: fork pull requests, read-only tokens, missing permissions. */
  get forbidden(): boolean {
    return this.status === 401 || this.status === 403 || this.status === 404;
  }
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  headers: Record<string, string | string[] | undefined>;
}

export class GitHubApi {
  private readonly http: HttpClient;
  readonly baseUrl: string;

  constructor(
    private readonly token: string,
    baseUrl: string = process.env.GITHUB_API_URL || 'https://api.github.com',
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.http = new HttpClient('rulegate', [], { socketTimeout: 30_000, allowRetries: true, maxRetries: 2 });
  }

  async request<T = unknown>(method: string, route: string, body?: unknown): Promise<ApiResponse<T>> {
    const url = route.startsWith('http') ? route : `${this.baseUrl}${route}`;
    const headers: Record<string, string> = {
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      authorization: `Bearer ${this.token}`,
    };
    let data: string | null = null;
    if (body !== undefined) {
      data = JSON.stringify(body);
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    const res = await this.http.request(method, url, data, headers);
    const status = res.message.statusCode ?? 0;
    const text = await res.readBody();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (status < 200 || status >= 300) {
      const detail = parsed && typeof parsed === 'object' && 'message' in parsed ? String((parsed as { message: unknown }).message) : String(text).slice(0, 200);
      throw new ApiError(status, method, route.replace(/\?.*$/, ''), detail);
    }
    return { status, data: parsed as T, headers: res.message.headers };
  }

  /**
   * GET a list endpoint page by page (per_page=100) up to `maxPages`. Follows GitHub's `Link: rel="next"`
   * when the server sends Link headers; otherwise stops at a short page. A server that ignores paging
   * (a page longer than asked, or the same page again) is taken at its word: its list is the whole list.
   */
  async paginate<T>(route: string, maxPages = 100): Promise<{ items: T[]; truncated: boolean }> {
    const PER_PAGE = 100;
    const items: T[] = [];
    const sep = route.includes('?') ? '&' : '?';
    let previous: string | undefined;
    for (let page = 1; page <= maxPages; page++) {
      const res = await this.request<T[]>('GET', `${route}${sep}per_page=${PER_PAGE}&page=${page}`);
      const list = Array.isArray(res.data) ? res.data : [];
      const first = list.length ? JSON.stringify(list[0]) : undefined;
      if (page > 1 && first !== undefined && first === previous) return { items, truncated: false };
      previous = first;
      items.push(...list);
      const link = res.headers?.link;
      const linkText = Array.isArray(link) ? link.join(',') : link;
      if (typeof linkText === 'string' && linkText) {
        if (!/rel="?next"?/.test(linkText) || !list.length) return { items, truncated: false };
      } else if (list.length !== PER_PAGE) return { items, truncated: false };
    }
    return { items, truncated: true };
  }
}
