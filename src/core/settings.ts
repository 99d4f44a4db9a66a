// One place decides every run setting, for both front ends (the CLI and the action):
//   built-in defaults  <  the config file (.rulegate.yml)  <  what the user explicitly set
// (a command-line option or an action input). "Not set" is `undefined`, never a default value:
// an explicit `--minimum-tests 0` must beat `minimum-tests: 2` in the file.
import { defaultOptions, type Filter, type RunOptions } from './options';
import { loadConfig } from './config';

/** What the user set on the command line or as action inputs. Leave a field undefined when not set. */
export interface GivenSettings {
  configPath?: string;
  python?: string;
  /** 0 means one worker per CPU core. */
  jobs?: number;
  testTimeoutSec?: number;
  minimumTests?: number;
  skipDisabled?: boolean;
  attackVersion?: string;
  noTests?: boolean;
  /** Lists add up: given globs first, then the config file's. */
  ignore?: string[];
  include?: string[];
  filters?: Filter[];
  testNames?: string[];
  changedFiles?: string[];
}

/** Built-in defaults of the settings a config file can also set. */
export const SETTING_DEFAULTS = {
  python: 'python3',
  jobs: 0,
  testTimeoutSec: 10,
  minimumTests: 0,
  skipDisabled: false,
} as const;

export interface Where {
  /** Absolute root. */
  root: string;
  /** Root as the user gave it (shown in the report). */
  rootArg: string;
  /** Working directory: relative config paths and pat's helper roots are resolved from it. */
  cwd: string;
}

/** Reads the config file once and merges defaults < config < given into the run's options. */
export function buildSettings(where: Where, given: GivenSettings): RunOptions {
  const options = defaultOptions(where.root, where.rootArg);
  options.cwd = where.cwd;
  options.configPath = given.configPath;
  const config = loadConfig(options);
  options.config = config;
  const pick = <T>(key: keyof typeof SETTING_DEFAULTS, fromGiven: T | undefined, fromConfig: T | undefined): T =>
    fromGiven ?? fromConfig ?? (SETTING_DEFAULTS[key] as T);

  const python = given.python ?? config.python;
  if (python !== undefined) options.python = python; // undefined: python3 on PATH (the error message says so)
  const jobs = pick('jobs', given.jobs, config.jobs);
  if (jobs > 0) options.jobs = jobs;
  options.testTimeoutSec = pick('testTimeoutSec', given.testTimeoutSec, config.testTimeout);
  options.minimumTests = pick('minimumTests', given.minimumTests, config.minimumTests);
  options.skipDisabled = pick('skipDisabled', given.skipDisabled, config.skipDisabled);
  options.attackVersion = given.attackVersion ?? config.attackVersion;
  options.noTests = given.noTests ?? false;
  options.ignore = [...(given.ignore ?? []), ...config.ignore];
  options.include = [...(given.include ?? []), ...config.include];
  options.filters = given.filters ?? [];
  options.testNames = given.testNames ?? [];
  if (given.changedFiles) options.changedFiles = given.changedFiles;
  return options;
}

// ---- the one number validator (command line, action inputs, config file) ----------------------

export interface NumberRule {
  integer: boolean;
  min: number;
  /** true: the value must be above `min`, not equal to it. */
  exclusive?: boolean;
  /** What is expected, in plain words. */
  expected: string;
}

export const NUMBER_RULES = {
  jobs: { integer: true, min: 0, expected: 'a whole number (0 or more)' },
  minimumTests: { integer: true, min: 0, expected: 'a whole number (0 or more)' },
  testTimeout: { integer: false, min: 0, exclusive: true, expected: 'a number of seconds greater than 0' },
} satisfies Record<string, NumberRule>;

/** The number when `value` fits the rule (a number, or decimal text such as "2.5"), else undefined. */
export function checkNumber(value: unknown, rule: NumberRule): number | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && (rule.integer ? /^\s*\d+\s*$/ : /^\s*(\d+(\.\d*)?|\.\d+)\s*$/).test(value)) n = Number(value);
  else return undefined;
  if (!Number.isFinite(n) || (rule.integer && !Number.isSafeInteger(n))) return undefined;
  if (rule.exclusive ? n <= rule.min : n < rule.min) return undefined;
  return n;
}
