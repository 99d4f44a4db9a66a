// Quality lints of the audit: one finding code per problem, on the file and line of the thing to fix.
// `mitre/missing` (no ATT&CK mapping) comes from the ATT&CK stage and `ref/log-type-mismatch` from
// logTypeMismatches below, which runs in every check; an audit only raises their default severity.
import type { Item, RawFinding } from '../core/types';
import { inherited, type Detection } from './detections';

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
/** A Reference is a link a responder can open: http(s)://host… */
const URL_RE = /^https?:\/\/[^\s/?#]+\.[^\s]*$|^https?:\/\/localhost(?:[:/][^\s]*)?$/i;

export function qualityLints(detections: readonly Detection[]): RawFinding[] {
  const all = new Map(detections.map((d) => [d.id, d]));
  const out: RawFinding[] = [];
  for (const d of detections) {
    const at = (item: Item, key: string | (string | number)[], code: string, message: string) => {
      const pos = item.positions.keyAt(Array.isArray(key) ? key : [key]);
      out.push({ code, file: item.file, line: pos.line, column: pos.column, itemId: d.id, message });
    };
    const label = `${d.kind.replace('_', ' ')} ${d.id}`;

    if (!d.enabled) at(d.item, 'Enabled', 'audit/disabled', `The ${label} is disabled (Enabled is not true), so it detects nothing and does not count as ATT&CK coverage. Enable it or delete it.`);

    if (d.tests.length === 0)
      at(d.testsOwner, d.testsOwner.spec.Tests !== undefined ? 'Tests' : d.testsOwner.idKey, 'audit/no-tests', `The ${label} has no unit tests, so nothing shows it works and it does not count as ATT&CK coverage. Add Tests with at least one case that alerts (ExpectedResult: true) and one that does not.`);
    else {
      if (!d.tests.some((t) => t.expected === true))
        at(d.testsOwner, 'Tests', 'audit/no-true-test', `No test of ${d.id} expects true: nothing shows that it ever alerts. Add a test with a Log it should alert on and ExpectedResult: true.`);
      if (!d.tests.some((t) => t.expected === false))
        at(d.testsOwner, 'Tests', 'audit/no-false-test', `No test of ${d.id} expects false: nothing shows that it stays quiet on ordinary events. Add a test with a benign Log and ExpectedResult: false.`);
    }

    // Log types no test exercises. A test without p_log_type exercises the rule's only log type; with several, each needs its own test.
    if (d.logTypes.length && d.tests.length && d.kind !== 'policy') {
      const exercised = new Set(d.tests.map((t) => t.logType).filter((x): x is string => !!x));
      const untyped = d.tests.some((t) => !t.logType);
      const logOwner = inherited(d, 'LogTypes', all).owner;
      d.logTypes.forEach((lt, i) => {
        if (exercised.has(lt) || (untyped && d.logTypes.length === 1)) return;
        at(logOwner, ['LogTypes', i], 'audit/log-type-untested', `No test of ${d.id} exercises its log type ${lt}: add a test whose Log sets p_log_type: ${lt}${d.logTypes.length > 1 ? ' (with several LogTypes, each needs its own test)' : ''}, or remove ${lt} from LogTypes.`);
      });
    }

    for (const key of ['Description', 'Runbook'] as const) {
      const { value, owner } = inherited(d, key, all);
      if (!isBlank(value)) continue;
      const code = key === 'Description' ? 'audit/no-description' : 'audit/no-runbook';
      const what = key === 'Description' ? 'what it detects and why it matters' : 'what a responder should check and do when it alerts';
      at(owner, value === undefined ? owner.idKey : key, code, `The ${label} has ${value === undefined ? 'no' : 'an empty'} ${key}. Write ${what}.`);
    }

    const ref = inherited(d, 'Reference', all);
    if (ref.value !== undefined && ref.value !== null && !(typeof ref.value === 'string' && URL_RE.test(ref.value.trim()))) {
      const shown = typeof ref.value === 'string' ? JSON.stringify(ref.value.length > 80 ? ref.value.slice(0, 80) + '…' : ref.value) : `a ${Array.isArray(ref.value) ? 'list' : typeof ref.value}`;
      at(ref.owner, 'Reference', 'audit/reference-not-url', `The Reference of ${d.id} is ${shown}, not a link. Write one http(s):// URL to the documentation of the behaviour or log source.`);
    }
  }
  return out;
}

/** `ref/log-type-mismatch`: a test Log whose p_log_type is not among the rule's LogTypes (off unless configured or auditing). */
export function logTypeMismatches(detections: readonly Detection[]): RawFinding[] {
  const out: RawFinding[] = [];
  for (const d of detections) {
    if (!d.logTypes.length) continue;
    for (const t of d.tests) {
      if (!t.logType || d.logTypes.includes(t.logType)) continue;
      out.push({
        code: 'ref/log-type-mismatch',
        file: d.testsOwner.file,
        line: t.line,
        itemId: d.id,
        message: `The test "${t.name}" of ${d.id} has p_log_type ${t.logType}, which is not among its LogTypes (${d.logTypes.join(', ')}); Panther never sends such an event to this detection. Fix the p_log_type or add ${t.logType} to LogTypes.`,
      });
    }
  }
  return out;
}
