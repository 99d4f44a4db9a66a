// A test that fails inside a global helper, end to end (dist/index.js on a real git repository): the
// finding names the chain of user frames, the helper line is annotated as well as the test, and the
// traceback, the Log and expected versus actual reach the check run's raw_details and the summary.
import * as fs from 'fs';
import type { FakeGitHub } from './helpers/fake-github';
import { DIST, makeRepo, PACK, pullFiles, readJson, runAction, SLOW_RUN_TIMEOUT_MS, fakeGitHubPerTest } from './helpers/scenario';

let gh: FakeGitHub;
fakeGitHubPerTest((server) => (gh = server));

const describeDist = fs.existsSync(DIST) ? describe : describe.skip;

describeDist('failures where they are fixed', () => {
  test('a helper that raises: the chain rule → helper in the message, the helper line annotated too, traceback and Log in raw_details and a collapsed block', async () => {
    const helper = 'from acme_strings import lower\n\n\ndef is_root(event):\n    return lower(event["userIdentity"]["kind"]) == "root"\n';
    const repo = makeRepo({ change: { 'global_helpers/acme_helpers.py': helper } });
    gh.state.prFiles.set(7, pullFiles(repo));
    const r = await runAction(repo, { apiUrl: gh.url, timeoutMs: SLOW_RUN_TIMEOUT_MS });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = readJson(r.outputs['report-file']);
    const failed = report.findings.filter((f: { code: string }) => f.code === 'test/failed');
    expect(failed[0]).toMatchObject({
      file: 'rules/aws/root_login.yml',
      line: 11,
      message: 'test "root console login" of Acme.AWS.RootLogin failed: rule() raised KeyError: \'kind\' (rules/aws/root_login.py line 5 → global_helpers/acme_helpers.py line 5)',
      related: [{ file: 'global_helpers/acme_helpers.py', line: 5, message: 'raised here, in is_root()' }],
    });
    expect(report.tests[0].traceback).toEqual([
      { file: 'rules/aws/root_login.py', line: 5, function: 'rule' },
      { file: 'global_helpers/acme_helpers.py', line: 5, function: 'is_root' },
    ]);
    const check = gh.writes().find((q) => q.path.endsWith('/check-runs'))!;
    const anns = check.body.output.annotations as Array<{ path: string; start_line: number; annotation_level: string; message: string; raw_details?: string }>;
    // (the changed file's annotations come first)
    const first = anns.filter((a) => a.message.startsWith('test "root console login"')).sort((a, b) => (a.path < b.path ? 1 : -1));
    expect(first.map((a) => `${a.annotation_level} ${a.path}:${a.start_line}`)).toEqual(['failure rules/aws/root_login.yml:11', 'failure global_helpers/acme_helpers.py:5']);
    expect(first[1].message).toMatch(/\(raised here, in is_root\(\)\)$/);
    expect(first[0].raw_details).toBe(
      [
        'Test: root console login',
        'Expected: True; actual: no result (an exception)',
        "Error: KeyError: 'kind'",
        'Traceback (user code, outermost first):',
        '  rules/aws/root_login.py line 5, in rule',
        '  global_helpers/acme_helpers.py line 5, in is_root',
        'Log:',
        '{\n  "eventName": "ConsoleLogin",\n  "userIdentity": {\n    "type": "Root"\n  }\n}',
      ].join('\n'),
    );
    // The summary: the same, collapsed under the finding, as text (quotes and braces escaped as HTML where needed).
    expect(r.summary).toContain('  <details><summary>Traceback, Log and expected result</summary><pre>\n  Test: root console login\n');
    expect(r.summary).toContain('    &quot;eventName&quot;'.replace(/&quot;/g, '"'));
  });
});
