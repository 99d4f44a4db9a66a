// The shipped ATT&CK Enterprise catalogs (src/attack/data, written by scripts/update-attack.js).
// They are reached only through the static require() map in data/catalogs.ts, so the ncc bundle
// inlines them: no file is read at run time.
import { FatalError } from '../core/errors';
import { ATTACK_CATALOG_LOADERS, DEFAULT_ATTACK_VERSION } from './data/catalogs';

export interface AttackTactic {
  id: string; // TA0006
  name: string; // Credential Access
  shortname: string; // credential-access
}

export interface AttackTechnique {
  id: string; // T1555 or T1555.003
  name: string;
  /** Tactic IDs in MITRE's order. Revoked and deprecated entries keep the tactics they had when retired. */
  tactics: readonly string[];
  /** The parent technique of a sub-technique, else null. */
  parent: string | null;
  deprecated: boolean;
  revoked: boolean;
  /** For a revoked technique: the active technique that replaces it (end of the revoked-by chain). */
  replacement: string | null;
}

export interface AttackCatalog {
  version: string; // "19.2"
  domain: string; // "enterprise-attack"
  /** Modified time of MITRE's collection, when the source recorded it. */
  modified: string | null;
  /** MITRE's copyright designation for this release. */
  copyright: string;
  /** MITRE's licence paragraph. */
  license: string;
  terms: string;
  /** In matrix order (Reconnaissance … Impact). */
  tactics: ReadonlyMap<string, AttackTactic>;
  /** Every technique and sub-technique, revoked and deprecated ones included. */
  techniques: ReadonlyMap<string, AttackTechnique>;
  /** Names of tactics and active techniques as they were in the previous release, where they changed. */
  previousNames: { attackVersion: string; names: Readonly<Record<string, string>> } | null;
  /** Active sub-techniques per parent technique ID. */
  subTechniques: ReadonlyMap<string, readonly AttackTechnique[]>;
}

interface CatalogFile {
  version: string;
  domain: string;
  modified: string | null;
  copyright: string;
  license: string;
  terms: string;
  tactics: Record<string, { name: string; shortname: string }>;
  techniques: Record<string, { name: string; tactics: string[]; deprecated: boolean; revoked: boolean; replacement: string | null }>;
  previousNames: { attackVersion: string; names: Record<string, string> } | null;
}

const cache = new Map<string, AttackCatalog>();

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The shipped ATT&CK versions, newest first. */
export function availableAttackVersions(): string[] {
  return Object.keys(ATTACK_CATALOG_LOADERS).sort((a, b) => compareVersions(b, a));
}

/** The version used when none is asked for: the newest shipped. */
export function defaultAttackVersion(): string {
  return DEFAULT_ATTACK_VERSION;
}

function resolveVersion(asked: string | undefined): string {
  const versions = availableAttackVersions();
  if (asked === undefined || asked.trim() === '' || asked.trim().toLowerCase() === 'latest') return DEFAULT_ATTACK_VERSION;
  const v = asked.trim().replace(/^v/i, '');
  if (versions.includes(v)) return v;
  // "19" → the newest 19.x shipped
  if (/^\d+$/.test(v)) {
    const major = versions.find((x) => x.split('.')[0] === v);
    if (major) return major;
  }
  const list = versions.map((x) => (x === DEFAULT_ATTACK_VERSION ? `${x} (default)` : x)).join(', ');
  throw new FatalError(`unknown ATT&CK version "${asked}": this build of RuleGate ships Enterprise ATT&CK ${list}`);
}

function build(file: CatalogFile): AttackCatalog {
  const tactics = new Map<string, AttackTactic>();
  for (const [id, t] of Object.entries(file.tactics)) tactics.set(id, { id, name: t.name, shortname: t.shortname });
  const techniques = new Map<string, AttackTechnique>();
  const subTechniques = new Map<string, AttackTechnique[]>();
  for (const [id, t] of Object.entries(file.techniques)) {
    const dot = id.indexOf('.');
    const tech: AttackTechnique = {
      id,
      name: t.name,
      tactics: t.tactics,
      parent: dot < 0 ? null : id.slice(0, dot),
      deprecated: t.deprecated,
      revoked: t.revoked,
      replacement: t.replacement,
    };
    techniques.set(id, tech);
    if (tech.parent && !tech.revoked && !tech.deprecated) {
      const list = subTechniques.get(tech.parent) ?? [];
      list.push(tech);
      subTechniques.set(tech.parent, list);
    }
  }
  return {
    version: file.version,
    domain: file.domain,
    modified: file.modified,
    copyright: file.copyright,
    license: file.license,
    terms: file.terms,
    tactics,
    techniques,
    previousNames: file.previousNames,
    subTechniques,
  };
}

/** Loads a shipped catalog (default: the newest). An unknown version is a FatalError listing the shipped ones. */
export function loadAttackCatalog(version?: string): AttackCatalog {
  const v = resolveVersion(version);
  let catalog = cache.get(v);
  if (!catalog) {
    const file = ATTACK_CATALOG_LOADERS[v]() as CatalogFile;
    if (!file || file.version !== v || typeof file.tactics !== 'object' || typeof file.techniques !== 'object')
      throw new FatalError(`the shipped ATT&CK catalog for version ${v} is damaged; rerun scripts/update-attack.js`);
    catalog = build(file);
    cache.set(v, catalog);
  }
  return catalog;
}
