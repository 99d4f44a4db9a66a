// `rulegate publish REPORT` (called by src/cli.ts) against the local fake GitHub.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runPublishCommand } from '../../src/github/publish-cli';
import { makeReport } from '../render/fixtures/report';
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github';

let gh: FakeGitHub;
let dir: string;
let stdout: string;
let stderr: string;
beforeEach(async () => {
  gh = await startFakeGitHub();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-pubcli-'));
  stdout = '';
  stderr = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
  jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
});
afterEach(async () => {
  jest.restoreAllMocks();
  await gh.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function env(): NodeJS.ProcessEnv {
  const event = path.join(dir, 'event.json');
  fs.writeFileSync(event, JSON.stringify({ repository: { full_name: 'acme/det' }, pull_request: { number: 5, head: { sha: 'cafe', repo: { full_name: 'acme/det' } }, base: { sha: 'bead' } } }));
  fs.writeFileSync(path.join(dir, 'summary.md'), '');
  return {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: 'acme/det',
    GITHUB_API_URL: gh.url,
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
    GITHUB_TOKEN: 'tok',
  };
}

test('publishes a report: check run, comment, summary, SARIF; exit 0 by default, 1 with --fail-on error', async () => {
  const file = path.join(dir, 'report.json');
  fs.writeFileSync(file, JSON.stringify(makeReport()));
  expect(await runPublishCommand([file, '--sarif', path.join(dir, 'out.sarif')], env())).toBe(0);
  expect(gh.writes().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /repos/acme/det/check-runs', 'POST /repos/acme/det/issues/5/comments']);
  expect(gh.writes()[0].body.head_sha).toBe('cafe');
  expect(gh.writes()[0].authorization).toBe('token tok');
  expect(fs.readFileSync(path.join(dir, 'summary.md'), 'utf8')).toContain('### ❌ RuleGate');
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'out.sarif'), 'utf8')).version).toBe('2.1.0');
  expect(stdout).toMatch(/^::notice title=RuleGate::4 findings are annotated in the check run "RuleGate"/);
  expect(await runPublishCommand([file, '--fail-on', 'error', '--check-run', 'never', '--comment', 'never'], env())).toBe(1);
});

test('usage errors exit 2', async () => {
  expect(await runPublishCommand([], env())).toBe(2);
  expect(stderr).toContain('give exactly one JSON report');
  expect(await runPublishCommand(['x.json', '--comment', 'sometimes'], env())).toBe(2);
  expect(stderr).toContain("invalid value 'sometimes' for --comment. Allowed values: auto, always, never.");
  expect(await runPublishCommand([path.join(dir, 'missing.json')], env())).toBe(2);
  expect(stderr).toContain('cannot read a JSON report from');
});
