// Realistic pull-request scenarios for the end-to-end tests of dist/index.js: a small Panther pack
// (rules with Python, a global helper that imports another, a data model, a pack, a simple detection,
// a policy) committed on `main` in a temporary git repository, a head branch with the pull request's
// change, a pull_request event payload with the real base and head SHAs, and a runner for the action
// as GitHub's runner starts it (INPUT_* variables, GITHUB_* files, GITHUB_API_URL at a fake GitHub).
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startFakeGitHub, type FakeGitHub } from './fake-github';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const DIST = process.env.RULEGATE_E2E_DIST || path.join(ROOT, 'dist', 'index.js');
export const PYTHON = process.env.RULEGATE_TEST_PYTHON || 'python3';
/** GITHUB_SHA on pull_request is the synthetic merge commit: results must never point at it. */
export const MERGE_SHA = '9999999999999999999999999999999999999999';

/** The pack, path → content. Every rule passes its tests on `main`. */
export const PACK: Record<string, string> = {
  'README.md': '# Acme detections\n',
  'global_helpers/acme_strings.yml': 'AnalysisType: global\nGlobalID: acme_strings\nFilename: acme_strings.py\nDescription: String helpers.\n',
  'global_helpers/acme_strings.py': 'def lower(value):\n    return str(value or "").lower()\n',
  'global_helpers/acme_helpers.yml': 'AnalysisType: global\nGlobalID: acme_helpers\nFilename: acme_helpers.py\nDescription: AWS helpers.\n',
  'global_helpers/acme_helpers.py':
    'from acme_strings import lower\n\n\ndef is_root(event):\n    return lower(event.get("userIdentity", {}).get("type")) == "root"\n',
  'data_models/okta_data_model.yml': [
    'AnalysisType: datamodel',
    'DataModelID: Acme.Okta.SystemLog',
    'Enabled: true',
    'LogTypes:',
    '  - Okta.SystemLog',
    'Filename: okta_data_model.py',
    'Mappings:',
    '  - Name: actor_user',
    '    Method: get_actor',
    '',
  ].join('\n'),
  'data_models/okta_data_model.py': 'def get_actor(event):\n    return event.get("actor", {}).get("alternateId")\n',
  'rules/aws/root_login.yml': [
    'AnalysisType: rule',
    'RuleID: Acme.AWS.RootLogin',
    'Filename: root_login.py',
    'Enabled: true',
    'LogTypes: [AWS.CloudTrail]',
    'Severity: High',
    'Reports:',
    '  MITRE ATT&CK:',
    '    - TA0001:T1078',
    'Tests:',
    '  - Name: root console login',
    '    ExpectedResult: true',
    '    Log: {eventName: ConsoleLogin, userIdentity: {type: Root}}',
    '  - Name: user console login',
    '    ExpectedResult: false',
    '    Log: {eventName: ConsoleLogin, userIdentity: {type: IAMUser}}',
    '',
  ].join('\n'),
  'rules/aws/root_login.py': 'from acme_helpers import is_root\n\n\ndef rule(event):\n    return event.get("eventName") == "ConsoleLogin" and is_root(event)\n',
  'rules/aws/bucket_deleted.yml': [
    'AnalysisType: rule',
    'RuleID: Acme.AWS.BucketDeleted',
    'Filename: bucket_deleted.py',
    'Enabled: true',
    'LogTypes: [AWS.CloudTrail]',
    'Severity: Medium',
    'Tests:',
    '  - Name: bucket deleted',
    '    ExpectedResult: true',
    '    Log: {eventName: DeleteBucket}',
    '  - Name: bucket created',
    '    ExpectedResult: false',
    '    Log: {eventName: CreateBucket}',
    '',
  ].join('\n'),
  'rules/aws/bucket_deleted.py': 'def rule(event):\n    return event.get("eventName") == "DeleteBucket"\n',
  'rules/okta/admin_granted.yml': [
    'AnalysisType: rule',
    'RuleID: Acme.Okta.AdminGranted',
    'Filename: admin_granted.py',
    'Enabled: true',
    'LogTypes: [Okta.SystemLog]',
    'Severity: High',
    'Tests:',
    '  - Name: admin granted',
    '    ExpectedResult: true',
    '    Log: {p_log_type: Okta.SystemLog, eventType: user.account.privilege.grant, actor: {alternateId: admin@acme.test}}',
    '  - Name: other event',
    '    ExpectedResult: false',
    '    Log: {p_log_type: Okta.SystemLog, eventType: user.session.start, actor: {alternateId: admin@acme.test}}',
    '',
  ].join('\n'),
  'rules/okta/admin_granted.py':
    'def rule(event):\n    return event.get("eventType") == "user.account.privilege.grant"\n\n\ndef title(event):\n    return "Admin granted by " + event.udm("actor_user")\n',
  'rules/github/repo_public.yml': [
    'AnalysisType: rule',
    'RuleID: Acme.GitHub.RepoPublic',
    'Enabled: true',
    'LogTypes: [GitHub.Audit]',
    'Severity: High',
    'Detection:',
    '  - Key: action',
    '    Condition: Equals',
    '    Value: repo.access',
    '  - Key: visibility',
    '    Condition: Equals',
    '    Value: public',
    'Tests:',
    '  - Name: made public',
    '    ExpectedResult: true',
    '    Log: {action: repo.access, visibility: public}',
    '  - Name: made private',
    '    ExpectedResult: false',
    '    Log: {action: repo.access, visibility: private}',
    '',
  ].join('\n'),
  'policies/s3_encrypted.yml': [
    'AnalysisType: policy',
    'PolicyID: Acme.S3.Encrypted',
    'Filename: s3_encrypted.py',
    'Enabled: true',
    'ResourceTypes: [AWS.S3.Bucket]',
    'Severity: Medium',
    'Tests:',
    '  - Name: encrypted',
    '    ExpectedResult: true',
    '    Resource: {EncryptionRules: [{SSEAlgorithm: AES256}]}',
    '  - Name: not encrypted',
    '    ExpectedResult: false',
    '    Resource: {EncryptionRules: null}',
    '',
  ].join('\n'),
  'policies/s3_encrypted.py': 'def policy(resource):\n    return bool(resource.get("EncryptionRules"))\n',
  'packs/acme.yml': [
    'AnalysisType: pack',
    'PackID: Acme.Pack',
    'Description: Every Acme detection.',
    'PackDefinition:',
    '  IDs:',
    '    - Acme.AWS.RootLogin',
    '    - Acme.AWS.BucketDeleted',
    '    - Acme.Okta.AdminGranted',
    '    - Acme.GitHub.RepoPublic',
    '    - Acme.S3.Encrypted',
    '    - acme_helpers',
    '    - acme_strings',
    '    - Acme.Okta.SystemLog',
    '',
  ].join('\n'),
};

export interface Repo {
  /** The temporary folder (event file, outputs, RUNNER_TEMP). */
  tmp: string;
  /** The checkout (GITHUB_WORKSPACE). */
  dir: string;
  base: string;
  head: string;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export function writeFiles(dir: string, files: Record<string, string | null>): void {
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    if (text === null) fs.rmSync(abs, { force: true });
    else {
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, text);
    }
  }
}

const made: string[] = [];
export function cleanupRepos(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/**
 * A repository whose `main` holds `base` (default: the pack, optionally under `prefix/`), and a
 * `feature` branch on top with `change` applied (null deletes; `renames` are `git mv`s). The checkout
 * is left on `feature`, as actions/checkout leaves a pull request's head.
 */
export function makeRepo(opts: {
  prefix?: string;
  base?: Record<string, string>;
  change?: Record<string, string | null>;
  renames?: Array<[string, string]>;
  extraBaseCommits?: number;
} = {}): Repo {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-scn-'));
  made.push(tmp);
  const dir = path.join(tmp, 'repo');
  fs.mkdirSync(dir);
  const prefix = opts.prefix ? opts.prefix.replace(/\/+$/, '') + '/' : '';
  const base = opts.base ?? PACK;
  writeFiles(dir, Object.fromEntries(Object.entries(base).map(([k, v]) => [prefix + k, v])));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  const baseSha = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', '-b', 'feature');
  for (const [from, to] of opts.renames ?? []) {
    fs.mkdirSync(path.dirname(path.join(dir, prefix + to)), { recursive: true });
    git(dir, 'mv', prefix + from, prefix + to);
  }
  if (opts.change) writeFiles(dir, Object.fromEntries(Object.entries(opts.change).map(([k, v]) => [prefix + k, v])));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'change');
  const head = git(dir, 'rev-parse', 'HEAD');
  return { tmp, dir, base: baseSha, head };
}

export function prPayload(repo: { base: string; head: string }, over: { number?: number; headRepo?: string } = {}) {
  const number = over.number ?? 7;
  return {
    action: 'synchronize',
    number,
    repository: { full_name: 'acme/detections' },
    pull_request: {
      number,
      head: { sha: repo.head, ref: 'feature', repo: { full_name: over.headRepo ?? 'acme/detections' } },
      base: { sha: repo.base, ref: 'main', repo: { full_name: 'acme/detections' } },
    },
  };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Workflow-command lines (anything the runner would read as a command: `::name…::`). */
  commands: string[];
  /** Annotation lines (::error / ::warning / ::notice) in order. */
  annotations: string[];
  /** GITHUB_OUTPUT, raw. */
  outputText: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface RunOptions {
  eventName?: string;
  payload?: unknown;
  inputs?: Record<string, string>;
  /** Extra or overriding environment; `null` removes a variable. */
  env?: Record<string, string | null>;
  /** Process cwd (default: the checkout). */
  cwd?: string;
  apiUrl?: string;
  token?: string;
  /** Kill the run after this long (default 20 s). */
  timeoutMs?: number;
}

let counter = 0;
const RUN_TIMEOUT_MS = 20_000;
/** Runs that also check the base commit run the checks twice. */
export const SLOW_RUN_TIMEOUT_MS = 60_000;

/** Runs dist/index.js the way the runner does. */
export async function runAction(repo: Repo, opts: RunOptions = {}): Promise<Run> {
  const eventName = opts.eventName ?? 'pull_request';
  const n = ++counter;
  const eventPath = path.join(repo.tmp, `event-${n}.json`);
  const outputPath = path.join(repo.tmp, `output-${n}.txt`);
  const summaryPath = path.join(repo.tmp, `summary-${n}.md`);
  fs.writeFileSync(eventPath, JSON.stringify(opts.payload ?? prPayload(repo)));
  fs.writeFileSync(outputPath, '');
  fs.writeFileSync(summaryPath, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? repo.tmp,
    LANG: 'C.UTF-8',
    RULEGATE_API_TIME_SCALE: '0.01', // GitHub's one-second pacing of writes and retry waits, shortened for tests
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_REPOSITORY: 'acme/detections',
    GITHUB_SHA: eventName === 'pull_request' || eventName === 'pull_request_target' ? MERGE_SHA : repo.head,
    GITHUB_SERVER_URL: 'https://github.test',
    GITHUB_WORKSPACE: repo.dir,
    GITHUB_RUN_ID: '4242',
    RUNNER_TEMP: repo.tmp,
    'INPUT_GITHUB-TOKEN': opts.token ?? 'ghs_faketoken',
    INPUT_PYTHON: PYTHON,
    INPUT_JOBS: '1',
  };
  if (opts.apiUrl) env.GITHUB_API_URL = opts.apiUrl;
  for (const [k, v] of Object.entries(opts.inputs ?? {})) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === null) delete env[k];
    else env[k] = v;
  }
  const child = spawn(process.execPath, [DIST], { cwd: opts.cwd ?? repo.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  // A hung run fails its test quickly instead of stalling the suite.
  const timer = setTimeout(() => {
    stderr += `\n[runAction] killed after ${opts.timeoutMs ?? RUN_TIMEOUT_MS} ms\n`;
    child.kill('SIGKILL');
  }, opts.timeoutMs ?? RUN_TIMEOUT_MS);
  const code: number | null = await new Promise((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  const lines = stdout.split(/\r?\n/);
  const outputText = fs.readFileSync(outputPath, 'utf8');
  return {
    code,
    stdout,
    stderr,
    commands: lines.filter((l) => /^\s*::[A-Za-z-]+( [^:]*)?::/.test(l)),
    annotations: lines.filter((l) => /^::(error|warning|notice)[ :]/.test(l)),
    outputText,
    outputs: parseOutputs(outputText),
    summary: fs.readFileSync(summaryPath, 'utf8'),
  };
}

/** GITHUB_OUTPUT holds `name<<ghadelimiter_UUID\nvalue\nghadelimiter_UUID\n` blocks (@actions/core's format). */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n?\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]] = m[3];
  return out;
}

export function readJson(file: string) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The pull request's files as GET /pulls/{n}/files lists them (status, previous_filename), from git. */
export function pullFiles(repo: Repo): Array<{ filename: string; status: string; previous_filename?: string }> {
  const out = git(repo.dir, 'diff', '--name-status', '-M', '-z', `${repo.base}...${repo.head}`).split('\0').filter(Boolean);
  const files: Array<{ filename: string; status: string; previous_filename?: string }> = [];
  for (let i = 0; i < out.length; ) {
    const st = out[i++];
    if (st.startsWith('R')) {
      const from = out[i++];
      const to = out[i++];
      files.push({ filename: to, status: 'renamed', previous_filename: from });
    } else {
      const f = out[i++];
      files.push({ filename: f, status: st === 'A' ? 'added' : st === 'D' ? 'removed' : 'modified' });
    }
  }
  return files;
}

export interface JunitCase {
  name: string;
  outcome: string | null;
}

/** JUnit XML parsed back with Python's ElementTree: root attributes, each suite's attributes and cases. */
export function parseJunit(xml: string): { root: Record<string, string>; suites: Array<{ attrs: Record<string, string>; cases: JunitCase[] }> } {
  const py = `
import json, sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
def outcome(c):
    for tag in ("failure", "error", "skipped"):
        if c.find(tag) is not None:
            return tag
    return None
print(json.dumps({"root": dict(root.attrib), "suites": [{"attrs": dict(s.attrib), "cases": [{"name": c.get("name"), "outcome": outcome(c)} for c in s.findall("testcase")]} for s in root.findall("testsuite")]}))
`;
  const r = spawnSync(process.env.RULEGATE_TEST_PYTHON || 'python3', ['-c', py], { input: xml, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`JUnit XML did not parse: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** A fresh recording GitHub server for every test of the file (handed over by `use`), closed after each,
 * and the file's temporary repositories removed at the end. */
export function fakeGitHubPerTest(use: (gh: FakeGitHub) => void): void {
  let current: FakeGitHub | undefined;
  beforeEach(async () => {
    current = await startFakeGitHub();
    use(current);
  });
  afterEach(async () => {
    await current?.close();
  });
  afterAll(() => cleanupRepos());
}
