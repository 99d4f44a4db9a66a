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
  /** Exact source span of the node at `path` (no nearest-ancestor fallback), for fixes; undefined
   * when the path does not exist or offsets are not exact for this file. */
  spanAt?(path: readonly PathStep[]): SourceSpan | undefined;
  /** Span of the trailing comment (`#` to line end, without `\r`) after the node at `path`. */
  commentSpanAt?(path: readonly PathStep[]): { start: number; end: number } | undefined;
  /** Line and column (1-based, UTF-16) of a character offset. */
  positionOfOffset?(offset: number): Position;
}

/** Where one YAML node sits, as character offsets (UTF-16) into the loaded text (after a BOM). */
export interface SourceSpan {
  /** Start and end (exclusive) of the node; a quoted scalar's span includes its quotes. */
  start: number;
  end: number;
  /** The key token of a mapping entry (quotes included), or -1. */
  keyStart: number;
  keyEnd: number;
  style: 'plain' | 'single' | 'double' | 'literal' | 'folded' | 'block' | 'flow' | 'alias';
}

/** One text replacement. Offsets are UTF-16 code units into the file's text after a UTF-8 BOM
 * (if any); lines and columns are 1-based, the end is exclusive. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  replacement: string;
}

/** A fix RuleGate can prove: applying all its edits resolves the finding. */
export interface Fix {
  description: string;
  edits: TextEdit[];
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
  /** Present when the finding is fixable unambiguously (`rulegate fix`). */
  fix?: Fix;
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
  /** Filename points outside the repository (`../`, an absolute path, a symbolic link): never read. */
  pythonOutside?: boolean;
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
  python: {
    executable: string;
    version: string;
    event: 'panther_core' | 'builtin';
    /** how rule code was isolated (README, "Security model"); note says why namespaces were not used */
    sandbox?: { level: 'namespaces' | 'none'; requested: string; network: boolean; memoryLimitMb: number; note?: string };
  } | null;
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
  /** Audit runs only: coverage, lint counts, upgrade forecast, snapshot and trend (src/audit). */
  audit?: import('../audit').AuditReport;
  /** New versus existing problems, when compared with a base commit or a baseline file. */
  baseline?: BaselineInfo;
}
