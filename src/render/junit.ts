// JUnit XML for test reporters (dorny/test-reporter, EnricoMi/publish-unit-test-result-action, CI
// dashboards): one <testsuite> per analysis file, one <testcase> per rule test, and per file one
// "validation" test case — passing, or one failing case per error finding that is not a test result.
// A pure function of the Report.
import type { Finding, Report, TestResult } from '../core/types';

export interface JunitContext {
  /** Name of the root <testsuites>; default `RuleGate`. */
  name?: string;
  /** ISO timestamp written on each suite; omitted when absent (keeps output reproducible). */
  timestamp?: string;
}

const TEST_CODES = new Set(['test/failed', 'test/error']);

interface Case {
  name: string;
  classname: string;
  file: string;
  line?: number;
  timeMs: number;
  outcome?: { kind: 'failure' | 'error' | 'skipped'; message: string; type?: string; body?: string };
  output?: string;
}

export function renderJunit(report: Report, ctx: JunitContext = {}): string {
  const suites = new Map<string, Case[]>();
  const add = (file: string, c: Case) => {
    const list = suites.get(file) ?? [];
    list.push(c);
    suites.set(file, list);
  };

  // 1. Rule tests, in report order.
  const testFindings = report.findings.filter((f) => TEST_CODES.has(f.code));
  for (const t of report.tests) add(t.file, testCase(t, testFindings));

  // 2. Validation: one failing case per non-test error finding, or one passing case per checked file.
  const errorsByFile = new Map<string, Finding[]>();
  for (const f of report.findings) {
    if (f.severity !== 'error' || TEST_CODES.has(f.code)) continue;
    const list = errorsByFile.get(f.file) ?? [];
    list.push(f);
    errorsByFile.set(f.file, list);
  }
  const idsByFile = new Map<string, string[]>();
  for (const i of report.items) idsByFile.set(i.file, [...(idsByFile.get(i.file) ?? []), i.id]);
  const selected = report.selection && report.selection.mode === 'changed' ? new Set(report.selection.selected.map((s) => s.file)) : undefined;
  const validated = new Set<string>([...idsByFile.keys()].filter((f) => !selected || selected.has(f)));
  for (const f of errorsByFile.keys()) validated.add(f);
  for (const file of [...validated].sort()) {
    const errors = errorsByFile.get(file);
    const fallbackClass = idsByFile.get(file)?.[0] ?? file;
    if (!errors) {
      add(file, { name: 'validation', classname: fallbackClass, file, timeMs: 0 });
      continue;
    }
    for (const f of errors) {
      add(file, {
        name: `validation: ${f.code} at line ${f.line}`,
        classname: f.itemId ?? fallbackClass,
        file,
        line: f.line,
        timeMs: 0,
        outcome: { kind: 'failure', type: f.code, message: f.message, body: findingBody(f) },
      });
    }
  }

  // 3. Tests that could not run offline.
  for (const n of report.notRun) {
    add(n.file, {
      name: `${n.itemId} (${n.tests} ${n.tests === 1 ? 'test' : 'tests'})`,
      classname: n.itemId,
      file: n.file,
      timeMs: 0,
      outcome: { kind: 'skipped', message: n.reason },
    });
  }

  const files = [...suites.keys()].sort();
  const total = count([...suites.values()].flat());
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="${attr(ctx.name ?? 'RuleGate')}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}" time="${secs(total.timeMs)}">`,
  );
  for (const file of files) {
    const cases = suites.get(file)!;
    const c = count(cases);
    const ts = ctx.timestamp ? ` timestamp="${attr(ctx.timestamp)}"` : '';
    out.push(
      `  <testsuite name="${attr(file)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${secs(c.timeMs)}"${ts} file="${attr(file)}">`,
    );
    for (const k of cases) out.push(...caseXml(k));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

function testCase(t: TestResult, testFindings: Finding[]): Case {
  const c: Case = { name: t.name, classname: t.itemId, file: t.file, line: t.line, timeMs: t.durationMs };
  if (t.output) c.output = t.output;
  if (t.passed) return c;
  // A failure is reported where it is fixed (a helper line, ExpectedResult), and names its test as subject.
  const finding =
    testFindings.find((f) => f.itemId === t.itemId && f.subject === `test "${t.name}"`) ??
    testFindings.find((f) => f.file === t.file && f.line === t.line && (!f.itemId || f.itemId === t.itemId));
  const isError = finding ? finding.code === 'test/error' : t.actual === null && !!t.error;
  const message = finding?.message ?? (t.error ? t.error : `expected ${t.expected}, got ${t.actual}`);
  const body: string[] = [`Expected: ${t.expected}`, `Actual: ${t.actual === null ? 'no result' : t.actual}`];
  if (t.failedFunction) body.push(`Failed function: ${t.failedFunction}`);
  if (t.error) body.push(`Error: ${t.error}`);
  for (const fn of t.functions ?? []) {
    const value = fn.error ? fn.error : JSON.stringify(fn.value);
    body.push(`[${fn.matched ? 'PASS' : 'FAIL'}] [${fn.name}] ${value ?? ''}`);
  }
  body.push(`at ${t.file}:${t.line}`);
  c.outcome = { kind: isError ? 'error' : 'failure', type: finding?.code ?? (isError ? 'test/error' : 'test/failed'), message, body: body.join('\n') };
  return c;
}

function findingBody(f: Finding): string {
  const lines = [f.message];
  if (f.hint) lines.push(`Hint: ${f.hint}`);
  lines.push(`at ${f.file}:${f.line}${f.column ? `:${f.column}` : ''}`);
  return lines.join('\n');
}

function caseXml(k: Case): string[] {
  const line = k.line ? ` line="${k.line}"` : '';
  const open = `    <testcase name="${attr(k.name)}" classname="${attr(k.classname)}" file="${attr(k.file)}"${line} time="${secs(k.timeMs)}"`;
  if (!k.outcome && !k.output) return [open + ' />'];
  const out = [open + '>'];
  if (k.outcome) {
    const o = k.outcome;
    const type = o.type ? ` type="${attr(o.type)}"` : '';
    if (o.body) out.push(`      <${o.kind} message="${attr(o.message)}"${type}>${text(o.body)}</${o.kind}>`);
    else out.push(`      <${o.kind} message="${attr(o.message)}"${type} />`);
  }
  if (k.output) out.push(`      <system-out>${text(k.output)}</system-out>`);
  out.push('    </testcase>');
  return out;
}

function count(cases: Case[]) {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.outcome?.kind === 'failure').length,
    errors: cases.filter((c) => c.outcome?.kind === 'error').length,
    skipped: cases.filter((c) => c.outcome?.kind === 'skipped').length,
    timeMs: cases.reduce((n, c) => n + (c.timeMs || 0), 0),
  };
}

function secs(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

// XML 1.0 allows only these characters; anything else (NUL, other C0 controls, lone surrogates) is dropped.
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(s: string): string {
  return String(s).replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
