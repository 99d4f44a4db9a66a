// Options shared by both front ends (CLI and action). Both build them with buildSettings (./settings.ts),
// which merges defaults < config file < what the user set.
import type { Config } from './config';

export interface Filter {
  key: string; // RuleID, LogTypes, Severity, Tags, AnalysisType, Enabled, …
  values: string[]; // already split on commas
  negate: boolean; // KEY!=VALUE
}

export interface RunOptions {
  /** Root as the user gave it (shown in the report). */
  rootArg: string;
  /** Absolute root. */
  root: string;
  /** Working directory pat would run from (spec §2.1: helper roots are also looked up from it). */
  cwd: string;
  /** Config file path given explicitly (else `<root>/.rulegate.yml` if present). */
  configPath?: string;
  /** The config file as read by buildSettings (its values are already merged here); its severities apply to findings. */
  config?: Config;
  /** Extra globs (relative to root) to skip, from CLI/config. */
  ignore: string[];
  /** Globs (relative to root) that widen discovery beyond pat's directory filter. */
  include: string[];
  /** ATT&CK version to validate against (default: newest shipped). */
  attackVersion?: string;
  /** Skip test execution entirely. */
  noTests: boolean;
  /** Python executable (default python3 on PATH). */
  python?: string;
  /** Worker count (default: CPU cores). */
  jobs?: number;
  /** Per-test time limit in seconds (default 10). */
  testTimeoutSec: number;
  filters: Filter[];
  minimumTests: number;
  skipDisabled: boolean;
  /** Only run tests with these names (pat --test-names). */
  testNames: string[];
  /** Pull-request mode: narrow validation/testing to these repo-relative files and their dependents. */
  changedFiles?: string[];
  /** Audit: after the full check, the analyses of src/audit (coverage, lints, forecast, snapshot). */
  audit?: boolean;
  /** Audit: the commit audited, recorded in the snapshot. */
  auditSha?: string;
  /** Baseline file (accepted problems); default ROOT/.rulegate-baseline.json when it exists; false: none. */
  baselineFile?: string | false;
  /** Strict mode: problems that already exist (base commit, baseline file) fail the run too. */
  failOnExisting: boolean;
  /** Run only the tests of these item IDs (helpers and data models still load); the base-commit comparison uses it. */
  testItems?: ReadonlySet<string>;
  /** Sigma: checks profile (`spec` default, `sigmahq` adds SigmaHQ's conventions). */
  sigmaProfile?: 'spec' | 'sigmahq';
  /** Sigma: a sigma-cli validation config (default tests/sigma_cli_conf.yml when present; 'none' for none). */
  sigmaConfig?: string;
  /** Progress lines go here (stderr in the CLI); never the report itself. */
  progress?: (line: string) => void;
  /** Isolation of rule code (src/run/sandbox.ts): auto (default), required, namespaces or none. */
  sandbox?: 'auto' | 'required' | 'namespaces' | 'none';
  /** Let tests reach the network under the namespace sandbox (default: off). */
  allowNetwork?: boolean;
  /** Address-space limit of each Python worker in MiB (default 2048; 0 = no limit). */
  memoryLimitMb?: number;
  /** File texts to load instead of the disk's (absolute path → text): `rulegate fix` checks its
   * edits in memory between passes. */
  overlay?: ReadonlyMap<string, string>;
}

export function defaultOptions(root: string, rootArg = root): RunOptions {
  return {
    rootArg,
    root,
    cwd: process.cwd(),
    ignore: [],
    include: [],
    noTests: false,
    testTimeoutSec: 10,
    filters: [],
    minimumTests: 0,
    skipDisabled: false,
    testNames: [],
    failOnExisting: false,
  };
}
