// A stand-in for api.github.com on 127.0.0.1 (random port): the endpoints RuleGate calls, with
// GitHub's limits (50 annotations per check-run request, 65,535-character summaries, 65,536-character
// comments, 100 items per page), optional 403s, and a record of every request.
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  authorization?: string;
  /** The trouble answered instead of the real answer, if any. */
  trouble?: TroubleMode;
}

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
  html_url: string;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: Array<{ name: string }>;
  user: { login: string; type: string };
  html_url: string;
  pull_request?: unknown;
}

export interface FakeState {
  prFiles: Map<number, Array<{ filename: string; status: string; previous_filename?: string }>>;
  comments: Map<number, FakeComment[]>;
  checkRuns: Map<number, { name: string; head_sha: string; conclusion?: string; output: any; annotations: any[] }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  pulls: Array<{ number: number; head: { sha: string; label: string } }>;
  /** Pull-request reviews (POST /pulls/{n}/reviews) and their review comments, by pull request. */
  reviews: Map<number, Array<{ id: number; commit_id: string; event: string; body: string; comments: any[] }>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  reviewComments: Map<number, Array<{ id: number; path: string; line: number; start_line?: number; side: string; body: string }>>;
  deny: { checks?: boolean; comments?: boolean; files?: boolean; reviews?: boolean; issues?: boolean };
  /** Issues (and pull requests, which the issues API lists too), for the audit issue. */
  issues: FakeIssue[];
  /** A bare recording server: every write answers 201 with an empty body (no id, no html_url). */
  emptyWriteBodies?: boolean;
  /** Lists: `github` (default) pages by per_page/page and sends Link headers as GitHub does; `none` sends the whole list every time. */
  paging?: 'github' | 'none';
  /**
   * Trouble before the real answer: the next `times` requests matching `match` (default: every request) get
   * GitHub's rate-limit answers, a server error, or a dropped connection.
   */
  trouble?: { mode: TroubleMode; times: number; match?: RegExp; retryAfter?: number; resetIn?: number };
  nextId: number;
}

export type TroubleMode =
  | '403-retry-after' // secondary rate limit as GitHub sends it: 403, retry-after, "secondary rate limit"
  | '403-retry-after-only' // a 403 with retry-after and no telling message (proxies, GHES)
  | '403-remaining-0' // primary rate limit: x-ratelimit-remaining: 0 and x-ratelimit-reset
  | '429' // too many requests, with retry-after
  | '500'
  | '502'
  | 'drop'; // the connection is closed without an answer

export interface FakeGitHub {
  url: string;
  requests: Recorded[];
  state: FakeState;
  /** Requests other than the listing GETs that got a real answer. */
  writes(): Recorded[];
  close(): Promise<void>;
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const requests: Recorded[] = [];
  const state: FakeState = {
    prFiles: new Map(),
    comments: new Map(),
    checkRuns: new Map(),
    pulls: [],
    reviews: new Map(),
    reviewComments: new Map(),
    deny: {},
    issues: [],
    nextId: 1000,
    paging: 'github',
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const rec: Recorded = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body,
        authorization: req.headers.authorization,
      };
      requests.push(rec);
      let link: string | undefined;
      const send = (status: number, data: unknown) => {
        if (state.emptyWriteBodies && rec.method !== 'GET') {
          res.writeHead(201);
          res.end();
          return;
        }
        res.writeHead(status, { 'content-type': 'application/json', ...(link ? { link } : {}) });
        res.end(JSON.stringify(data));
      };
      const forbidden = () => send(403, { message: 'Resource not accessible by integration', status: '403' });
      const t = state.trouble;
      if (t && t.times > 0 && (!t.match || t.match.test(`${rec.method} ${rec.path}`))) {
        t.times--;
        rec.trouble = t.mode;
        const after = String(t.retryAfter ?? 1);
        const json = (status: number, headers: Record<string, string>, data: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(data));
        };
        switch (t.mode) {
          case '403-retry-after':
            return json(403, { 'retry-after': after }, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' });
          case '403-retry-after-only':
            return json(403, { 'retry-after': after }, { message: 'Forbidden' });
          case '403-remaining-0':
            return json(
              403,
              { 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + (t.resetIn ?? 1)) },
              { message: 'API rate limit exceeded for installation ID 1.' },
            );
          case '429':
            return json(429, { 'retry-after': after }, { message: 'Too Many Requests' });
          case '500':
          case '502':
            return json(Number(t.mode), {}, { message: 'Server Error' });
          case 'drop':
            return req.socket.destroy();
        }
      }
      const page = <T>(list: T[]) => {
        if (state.paging === 'none') return list;
        const per = Math.min(100, Number(rec.query.per_page ?? 30));
        const p = Number(rec.query.page ?? 1);
        const last = Math.max(1, Math.ceil(list.length / per));
        const at = (n: number, rel: string) => `<http://${req.headers.host}${rec.path}?per_page=${per}&page=${n}>; rel="${rel}"`; // absolute, as GitHub sends them
        if (last > 1) link = [...(p < last ? [at(p + 1, 'next'), at(last, 'last')] : []), ...(p > 1 ? [at(1, 'first'), at(p - 1, 'prev')] : [])].join(', ');
        return list.slice((p - 1) * per, p * per);
      };
      let m: RegExpExecArray | null;
      const b = body as any; // eslint-disable-line @typescript-eslint/no-explicit-any

      if (rec.method === 'GET' && (m = /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)\/files$/.exec(rec.path))) {
        if (state.deny.files) return forbidden();
        const all = state.prFiles.get(Number(m[1])) ?? [];
        return send(200, page(all.slice(0, 3000)));
      }
      if (rec.method === 'GET' && /^\/repos\/[^/]+\/[^/]+\/pulls$/.test(rec.path)) {
        const head = rec.query.head;
        return send(200, page(state.pulls.filter((p) => !head || p.head.label === head)));
      }
      if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(rec.path))) {
        if (state.deny.comments && rec.method !== 'GET') return forbidden();
        const list = state.comments.get(Number(m[1])) ?? [];
        state.comments.set(Number(m[1]), list);
        if (rec.method === 'GET') return send(200, page(list));
        if (rec.method === 'POST') {
          if (typeof b?.body !== 'string') return send(422, { message: 'body missing' });
          if (b.body.length > 65536) return send(422, { message: 'Body is too long (maximum is 65536 characters)' });
          const c: FakeComment = { id: state.nextId++, body: b.body, user: { login: 'github-actions[bot]', type: 'Bot' }, html_url: `https://github.test/c/${state.nextId}` };
          list.push(c);
          return send(201, c);
        }
      }
      if (rec.method === 'PATCH' && (m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(rec.path))) {
        if (state.deny.comments) return forbidden();
        for (const list of state.comments.values()) {
          const c = list.find((x) => x.id === Number(m![1]));
          if (c) {
            if (b.body.length > 65536) return send(422, { message: 'Body is too long (maximum is 65536 characters)' });
            c.body = b.body;
            return send(200, c);
          }
        }
        return send(404, { message: 'Not Found' });
      }
      if (rec.method === 'GET' && (m = /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)\/comments$/.exec(rec.path))) {
        return send(200, page(state.reviewComments.get(Number(m[1])) ?? []));
      }
      if (rec.method === 'POST' && (m = /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)\/reviews$/.exec(rec.path))) {
        if (state.deny.reviews) return forbidden();
        const n = Number(m[1]);
        if (typeof b?.commit_id !== 'string' || !Array.isArray(b?.comments)) return send(422, { message: 'commit_id and comments are required' });
        for (const c of b.comments)
          if (typeof c.path !== 'string' || !Number.isInteger(c.line) || typeof c.body !== 'string' || (c.start_line !== undefined && !(c.start_line < c.line)))
            return send(422, { message: 'Unprocessable Entity: a review comment needs path, line, body (start_line before line)' });
        const review = { id: state.nextId++, commit_id: b.commit_id, event: b.event, body: b.body, comments: b.comments };
        state.reviews.set(n, [...(state.reviews.get(n) ?? []), review]);
        const list = state.reviewComments.get(n) ?? [];
        for (const c of b.comments) list.push({ id: state.nextId++, path: c.path, line: c.line, start_line: c.start_line, side: c.side ?? 'RIGHT', body: c.body });
        state.reviewComments.set(n, list);
        return send(200, { id: review.id, state: 'COMMENTED' });
      }
      if (/^\/repos\/[^/]+\/[^/]+\/issues$/.test(rec.path) && (rec.method === 'GET' || rec.method === 'POST')) {
        if (state.deny.issues) return forbidden();
        if (rec.method === 'GET') {
          const want = rec.query.labels ? rec.query.labels.split(',') : [];
          const st = rec.query.state ?? 'open';
          return send(200, page(state.issues.filter((i) => (st === 'all' || i.state === st) && want.every((l) => i.labels.some((x) => x.name === l)))));
        }
        if (typeof b?.title !== 'string' || !b.title) return send(422, { message: 'title missing' });
        if (typeof b.body === 'string' && b.body.length > 65536) return send(422, { message: 'Body is too long (maximum is 65536 characters)' });
        const number = state.issues.length + 1;
        const issue: FakeIssue = { number, title: b.title, body: b.body ?? '', state: 'open', labels: (b.labels ?? []).map((name: string) => ({ name })), user: { login: 'github-actions[bot]', type: 'Bot' }, html_url: `https://github.test/acme/detections/issues/${number}` };
        state.issues.push(issue);
        return send(201, issue);
      }
      if (rec.method === 'PATCH' && (m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)$/.exec(rec.path))) {
        if (state.deny.issues) return forbidden();
        const issue = state.issues.find((i) => i.number === Number(m![1]));
        if (!issue) return send(404, { message: 'Not Found' });
        if (typeof b?.body === 'string' && b.body.length > 65536) return send(422, { message: 'Body is too long (maximum is 65536 characters)' });
        if (typeof b?.title === 'string') issue.title = b.title;
        if (typeof b?.body === 'string') issue.body = b.body;
        if (b?.state === 'open' || b?.state === 'closed') issue.state = b.state;
        return send(200, issue);
      }
      const checkOk = (output: any): string | undefined => { // eslint-disable-line @typescript-eslint/no-explicit-any
        if (!output) return undefined;
        if (typeof output.title !== 'string' || typeof output.summary !== 'string') return 'output needs title and summary';
        if (output.summary.length > 65535) return 'summary is too long';
        if (output.annotations && output.annotations.length > 50) return 'Only 50 annotations are allowed per request';
        return undefined;
      };
      if (rec.method === 'POST' && /^\/repos\/[^/]+\/[^/]+\/check-runs$/.test(rec.path)) {
        if (state.deny.checks) return forbidden();
        const bad = checkOk(b.output);
        if (bad) return send(422, { message: bad });
        const id = state.nextId++;
        state.checkRuns.set(id, { name: b.name, head_sha: b.head_sha, conclusion: b.conclusion, output: b.output, annotations: [...(b.output?.annotations ?? [])] });
        return send(201, { id, html_url: `https://github.test/runs/${id}` });
      }
      if (rec.method === 'PATCH' && (m = /^\/repos\/[^/]+\/[^/]+\/check-runs\/(\d+)$/.exec(rec.path))) {
        if (state.deny.checks) return forbidden();
        const run = state.checkRuns.get(Number(m[1]));
        if (!run) return send(404, { message: 'Not Found' });
        const bad = checkOk(b.output);
        if (bad) return send(422, { message: bad });
        run.annotations.push(...(b.output?.annotations ?? []));
        run.output = b.output;
        return send(200, { id: Number(m[1]) });
      }
      send(404, { message: `no route for ${rec.method} ${rec.path}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    state,
    writes: () => requests.filter((r) => r.method !== 'GET' && !r.trouble),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
