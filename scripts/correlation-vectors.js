#!/usr/bin/env node
// Writes the test vectors of our correlation-rules spec (§14) as correlation-rule files, one per
// vector, for the conformance suite (__tests__/correlation/conformance.test.ts) and the e2e test.
//
//   node scripts/correlation-vectors.js SPEC.md OUT_DIR
//
// Each file is an ordinary correlation rule; comments on top carry the expectations:
//   # expect-verdict: true|false          the test's verdict (ExpectedResult is set to it)
//   # expect: CODE@LINE                   findings (rule and test level), exact code and line
//   # expect-note: A1                     the test's output names this interpretation
// The line of a finding is where this writer put the defect (DEFECTS below, checked by hand),
// so the expectations do not come from the code under test.
'use strict';
const fs = require('fs');
const path = require('path');
const yaml = require('js-yaml');

const [specPath, outDir] = process.argv.slice(2);
if (!specPath || !outDir) {
  console.error('usage: node scripts/correlation-vectors.js SPEC.md OUT_DIR');
  process.exit(2);
}
const text = fs.readFileSync(specPath, 'utf8');
const block = text.slice(text.indexOf('```yaml\neval_vectors:') + 8, text.lastIndexOf('```'));
const v = yaml.load(block, { schema: yaml.CORE_SCHEMA });

const D = ['Detection', 0];
/** DEFECTS entries: [code, path] or a list of them. */
const defects = (id) => (Array.isArray(DEFECTS[id][0]) ? DEFECTS[id] : [DEFECTS[id]]).map(([code, path]) => ({ code, path }));
const T = ['Tests', 0, 'RuleOutputs'];
// spec code → (our finding code, path of the defect in the written file)
const DEFECTS = {
  'e-transitions-in-group': ['schema/unknown-key', [...D, 'Transitions']],
  'e-matchcriteria-in-sequence': ['schema/unknown-key', [...D, 'MatchCriteria']],
  'e-sequence-level-mincount': ['schema/unknown-key', [...D, 'MinMatchCount']],
  'e-both-forms': ['schema/conflict', [...D, 'Group']],
  'e-neither-form': ['schema/missing-key', D],
  'e-two-detection-items': ['correlation/unsupported', ['Detection', 1]],
  'e-no-schedule': ['schema/missing-key', D],
  'e-schedule-no-timeout': ['schema/missing-key', [...D, 'Schedule']],
  'e-schedule-unknown-key': ['schema/unknown-key', [...D, 'Schedule', 'Every']],
  'e-entry-without-ruleid': ['schema/missing-key', [...D, 'Group', 0]],
  'e-entry-unknown-key': ['schema/unknown-key', [...D, 'Group', 0, 'Count']],
  'e-absence-not-boolean': ['schema/type', [...D, 'Group', 1, 'Absence']],
  'e-duplicate-ids': ['correlation/invalid-step', [...D, 'Group', 1, 'ID']],
  'e-min-zero': ['correlation/count', [...D, 'Group', 0, 'MinMatchCount']],
  'e-max-below-min': ['correlation/count', [...D, 'Group', 0, 'MaxMatchCount']],
  'e-all-absent': ['correlation/absence', [...D, 'Sequence']],
  'e-transition-undefined-id': ['correlation/unknown-step', [...D, 'Transitions', 0, 'To']],
  'e-transition-id-case': ['correlation/unknown-step', [...D, 'Transitions', 0, 'From']],
  'e-transition-missing-to': ['schema/missing-key', [...D, 'Transitions', 0]],
  'e-self-transition': ['correlation/transition', [...D, 'Transitions', 0, 'To']],
  'e-duplicate-pair': ['correlation/transition', [...D, 'Transitions', 1]],
  'e-match-two-items': ['schema/invalid-value', [...D, 'Transitions', 0, 'Match', 0]],
  'e-match-on-and-from': ['correlation/transition', [...D, 'Transitions', 0, 'Match', 0]],
  'e-match-from-without-to': ['correlation/transition', [...D, 'Transitions', 0, 'Match', 0]],
  'e-match-unknown-key': ['schema/unknown-key', [...D, 'Transitions', 0, 'Match', 0, 'Field']],
  'e-within-zero': ['correlation/impossible-window', [...D, 'Transitions', 0, 'WithinTimeFrameMinutes']],
  'e-absent-to-absent-transition': ['correlation/absence', [...D, 'Transitions', 0]],
  'e-absent-linked-to-far-step': ['correlation/absence', [...D, 'Transitions', 0]],
  // the schema stage reports both halves of {GroupID, Value}: Match is missing, Value is unknown
  'e-matchcriteria-value-form': [['schema/missing-key', [...D, 'MatchCriteria', 'k', 1]], ['schema/unknown-key', [...D, 'MatchCriteria', 'k', 1, 'Value']]],
  'e-matchcriteria-undefined-groupid': ['correlation/unknown-step', [...D, 'MatchCriteria', 'k', 1, 'GroupID']],
  'e-matchcriteria-not-list': ['schema/type', [...D, 'MatchCriteria', 'k', 'GroupID']], // where the mapping value starts
  'e-matchcriteria-only-absent': ['correlation/absence', [...D, 'MatchCriteria', 'k']],
  'e-group-min-too-large': ['correlation/count', [...D, 'MinMatchCount']],
  'e-lookback-zero': ['correlation/impossible-window', [...D, 'LookbackWindowMinutes']],
  'e-lookback-string': ['schema/type', [...D, 'LookbackWindowMinutes']],
  'e-order-unknown': ['schema/invalid-value', [...D, 'EventEvaluationOrder']],
  'f-unknown-top-level-key': ['schema/unknown-key', ['LogTypes']],
  'f-severity-uppercase': ['schema/invalid-value', ['Severity']],
  'f-ruleid-forbidden-char': ['schema/invalid-value', ['RuleID']],
  'f-test-with-log-key': ['schema/unknown-key', ['Tests', 0, 'Log']],
  'f-test-without-ruleoutputs': ['schema/missing-key', ['Tests', 0]],
  'f-timestamps-not-a-list': ['schema/type', [...T, 0, 'Matches', 'f', 'x']],
  'f-ruleoutput-extra-key': ['schema/unknown-key', [...T, 0, 'Count']],
  // test errors (T1–T3) of eval vectors
  'ts-mixed-kinds-is-test-error': ['correlation/bad-rule-outputs', [...T, 1, 'Matches', 'f', 'x', 0]],
  'ts-unparseable-is-test-error': ['correlation/bad-rule-outputs', [...T, 0, 'Matches', 'f', 'x', 0]],
  'ro-unknown-id-is-test-error': ['correlation/bad-rule-outputs', [...T, 1, 'ID']],
  'ro-id-whitespace-exact': ['correlation/bad-rule-outputs', [...T, 0, 'ID']],
  'ro-id-case-exact': ['correlation/bad-rule-outputs', [...T, 0, 'ID']],
};
// warnings (W…) of valid_but_warned vectors: all are correlation/doubtful
const WARNINGS = {
  W1: [...D, 'Group', 0],
  W2: [...D, 'Transitions', 0],
  W3: [...D, 'Transitions', 0, 'WithinTimeFrameMinutes'],
  W4: [...D, 'Group', 1, 'MaxMatchCount'],
  W5: [...D, 'MatchCriteria', 'k'],
  W9: [...D, 'Schedule'],
  W11: [...D, 'EventEvaluationOrder'],
};
// eval vectors whose warnings are part of the case (test-data warnings)
const EVAL_WARNINGS = {
  'field-name-must-be-join-path': [['W6', [...T, 1, 'Matches', 'user']]],
  'ro-empty-list': [['W10', T]],
  's-join-from-to-wrong-side-field': [['W6', [...T, 1, 'Matches', 'instance.id']]],
  's-reversed-transition-same-meaning': [['W2', [...D, 'Transitions', 0]]],
};
// vectors the spec names as separating interpretation A1 from its alternative (§13)
const NOTES = { 'lookback-anchored-at-latest-signal-any-value': 'A1', 'lookback-anchor-includes-absent-signals': 'A1', 's-anchor-drops-early-chain': 'A1' };

// ---- a small block-style YAML writer that records the line of every path
// Plain (unquoted) where pat's loader keeps the text a string, so `On:` and `10.0.0.1:` stay as authors write them.
const PLAIN = /^[A-Za-z0-9_][A-Za-z0-9_.\-\/@ ]*$/;
const RESERVED = /^(true|false|null|~)$/i;
const NUMBER_LIKE = /^[-+]?(\d[\d_]*)?(\.\d*)?([eE][-+]?\d+)?$/;
function scalar(x) {
  if (typeof x === 'string')
    return PLAIN.test(x) && !RESERVED.test(x) && !NUMBER_LIKE.test(x) && !x.endsWith(' ') && !/ #|: /.test(x) ? x : JSON.stringify(x);
  return String(x);
}
function write(doc) {
  const lines = [];
  const at = new Map();
  const mark = (p) => at.set(JSON.stringify(p), lines.length + 1);
  const isScalarList = (x) => Array.isArray(x) && x.every((e) => e === null || typeof e !== 'object');
  const inline = (x) => (x === null || typeof x !== 'object' ? scalar(x) : Array.isArray(x) ? (isScalarList(x) ? `[${x.map(scalar).join(', ')}]` : null) : Object.keys(x).length ? null : '{}');
  function map(obj, p, indent, firstPrefix) {
    Object.keys(obj).forEach((k, i) => {
      const pre = i === 0 && firstPrefix !== undefined ? firstPrefix : ' '.repeat(indent);
      const val = obj[k];
      const kp = [...p, k];
      mark(kp);
      if (Array.isArray(val) && isScalarList(val)) val.forEach((_, j) => at.set(JSON.stringify([...kp, j]), lines.length + 1));
      const one = inline(val);
      if (one !== null) lines.push(`${pre}${scalar(k)}: ${one}`);
      else {
        lines.push(`${pre}${scalar(k)}:`);
        node(val, kp, indent + 2);
      }
    });
  }
  function node(val, p, indent) {
    if (Array.isArray(val))
      val.forEach((e, j) => {
        const ep = [...p, j];
        const pre = `${' '.repeat(indent)}- `;
        if (e !== null && typeof e === 'object' && !Array.isArray(e) && Object.keys(e).length) {
          mark(ep);
          map(e, ep, indent + 2, pre);
        } else {
          mark(ep);
          lines.push(pre + (inline(e) ?? JSON.stringify(e)));
        }
      });
    else map(val, p, indent);
  }
  node(doc, [], 0);
  return { text: lines.join('\n') + '\n', line: (p) => at.get(JSON.stringify(p)) };
}

const SCHEDULE = { RateMinutes: 60, TimeoutMinutes: 5 };
const withSchedule = (d) => ('Schedule' in d || /no-schedule/.test(d.__id) ? d : { ...d, Schedule: SCHEDULE });
function rule(id, detectionList, tests) {
  const doc = { AnalysisType: 'correlation_rule', RuleID: `Vector.${id}`, Enabled: true, Severity: 'Low', Detection: detectionList };
  if (tests) doc.Tests = tests;
  return doc;
}

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
let count = 0;
function emit(vec, doc, expect) {
  const header = [`# Conformance vector ${vec.id} (correlation-rules spec ${vec.decides}, basis: ${vec.basis})`];
  const body = write(doc);
  const off = 1 + expect.length; // header lines above the document
  for (const e of expect) {
    if (e.verdict !== undefined) header.push(`# expect-verdict: ${e.verdict}`);
    else if (e.note) header.push(`# expect-note: ${e.note}`);
    else {
      const line = body.line(e.path);
      if (!line) throw new Error(`${vec.id}: no line for ${JSON.stringify(e.path)}`);
      header.push(`# expect: ${e.code}@${line + off}`);
    }
  }
  fs.writeFileSync(path.join(outDir, `${vec.id}.yml`), header.join('\n') + '\n' + body.text);
  count++;
}
const strip = (d, id) => withSchedule({ ...d, __id: id });
const clean = (d) => {
  const { __id, ...rest } = d;
  return rest;
};

for (const vec of v.eval_vectors) {
  const det = clean(strip(vec.detection, vec.id));
  const isError = /^T\d$/.test(String(vec.expect));
  const doc = rule(vec.id, [det], [{ Name: vec.id, ExpectedResult: isError ? false : vec.expect, RuleOutputs: vec.outputs }]);
  const expect = [];
  if (isError) expect.push(...defects(vec.id));
  else expect.push({ verdict: vec.expect });
  for (const [, p] of EVAL_WARNINGS[vec.id] ?? []) expect.push({ code: 'correlation/doubtful', path: p });
  if (NOTES[vec.id]) expect.push({ note: NOTES[vec.id] });
  emit(vec, doc, expect);
}
for (const vec of v.valid_but_warned) {
  const doc = rule(vec.id, [vec.detection], [{ Name: 'no signals', ExpectedResult: false, RuleOutputs: [] }]);
  // their one test has no signals: verdict false, with W10
  emit(vec, doc, [{ verdict: false }, ...vec.warns.map((w) => ({ code: 'correlation/doubtful', path: WARNINGS[w] })), { code: 'correlation/doubtful', path: T }]);
}
for (const vec of v.invalid_vectors) {
  const doc = rule(vec.id, vec.detection_list ?? [vec.detection], [{ Name: 'not evaluated', ExpectedResult: false, RuleOutputs: [] }]);
  emit(vec, doc, defects(vec.id));
}
for (const vec of v.file_vectors) {
  // one RuleID per file, so the vectors can share a pack without id/duplicate findings
  const file = vec.file.RuleID === 'X.Y' ? { ...vec.file, RuleID: `Vector.${vec.id}` } : vec.file;
  emit(vec, file, defects(vec.id));
}
console.log(`${count} vectors written to ${outDir}`);
