// JUnit XML for test reporters (dorny/test-reporter, EnricoMi/publish-unit-test-result-action, CI
// dashboards). Its counts are the report's:
//   - one <testsuite> per analysis file with one <testcase> per rule test (never one per rule): a failed
//     test is <failure>, a test that could not run to a verdict is <error>, and each test that was not
//     run (correlation rules offline, invalid specs, --skip-disabled, …) is a <skipped> case; so over
//     these suites tests = summary.tests + summary.testsNotRun, failures + errors = summary.testsFailed,
//     skipped = summary.testsNotRun;
//   - one more <testsuite name="RuleGate validation"> with one <testcase> per finding that is not a
//     test result (schema, references, ATT&CK, test/insufficient, …), warnings and notes included: it is
//     a <failure> when the finding fails the gate (errors; warnings too with fail-on: warning), else it
//     passes and its message is in <system-out>. A gate that fails is never green in JUnit.
// A pure function of the Report.
import type { Finding, Report, TestResult } from '../core/types';
import { escapeXmlAttr, escapeXmlText } from './escape';

export interface JunitContext {
  /** Name of the root <testsuites>; default `RuleGate`. */
  name?: string;
  /** ISO timestamp written on each suite; omitted when absent (keeps output reproducible). */
  timestamp?: string;
  /** The gate (the action's fail-on): with `warning`, warnings are failures too. Default `error`. */
  failOn?: 'error' | 'warning' | 'never';
}

export const VALIDATION_SUITE = 'RuleGate validation';
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

  // 1. Rule tests, in report order, and one skipped case per test that was not run.
  const testFindings = report.findings.filter((f) => TEST_CODES.has(f.code));
  for (const t of report.tests) add(t.file, testCase(t, testFindings));
  for (const n of report.notRun) {
    for (let k = 1; k <= n.tests; k++)
      add(n.file, {
        name: n.tests === 1 ? `${n.itemId}: not run` : `${n.itemId}: test ${k} of ${n.tests} not run`,
        classname: n.itemId,
        file: n.file,
        timeMs: 0,
        outcome: { kind: 'skipped', message: n.reason },
      });
  }

  // 2. Validation: every finding that is not a test result, in its own suite.
  const fails = (f: Finding) => f.severity === 'error' || (f.severity === 'warning' && ctx.failOn === 'warning');
  const validation: Case[] = report.findings
    .filter((f) => !TEST_CODES.has(f.code))
    .map((f) => {
      const c: Case = { name: `${f.code} at ${f.file}:${f.line}`, classname: f.itemId ?? f.file, file: f.file, line: f.line, timeMs: 0 };
      if (fails(f)) c.outcome = { kind: 'failure', type: f.code, message: f.message, body: findingBody(f) };
      else c.output = `${f.severity}: ${findingBody(f)}`;
      return c;
    });
  if (!validation.length) validation.push({ name: 'no validation findings', classname: 'RuleGate', file: '', timeMs: 0 });

  const files = [...suites.keys()].sort();
  const ordered: Array<[string, Case[]]> = [...files.map((f): [string, Case[]] => [f, suites.get(f)!]), [VALIDATION_SUITE, validation]];
  const total = count(ordered.flatMap(([, cases]) => cases));
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="${attr(ctx.name ?? 'RuleGate')}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}" time="${secs(total.timeMs)}">`,
  );
  for (const [name, cases] of ordered) {
    const c = count(cases);
    const ts = ctx.timestamp ? ` timestamp="${attr(ctx.timestamp)}"` : '';
    const file = name === VALIDATION_SUITE ? '' : ` file="${attr(name)}"`;
    out.push(`  <testsuite name="${attr(name)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${secs(c.timeMs)}"${ts}${file}>`);
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
  const file = k.file ? ` file="${attr(k.file)}"` : '';
  const open = `    <testcase name="${attr(k.name)}" classname="${attr(k.classname)}"${file}${line} time="${secs(k.timeMs)}"`;
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

const text = escapeXmlText;
const attr = escapeXmlAttr;
