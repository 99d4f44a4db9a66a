// Profiles and sigma-cli validation configs (spec §8.1, §11): `spec` keeps the specification's
// checks; `sigmahq` adds SigmaHQ's conventions; a sigma-cli config (`tests/sigma_cli_conf.yml`
// style) switches validators on/off by name and excludes rule ids, so a SigmaHQ-style repository
// gets the verdict of `sigma check` with no new config.
import * as fs from 'fs';
import * as path from 'path';
import type { RawFinding } from '../../core/types';
import { CODES, isKnownCode } from '../../core/codes';
import { loadYamlDocuments } from '../../load/yaml';
import { isRecord } from './load';
import type { SigmaFinding } from './findings';

export type SigmaProfile = 'spec' | 'sigmahq';

export interface SigmaCliConfig {
  file: string; // repository-relative (for findings about the config itself)
  /** null = every validator (no `validators:` list). */
  validators: Set<string> | null;
  disabled: Set<string>;
  /** rule id (lower case) → validator names */
  exclusions: Map<string, Set<string>>;
}

/** Where SigmaHQ keeps its config; used when present and no other is given. */
export const DEFAULT_CLI_CONFIG = 'tests/sigma_cli_conf.yml';

export function readSigmaCliConfig(absPath: string, repoRoot: string): { config?: SigmaCliConfig; findings: RawFinding[] } {
  const file = path.relative(repoRoot, absPath).split(path.sep).join('/');
  const findings: RawFinding[] = [];
  let text: string;
  try {
    text = fs.readFileSync(absPath, 'utf8');
  } catch (e) {
    return { findings: [{ code: 'file/unreadable', file, line: 1, message: `the sigma-cli validation config ${file} cannot be read: ${(e as Error).message}` }] };
  }
  const parsed = loadYamlDocuments(text, 'yaml11');
  if (!parsed.ok) return { findings: [{ code: 'yaml/syntax', file, line: parsed.error.line, column: parsed.error.column, message: `YAML syntax error in the sigma-cli config: ${parsed.error.message}` }] };
  const doc = parsed.documents[0];
  for (const d of doc?.duplicates ?? [])
    findings.push({ code: 'yaml/duplicate-key', file, line: d.line, column: d.column, message: `the key "${d.key}" appears twice; sigma-cli (PyYAML) keeps only the last one, so the other entry is silently lost`, hint: 'merge the two entries into one (a list of validator names)' });
  const v = isRecord(doc?.value) ? doc!.value : {};
  const config: SigmaCliConfig = { file, validators: null, disabled: new Set(), exclusions: new Map() };
  if (Array.isArray(v.validators)) {
    const on = new Set<string>();
    let all = false;
    for (const name of v.validators) {
      if (typeof name !== 'string') continue;
      if (name === 'all') all = true;
      else if (name.startsWith('-')) config.disabled.add(name.slice(1));
      else on.add(name);
    }
    config.validators = all ? null : on;
  }
  if (isRecord(v.exclusions))
    for (const [id, names] of Object.entries(v.exclusions)) {
      const list = Array.isArray(names) ? names : [names];
      config.exclusions.set(id.toLowerCase(), new Set(list.filter((x): x is string => typeof x === 'string')));
    }
  return { config, findings };
}

function enabled(config: SigmaCliConfig, validator: string): boolean {
  if (config.disabled.has(validator)) return false;
  return config.validators === null || config.validators.has(validator);
}

/** Applies the profile, the sigma-cli config and the retired-folder rule; strips Sigma-only fields. */
export function applySigmaProfile(raw: SigmaFinding[], profile: SigmaProfile, cli: SigmaCliConfig | undefined): RawFinding[] {
  const out: RawFinding[] = [];
  const hqOn = profile === 'sigmahq' || cli !== undefined;
  for (const f of raw) {
    const { validator, hq, ruleId, item, ...finding } = f;
    if (hq && !hqOn) continue;
    if (cli && validator) {
      if (!enabled(cli, validator)) continue;
      const ex = ruleId ? cli.exclusions.get(ruleId.toLowerCase()) : undefined;
      if (ex?.has(validator)) continue;
    }
    if (hqOn && finding.severity === undefined && (finding.code === 'sigma/custom-key' || finding.code === 'sigma/condition-of-without-wildcard')) finding.severity = 'warning';
    const base = finding.severity ?? (isKnownCode(finding.code) ? CODES[finding.code].severity : 'error');
    if (item?.retired && base !== 'off') finding.severity = 'note';
    out.push(finding);
  }
  return out;
}
