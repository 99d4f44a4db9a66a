// The JSON report contract (version 1) as one zod schema. `rulegate publish` and the action's
// `publish-report` read reports that a fork's pull request may have produced: whatever does not match
// this schema is refused before anything is posted. The compile-time check at the bottom keeps the
// schema and the Report type in types.ts (what the JSON renderer writes) from drifting apart.
import { z } from 'zod';
import type { Report } from './types';

/**
 * No field of a real report comes near this (captured output is capped at 64 KiB, alert context at
 * 200 KiB); a longer string is a forgery meant to blow up logs, comments or API requests.
 */
export const MAX_REPORT_STRING = 1024 * 1024;

const text = z.string().max(MAX_REPORT_STRING);
const count = z.number().int().nonnegative();
const ms = z.number().nonnegative();
const line = z.number().int().nonnegative(); // 0: the finding is about the whole file
const severity = z.enum(['error', 'warning', 'note']);

const finding = z.object({
  code: text,
  severity,
  file: text,
  line,
  column: z.number().int().positive().optional(),
  endLine: z.number().int().nonnegative().optional(),
  itemId: text.optional(),
  message: text,
  hint: text.optional(),
});

const testResult = z.object({
  itemId: text,
  name: text,
  file: text,
  line,
  passed: z.boolean(),
  expected: z.boolean(),
  actual: z.boolean().nullable(),
  error: text.nullable(),
  failedFunction: text.optional(),
  functions: z.array(z.object({ name: text, value: z.unknown().optional(), error: text.optional(), matched: z.boolean() })).optional(),
  output: text.optional(),
  durationMs: ms,
});

// Unknown keys are dropped, not refused: the contract lets newer RuleGate versions add keys to version 1,
// and nothing but the keys below ever reaches a renderer.
export const ReportSchema = z.object({
  version: z.literal(1),
  tool: z.object({ name: z.literal('rulegate'), version: text }),
  root: text,
  attack: z.object({ version: text }),
  python: z.object({ executable: text, version: text, event: z.enum(['panther_core', 'builtin']) }).nullable(),
  summary: z.object({
    files: count,
    items: count,
    tests: count,
    testsPassed: count,
    testsFailed: count,
    testsNotRun: count,
    errors: count,
    warnings: count,
    durationMs: ms,
  }),
  items: z.array(z.object({ id: text, kind: text, file: text, tests: count })).default([]),
  findings: z.array(finding),
  tests: z.array(testResult),
  notRun: z.array(z.object({ itemId: text, file: text, tests: count, reason: text })).default([]),
  skippedFiles: z.array(z.object({ file: text, reason: text })).default([]),
  timings: z.record(text, ms).default({}),
  selection: z
    .object({
      mode: z.enum(['all', 'changed']),
      changedFiles: z.array(text),
      selected: z.array(z.object({ file: text, reason: text })),
    })
    .optional(),
});

export type ParsedReport = { ok: true; report: Report } | { ok: false; problem: string };

/** Checks `data` against the contract; on failure, one line naming the first bad field. */
export function parseReport(data: unknown): ParsedReport {
  const r = ReportSchema.safeParse(data);
  if (r.success) return { ok: true, report: r.data };
  const issue = r.error.issues[0];
  return { ok: false, problem: describeIssue(issue, data) };
}

/** `summary.items: expected number, got string` — path, what the contract wants, what the file has. */
function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const where = formatPath(issue.path) || '(the report)';
  const value = valueAt(data, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      return `${where}: expected ${issue.expected}, got ${typeName(value)}`;
    case 'invalid_value':
      return `${where}: expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${show(value)}`;
    case 'too_big':
      return `${where}: ${issue.origin === 'string' ? `longer than ${issue.maximum} characters` : `more than ${issue.maximum}`}`;
    case 'too_small':
      return `${where}: expected at least ${issue.minimum}, got ${show(value)}`;
    case 'invalid_format':
      return `${where}: not a valid ${issue.format}`;
    default:
      return `${where}: ${issue.message}${value !== undefined ? `, got ${show(value)}` : ''}`;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (typeof step === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(step)) out += `${out ? '.' : ''}${step}`;
    else out += `[${show(String(step))}]`; // a key from the file (timings): quoted, one line, short
  }
  return out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const step of path) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[step];
  }
  return v;
}

function typeName(v: unknown): string {
  if (v === undefined) return 'nothing (the key is missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && !Number.isInteger(v)) return `${v}`;
  return typeof v === 'object' ? 'object' : typeof v;
}

/** A value for the error line: short and on one line (the report is untrusted). */
function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = typeof v === 'string' ? JSON.stringify(v) : typeName(v) === 'object' || Array.isArray(v) ? typeName(v) : String(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

// Compile-time check: the schema's output is exactly the Report type (a drift fails `tsc` and ts-jest).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesReportType: Same<z.output<typeof ReportSchema>, Report> = true;
void schemaMatchesReportType;
