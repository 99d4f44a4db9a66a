// The action's inputs, read once and validated into one typed settings object (actions/checkout's
// input-helper pattern). A bad value fails fast with the input's name and what it accepts.
// The runner passes input `fail-on` as env INPUT_FAIL-ON (upper-cased, spaces → _, hyphens kept).
import * as core from '@actions/core';
import { checkNumber, NUMBER_RULES, SETTING_DEFAULTS, type NumberRule } from '../core/settings';

export type Mode = 'auto' | 'all' | 'changed' | 'audit' | 'publish';
export type AuditIssueMode = 'auto' | 'never';
export type AuditReopen = 'regressed' | 'always' | 'never';
export type FailOn = 'error' | 'warning' | 'never';
export type AnnotationsMode = 'auto' | 'always' | 'never';
export type CommentMode = 'auto' | 'always' | 'never';
export type CheckRunMode = 'auto' | 'never';
export type SuggestionsMode = 'auto' | 'never';
export type ExistingAnnotations = 'notice' | 'never';

export interface ActionSettings {
  path: string;
  config?: string;
  // Undefined: the input was not set (the config file or the built-in default decides, see core/settings.ts).
  python?: string;
  jobs?: number;
  mode: Mode;
  failOn: FailOn;
  /** Strict mode: problems already on the base branch (or in the baseline file) fail the step too. */
  failOnExisting: boolean;
  /** How problems that are not new are annotated. */
  existingAnnotations: ExistingAnnotations;
  annotations: AnnotationsMode;
  comment: CommentMode;
  checkRun: CheckRunMode;
  /** Fix suggestions (one review) on lines the pull request changed. */
  suggestions: SuggestionsMode;
  /** Where to write the patch of fixes not offered as suggestions; undefined: RUNNER_TEMP. */
  fixPatch?: string;
  githubToken: string;
  sarifFile?: string;
  /** Code-scanning category; undefined: from `path` (render/sarif.ts sarifCategory). */
  sarifCategory?: string;
  junitFile?: string;
  reportFile?: string;
  testTimeout?: number;
  minimumTests?: number;
  allowUntrustedCode: boolean;
  sandbox: 'auto' | 'required' | 'namespaces' | 'none';
  allowNetwork: boolean;
  memoryLimitMb: number;
  /** Publish mode: the JSON report to publish (nothing is run). */
  publishReport?: string;
  /** Audit mode: outputs, the audit issue, and an explicit baseline. */
  navigatorFile?: string;
  htmlReport?: string;
  auditIssue: AuditIssueMode;
  auditIssueTitle: string;
  auditReopen: AuditReopen;
  auditBaseline?: string;
}

/**
 * Inputs that `.rulegate.yml` can also set. They have NO default in action.yml: the runner passes an
 * action.yml default to the step exactly as if the workflow had set it (INPUT_PYTHON=python3 either
 * way), so RuleGate could not tell the two apart and the default would always beat the config file.
 * Their defaults (below) are applied in code, after the config file (core/settings.ts).
 */
export const CONFIG_INPUTS: ReadonlySet<string> = new Set(['python', 'jobs', 'test-timeout', 'minimum-tests']);

/** Every input's default: as in action.yml, or, for CONFIG_INPUTS, as applied in code (a test keeps them in step). */
export const INPUT_DEFAULTS: Record<string, string> = {
  path: '.',
  config: '',
  python: SETTING_DEFAULTS.python,
  jobs: String(SETTING_DEFAULTS.jobs),
  mode: 'auto',
  'fail-on': 'error',
  'fail-on-existing': 'false',
  'existing-annotations': 'notice',
  annotations: 'auto',
  comment: 'auto',
  'check-run': 'auto',
  suggestions: 'auto',
  'fix-patch': '',
  'github-token': '${{ github.token }}',
  'sarif-file': '',
  'sarif-category': '',
  'junit-file': '',
  'report-file': '',
  'test-timeout': String(SETTING_DEFAULTS.testTimeoutSec),
  'minimum-tests': String(SETTING_DEFAULTS.minimumTests),
  'allow-untrusted-code': 'false',
  sandbox: 'auto',
  'allow-network': 'false',
  'memory-limit': '2048',
  'publish-report': '',
  'navigator-file': '',
  'html-report': '',
  'audit-issue': 'auto',
  'audit-issue-title': 'RuleGate audit',
  'audit-reopen': 'regressed',
  'audit-baseline': '',
};

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

type GetInput = (name: string) => string;

/** Reads every input; empty means the default (so a step run outside the runner, e.g. in tests, behaves the same). */
export function getSettings(getInput: GetInput = (name) => core.getInput(name)): ActionSettings {
  const raw = (name: string): string => {
    const v = getInput(name).trim();
    return v === '' ? (name === 'github-token' || CONFIG_INPUTS.has(name) ? '' : INPUT_DEFAULTS[name]) : v;
  };
  const optional = (name: string): string | undefined => raw(name) || undefined;

  const publishReport = optional('publish-report');
  let mode = oneOf<Mode>('mode', raw('mode'), ['auto', 'all', 'changed', 'audit', 'publish']);
  if (mode === 'publish' && !publishReport)
    throw new InputError(`Input 'mode' is 'publish' but 'publish-report' is empty. Give the path of the JSON report to publish in 'publish-report'.`);
  if (publishReport && mode !== 'auto' && mode !== 'publish')
    throw new InputError(`Input 'publish-report' is set, which publishes a report without running anything, but 'mode' is '${mode}'. Leave 'mode' at 'auto' (or set it to 'publish').`);
  if (publishReport) mode = 'publish';

  return {
    path: raw('path'),
    config: optional('config'),
    python: optional('python'),
    jobs: number('jobs', raw('jobs'), NUMBER_RULES.jobs),
    mode,
    failOn: oneOf<FailOn>('fail-on', raw('fail-on'), ['error', 'warning', 'never']),
    failOnExisting: bool('fail-on-existing', raw('fail-on-existing')),
    existingAnnotations: oneOf<ExistingAnnotations>('existing-annotations', raw('existing-annotations'), ['notice', 'never']),
    annotations: oneOf<AnnotationsMode>('annotations', raw('annotations'), ['auto', 'always', 'never']),
    comment: oneOf<CommentMode>('comment', raw('comment'), ['auto', 'always', 'never']),
    checkRun: oneOf<CheckRunMode>('check-run', raw('check-run'), ['auto', 'never']),
    suggestions: oneOf<SuggestionsMode>('suggestions', raw('suggestions'), ['auto', 'never']),
    fixPatch: optional('fix-patch'),
    githubToken: raw('github-token'),
    sarifFile: optional('sarif-file'),
    sarifCategory: optional('sarif-category'),
    junitFile: optional('junit-file'),
    reportFile: optional('report-file'),
    testTimeout: number('test-timeout', raw('test-timeout'), NUMBER_RULES.testTimeout),
    minimumTests: number('minimum-tests', raw('minimum-tests'), NUMBER_RULES.minimumTests),
    allowUntrustedCode: bool('allow-untrusted-code', raw('allow-untrusted-code')),
    sandbox: oneOf('sandbox', raw('sandbox'), ['auto', 'required', 'namespaces', 'none'] as const),
    allowNetwork: bool('allow-network', raw('allow-network')),
    memoryLimitMb: number('memory-limit', raw('memory-limit'), NUMBER_RULES.minimumTests) ?? 2048,
    publishReport,
    navigatorFile: optional('navigator-file'),
    htmlReport: optional('html-report'),
    auditIssue: oneOf<AuditIssueMode>('audit-issue', raw('audit-issue'), ['auto', 'never']),
    auditIssueTitle: raw('audit-issue-title').replace(/[\r\n]+/g, ' ').slice(0, 200),
    auditReopen: oneOf<AuditReopen>('audit-reopen', raw('audit-reopen'), ['regressed', 'always', 'never']),
    auditBaseline: optional('audit-baseline'),
  };
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const lower = value.toLowerCase();
  if ((allowed as readonly string[]).includes(lower)) return lower as T;
  throw new InputError(`Invalid value '${value}' for input '${name}'. Allowed values: ${allowed.join(', ')}.`);
}

/** An empty input is "not set" (undefined); anything else must fit the rule. */
function number(name: string, value: string, rule: NumberRule): number | undefined {
  if (value === '') return undefined;
  const n = checkNumber(value, rule);
  if (n === undefined) throw new InputError(`Invalid value '${value}' for input '${name}'. Expected ${rule.expected}.`);
  return n;
}

// Same spellings as core.getBooleanInput (YAML 1.2 core schema).
function bool(name: string, value: string): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new InputError(`Invalid value '${value}' for input '${name}'. Allowed values: true, false.`);
}
