// The action's inputs, read once and validated into one typed settings object (actions/checkout's
// input-helper pattern). A bad value fails fast with the input's name and what it accepts.
// The runner passes input `fail-on` as env INPUT_FAIL-ON (upper-cased, spaces → _, hyphens kept).
import * as core from '@actions/core';

export type Mode = 'auto' | 'all' | 'changed' | 'publish';
export type FailOn = 'error' | 'warning' | 'never';
export type AnnotationsMode = 'auto' | 'always' | 'never';
export type CommentMode = 'auto' | 'always' | 'never';
export type CheckRunMode = 'auto' | 'never';
export type ExistingAnnotations = 'notice' | 'never';

export interface ActionSettings {
  path: string;
  config?: string;
  python?: string;
  /** Undefined: one worker per core. */
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
  githubToken: string;
  sarifFile?: string;
  junitFile?: string;
  reportFile?: string;
  testTimeout: number;
  minimumTests: number;
  allowUntrustedCode: boolean;
  /** Publish mode: the JSON report to publish (nothing is run). */
  publishReport?: string;
}

/** Defaults, exactly as in action.yml (a test keeps the two in step). */
export const INPUT_DEFAULTS: Record<string, string> = {
  path: '.',
  config: '',
  python: 'python3',
  jobs: '0',
  mode: 'auto',
  'fail-on': 'error',
  'fail-on-existing': 'false',
  'existing-annotations': 'notice',
  annotations: 'auto',
  comment: 'auto',
  'check-run': 'auto',
  'github-token': '${{ github.token }}',
  'sarif-file': '',
  'junit-file': '',
  'report-file': '',
  'test-timeout': '10',
  'minimum-tests': '0',
  'allow-untrusted-code': 'false',
  'publish-report': '',
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
    return v === '' ? (name === 'github-token' ? '' : INPUT_DEFAULTS[name]) : v;
  };
  const optional = (name: string): string | undefined => raw(name) || undefined;

  const publishReport = optional('publish-report');
  let mode = oneOf<Mode>('mode', raw('mode'), ['auto', 'all', 'changed', 'publish']);
  if (mode === 'publish' && !publishReport)
    throw new InputError(`Input 'mode' is 'publish' but 'publish-report' is empty. Give the path of the JSON report to publish in 'publish-report'.`);
  if (publishReport && mode !== 'auto' && mode !== 'publish')
    throw new InputError(`Input 'publish-report' is set, which publishes a report without running anything, but 'mode' is '${mode}'. Leave 'mode' at 'auto' (or set it to 'publish').`);
  if (publishReport) mode = 'publish';

  return {
    path: raw('path'),
    config: optional('config'),
    python: optional('python'),
    jobs: wholeNumber('jobs', raw('jobs')) || undefined,
    mode,
    failOn: oneOf<FailOn>('fail-on', raw('fail-on'), ['error', 'warning', 'never']),
    failOnExisting: bool('fail-on-existing', raw('fail-on-existing')),
    existingAnnotations: oneOf<ExistingAnnotations>('existing-annotations', raw('existing-annotations'), ['notice', 'never']),
    annotations: oneOf<AnnotationsMode>('annotations', raw('annotations'), ['auto', 'always', 'never']),
    comment: oneOf<CommentMode>('comment', raw('comment'), ['auto', 'always', 'never']),
    checkRun: oneOf<CheckRunMode>('check-run', raw('check-run'), ['auto', 'never']),
    githubToken: raw('github-token'),
    sarifFile: optional('sarif-file'),
    junitFile: optional('junit-file'),
    reportFile: optional('report-file'),
    testTimeout: positiveNumber('test-timeout', raw('test-timeout')),
    minimumTests: wholeNumber('minimum-tests', raw('minimum-tests')),
    allowUntrustedCode: bool('allow-untrusted-code', raw('allow-untrusted-code')),
    publishReport,
  };
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const lower = value.toLowerCase();
  if ((allowed as readonly string[]).includes(lower)) return lower as T;
  throw new InputError(`Invalid value '${value}' for input '${name}'. Allowed values: ${allowed.join(', ')}.`);
}

function wholeNumber(name: string, value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new InputError(`Invalid value '${value}' for input '${name}'. Expected a whole number (0 or more).`);
  return Number(value);
}

function positiveNumber(name: string, value: string): number {
  const n = Number(value);
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(value) || !(n > 0) || !Number.isFinite(n)) throw new InputError(`Invalid value '${value}' for input '${name}'. Expected a number of seconds greater than 0.`);
  return n;
}

// Same spellings as core.getBooleanInput (YAML 1.2 core schema).
function bool(name: string, value: string): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new InputError(`Invalid value '${value}' for input '${name}'. Allowed values: true, false.`);
}
