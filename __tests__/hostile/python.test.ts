// The hostile Python pack (fixtures/pack) through the whole pipeline: hangs, exits, kills, output
// floods, bad return types, aux-function errors, mocks, data models, policies, CreateAlert false,
// odd Logs, YAML oddities. Expected verdicts follow panther-format.md §6.3–6.6; where the spec is
// silent the choice is noted beside the row.
import * as path from 'path';
import type { Report } from '../../src/core/types';
import { checkAccounting, findPycache, FIXTURES, runPack, verdicts, type Verdict } from './helpers';

const PACK = path.join(FIXTURES, 'pack');
const REL = '__tests__/hostile/fixtures/pack';
let report: Report;

const SECRETS = {
  GITHUB_TOKEN: 'ghs_hostile',
  INPUT_GITHUB_TOKEN: 'ghs_input',
  ACTIONS_RUNTIME_TOKEN: 'runtime',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
  AWS_SECRET_ACCESS_KEY: 'aws',
  NPM_TOKEN: 'npm',
  HOSTILE_SECRET_VALUE: 'x',
};

beforeAll(async () => {
  report = await runPack(PACK, {}, SECRETS);
}, 60_000);

const HARNESS_DIED = /worker process ended while running this test/;
const TIME_LIMIT = /did not finish within the 1 s time limit/;
const typeError = (id: string, fn: string, got: string, want: string) => `FunctionReturnTypeError: detection [${id}] function [${fn}] returned [${got}], expected [${want}]`;

const EXPECTED: Verdict[] = [
  // --- hangs (pat would hang forever; RuleGate stops the test at the time limit, a test/error)
  ['Hostile.HangRule', 'rule loops forever', false, 'harness', TIME_LIMIT],
  ['Hostile.HangRule', 'after the loop', true],
  ['Hostile.HangTitle', 'title loops in an alerting test', false, 'harness', TIME_LIMIT],
  ['Hostile.HangTitle', 'title loops in a non-alerting test', false, 'harness', TIME_LIMIT], // aux functions always run (§6.6)
  ['Hostile.HangTitle', 'title fine', true],
  ['Hostile.SleepHelper', 'helper sleeps', false, 'harness', TIME_LIMIT],
  ['Hostile.SleepHelper', 'helper does not sleep', true],
  // --- exits and kills: an exception is the function's error (spec silent for BaseException: pat
  // would stop; a demanding user wants the test to fail and the run to go on); a dead process
  // loses only its own test
  ['Hostile.Exits', 'sys.exit(0)', false, 'rule', 'SystemExit: 0'],
  ['Hostile.Exits', 'sys.exit(3)', false, 'rule', 'SystemExit: 3'],
  ['Hostile.Exits', 'os._exit(1)', false, 'harness', HARNESS_DIED],
  ['Hostile.Exits', 'after os._exit', true],
  ['Hostile.Exits', 'SIGKILL self', false, 'harness', HARNESS_DIED],
  ['Hostile.Exits', 'after SIGKILL', true],
  ['Hostile.Exits', 'raise SystemExit', false, 'rule', /^SystemExit/], // an exception never matches, even ExpectedResult false
  ['Hostile.Exits', 'raise KeyboardInterrupt', false, 'rule', /^KeyboardInterrupt/],
  ['Hostile.Exits', 'raise BaseException subclass', false, 'rule', 'Fatal: fatal thing'],
  ['Hostile.Exits', 'recursion depth exceeded', false, 'rule', /^RecursionError: maximum recursion depth exceeded/],
  ['Hostile.Exits', 'segfault', false, 'harness', HARNESS_DIED],
  ['Hostile.Exits', 'SIGTERM self', false, 'harness', HARNESS_DIED],
  ['Hostile.Exits', 'closes every file descriptor', false, 'harness', HARNESS_DIED],
  ['Hostile.Exits', 'huge exception message', false, 'rule', /^ValueError: x{4000}\.\.\. \(20967520 more characters\)$/],
  ['Hostile.Exits', 'exception whose str() raises', false, 'rule', /^BadStr: /],
  ['Hostile.Exits', 'last one still runs', true],
  // --- output floods: captured per test, capped, never on the protocol channel
  ['Hostile.Flood', '50 MB on stdout', true],
  ['Hostile.Flood', '50 MB on stderr', true],
  ['Hostile.Flood', '200 thousand print() calls', true],
  ['Hostile.Flood', 'fake protocol lines', false, 'rule', 'rule returned true, expected false'], // printed "R" lines forge nothing
  ['Hostile.Flood', 'os.write to fd 1 and 2', true],
  ['Hostile.Flood', 'quiet', true],
  ['Hostile.Env', 'no runner secrets in the environment', true],
  // --- rule code against RuleGate's channel
  ['Hostile.Channel', 'replaces json.dumps and json.loads', true],
  ['Hostile.Channel', 'puts json back', true],
  ['Hostile.Channel', 'writes fake results into every file descriptor', false, 'harness', /something wrote into RuleGate's private channel/],
  ['Hostile.Channel', 'forks a child that outlives the test', true],
  ['Hostile.Channel', 'dies while its forked child still holds the channel', false, 'harness', HARNESS_DIED], // not a time-out
  ['Hostile.Channel', 'reads stdin', true],
  ['Hostile.Channel', 'still fine afterwards', true],
  // --- return types (§6.6: the matcher must return exactly a bool)
  ['Hostile.Returns', 'rule returns None', false, 'rule', typeError('Hostile.Returns', 'rule', 'NoneType', 'bool')],
  ['Hostile.Returns', 'rule returns 1', false, 'rule', typeError('Hostile.Returns', 'rule', 'int', 'bool')],
  ['Hostile.Returns', 'rule returns 0', false, 'rule', typeError('Hostile.Returns', 'rule', 'int', 'bool')],
  ['Hostile.Returns', 'rule returns "true"', false, 'rule', typeError('Hostile.Returns', 'rule', 'str', 'bool')],
  ['Hostile.Returns', 'rule returns a truthy object', false, 'rule', typeError('Hostile.Returns', 'rule', 'Truthy', 'bool')],
  ['Hostile.Returns', 'rule returns True', true],
  // --- auxiliary functions: reported (and counted) only when ExpectedResult is the alert value
  ['Hostile.Aux', 'title None when alerting', false, 'title', typeError('Hostile.Aux', 'title', 'NoneType', 'str')],
  ['Hostile.Aux', 'title None when not alerting', true],
  ['Hostile.Aux', 'title int', false, 'title', typeError('Hostile.Aux', 'title', 'int', 'str')],
  ['Hostile.Aux', 'title 5000 characters', true], // truncated to 1000, no error
  ['Hostile.Aux', 'dedup empty string', true], // → defaultDedupString:<ID>
  ['Hostile.Aux', 'dedup None', false, 'dedup', typeError('Hostile.Aux', 'dedup', 'NoneType', 'str')],
  ['Hostile.Aux', 'severity default', true],
  ['Hostile.Aux', 'severity DEFAULT', true],
  ['Hostile.Aux', 'severity urgent', false, 'severity', /^AssertionError: Expected severity to be any of the following: .*got \[URGENT\]/],
  ['Hostile.Aux', 'severity lower-case high', true],
  ['Hostile.Aux', 'severity urgent when not alerting', true],
  ['Hostile.Aux', 'alert_context list', false, 'alert_context', typeError('Hostile.Aux', 'alert_context', 'list', 'Mapping')],
  ['Hostile.Aux', 'alert_context set in a dict', false, 'alert_context', /^TypeError: object of type <class 'set'> is not JSON serializable/],
  ['Hostile.Aux', 'alert_context NaN', false, 'alert_context', /^ValueError: Out of range float values are not JSON compliant/],
  ['Hostile.Aux', 'alert_context 300 KB', true], // replaced by {"_error": ...size...}, no error
  ['Hostile.Aux', 'alert_context None', false, 'alert_context', typeError('Hostile.Aux', 'alert_context', 'NoneType', 'Mapping')],
  ['Hostile.Aux', 'alert_context the event', true],
  ['Hostile.Aux', 'destinations tuple', false, 'destinations', typeError('Hostile.Aux', 'destinations', 'tuple', 'list')],
  ['Hostile.Aux', 'destinations None', true],
  ['Hostile.Aux', 'destinations empty list', true],
  ['Hostile.Aux', 'destinations list of ints', false, 'destinations', /returned a list holding \[int\], expected \[str\]/],
  ['Hostile.Aux', 'destinations from the event (immutable list)', false, 'destinations', typeError('Hostile.Aux', 'destinations', 'ImmutableList', 'list')],
  ['Hostile.Aux', 'description reference runbook raise', false, 'description', "KeyError: 'description'"],
  ['Hostile.Aux', 'several aux errors not alerting', true],
  ['Hostile.Aux', 'rule error with aux errors', false, 'rule', 'RuntimeError: boom'],
  ['Hostile.Aux', 'rule error when ExpectedResult is false', false, 'rule', 'RuntimeError: boom'],
  ['Hostile.Aux', 'all good', true],
  // --- CreateAlert: false: only the matcher and alert_context count
  ['Hostile.Signal', 'title error in an alerting test is not counted', true],
  ['Hostile.Signal', 'severity and dedup errors are not counted either', true],
  ['Hostile.Signal', 'alert_context error still counts', false, 'alert_context', "KeyError: 'ctx'"],
  ['Hostile.Signal', 'matcher mismatch still counts', false, 'rule', 'rule returned true, expected false'],
  // --- mocks (§6.5)
  ['Hostile.Mocks', 'mock on a missing attribute', false, 'harness', /objectName 'does_not_exist' is not a name defined/],
  ['Hostile.Mocks', 'mock a constant (isinstance MagicMock)', true],
  ['Hostile.Mocks', 'mock returnValue bool', true],
  ['Hostile.Mocks', 'mock returnValue string', true],
  ['Hostile.Mocks', 'originals are restored', true],
  ['Hostile.Mocks', 'mock a dotted name', false, 'harness', /objectName 'json.dumps' is not a name defined/],
  ['Hostile.Mocks', 'mock the rule function itself', true],
  ['Hostile.UsesHelper', 'helper imported by GlobalID', true],
  ['Hostile.UsesHelper', 'mock of a name the rule imported from the helper', true],
  ['Hostile.UsesHelper', 'mock of an attribute the rule module does not have', false, 'harness', /objectName 'slow' is not a name defined/],
  // --- Logs that are not mappings (§6.3: the test fails)
  ['Hostile.OddLogs', 'Log is a list', false, 'harness', "the test's Log is a list, not a mapping of fields"],
  ['Hostile.OddLogs', 'Log is a string', false, 'harness', "the test's Log is a string, not a mapping of fields"],
  ['Hostile.OddLogs', 'Log is null', false, 'harness', "the test's Log is empty (null), not a mapping of fields"],
  ['Hostile.OddLogs', 'Log is a number', false, 'harness', "the test's Log is a number, not a mapping of fields"],
  ['Hostile.OddLogs', 'Log is an empty mapping', true],
  ['Hostile.OddLogs', 'p_log_type is a list', false, 'harness', /p_log_type is a list/], // spec silent: pat fails with an unhashable-type error
  // --- policies: True means compliant, the alert value is False
  ['Hostile.Policy', 'compliant', true],
  ['Hostile.Policy', 'not compliant', true],
  ['Hostile.Policy', 'wrongly expected compliant', false, 'policy', 'policy returned false, expected true'],
  ['Hostile.Policy', 'title error while compliant is ignored', true],
  ['Hostile.Policy', 'title error while not compliant counts', false, 'title', 'ValueError: title boom'],
  ['Hostile.Policy', 'mutations are visible to title', true],
  ['Hostile.Policy', 'policy returns a string', false, 'policy', typeError('Hostile.Policy', 'policy', 'str', 'bool')],
  ['Hostile.Policy', 'plain dict, case-sensitive', true],
  // --- data models: only rules, only for the Log's exact p_log_type
  ['Hostile.UDM', 'with p_log_type the data model is used', true],
  ['Hostile.UDM', 'without p_log_type only p_udm and the event are used', true],
  ['Hostile.UDM', 'another log type gets no data model', true],
  ['Hostile.UDM', 'p_log_type differs in case', true],
  ['Hostile.Scheduled', 'scheduled rules never get the data model', true],
  // --- module state: one module per detection, loaded once, tests in file order
  ['Hostile.StateA', 'first call', true],
  ['Hostile.StateA', 'second call', true],
  ['Hostile.StateA', 'third call', true],
  ['Hostile.StateB', 'first call', true],
  ['Hostile.StateB', 'second call', true],
  ['Hostile.StateSharedFile', 'same file, own module', true],
  // --- InlineFilters on a Python rule: evaluated first; false means the result is False
  ['Hostile.Filtered', 'kept by the filters, rule alerts', true],
  ['Hostile.Filtered', 'dropped by the filters, rule() never runs', true],
  ['Hostile.Filtered', 'dropped, but expected to alert', false, 'rule', 'rule returned false, expected true'],
  ['Hostile.Filtered', 'filter key case is exact', true],
  ['Hostile.Filtered', 'enrichment drops it', true],
  // --- text and YAML values as pat's Python sees them
  ['Hostile.Unicode', 'emoji 🔥 in the name — ünïcödé', true],
  ['Hostile.Unicode', '日本語のテスト', true],
  ['Hostile.Unicode', 'fails with emoji output 💥', false, 'rule', 'rule returned false, expected true'],
  ['Hostile.YamlValues', "scalars as pat's Python sees them", true],
  ['Hostile.YamlKeys', 'mapping keys keep their YAML types and order', true],
];

describe('hostile Python pack', () => {
  test('finishes despite hangs (1 s limit) and crashes', () => {
    expect(report.python).not.toBeNull();
  });

  test('every verdict is exactly as pat gives it', () => {
    const { got, want } = verdicts(report, EXPECTED);
    expect(got).toEqual(want);
  });

  test('no test is reported that the table does not know', () => {
    const known = new Set(EXPECTED.map(([id, n]) => `${id}\0${n}`));
    expect(report.tests.filter((t) => !known.has(`${t.itemId}\0${t.name}`)).map((t) => `${t.itemId} / ${t.name}`)).toEqual([]);
  });

  test('nothing is silent: every file and every test is accounted for, failures carry file, line, function and error', () => {
    expect(checkAccounting(report, PACK)).toEqual([]);
    const t = report.tests.find((x) => x.name === 'title None when alerting')!;
    expect(t).toMatchObject({ file: `${REL}/rules/aux_funcs.yml`, line: 8, expected: true, actual: true, failedFunction: 'title' });
    const f = report.findings.find((x) => x.code === 'test/failed' && x.line === 8 && x.file === t.file)!;
    expect(f.message).toContain('title() raised FunctionReturnTypeError');
    expect(f.message).toMatch(/aux_funcs\.py line 1[0-9]\)/);
    const h = report.tests.find((x) => x.name === 'SIGKILL self')!;
    expect(h).toMatchObject({ expected: true, actual: null, line: 20 });
    expect(report.findings.find((x) => x.file === h.file && x.line === 20)!.code).toBe('test/error');
  });

  test('modules that cannot load: the right code, at the .py line, tests listed as not run', () => {
    const at = (code: string, file: string) => report.findings.filter((f) => f.code === code && f.file === `${REL}/${file}`);
    const syntax = at('python/syntax', 'rules/syntax.py');
    expect(syntax.map((f) => f.line)).toEqual([5]);
    expect(syntax[0].message).toMatch(/^SyntaxError: expected ':' in .*syntax\.py line 5/);
    const missing = at('python/import', 'rules/missing_module.py');
    expect(missing.map((f) => f.line)).toEqual([4]);
    expect(missing[0].message).toContain('module "hostile_not_installed_pkg" is not installed');
    expect(missing[0].message).toContain('pip install hostile-not-installed-pkg');
    expect(at('python/missing-function', 'rules/norule.py')[0].message).toContain('defines no rule(event) function');
    expect(at('python/missing-function', 'policies/rule_only.py')[0].message).toContain('defines no policy(resource) function');
    expect(at('python/missing-function', 'queries/scheduled_norule.py')[0].message).toContain('for scheduled rules too');
    // a global helper with a syntax error is reported at its own line, for the rule importing it
    const helper = at('python/syntax', 'global_helpers/broken_helper.py');
    expect(helper.map((f) => [f.line, f.itemId])).toEqual([[5, 'Hostile.BrokenHelperUser']]);
    expect(helper[0].message).toContain('imported by');
    expect(at('python/import', 'rules/import_error.py').map((f) => [f.line, f.message.includes("KeyError: 'missing'")])).toEqual([[3, true]]);
    expect(at('python/import', 'rules/import_exit.py')[0].message).toMatch(/ended while importing/);
    expect(at('python/import', 'rules/hang_import.py')[0].message).toMatch(TIME_LIMIT);
    // a sibling .py that is not a global: pat cannot import it; no "pip install" advice for it
    const sibling = at('python/import', 'rules/sibling_import.py');
    expect(sibling[0].message).toContain('a Python file of the repository that is not a global helper');
    expect(sibling[0].hint).toContain('AnalysisType: global');
    const notRun = Object.fromEntries(report.notRun.map((n) => [n.itemId, n.tests]));
    expect(notRun).toEqual({
      'Hostile.HangImport': 2,
      'Hostile.MissingModule': 2,
      'Hostile.Syntax': 1,
      'Hostile.NoRule': 1,
      'Hostile.PolicyRuleOnly': 1,
      'Hostile.ScheduledNoRule': 1,
      'Hostile.BrokenHelperUser': 1,
      'Hostile.ImportError': 1,
      'Hostile.ImportExit': 1,
      'Hostile.SiblingImport': 1,
      'Hostile.ResourceOnRule': 2, // Resource in a rule test: schema error, nothing runs
      'Hostile.PolicyWithLog': 1, // Log in a policy test: schema error
      'Hostile.FakeSyntaxError': 1, // a SyntaxError raised by the module itself, with a bogus filename
    });
    expect(at('python/syntax', 'rules/fake_syntax.py').map((f) => f.line)).toEqual([1]);
  });

  test('InlineFilters: the failure says the filters rejected the event; enrichment notes per test', () => {
    const f = report.findings.find((x) => x.code === 'test/failed' && x.message.includes('"dropped, but expected to alert"'))!;
    expect(f.message).toContain('InlineFilters rejected the event, so rule() was not called');
    const notes = report.findings.filter((x) => x.code === 'test/enrichment-absent' && x.file.endsWith('rules/filtered.yml'));
    expect(notes.map((x) => x.line)).toEqual([21, 24, 27]);
  });

  test('output is captured per test and capped; the flood costs no protocol message', () => {
    const flood = report.tests.find((t) => t.name === '50 MB on stdout')!;
    expect(flood.output!.length).toBeLessThan(70 * 1024);
    expect(flood.output).toMatch(/\[\.\.\. \d+ more bytes of output not kept\]$/);
    expect(report.tests.find((t) => t.name === 'fails with emoji output 💥')!.output).toBe('output with emoji 🎉 and ünïcödé\n');
  });

  test('RuleGate leaves no bytecode in the pack', () => {
    expect(findPycache(PACK)).toEqual([]);
  });
});
