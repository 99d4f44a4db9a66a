// The report contract's zod schema accepts what the JSON renderer writes (a real run, Python tests
// included) unchanged, and names the first bad field of anything else.
import * as path from 'path';
import { parseReport } from '../../src/core/report-schema';
import { renderJson } from '../../src/render/json';
import { runPack } from '../hostile/helpers';
import { makeReport } from '../render/fixtures/report';

test('a real report (rules with Python tests, findings, output) passes the schema unchanged', async () => {
  const report = await runPack(path.join(__dirname, '..', 'run', 'fixtures', 'pack'));
  expect(report.tests.some((t) => t.functions?.length)).toBe(true);
  expect(report.tests.some((t) => t.output)).toBe(true);
  expect(report.findings.length).toBeGreaterThan(0);
  const written = JSON.parse(renderJson(report));
  const parsed = parseReport(written);
  expect(parsed).toEqual({ ok: true, report: written });
});

test('unknown keys are dropped (newer writers may add keys), never passed on', () => {
  const r = JSON.parse(JSON.stringify(makeReport())) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  r.extra = '<img src=x>';
  r.findings[0].raw_details = '@everyone';
  r.findings[0].annotation_level = 'failure';
  const parsed = parseReport(r);
  if (!parsed.ok) throw new Error(parsed.problem);
  expect(parsed.report).not.toHaveProperty('extra');
  expect(parsed.report.findings[0]).not.toHaveProperty('raw_details');
  expect(parsed.report.findings[0]).not.toHaveProperty('annotation_level');
});

test('the first bad field, in plain words', () => {
  const r = JSON.parse(JSON.stringify(makeReport()));
  r.summary.items = '3';
  r.findings[0].line = null;
  expect(parseReport(r)).toEqual({ ok: false, problem: 'summary.items: expected number, got string' });
  expect(parseReport(null)).toEqual({ ok: false, problem: '(the report): expected object, got null' });
  const s = JSON.parse(JSON.stringify(makeReport({ selection: { mode: 'changed', changedFiles: ['a'], selected: [] } })));
  s.selection.selected = [{ file: 'a', reason: 7 }];
  expect(parseReport(s)).toEqual({ ok: false, problem: 'selection.selected[0].reason: expected string, got number' });
});
