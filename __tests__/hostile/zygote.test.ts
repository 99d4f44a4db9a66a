// The process that imports shared things before forking workers (the zygote) against hostile
// global helpers and data models: os._exit() or an endless loop at import time, several times
// over; rules that kill their process group or their parent. None of it may stop the run or
// cost more than the faulty items.
import * as path from 'path';
import type { Report } from '../../src/core/types';
import { FIXTURES, runPack } from './helpers';

let report: Report;

beforeAll(async () => {
  // one worker: a rule that kills its whole process group takes down only the test it runs in
  report = await runPack(path.join(FIXTURES, 'zygote'), { jobs: 1 });
}, 60_000);

const REL = '__tests__/hostile/fixtures/zygote';

test('seven helpers that end the process at import: the run goes on (it used to stop with exit 2)', () => {
  expect(report.python).not.toBeNull();
  for (let n = 1; n <= 7; n++) {
    const f = report.findings.filter((x) => x.itemId === `Zygote.UsesExit${n}`);
    expect(f.map((x) => [x.code, x.file])).toEqual([['python/import', `${REL}/rules/uses_exit_${n}.py`]]);
    expect(report.notRun.find((x) => x.itemId === `Zygote.UsesExit${n}`)).toMatchObject({ tests: 1 });
  }
});

test('a helper that never finishes importing: held to the test time limit, not 10 s', () => {
  const f = report.findings.find((x) => x.itemId === 'Zygote.UsesHang')!;
  expect(f.code).toBe('python/import');
  expect(f.message).toContain('did not finish within the 1 s time limit');
});

test('data models that hang or exit at import are reported and left out; udm() runs without them', () => {
  const dm = report.findings.filter((x) => x.code === 'datamodel/invalid').map((x) => [path.basename(x.file), x.message.replace(/;.*/, '')]);
  expect(dm).toEqual([
    ['dm_exit.yml', "data model Zygote.DMExit: loading the data model's Python file ended the Python process"],
    ['dm_hang.yml', "data model Zygote.DMHang: loading the data model's Python file did not finish within 1 s"],
  ]);
  expect(report.tests.filter((t) => t.itemId === 'Zygote.NoDataModel').map((t) => t.passed)).toEqual([true, true, true]);
});

test('killing the process group or the parent costs at most the test that did it', () => {
  const rows = report.tests
    .filter((t) => t.itemId === 'Zygote.KillGroup' || t.itemId === 'Zygote.KillParent' || t.itemId === 'Zygote.Fine')
    .map((t) => [t.itemId, t.name, t.passed, t.failedFunction ?? null]);
  expect(rows).toEqual([
    ['Zygote.KillParent', 'first', true, null],
    ['Zygote.KillParent', 'second', true, null], // the zygote died, not the worker running the test
    ['Zygote.KillParent', 'third', true, null],
    ['Zygote.KillGroup', 'first', true, null],
    ['Zygote.KillGroup', 'second', false, 'harness'],
    ['Zygote.KillGroup', 'third', true, null],
    ['Zygote.Fine', 'first', true, null],
    ['Zygote.Fine', 'second', true, null],
    ['Zygote.Fine', 'third', true, null],
  ]);
});
