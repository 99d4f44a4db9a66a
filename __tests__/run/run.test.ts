// Runs the fixture pack through the real Python worker and checks pat's verdicts (spec §6).
import * as path from 'path';
import { FatalError } from '../../src/core/errors';
import type { Item, TestResult } from '../../src/core/types';
import { CORRELATION_REASON, runTests, warmUp, type TestRunOutput } from '../../src/run';
import { byId, loadPack, packOptions } from './helpers';

let items: Item[];
let out: TestRunOutput;

const SECRETS: Record<string, string> = {
  GITHUB_TOKEN: 'ghs_secret',
  INPUT_X: 'input-secret',
  ACTIONS_RUNTIME_TOKEN: 'runtime-secret',
  AWS_SECRET_ACCESS_KEY: 'aws-secret',
  RULEGATE_TEST_SECRET: 'other',
};

function result(itemId: string, name: string): TestResult {
  const r = out.results.find((t) => t.itemId === itemId && t.name === name);
  if (!r) throw new Error(`no result for ${itemId} / ${name}`);
  return r;
}

function findingsFor(itemId: string, code?: string) {
  return out.findings.filter((f) => f.itemId === itemId && (!code || f.code === code));
}

beforeAll(async () => {
  items = loadPack();
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(SECRETS)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  try {
    const toRun = items.filter((i) => i.id !== 'Fixture.Hang' && i.id !== 'Fixture.ImportHang');
    out = await runTests(toRun, items, packOptions());
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

describe('runner over the fixture pack (real Python worker)', () => {
  test('reports the Python in use', () => {
    expect(out.python).not.toBeNull();
    expect(out.python!.version).toMatch(/^3\./);
    expect(['builtin', 'panther_core']).toContain(out.python!.event);
  });

  test('rule verdicts: match, mismatch, non-bool return, Log not a mapping', () => {
    expect(result('Fixture.Basic', 'matches')).toMatchObject({ passed: true, actual: true, expected: true, error: null });
    expect(result('Fixture.Basic', 'does not match')).toMatchObject({ passed: true, actual: false });
    const wrong = result('Fixture.Basic', 'wrong expectation');
    expect(wrong).toMatchObject({ passed: false, actual: false, failedFunction: 'rule' });
    const list = result('Fixture.Basic', 'log is a list');
    expect(list).toMatchObject({ passed: false, failedFunction: 'harness' });
    expect(list.error).toMatch(/Log is a list, not a mapping/);
    const none = result('Fixture.Basic', 'returns None');
    expect(none).toMatchObject({ passed: false, actual: null });
    expect(none.error).toBe('FunctionReturnTypeError: detection [Fixture.Basic] function [rule] returned [NoneType], expected [bool]');

    const f = findingsFor('Fixture.Basic');
    expect(f.map((x) => x.code).sort()).toEqual(['test/error', 'test/failed', 'test/failed']);
    const wf = f.find((x) => x.message.includes('wrong expectation'))!;
    expect(wf.code).toBe('test/failed');
    expect(wf.file).toBe('rules/basic.yml');
    expect(wf.line).toBe(17); // the test's Name line
    expect(wf.message).toContain('rule() returned False, but ExpectedResult is True');
  });

  test('auxiliary functions: errors count only when ExpectedResult is the alert value', () => {
    expect(result('Fixture.Aux', 'alerting ok').passed).toBe(true);
    const t = result('Fixture.Aux', 'title error counts when alerting');
    expect(t).toMatchObject({ passed: false, failedFunction: 'title', actual: true });
    expect(t.error).toBe("KeyError: 'missing_field'");
    expect(findingsFor('Fixture.Aux').find((x) => x.message.includes('title error counts'))!.message).toMatch(
      /title\(\) raised KeyError: 'missing_field' \(.*rules\/aux\.py line 10\)/,
    );
    expect(result('Fixture.Aux', 'title error ignored when not alerting').passed).toBe(true);
    const sev = result('Fixture.Aux', 'bad severity');
    expect(sev).toMatchObject({ passed: false, failedFunction: 'severity' });
    expect(sev.error).toContain('AssertionError: Expected severity to be any of the following');
    expect(result('Fixture.Aux', 'DEFAULT severity').passed).toBe(true);
    expect(result('Fixture.Aux', 'destinations tuple')).toMatchObject({ passed: false, failedFunction: 'destinations' });
    expect(result('Fixture.Aux', 'alert_context list').error).toMatch(/FunctionReturnTypeError: .*returned \[list\], expected \[Mapping\]/);
    expect(result('Fixture.Aux', 'alert_context NaN').error).toMatch(/^ValueError: Out of range float values/);
    expect(result('Fixture.Aux', 'alert_context datetime').error).toMatch(/^TypeError: /);
    expect(result('Fixture.Aux', 'alert_context event').passed).toBe(true);
    expect(result('Fixture.Aux', 'alert_context too big').passed).toBe(true);
    const none = result('Fixture.Aux', 'expected alert but none');
    expect(none).toMatchObject({ passed: false, failedFunction: 'rule', actual: false });
    // failed tests carry every reported function in pat's order (destinations: without
    // --available-destination every name is unknown, pat ignores that error and shows nothing)
    expect(t.functions!.map((f) => f.name)).toEqual(['rule', 'title', 'dedup', 'alert_context', 'severity']);
    expect(t.functions!.find((f) => f.name === 'dedup')!.value).toBe('defaultDedupString:Fixture.Aux');
  });

  test('CreateAlert: false reports only the matcher and alert_context', () => {
    expect(result('Fixture.Signal', 'title error not counted without alerts').passed).toBe(true);
    expect(result('Fixture.Signal', 'alert_context error still counts')).toMatchObject({ passed: false, failedFunction: 'alert_context' });
  });

  test('mocks are real MagicMocks on the module, restored after the test; a missing target is a harness error', () => {
    expect(result('Fixture.Mocks', 'mocked function and constant').passed).toBe(true);
    expect(result('Fixture.Mocks', 'originals restored').passed).toBe(true);
    const missing = result('Fixture.Mocks', 'mock target missing');
    expect(missing).toMatchObject({ passed: false, failedFunction: 'harness' });
    expect(missing.error).toContain("'nothing_here'");
    expect(findingsFor('Fixture.Mocks', 'test/error')).toHaveLength(1);
  });

  test('data models by Path and Method, only for the exact p_log_type, never for scheduled rules', () => {
    for (const name of ['with data model', 'without p_log_type p_udm is used', 'disabled data model is not used'])
      expect([name, result('Fixture.UDM', name).error]).toEqual([name, null]);
    expect(result('Fixture.Scheduled', 'no data model for scheduled rules')).toMatchObject({ passed: true, error: null });
  });

  test('unusable data-model mappings are reported at their line', () => {
    const dm = out.findings.filter((f) => f.code === 'datamodel/invalid');
    expect(dm.map((f) => [f.file, f.line, f.itemId])).toEqual([
      ['data_models/bad_dm.yml', 11, 'Fixture.BadModel'],
      ['data_models/bad_dm.yml', 13, 'Fixture.BadModel'],
    ]);
    expect(dm[0].message).toContain('no_such_function');
    expect(dm[1].message).toContain('does not support');
  });

  test('PantherEvent semantics and YAML value types survive the trip to Python', () => {
    const r = result('Fixture.Event', 'event semantics');
    expect([r.error, r.passed]).toEqual([null, true]);
  });

  test('policies get the plain mapping and alert on False', () => {
    expect(result('Fixture.Policy', 'compliant').passed).toBe(true);
    expect(result('Fixture.Policy', 'not compliant (alerts)').passed).toBe(true);
    const w = result('Fixture.Policy', 'wrongly expected compliant');
    expect(w).toMatchObject({ passed: false, failedFunction: 'policy', actual: false });
    expect(findingsFor('Fixture.Policy')[0].message).toContain('policy() returned False, but ExpectedResult is True');
  });

  test('module state persists across the tests of one detection', () => {
    for (const n of ['first', 'second', 'third']) expect(result('Fixture.State', n).passed).toBe(true);
  });

  test('sys.exit is a test failure, os._exit and kill -9 lose only their own test', () => {
    const exit = result('Fixture.Exits', 'sys.exit');
    expect(exit).toMatchObject({ passed: false, failedFunction: 'rule' });
    expect(exit.error).toBe('SystemExit: 3');
    for (const n of ['os._exit', 'kill -9']) {
      const r = result('Fixture.Exits', n);
      expect(r).toMatchObject({ passed: false, failedFunction: 'harness' });
      expect(r.error).toMatch(/worker process ended while running this test/);
    }
    for (const n of ['after sys.exit', 'after os._exit', 'after kill']) expect(result('Fixture.Exits', n).passed).toBe(true);
    expect(findingsFor('Fixture.Exits').map((f) => f.code).sort()).toEqual(['test/error', 'test/error', 'test/failed']);
  });

  test('a 10 MB flood of output (with fake protocol lines) is captured, capped, and cannot forge results', () => {
    const r = result('Fixture.Flood', 'ten megabytes of output');
    expect(r.passed).toBe(true);
    expect(r.output!.length).toBeLessThan(70 * 1024);
    expect(r.output).toMatch(/more bytes of output not kept/);
    expect(result('Fixture.Flood', 'quiet')).toMatchObject({ passed: true, actual: false });
    expect(out.results.filter((t) => t.itemId === 'Fixture.Flood')).toHaveLength(2);
  });

  test('InlineFilters run first: filtered out means the rule result is False', () => {
    expect(result('Fixture.Filtered', 'kept by the filter')).toMatchObject({ passed: true, actual: true });
    expect(result('Fixture.Filtered', 'dropped by the filter')).toMatchObject({ passed: true, actual: false });
  });

  test('module problems: missing module, syntax error, missing rule()', () => {
    const imp = findingsFor('Fixture.MissingModule', 'python/import');
    expect(imp).toHaveLength(1);
    expect(imp[0].file).toMatch(/rules\/missing_module\.py$/);
    expect(imp[0].line).toBe(3);
    expect(imp[0].message).toContain('"rulegate_no_such_module"');
    expect(imp[0].message).toContain('pip install rulegate-no-such-module');

    const syn = findingsFor('Fixture.Syntax', 'python/syntax');
    expect(syn).toHaveLength(1);
    expect(syn[0].file).toMatch(/rules\/syntax\.py$/);
    expect(syn[0].line).toBe(4);
    expect(syn[0].message).toMatch(/^SyntaxError: /);

    const nf = findingsFor('Fixture.NoRule', 'python/missing-function');
    expect(nf).toHaveLength(1);
    expect(nf[0].message).toContain('defines no rule(event) function');

    for (const id of ['Fixture.MissingModule', 'Fixture.Syntax', 'Fixture.NoRule']) {
      expect(out.results.filter((r) => r.itemId === id)).toHaveLength(0);
      expect(out.notRun.find((n) => n.itemId === id)).toMatchObject({ tests: 1 });
    }
  });

  test('workers get a scrubbed environment: no runner secrets reach rule code', () => {
    const r = result('Fixture.Env', 'no secrets in the environment');
    expect([r.error, r.passed]).toEqual([null, true]);
  });

  test('simple detections run in TypeScript; correlation rules are reported as not run', () => {
    expect(out.results.filter((r) => r.itemId === 'Fixture.Simple').map((r) => r.passed)).toEqual([true, true]);
    expect(out.notRun.find((n) => n.itemId === 'Fixture.Correlation')).toEqual({
      itemId: 'Fixture.Correlation',
      file: 'correlation_rules/corr.yml',
      tests: 2,
      reason: CORRELATION_REASON,
    });
  });

  test('results come back in item order, tests in file order', () => {
    const basic = out.results.filter((r) => r.itemId === 'Fixture.Basic').map((r) => r.name);
    expect(basic).toEqual(['matches', 'does not match', 'wrong expectation', 'log is a list', 'returns None']);
    const ids = [...new Set(out.results.map((r) => r.itemId))];
    const order = items.map((i) => i.id);
    expect([...ids].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(ids);
  });
});

describe('selection options', () => {
  test('--minimum-tests, --skip-disabled-tests, --test-names and invalid items', async () => {
    const all = loadPack();
    const pick = ['Fixture.Disabled', 'Fixture.NoTests', 'Fixture.State', 'Fixture.Basic', 'Fixture.Correlation', 'Fixture.Policy'].map((id) => byId(all, id));
    const invalid = { ...byId(all, 'Fixture.Aux'), valid: false };
    const o = await runTests([...pick, invalid], all, packOptions({ minimumTests: 3, skipDisabled: true, testNames: ['first', 'matches', 'one', 'compliant'] }));
    // skip-disabled and invalid items are reported as not run
    expect(o.notRun.find((n) => n.itemId === 'Fixture.Disabled')!.reason).toMatch(/--skip-disabled-tests/);
    expect(o.notRun.find((n) => n.itemId === 'Fixture.Aux')!.reason).toMatch(/invalid spec/);
    // --test-names: only the named tests run; NoTests has none of them → skipped
    expect(o.results.map((r) => `${r.itemId}/${r.name}`)).toEqual(['Fixture.State/first', 'Fixture.Basic/matches', 'Fixture.Policy/compliant']);
    expect(o.notRun.find((n) => n.itemId === 'Fixture.NoTests')!.reason).toMatch(/--test-names/);
    // counts use all tests, not only the selected ones: Correlation has 2 (< 3); State has 3,
    // all positive (no negative one); Basic and Policy are fine
    const ins = o.findings.filter((f) => f.code === 'test/insufficient');
    expect(ins.map((f) => f.itemId)).toEqual(['Fixture.Correlation', 'Fixture.State']);
    expect(ins[0].message).toContain('3 tests required but only 2 found');
    expect(ins[1].message).toContain('expected at least one positive and one negative test');
    expect(ins[1].line).toBe(8); // the Tests: key
  });

  test('--minimum-tests counts a missing Tests key as 0', async () => {
    const all = loadPack();
    const o = await runTests([byId(all, 'Fixture.NoTests')], all, packOptions({ minimumTests: 1 }));
    expect(o.findings.filter((f) => f.code === 'test/insufficient').map((f) => f.message)).toEqual(['Fixture.NoTests: Insufficient test coverage: 1 tests required but only 0 found (--minimum-tests 1)']);
  });
});

describe('event classes', () => {
  test("panther_core's own classes are used when it is importable", async () => {
    const all = loadPack();
    const saved = process.env.PYTHONPATH;
    process.env.PYTHONPATH = [path.join(__dirname, 'fixtures', 'fake_core'), saved].filter(Boolean).join(path.delimiter);
    try {
      const o = await runTests([byId(all, 'Fixture.Event'), byId(all, 'Fixture.Mocks')], all, packOptions());
      expect(o.python!.event).toBe('panther_core');
      expect(o.results.map((r) => [r.name, r.error])).toEqual([
        ['event semantics', null],
        ['mocked function and constant', null],
        ['originals restored', null],
        ['mock target missing', expect.stringContaining('nothing_here')],
      ]);
    } finally {
      if (saved === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = saved;
    }
  });
});

describe('warm start', () => {
  test('warmUp() starts Python early and runTests() adopts it', async () => {
    const all = loadPack();
    const opts = packOptions();
    warmUp(opts);
    const o = await runTests([byId(all, 'Fixture.State')], all, opts);
    expect(o.timings!.warm).toBe(1);
    expect(o.results.map((r) => r.passed)).toEqual([true, true, true]);
  });
});

describe('containment', () => {
  test('a hanging test is stopped at the time limit; the next test still runs', async () => {
    const all = loadPack();
    const o = await runTests([byId(all, 'Fixture.Hang'), byId(all, 'Fixture.ImportHang')], all, packOptions({ testTimeoutSec: 1 }));
    // a module whose import hangs: reported on its .py file, its tests not run
    const imp = o.findings.find((f) => f.itemId === 'Fixture.ImportHang')!;
    expect(imp.code).toBe('python/import');
    expect(imp.message).toContain('did not finish within the 1 s time limit');
    expect(o.notRun.find((n) => n.itemId === 'Fixture.ImportHang')).toMatchObject({ tests: 1 });
    const hang = o.results.find((r) => r.name === 'hangs')!;
    expect(hang).toMatchObject({ passed: false, failedFunction: 'harness' });
    expect(hang.error).toContain('1 s time limit');
    expect(o.findings.find((f) => f.code === 'test/error' && f.itemId === 'Fixture.Hang')!.message).toContain('1 s time limit');
    expect(o.results.find((r) => r.name === 'after the hang')!.passed).toBe(true);
  });

  test('without fork (as on Windows) every worker is its own process, and crashes are still contained', async () => {
    const all = loadPack();
    process.env.RULEGATE_WORKERS = 'spawn';
    try {
      const o = await runTests([byId(all, 'Fixture.Exits'), byId(all, 'Fixture.State')], all, packOptions({ testNames: ['os._exit', 'after os._exit', 'first'] }));
      expect(o.results.map((r) => [r.name, r.passed])).toEqual([
        ['os._exit', false],
        ['after os._exit', true],
        ['first', true],
      ]);
    } finally {
      delete process.env.RULEGATE_WORKERS;
    }
  });

  test('no Python: a fatal error (exit 2) when Python rules exist, nothing when none do', async () => {
    const all = loadPack();
    const opts = packOptions({ python: '/nonexistent/python3' });
    await expect(runTests([byId(all, 'Fixture.Basic')], all, opts)).rejects.toThrow(FatalError);
    await expect(runTests([byId(all, 'Fixture.Basic')], all, opts)).rejects.toThrow(/was not found/);
    const o = await runTests([byId(all, 'Fixture.Simple'), byId(all, 'Fixture.Correlation')], all, opts);
    expect(o.python).toBeNull();
    expect(o.results).toHaveLength(2);
  });
});
