// The action's front end in-process: the guard against a silently green step, and path rebasing.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fromEnginePath, rebaseReport, repoPaths, toEnginePaths } from '../../src/github/paths';
import { makeReport } from '../render/fixtures/report';

jest.mock('../../src/pipeline', () => ({ runPipeline: jest.fn(() => new Promise(() => undefined)) }));

test('a run whose work never settles fails the step instead of exiting 0 with no result', async () => {
  const { run } = await import('../../src/github/main');
  const { runPipeline } = await import('../../src/pipeline');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-main-'));
  const summary = path.join(tmp, 'summary.md');
  fs.writeFileSync(summary, '');
  let out = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const before = process.exitCode;
  try {
    void run({ GITHUB_EVENT_NAME: 'schedule', GITHUB_WORKSPACE: tmp, GITHUB_STEP_SUMMARY: summary });
    for (let i = 0; i < 50 && !(runPipeline as jest.Mock).mock.calls.length; i++) await new Promise((r) => setTimeout(r, 10));
    expect((runPipeline as jest.Mock).mock.calls).toHaveLength(1);
    process.emit('beforeExit', 0);
    expect(process.exitCode).toBe(1);
  } finally {
    spy.mockRestore();
    process.exitCode = before;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  expect(out).toContain('::error::RuleGate stopped before it finished: work was left pending with nothing to wait for');
});

describe('repository-relative paths', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-paths-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('with a .git above the rule folder, the engine already names files from it', () => {
    fs.mkdirSync(path.join(tmp, 'a', '.git'), { recursive: true });
    fs.mkdirSync(path.join(tmp, 'a', 'detections'), { recursive: true });
    expect(repoPaths(path.join(tmp, 'a', 'detections'), path.join(tmp, 'a'))).toEqual({ repoRoot: path.join(tmp, 'a'), engineRoot: path.join(tmp, 'a'), prefix: '' });
  });

  test('without .git, a sub-folder of the workspace is a prefix to add and strip', () => {
    fs.mkdirSync(path.join(tmp, 'b', 'x', 'detections'), { recursive: true });
    const p = repoPaths(path.join(tmp, 'b', 'x', 'detections'), path.join(tmp, 'b'));
    expect(p).toEqual({ repoRoot: path.join(tmp, 'b'), engineRoot: path.join(tmp, 'b', 'x', 'detections'), prefix: 'x/detections' });
    expect(toEnginePaths(['x/detections/rules/a.yml', 'requirements.txt', './x/detections/b.py'], p.prefix)).toEqual(['rules/a.yml', '../../requirements.txt', 'b.py']);
    expect(fromEnginePath('rules/a.yml', p.prefix)).toBe('x/detections/rules/a.yml');
    expect(fromEnginePath('../global_helpers/h.py', p.prefix)).toBe('x/global_helpers/h.py');
    expect(fromEnginePath('', p.prefix)).toBe('');
    const report = makeReport();
    report.selection = { mode: 'changed', changedFiles: ['rules/aws/root_login.yml'], selected: [{ file: 'rules/aws/root_login.yml', reason: 'YAML changed' }] };
    const rebased = rebaseReport(report, p.prefix, ['x/detections/rules/aws/root_login.yml']);
    expect(rebased.findings.map((f) => f.file)).toEqual(['x/detections/rules/aws/root_login.yml', 'x/detections/rules/aws/root_login.yml', 'x/detections/rules/okta/mfa_reset.yml', 'x/detections/packs/aws.yml']);
    expect(rebased.tests.every((t) => t.file.startsWith('x/detections/'))).toBe(true);
    expect(rebased.selection).toEqual({ mode: 'changed', changedFiles: ['x/detections/rules/aws/root_login.yml'], selected: [{ file: 'x/detections/rules/aws/root_login.yml', reason: 'YAML changed' }] });
  });

  test('the workspace itself, or a folder outside it: no prefix', () => {
    fs.mkdirSync(path.join(tmp, 'c'), { recursive: true });
    expect(repoPaths(path.join(tmp, 'c'), path.join(tmp, 'c')).prefix).toBe('');
    expect(repoPaths(path.join(tmp, 'c'), path.join(tmp, 'elsewhere')).prefix).toBe('');
  });
});
