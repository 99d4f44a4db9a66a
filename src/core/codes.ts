// The one registry of finding codes: stable `area/name` ids, default severity, one-line description.
// The README's table of codes is checked against this list by a test, so add new codes here first.
import type { Severity } from './types';

export interface CodeInfo {
  severity: Severity | 'off';
  description: string;
  /** Default in `rulegate audit` runs, when it differs from `severity` (the config still wins). */
  audit?: Severity;
}

export const CODES = {
  // files and YAML
  'file/unreadable': { severity: 'error', description: 'A file could not be read (permissions, I/O error).' },
  'file/binary': { severity: 'error', description: 'A rule file holds binary data or is not valid UTF-8.' },
  'file/outside-repository': { severity: 'error', description: 'A Filename or a symbolic link points outside the repository; it is never followed.' },
  'file/too-large': { severity: 'error', description: 'A rule file is over the size limit and was not parsed.' },
  'yaml/syntax': { severity: 'error', description: 'The YAML cannot be parsed (syntax error, several documents, alias bomb).' },
  'yaml/not-a-mapping': { severity: 'error', description: 'An analysis file whose top level is not a mapping.' },
  'yaml/duplicate-key': { severity: 'warning', description: 'A mapping repeats a key; the last value wins, as in pat.' },
  // schema
  'schema/missing-key': { severity: 'error', description: 'A required key is missing.' },
  'schema/unknown-key': { severity: 'error', description: 'A key that the schema of this AnalysisType does not allow.' },
  'schema/invalid-value': { severity: 'error', description: 'A value of the right type that is not allowed (enum, pattern, range, duplicates).' },
  'schema/type': { severity: 'error', description: 'A value of the wrong type (string expected, list expected, …).' },
  'schema/conflict': { severity: 'error', description: 'Keys that exclude each other are both present, or neither of a required pair.' },
  'schema/dedup-period': { severity: 'warning', description: 'DedupPeriodMinutes is 0 (ignored by the backend) or below 5 (treated as 5).' },
  'schema/match-expression': { severity: 'error', description: 'A simple-detection match expression is malformed (unknown condition, bad KeyPath, bad CIDR, wrong shape).' },
  'schema/match-expression-warning': { severity: 'warning', description: 'A match expression that works but is doubtful (operand ignored, filter condition outside the documented set).' },
  // repository-wide
  'id/duplicate': { severity: 'error', description: 'Two analysis files share one ID (IDs are one namespace across kinds).' },
  'ref/missing-file': { severity: 'error', description: 'Filename names a file that does not exist.' },
  'ref/unknown-id': { severity: 'error', description: 'A pack, scheduled rule or derived rule names an ID that no loaded item has.' },
  'ref/datamodel-conflict': { severity: 'error', description: 'Two enabled data models claim the same log type.' },
  'ref/log-type-mismatch': { severity: 'off', audit: 'warning', description: "A test Log's p_log_type is not among the rule's LogTypes." },
  'test/duplicate-name': { severity: 'warning', description: 'Two tests of one detection share a Name.' },
  // MITRE ATT&CK
  'mitre/malformed': { severity: 'error', description: 'A MITRE ATT&CK entry is not of the form TAnnnn:Tnnnn or TAnnnn:Tnnnn.nnn.' },
  'mitre/unknown-tactic': { severity: 'error', description: 'The tactic ID is not in the ATT&CK Enterprise matrix.' },
  'mitre/unknown-technique': { severity: 'error', description: 'The technique or sub-technique ID is not in the ATT&CK Enterprise matrix.' },
  'mitre/tactic-mismatch': { severity: 'error', description: 'The technique exists but is not under the named tactic.' },
  'mitre/deprecated': { severity: 'warning', description: 'The technique is deprecated by MITRE and has no replacement.' },
  'mitre/revoked': { severity: 'error', description: 'The technique was revoked by MITRE; the message gives the replacement mapping.' },
  'mitre/comment-mismatch': { severity: 'warning', description: 'A trailing YAML comment names a different tactic or technique than the IDs.' },
  'mitre/missing': { severity: 'off', audit: 'warning', description: 'A detection has no MITRE ATT&CK mapping.' },
  'mitre/misplaced': { severity: 'warning', description: 'ATT&CK IDs sit under a Reports key other than "MITRE ATT&CK".' },
  // tests
  'test/failed': { severity: 'error', description: 'A unit test did not give its ExpectedResult, or an alert function failed.' },
  'test/error': { severity: 'error', description: 'A unit test could not run to a verdict (exception in the harness, time limit, crashed worker).' },
  'test/insufficient': { severity: 'error', description: 'Fewer tests than --minimum-tests, or no positive and negative case (checked from the YAML for every detection kind, also with --no-tests).' },
  'test/not-run': { severity: 'note', description: 'Tests that did not run (invalid or disabled detection, no Python file, --test-names).' },
  'test/mocks-ignored': { severity: 'note', description: 'A simple detection test has Mocks, which only Python rules use; they are ignored.' },
  'test/enrichment-absent': { severity: 'note', description: 'A test of an enrichment match expression whose Log has no p_enrichment.' },
  // correlation rules (spec correlation-rules.md)
  'correlation/invalid-step': { severity: 'error', description: 'A correlation Sequence/Group entry is unusable: empty list, empty ID or RuleID, two entries with one ID.' },
  'correlation/unknown-step': { severity: 'error', description: 'A Transitions From/To or MatchCriteria GroupID names no entry of the correlation rule.' },
  'correlation/unknown-rule': { severity: 'warning', description: 'A correlation entry\'s RuleID is no detection of the repository (set it to off when the rules live outside, error to enforce).' },
  'correlation/count': { severity: 'error', description: 'MinMatchCount below 1, MaxMatchCount below MinMatchCount, or a Group MinMatchCount beyond its entries.' },
  'correlation/absence': { severity: 'error', description: 'Absence used where it cannot work: every entry absent, a join or transition only between absent entries, an absent step timed from a far step.' },
  'correlation/impossible-window': { severity: 'error', description: 'A LookbackWindowMinutes or WithinTimeFrameMinutes that no signals can meet (below one minute).' },
  'correlation/transition': { severity: 'error', description: 'A Sequence transition from a step to itself, a second transition for one pair, or a malformed Match.' },
  'correlation/match-criteria': { severity: 'error', description: 'A MatchCriteria item with an empty Match path.' },
  'correlation/doubtful': { severity: 'warning', description: 'A correlation rule or test that works but is doubtful (missing ID, backwards transition, window longer than the lookback, test without signals, …).' },
  'correlation/bad-rule-outputs': { severity: 'error', description: 'A correlation test\'s RuleOutputs name an unknown entry ID or hold an unreadable or mixed timestamp; the test fails.' },
  'correlation/unsupported': { severity: 'error', description: 'A correlation construct RuleGate cannot evaluate (several Detection items, a test too large to search); never a silent pass.' },
  'python/import': { severity: 'error', description: 'The Python module of a detection, helper or data model fails to import (missing module, exception).' },
  'python/syntax': { severity: 'error', description: 'The Python file has a syntax error.' },
  'python/missing-function': { severity: 'error', description: 'The Python file lacks rule() (policy() for policies).' },
  // audit-only quality lints and the upgrade forecast (`rulegate audit`, the action's `mode: audit`)
  'audit/no-tests': { severity: 'warning', description: 'Audit: a detection has no unit tests.' },
  'audit/no-true-test': { severity: 'warning', description: 'Audit: no test of the detection expects true, so nothing shows it ever alerts.' },
  'audit/no-false-test': { severity: 'note', description: 'Audit: no test of the detection expects false, so nothing shows it stays quiet.' },
  'audit/disabled': { severity: 'note', description: 'Audit: the detection is disabled (Enabled: false); it does not count as coverage.' },
  'audit/log-type-untested': { severity: 'note', description: 'Audit: a LogTypes entry that no test exercises (no test Log has that p_log_type).' },
  'audit/no-description': { severity: 'note', description: 'Audit: Description is missing or empty.' },
  'audit/no-runbook': { severity: 'note', description: 'Audit: Runbook is missing or empty.' },
  'audit/reference-not-url': { severity: 'note', description: 'Audit: Reference is not an http(s) URL.' },
  'audit/attack-upgrade': { severity: 'note', description: 'Audit: a mapping valid in the configured ATT&CK version that the newest shipped version revokes, deprecates or moves; the message gives the replacement.' },
  // baselines
  'baseline/stale': { severity: 'warning', description: 'An entry of .rulegate-baseline.json that no finding matches any more: the problem was fixed, delete the entry.' },
  'baseline/invalid': { severity: 'error', description: 'The baseline file cannot be read or is not a RuleGate baseline; every problem counts as new.' },
  'datamodel/invalid': { severity: 'error', description: 'A data model mapping cannot be used (Method not defined, Path not parsable).' },
  // Sigma (src/formats/sigma)
  'sigma/yaml-ambiguous-scalar': { severity: 'warning', description: 'Sigma: an unquoted value that PyYAML (YAML 1.1, what Sigma tools use) reads differently from a YAML 1.2 reader (00000429, yes, 0o17).' },
  'sigma/document-kind': { severity: 'error', description: 'Sigma: a document is neither a rule, a correlation, a filter nor a legacy action (or an unknown action).' },
  'sigma/legacy-action': { severity: 'warning', description: 'Sigma: a legacy v1 multi-document collection (action: global / reset / repeat).' },
  'sigma/custom-key': { severity: 'note', description: 'Sigma: a top-level key outside the specification (warning in the sigmahq profile).' },
  'sigma/key-typo': { severity: 'warning', description: 'Sigma: a top-level key that is a misspelling of a specification key (realted, reference).' },
  'sigma/id-invalid': { severity: 'error', description: 'Sigma: an id or related id that is not a hyphenated UUID.' },
  'sigma/id-not-v4': { severity: 'note', description: 'Sigma: an id that is a UUID of another version than the random version 4 the specification asks for.' },
  'sigma/id-missing': { severity: 'warning', description: 'Sigma: a document without an id.' },
  'sigma/date-invalid': { severity: 'error', description: 'Sigma: date or modified is not YYYY-MM-DD (the slash form is Sigma v1).' },
  'sigma/date-order': { severity: 'warning', description: 'Sigma: modified before date or without date (modified equal to date is a note).' },
  'sigma/logsource-empty': { severity: 'error', description: 'Sigma: logsource names none of category, product and service.' },
  'sigma/logsource-unknown-key': { severity: 'warning', description: 'Sigma: a logsource key other than category, product, service and definition.' },
  'sigma/logsource-generic-available': { severity: 'warning', description: 'Sigma: a Sysmon or Security EventID filter where a generic logsource category exists.' },
  'sigma/detection-empty': { severity: 'error', description: 'Sigma: a detection without selections, or an empty selection or value list.' },
  'sigma/detection-shape': { severity: 'error', description: 'Sigma: a selection or value of a shape Sigma does not support.' },
  'sigma/detection-name-invalid': { severity: 'warning', description: 'Sigma: a selection name a condition cannot name (e.g. a modifier glued to the name).' },
  'sigma/detection-unused': { severity: 'error', description: 'Sigma: a selection that the condition never uses.' },
  'sigma/condition-syntax': { severity: 'error', description: 'Sigma: the condition does not parse (column of the offending token).' },
  'sigma/condition-unknown-identifier': { severity: 'error', description: 'Sigma: the condition names a selection that does not exist.' },
  'sigma/condition-pattern-no-match': { severity: 'error', description: 'Sigma: "1 of x*" / "all of x*" matches no selection.' },
  'sigma/condition-legacy-aggregation': { severity: 'error', description: 'Sigma: v1 aggregation syntax (a pipe, near, timeframe in detection); use a correlation rule.' },
  'sigma/condition-pysigma-misparse': { severity: 'warning', description: 'Sigma: a condition pySigma reads differently from the specification (notfilter, any of).' },
  'sigma/condition-all-of-them': { severity: 'warning', description: 'Sigma: the condition uses "all of them".' },
  'sigma/condition-them-single': { severity: 'note', description: 'Sigma: "1 of them" / "all of them" with a single selection.' },
  'sigma/condition-of-without-wildcard': { severity: 'note', description: 'Sigma: "1 of name" without a * (warning in the sigmahq profile).' },
  'sigma/modifier-unknown': { severity: 'error', description: 'Sigma: a value modifier that does not exist.' },
  'sigma/modifier-not-portable': { severity: 'warning', description: 'Sigma: a modifier of the specification that pySigma does not know (utf16le: write wide).' },
  'sigma/modifier-type': { severity: 'error', description: 'Sigma: a value of the wrong type for its modifier (exists needs a boolean, gt a number, …).' },
  'sigma/modifier-order': { severity: 'error', description: 'Sigma: re, cidr or exists after another modifier; a regex flag without re; exists without a field.' },
  'sigma/modifier-combination': { severity: 'error', description: 'Sigma: modifiers that cannot work together (all without contains, base64offset without contains, windash with all, all with one value).' },
  'sigma/modifier-repeated': { severity: 'warning', description: 'Sigma: the same modifier applied twice.' },
  'sigma/value-regex': { severity: 'error', description: 'Sigma: a regular expression that does not compile (warning: lookaround, atomic group, odd escape).' },
  'sigma/value-cidr': { severity: 'error', description: 'Sigma: a cidr value that is not a valid network.' },
  'sigma/value-fieldref-wildcard': { severity: 'error', description: 'Sigma: a fieldref value with a wildcard.' },
  'sigma/value-null-in-list': { severity: 'warning', description: 'Sigma: null shares a value list with other values.' },
  'sigma/value-control-char': { severity: 'error', description: 'Sigma: a control character in a value (a tab from "\\t" in a double-quoted string).' },
  'sigma/value-style': { severity: 'note', description: 'Sigma: a value that works but is doubtful (escaped wildcard, **, quoted number, *x* instead of contains).' },
  'sigma/placeholder-without-expand': { severity: 'note', description: 'Sigma: a %placeholder% in a value without |expand (matched literally).' },
  'sigma/field-name-space': { severity: 'warning', description: 'Sigma: a field name with a space.' },
  'sigma/tag-format': { severity: 'warning', description: 'Sigma: a tag outside the tag character set, without a namespace, or listed twice.' },
  'sigma/tag-namespace': { severity: 'warning', description: 'Sigma: a tag namespace outside the seven, or a bad car/cve/detection/stp/tlp value.' },
  'sigma/attack-missing-tactic': { severity: 'warning', description: "Sigma: a tagged technique's tactic is not tagged (one finding per missing tactic)." },
  'sigma/attack-other-id': { severity: 'note', description: 'Sigma: an ATT&CK group, software, mitigation or asset tag, checked by its form only.' },
  'sigma/related-unknown-id': { severity: 'note', description: 'Sigma: a related id that is not in the repository.' },
  'sigma/name-duplicate': { severity: 'error', description: 'Sigma: two documents share a name (correlations refer to rules by name).' },
  'sigma/title-duplicate': { severity: 'warning', description: 'Sigma: two rules share a title.' },
  'sigma/filename-duplicate': { severity: 'warning', description: 'Sigma: the same file name in two folders.' },
  'sigma/correlation-invalid': { severity: 'error', description: 'Sigma: a correlation rule with a bad type, timespan, condition, group-by or a reference cycle (warning for pySigma-only forms).' },
  'sigma/correlation-temporal-min-rules': { severity: 'warning', description: 'Sigma: a temporal correlation with fewer than two rules.' },
  'sigma/filter-invalid': { severity: 'error', description: 'Sigma: a filter without rules, selection or a string condition.' },
  'sigma/regression-id-mismatch': { severity: 'warning', description: 'Sigma: a regression-test info.yml or test file that names another rule id.' },
  'sigma/status-location': { severity: 'warning', description: 'Sigma: a deprecated or unsupported rule outside the deprecated/ or unsupported/ folder.' },
  'sigma/sigmahq-convention': { severity: 'warning', description: "Sigma: one of SigmaHQ's conventions (sigmahq profile or a sigma-cli config only)." },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

export function isKnownCode(code: string): code is Code {
  return Object.prototype.hasOwnProperty.call(CODES, code);
}
