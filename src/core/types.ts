// The data model every stage shares: Item → Finding/TestResult → Report.
// Renderers see only the Report (see ../../DESIGN in shared/ and the README).

export type Severity = 'error' | 'warning' | 'note';

/** One step of a path into a parsed YAML document: a mapping key or a list index. */
export type PathStep = string | number;

export interface Position {
  line: number; // 1-based
  column: number; // 1-based
}

/** Answers "on which line is this key / list entry?" for one parsed file. */
export interface PositionMap {
  /** Position of the value at `path` (or of the nearest ancestor that exists). */
  valueAt(path: readonly PathStep[]): Position;
  /** Position of the key token of mapping entry `path` (falls back to valueAt). */
  keyAt(path: readonly PathStep[]): Position;
  /** Last line of the value at `path` (for multi-line ranges). */
  endLineAt(path: readonly PathStep[]): number;
  /** Text of the trailing `# comment` on the line of the value at `path`, if any. */
  commentAt(path: readonly PathStep[]): string | undefined;
}

export interface Finding {
  code: string; // stable `area/name`, registered in codes.ts
  severity: Severity;
  file: string; // repository-relative, `/` separators
  line: number;
  column?: number;
  endLine?: number;
  itemId?: string;
  message: string;
  hint?: string;
  /** What the finding is about when the message varies between runs (a test's Name): used for fingerprints. */
  subject?: string;
  /** Other places the finding concerns (a failing test raised in a helper: the test itself). */
  related?: Array<{ file: string; line: number; message: string }>;
  /** Long plain text for people who dig: a test's traceback and Log (check-run raw_details, a collapsed block). */
  details?: string;
  /** Set when the run compared against a base commit or a baseline file (see src/baseline). */
  baseline?: BaselineState;
}

/** new: introduced here; existing: also on the base commit; accepted: listed in the baseline file. */
export type BaselineState = 'new' | 'existing' | 'accepted';

/** What findings were compared against, and the outcome (Report.baseline). */
export interface BaselineInfo {
  /** The pull request's base commit the findings were compared with. */
  baseCommit?: string;
  /** The base branch's name (for "already on main"). */
  baseRef?: string;
  /** The baseline file that was applied (repository-relative). */
  file?: string;
  /** Strict mode: existing and accepted problems fail too. */
  failOnExisting: boolean;
  /** Error and warning findings by state. */
  problems: { new: number; existing: number; accepted: number };
  /** Baseline-file entries that no finding matches any more (each is also a baseline/stale finding). */
  stale: number;
  /** Why the comparison with the base commit could not be made (then every finding counts as new). */
  unavailable?: string;
}

/** A finding before the registry/config assign its severity. */
export type RawFinding = Omit<Finding, 'severity'> & { severity?: Severity };

export type ItemKind =
  | 'rule'
  | 'scheduled_rule'
  | 'policy'
  | 'correlation_rule'
  | 'datamodel'
  | 'global'
  | 'pack'
  | 'lookup_table'
  | 'saved_query'
  | 'scheduled_query'
  | 'scheduled_prompt';

/** One parsed analysis file. */
export interface Item {
  kind: ItemKind | string; // string when AnalysisType is unknown (the schema stage reports it)
  id: string | undefined; // RuleID / PolicyID / … ; undefined when missing or not a string
  idKey: string; // the key that holds the id (RuleID, PolicyID, …)
  file: string; // repository-relative path of the YAML
  absPath: string;
  spec: Record<string, unknown>; // the parsed document
  positions: PositionMap;
  source: string; // the YAML text (for comment checks)
  /** Absolute path of the companion Python file, when `Filename` names one. */
  pythonPath?: string;
  /** Repository-relative path of the companion Python file. */
  pythonFile?: string;
  /** False once a schema/reference stage has found an error in it. */
  valid: boolean;
}

export interface TestResult {
  itemId: string;
  name: string;
  file: string;
  line: number;
  passed: boolean;
  expected: boolean;
  actual: boolean | null;
  error: string | null; // e.g. "KeyError: 'x'" or "test exceeded the 10 s limit"
  /** Which function failed first: rule, policy, title, dedup, … or "harness". */
  failedFunction?: string;
  /** Per-function outcomes, in pat's report order. */
  functions?: Array<{ name: string; value?: unknown; error?: string; matched: boolean }>;
  output?: string; // captured stdout/stderr, truncated
  /** The user frames of the exception that failed the test, outermost first (no harness frames). */
  traceback?: Array<{ file: string; line: number; function: string }>;
  durationMs: number;
}

export interface NotRun {
  itemId: string;
  file: string;
  tests: number;
  reason: string;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface Summary {
  files: number; // files looked at
  items: number;
  tests: number;
  testsPassed: number;
  testsFailed: number;
  testsNotRun: number;
  errors: number;
  warnings: number;
  durationMs: number;
}

export interface Report {
  version: 1;
  tool: { name: 'rulegate'; version: string };
  root: string;
  attack: { version: string };
  python: { executable: string; version: string; event: 'panther_core' | 'builtin' } | null;
  summary: Summary;
  items: Array<{ id: string; kind: string; file: string; tests: number }>;
  findings: Finding[];
  tests: TestResult[];
  notRun: NotRun[];
  skippedFiles: SkippedFile[];
  /** Time per stage in ms (discover, load, check, attack, tests, render…). */
  timings: Record<string, number>;
  /** Pull-request selection, when the run was narrowed to changed files. */
  selection?: { mode: 'all' | 'changed'; changedFiles: string[]; selected: Array<{ file: string; reason: string }> };
  /** New versus existing problems, when compared with a base commit or a baseline file. */
  baseline?: BaselineInfo;
}
