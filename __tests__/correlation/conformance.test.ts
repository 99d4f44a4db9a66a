// The conformance suite: every test vector of our correlation-rules spec (§14), written as a rule
// file by scripts/correlation-vectors.js, through the real loader, schema stage and evaluator.
// Each file's header states its verdict, its findings (code@line) and interpretation notes.
import * as fs from 'fs';
import * as path from 'path';
import type { RawFinding } from '../../src/core/types';
import { CODES, isKnownCode } from '../../src/core/codes';
import { validatePantherItem } from '../../src/formats/panther/schema';
import { runCorrelationTests, validateCorrelation, validateCorrelationTests } from '../../src/formats/panther/correlation';
import { validateSimpleExpressions } from '../../src/formats/panther/simple';
import { makeItem } from '../panther/helpers';

const DIR = path.join(__dirname, 'fixtures', 'vectors');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yml')).sort();

interface Expectation {
  verdict?: boolean;
  findings: string[];
  notes: string[];
}

function expectations(text: string): Expectation {
  const e: Expectation = { findings: [], notes: [] };
  for (const m of text.matchAll(/^# expect(-verdict|-note)?: (.+)$/gm)) {
    if (m[1] === '-verdict') e.verdict = m[2] === 'true';
    else if (m[1] === '-note') e.notes.push(m[2]);
    else e.findings.push(m[2]);
  }
  return e;
}

function run(file: string) {
  const text = fs.readFileSync(path.join(DIR, file), 'utf8');
  const item = makeItem(text, `vectors/${file}`);
  const raw: RawFinding[] = [...validatePantherItem(item), ...validateSimpleExpressions(item), ...validateCorrelation(item)];
  const severity = (f: RawFinding) => f.severity ?? (isKnownCode(f.code) ? CODES[f.code].severity : 'error');
  if (raw.some((f) => severity(f) === 'error')) item.valid = false; // as the pipeline's schema stage does
  else raw.push(...validateCorrelationTests(item));
  const r = runCorrelationTests(item);
  const findings = [...raw, ...r.runs.flatMap((x) => (x.failure ? [x.failure] : []))];
  return { expect: expectations(text), findings, runs: r.runs, errors: findings.filter((f) => severity(f) === 'error') };
}

test('all 142 vectors of the spec are here', () => {
  expect(files).toHaveLength(142);
});

describe.each(files)('%s', (file) => {
  const { expect: want, findings, runs } = run(file);
  test('findings: exact codes and lines', () => {
    expect(findings.map((f) => `${f.code}@${f.line}`).sort()).toEqual([...want.findings].sort());
  });
  test('verdict', () => {
    if (!/^Tests:/m.test(fs.readFileSync(path.join(DIR, file), 'utf8'))) return expect(runs).toHaveLength(0); // file vectors without tests
    expect(runs).toHaveLength(1);
    const { result } = runs[0];
    if (want.verdict === undefined) {
      // a rule error or a test error: the test fails without a verdict (§10)
      expect(result.passed).toBe(false);
      expect(result.actual).toBeNull();
      expect(result.error).toBeTruthy();
    } else {
      expect(result.actual).toBe(want.verdict);
      expect(result.passed).toBe(true);
    }
  });
  if (want.notes.length)
    test('output names the interpretation the verdict depends on', () => {
      for (const n of want.notes) expect(runs[0].result.output).toMatch(new RegExp(`\\b${n} \\(`));
    });
});
