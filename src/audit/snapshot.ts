// The audit's memory: a compact, machine-readable snapshot of one audit (detections and their state,
// covered techniques, failures) that the next audit compares against. It travels in a hidden block of
// the audit issue's body (deflated, base64, inside an HTML comment) or in the JSON report, which
// `--baseline PREVIOUS.json` reads back; no storage outside GitHub is needed. Whatever comes back is
// treated as untrusted input: size-capped, inflated with a limit, and validated field by field.
import * as zlib from 'zlib';
import { z } from 'zod';
import type { Finding, TestResult } from '../core/types';
import type { Coverage } from './coverage';
import type { Detection } from './detections';
import { uncountedReason } from './coverage';

export interface Snapshot {
  v: 1;
  /** When the audit ran (ISO 8601). */
  at: string;
  /** The audited commit, when known. */
  sha?: string;
  attack: string;
  /** Detection ID → flags: `e` enabled, `c` counts as coverage (enabled and a passing test). */
  detections: Record<string, string>;
  /** Techniques and sub-techniques covered under any tactic. */
  covered: string[];
  /** Failing tests (`ID › test name`) and error findings (`code file`). */
  failures: string[];
}

/** Failures kept in a snapshot; beyond it the trend speaks of the first ones only. */
export const MAX_SNAPSHOT_FAILURES = 2000;
const MAX_ENCODED_CHARS = 400_000;
const MAX_INFLATED_BYTES = 8 * 1024 * 1024;
export const SNAPSHOT_OPEN = '<!-- rulegate-audit-snapshot:v1 ';
// Only the block that ends the body counts: text shown above it (test names, IDs) may quote a fake one.
const SNAPSHOT_RE = /<!-- rulegate-audit-snapshot:v1 ([A-Za-z0-9+/=]+) -->\s*$/;

const schema = z.object({
  v: z.literal(1),
  at: z.string().max(64),
  sha: z.string().max(64).optional(),
  attack: z.string().max(16),
  // Checked by hand below: a record schema would rebuild the object and lose a key named "__proto__".
  detections: z.custom<Record<string, string>>(
    (d) => !!d && typeof d === 'object' && !Array.isArray(d) && Object.entries(d).every(([k, v]) => k.length <= 512 && typeof v === 'string' && /^[ec]{0,2}$/.test(v)),
    { message: 'expected a mapping of detection ID to flags' },
  ),
  covered: z.array(z.string().max(16)).max(5000),
  failures: z.array(z.string().max(2048)).max(MAX_SNAPSHOT_FAILURES),
});

export function makeSnapshot(input: { detections: readonly Detection[]; coverage: Coverage; tests: readonly TestResult[]; findings: readonly Finding[]; sha?: string; at?: Date }): Snapshot {
  const detections: Record<string, string> = {};
  for (const d of input.detections) detections[d.id] = (d.enabled ? 'e' : '') + (uncountedReason(d) === undefined ? 'c' : '');
  const failures = new Set<string>();
  for (const t of input.tests) if (!t.passed) failures.add(`${t.itemId} › ${t.name}`);
  for (const f of input.findings) if (f.severity === 'error' && f.code !== 'test/failed') failures.add(`${f.code} ${f.file}`);
  const snap: Snapshot = {
    v: 1,
    at: (input.at ?? new Date()).toISOString(),
    attack: input.coverage.attackVersion,
    detections,
    covered: [...input.coverage.coveredTechniques],
    failures: [...failures].sort().slice(0, MAX_SNAPSHOT_FAILURES),
  };
  if (input.sha) snap.sha = input.sha;
  return snap;
}

/** The hidden block for an issue body (one line, no `--` inside). */
export function encodeSnapshot(snap: Snapshot): string {
  const packed = zlib.deflateRawSync(Buffer.from(JSON.stringify(snap), 'utf8'), { level: 9 }).toString('base64');
  return `${SNAPSHOT_OPEN}${packed} -->`;
}

/** The snapshot in an issue body; undefined when there is none, with `problem` set when one is there but unusable. */
export function decodeSnapshot(body: string): { snapshot?: Snapshot; problem?: string } {
  const m = SNAPSHOT_RE.exec(body.length > MAX_ENCODED_CHARS * 2 ? body.slice(-MAX_ENCODED_CHARS * 2) : body);
  if (!m) return body.includes(SNAPSHOT_OPEN) ? { problem: 'the snapshot block is damaged' } : {};
  if (m[1].length > MAX_ENCODED_CHARS) return { problem: 'the snapshot block is too large' };
  let json: string;
  try {
    json = zlib.inflateRawSync(Buffer.from(m[1], 'base64'), { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
  } catch (e) {
    return { problem: `the snapshot block cannot be unpacked (${(e as Error).message})` };
  }
  return parseSnapshot(json);
}

/** A snapshot from JSON text: a bare snapshot, or a RuleGate JSON report of an audit (its audit.snapshot). */
export function parseSnapshot(text: string): { snapshot?: Snapshot; problem?: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { problem: `it is not JSON (${(e as Error).message})` };
  }
  const isReport = !!data && typeof data === 'object' && (data as { tool?: { name?: unknown } }).tool?.name === 'rulegate';
  const candidate = isReport ? (data as { audit?: { snapshot?: unknown } }).audit?.snapshot : data;
  if (candidate === undefined) return { problem: 'it is a RuleGate report without an audit snapshot (made by a run that was not an audit)' };
  const parsed = schema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { problem: `it is not an audit snapshot (${issue.path.join('.') || 'top level'}: ${issue.message})` };
  }
  // A prototype-free copy: IDs such as "__proto__" stay plain keys.
  const detections: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries((candidate as { detections: Record<string, string> }).detections)) detections[k] = v;
  return { snapshot: { ...parsed.data, detections } as Snapshot };
}
