// The project config file (.rulegate.yml at the root, or --config): per-code severities,
// ignore/include globs, ATT&CK version and test defaults. buildSettings (./settings.ts) merges it:
// defaults < this file < what the user set on the command line or as action inputs.
import * as fs from 'fs';
import * as path from 'path';
import type { Severity } from './types';
import type { RunOptions } from './options';
import { CODES, isKnownCode } from './codes';
import { FatalError } from './errors';
import { loadYaml, YamlFloat } from '../load/yaml';
import { closest } from './suggest';
import { checkNumber, NUMBER_RULES, type NumberRule } from './settings';

export interface Config {
  file?: string; // where it was read from, repository-relative or as given
  severity: Record<string, Severity | 'off'>;
  ignore: string[];
  include: string[];
  attackVersion?: string;
  minimumTests?: number;
  /** Seconds. */
  testTimeout?: number;
  skipDisabled?: boolean;
  python?: string;
  jobs?: number;
}

export const CONFIG_FILE_NAMES = ['.rulegate.yml', '.rulegate.yaml'];

const KEYS: Record<string, string> = {
  severity: 'a mapping of finding code to error | warning | note | off',
  ignore: 'a list of globs (relative to the root) to skip',
  include: 'a list of globs to load even outside the folders pat loads from the repository root',
  'attack-version': 'the ATT&CK version to validate against, e.g. "19.2"',
  'minimum-tests': 'the minimum number of tests per detection (pat --minimum-tests)',
  'test-timeout': 'seconds a single test may run',
  'skip-disabled': 'true to skip detections with Enabled: false',
  python: 'the Python executable that runs rule code',
  jobs: 'number of Python worker processes',
};

export function emptyConfig(): Config {
  return { severity: {}, ignore: [], include: [] };
}

export function loadConfig(options: RunOptions): Config {
  let file = options.configPath;
  if (file) file = path.resolve(options.cwd, file);
  else file = CONFIG_FILE_NAMES.map((n) => path.join(options.root, n)).find((p) => fs.existsSync(p));
  if (!file) return emptyConfig();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new FatalError(`cannot read the config file ${file}: ${(e as Error).message}`);
  }
  return parseConfig(text, path.relative(options.cwd, file) || file);
}

export function parseConfig(text: string, name: string): Config {
  const parsed = loadYaml(text);
  if (!parsed.ok) throw new FatalError(`${name}:${parsed.error.line}:${parsed.error.column}: YAML syntax error in the config file: ${parsed.error.message}`);
  const config: Config = { ...emptyConfig(), file: name };
  if (parsed.value === null) return config;
  const at = (p: (string | number)[]) => `${name}:${parsed.positions.keyAt(p).line}`;
  const value = parsed.value;
  if (typeof value !== 'object' || Array.isArray(value)) throw new FatalError(`${name}:1: the config file must be a mapping of keys (${Object.keys(KEYS).join(', ')})`);
  const spec = value as Record<string, unknown>;
  const stringList = (key: string): string[] => {
    const v = spec[key];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new FatalError(`${at([key])}: "${key}" must be ${KEYS[key]}, e.g. ${key}: ["templates/**"]`);
    return v as string[];
  };
  const number = (key: string, rule: NumberRule): number => {
    const v = spec[key];
    // YAML `2.0` is a float: fine for seconds, not for a count.
    const n = checkNumber(v instanceof YamlFloat && !rule.integer ? v.value : v, rule);
    if (n === undefined) throw new FatalError(`${at([key])}: "${key}" must be ${rule.expected} (${KEYS[key]}), not ${JSON.stringify(v)}`);
    return n;
  };
  for (const key of Object.keys(spec)) {
    switch (key) {
      case 'severity': {
        const m = spec.severity;
        if (m === null || typeof m !== 'object' || Array.isArray(m)) throw new FatalError(`${at([key])}: "severity" must be ${KEYS.severity}`);
        for (const [code, sev] of Object.entries(m as Record<string, unknown>)) {
          if (!isKnownCode(code)) {
            const hint = closest(code, Object.keys(CODES));
            throw new FatalError(`${at(['severity', code])}: unknown finding code "${code}"${hint ? ` (did you mean "${hint}"?)` : ''}; the README lists every code`);
          }
          const s = sev === false ? 'off' : sev;
          if (s !== 'error' && s !== 'warning' && s !== 'note' && s !== 'off')
            throw new FatalError(`${at(['severity', code])}: the severity of ${code} must be error, warning, note or off, not ${JSON.stringify(sev)}`);
          config.severity[code] = s;
        }
        break;
      }
      case 'ignore':
        config.ignore = stringList(key);
        break;
      case 'include':
        config.include = stringList(key);
        break;
      case 'attack-version':
        if (typeof spec[key] !== 'string' && typeof spec[key] !== 'number' && !(spec[key] instanceof YamlFloat))
          throw new FatalError(`${at([key])}: "attack-version" must be a version such as "19.2"`);
        config.attackVersion = spec[key] instanceof YamlFloat ? (spec[key] as YamlFloat).value.toFixed(1) : String(spec[key]);
        break;
      case 'minimum-tests':
        config.minimumTests = number(key, NUMBER_RULES.minimumTests);
        break;
      case 'test-timeout':
        config.testTimeout = number(key, NUMBER_RULES.testTimeout);
        break;
      case 'jobs':
        config.jobs = number(key, NUMBER_RULES.jobs);
        break;
      case 'skip-disabled':
        if (typeof spec[key] !== 'boolean') throw new FatalError(`${at([key])}: "skip-disabled" must be true or false`);
        config.skipDisabled = spec[key] as boolean;
        break;
      case 'python':
        if (typeof spec[key] !== 'string') throw new FatalError(`${at([key])}: "python" must be the path or name of a Python executable`);
        config.python = spec[key] as string;
        break;
      default: {
        const hint = closest(key, Object.keys(KEYS));
        throw new FatalError(`${at([key])}: unknown config key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; valid keys: ${Object.keys(KEYS).join(', ')}`);
      }
    }
  }
  return config;
}
