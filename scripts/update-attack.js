#!/usr/bin/env node
// Builds RuleGate's compact ATT&CK Enterprise catalog from MITRE data.
//
//   npm run update-attack -- FILE_OR_URL [--out DIR] [--previous FILE|none] [--check]
//
// Input, detected from its content:
//   - an official MITRE STIX 2.1 bundle ({"type":"bundle","objects":[...]}, e.g.
//     enterprise-attack-19.2.json from mitre-attack/attack-stix-data), from a path or http(s) URL;
//   - the compact shape of shared/attack/*.json (source, counts, tactics[], techniques[]);
//   - a catalog this script wrote before (regenerates it unchanged).
// Output, in DIR (default src/attack/data):
//   - enterprise-attack-<version>.json: the catalog (version, modified, MITRE copyright and
//     licence, tactics, techniques, previousNames), one tactic or technique per line;
//   - index.json: the versions available and the default (the newest);
//   - catalogs.ts: a static require() map of the catalogs, so the ncc bundle inlines them.
// The output depends only on the input (no dates, no absolute paths), so rerunning gives no diff.
//
// --previous names the catalog of the release before this one, used to fill previousNames
// (tactics and active techniques whose name changed) and to resolve kill-chain phase names of
// revoked/deprecated techniques that still use a tactic's former shortname. By default it is the
// newest catalog in DIR older than the new version; `--previous none` turns it off. When the
// input carries previousNames itself (the compact v19.2 file does), those are kept.
'use strict';

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const DEFAULT_OUT = path.resolve(__dirname, '..', 'src', 'attack', 'data');
const DOMAIN = 'enterprise-attack';
const TERMS_URL = 'https://attack.mitre.org/resources/terms-of-use/';
/** MITRE's licence paragraph, verbatim from LICENSE.txt of mitre-attack/attack-stix-data. */
const LICENSE_TEXT =
  "The MITRE Corporation (MITRE) hereby grants you a non-exclusive, royalty-free license to use ATT&CK® for research, development, and commercial purposes. Any copy you make for such purposes is authorized provided that you reproduce MITRE's copyright designation and this license in any such copy.";
const copyrightFor = (year) =>
  `© ${year} The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation.`;

const TACTIC_ID = /^TA\d{4}$/;
const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;

class UpdateError extends Error {}

// ---------------------------------------------------------------- helpers

function compareVersions(a, b) {
  const pa = String(a).split('.').map((x) => parseInt(x, 10) || 0);
  const pb = String(b).split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d !== 0) return d;
  }
  return 0;
}

function techniqueSortKey(id) {
  const m = /^T(\d+)(?:\.(\d+))?$/.exec(id);
  return m ? [parseInt(m[1], 10), m[2] === undefined ? -1 : parseInt(m[2], 10)] : [Infinity, 0];
}

function compareTechniqueIds(a, b) {
  const ka = techniqueSortKey(a);
  const kb = techniqueSortKey(b);
  return ka[0] - kb[0] || ka[1] - kb[1] || (a < b ? -1 : a > b ? 1 : 0);
}

function mitreExternalId(obj) {
  const refs = Array.isArray(obj.external_references) ? obj.external_references : [];
  const ref = refs.find((r) => r && r.source_name === 'mitre-attack' && typeof r.external_id === 'string');
  return ref ? ref.external_id : undefined;
}

/** Follows revokedBy links to an active technique; null when the chain breaks or loops. */
function resolveReplacement(id, byId, warn) {
  const seen = new Set([id]);
  let cur = byId.get(id);
  while (cur && cur.revoked) {
    const next = cur.revokedBy;
    if (!next || seen.has(next)) {
      warn(`${id}: the revoked-by chain ${next ? 'loops' : 'ends'} at ${cur.id} without reaching an active technique`);
      return null;
    }
    seen.add(next);
    cur = byId.get(next);
    if (!cur) {
      warn(`${id}: the revoked-by chain points at ${next}, which is not in the data`);
      return null;
    }
  }
  if (cur && cur.deprecated) {
    warn(`${id}: the revoked-by chain ends at deprecated ${cur.id}`);
    return null;
  }
  return cur ? cur.id : null;
}

/** previousNames: tactics and active techniques whose name differs from the previous catalog. */
function computePreviousNames(tactics, techniques, previous) {
  if (!previous) return null;
  const names = {};
  for (const t of tactics) {
    const old = previous.tactics[t.id];
    if (old && old.name !== t.name) names[t.id] = old.name;
  }
  for (const t of techniques) {
    if (t.revoked || t.deprecated) continue;
    const old = previous.techniques[t.id];
    if (old && old.name !== t.name) names[t.id] = old.name;
  }
  return { attackVersion: previous.version, names };
}

// ---------------------------------------------------------------- input shapes

function detectShape(data) {
  if (data && typeof data === 'object' && data.type === 'bundle' && Array.isArray(data.objects)) return 'stix';
  if (data && typeof data === 'object' && Array.isArray(data.tactics) && Array.isArray(data.techniques)) return 'compact';
  if (data && typeof data === 'object' && typeof data.version === 'string' && data.tactics && data.techniques && !Array.isArray(data.techniques))
    return 'catalog';
  throw new UpdateError(
    'the input is neither a STIX 2.1 bundle ({"type": "bundle", "objects": [...]}), nor the compact ATT&CK shape (tactics[] and techniques[]), nor a RuleGate catalog',
  );
}

/** From the official STIX 2.1 bundle, following shared/attack/README.md "How to regenerate". */
function fromStix(bundle, info, previous, warn) {
  const objects = bundle.objects.filter((o) => o && typeof o === 'object');
  const live = (o) => !o.revoked && !o.x_mitre_deprecated;

  // 2. collection: version and modified time
  const collections = objects.filter((o) => o.type === 'x-mitre-collection');
  if (collections.length === 0) throw new UpdateError('the bundle has no x-mitre-collection object (version unknown)');
  if (collections.length > 1) warn(`the bundle has ${collections.length} x-mitre-collection objects; using the first`);
  const collection = collections[0];
  const version = collection.x_mitre_version;
  if (typeof version !== 'string' || !/^\d+(\.\d+)*$/.test(version))
    throw new UpdateError(`the x-mitre-collection object has no usable x_mitre_version (${JSON.stringify(version)})`);
  const modified = typeof collection.modified === 'string' ? collection.modified : null;

  // 3. tactics, in the matrix's tactic_refs order
  const tacticByStixId = new Map();
  for (const o of objects) if (o.type === 'x-mitre-tactic') tacticByStixId.set(o.id, o);
  const matrices = objects.filter((o) => o.type === 'x-mitre-matrix' && Array.isArray(o.tactic_refs) && live(o));
  if (matrices.length === 0) throw new UpdateError('the bundle has no x-mitre-matrix object with tactic_refs');
  if (matrices.length > 1) warn(`the bundle has ${matrices.length} x-mitre-matrix objects; using the first`);
  const tactics = [];
  for (const ref of matrices[0].tactic_refs) {
    const o = tacticByStixId.get(ref);
    if (!o) throw new UpdateError(`the matrix names tactic ${ref}, which is not in the bundle`);
    const id = mitreExternalId(o);
    if (!id || !TACTIC_ID.test(id)) throw new UpdateError(`tactic ${ref} has no mitre-attack external ID`);
    tactics.push({ id, name: String(o.name), shortname: String(o.x_mitre_shortname) });
  }
  const tacticByShortname = new Map(tactics.map((t) => [t.shortname, t.id]));
  // Former shortnames (a renamed tactic's retired techniques keep the old phase name).
  const formerShortnames = new Map();
  for (const o of tacticByStixId.values()) {
    const id = mitreExternalId(o);
    if (id && o.x_mitre_shortname && !tacticByShortname.has(o.x_mitre_shortname)) formerShortnames.set(o.x_mitre_shortname, id);
  }
  if (previous)
    for (const [id, t] of Object.entries(previous.tactics))
      if (t.shortname && !tacticByShortname.has(t.shortname) && !formerShortnames.has(t.shortname)) formerShortnames.set(t.shortname, id);

  // 4. techniques: every attack-pattern with a mitre-attack ID
  const techniques = [];
  const idByStixId = new Map();
  for (const o of objects) {
    if (o.type !== 'attack-pattern') continue;
    const id = mitreExternalId(o);
    if (!id) continue;
    if (!TECHNIQUE_ID.test(id)) {
      warn(`attack-pattern ${o.id} has an unexpected ID ${id}; skipped`);
      continue;
    }
    const revoked = o.revoked === true;
    const deprecated = !revoked && o.x_mitre_deprecated === true;
    const phases = (Array.isArray(o.kill_chain_phases) ? o.kill_chain_phases : []).filter((p) => p && p.kill_chain_name === 'mitre-attack');
    const tacticIds = [];
    for (const p of phases) {
      let tid = tacticByShortname.get(p.phase_name);
      if (!tid && (revoked || deprecated)) tid = formerShortnames.get(p.phase_name);
      if (!tid) {
        const msg = `${id} (${o.name}) has kill-chain phase "${p.phase_name}", which is no tactic of the matrix`;
        if (revoked || deprecated) {
          warn(`${msg}; left out of its tactics`);
          continue;
        }
        throw new UpdateError(msg);
      }
      if (!tacticIds.includes(tid)) tacticIds.push(tid);
    }
    if (idByStixId.has(o.id)) throw new UpdateError(`attack-pattern ${o.id} appears twice`);
    idByStixId.set(o.id, id);
    techniques.push({ id, name: String(o.name), tactics: tacticIds, deprecated, revoked, revokedBy: null });
  }
  const byId = new Map();
  for (const t of techniques) {
    if (byId.has(t.id)) throw new UpdateError(`technique ID ${t.id} is used by two attack-pattern objects`);
    byId.set(t.id, t);
  }

  // 5. revoked-by links and replacements
  for (const r of objects) {
    if (r.type !== 'relationship' || r.relationship_type !== 'revoked-by' || !live(r)) continue;
    const from = idByStixId.get(r.source_ref);
    const to = idByStixId.get(r.target_ref);
    if (!from || !to) continue; // revocations of other object types (groups, software, …)
    const t = byId.get(from);
    if (!t.revoked) continue;
    if (t.revokedBy && t.revokedBy !== to) warn(`${from} has two revoked-by links (${t.revokedBy}, ${to}); keeping the first`);
    else t.revokedBy = to;
  }
  for (const t of techniques) {
    t.replacement = t.revoked ? resolveReplacement(t.id, byId, warn) : null;
    if (t.revoked && !t.revokedBy) warn(`${t.id} is revoked but no revoked-by relationship names its replacement`);
  }

  const year = modified ? modified.slice(0, 4) : null;
  const source = { format: 'stix-2.1-bundle', input: info.label, bytes: info.bytes, sha256: info.sha256, collection: collection.id };
  return {
    version,
    modified,
    copyright: year ? copyrightFor(year) : null,
    source,
    tactics,
    techniques,
    previousNames: computePreviousNames(tactics, techniques, previous),
  };
}

/** From the compact shape of shared/attack/*.json. */
function fromCompact(data, info, previous, warn) {
  const src = data.source && typeof data.source === 'object' ? data.source : {};
  const version = src.attackVersion;
  if (typeof version !== 'string' || !/^\d+(\.\d+)*$/.test(version))
    throw new UpdateError(`the compact file has no source.attackVersion (got ${JSON.stringify(version)})`);
  const modified = (src.upstream && src.upstream.modified) || src.modified || null;
  const tactics = data.tactics.map((t) => {
    if (!TACTIC_ID.test(t.id)) throw new UpdateError(`bad tactic ID ${JSON.stringify(t.id)}`);
    return { id: t.id, name: String(t.name), shortname: String(t.shortname) };
  });
  const tacticIds = new Set(tactics.map((t) => t.id));
  const techniques = data.techniques.map((t) => {
    if (!TECHNIQUE_ID.test(t.id)) throw new UpdateError(`bad technique ID ${JSON.stringify(t.id)}`);
    const revoked = t.revoked === true;
    const tt = {
      id: t.id,
      name: String(t.name),
      tactics: Array.isArray(t.tactics) ? t.tactics.slice() : [],
      deprecated: !revoked && t.deprecated === true,
      revoked,
      revokedBy: t.revokedBy || null,
      given: t.replacement || null,
    };
    for (const x of tt.tactics)
      if (!tacticIds.has(x) && !revoked && !tt.deprecated) throw new UpdateError(`${t.id} names tactic ${x}, which is not in tactics[]`);
    return tt;
  });
  const byId = new Map(techniques.map((t) => [t.id, t]));
  for (const t of techniques) {
    if (!t.revoked) t.replacement = null;
    else if (t.revokedBy) {
      t.replacement = resolveReplacement(t.id, byId, warn);
      if (t.given && t.given !== t.replacement) warn(`${t.id}: the file's replacement ${t.given} differs from the revokedBy chain (${t.replacement}); using the chain`);
    } else t.replacement = t.given;
    delete t.given;
  }
  let previousNames = null;
  if (data.previousNames && typeof data.previousNames === 'object') {
    previousNames = { attackVersion: String(data.previousNames.attackVersion), names: { ...data.previousNames.names } };
  } else previousNames = computePreviousNames(tactics, techniques, previous);
  const year = modified ? modified.slice(0, 4) : null;
  return {
    version,
    modified,
    copyright: src.copyright || (year ? copyrightFor(year) : null),
    source: { format: 'compact', input: info.label, sha256: info.sha256, ...src },
    tactics,
    techniques,
    previousNames,
  };
}

/** From a catalog written by this script (round trip). */
function fromCatalog(data) {
  const tactics = Object.entries(data.tactics).map(([id, t]) => ({ id, name: t.name, shortname: t.shortname }));
  const techniques = Object.entries(data.techniques).map(([id, t]) => ({
    id,
    name: t.name,
    tactics: t.tactics.slice(),
    deprecated: !!t.deprecated,
    revoked: !!t.revoked,
    replacement: t.replacement || null,
  }));
  return {
    version: data.version,
    modified: data.modified || null,
    copyright: data.copyright || null,
    source: data.source || {},
    tactics,
    techniques,
    previousNames: data.previousNames || null,
  };
}

// ---------------------------------------------------------------- output

function buildCatalog(model) {
  if (!model.copyright) throw new UpdateError('no MITRE copyright designation could be derived (no modified date and none in the input)');
  const techniques = model.techniques.slice().sort((a, b) => compareTechniqueIds(a.id, b.id));
  const counts = {
    tactics: model.tactics.length,
    techniques: techniques.filter((t) => !t.revoked && !t.deprecated && !t.id.includes('.')).length,
    subtechniques: techniques.filter((t) => !t.revoked && !t.deprecated && t.id.includes('.')).length,
    revoked: techniques.filter((t) => t.revoked).length,
    deprecated: techniques.filter((t) => t.deprecated).length,
  };
  const tactics = {};
  for (const t of model.tactics) tactics[t.id] = { name: t.name, shortname: t.shortname };
  const techs = {};
  for (const t of techniques)
    techs[t.id] = { name: t.name, tactics: t.tactics, deprecated: t.deprecated, revoked: t.revoked, replacement: t.replacement };
  let previousNames = null;
  if (model.previousNames) {
    const names = {};
    const keys = Object.keys(model.previousNames.names).sort((a, b) => {
      const ta = a.startsWith('TA');
      const tb = b.startsWith('TA');
      if (ta !== tb) return ta ? -1 : 1;
      return ta ? (a < b ? -1 : 1) : compareTechniqueIds(a, b);
    });
    for (const k of keys) names[k] = model.previousNames.names[k];
    previousNames = { attackVersion: model.previousNames.attackVersion, names };
  }
  return {
    version: model.version,
    domain: DOMAIN,
    modified: model.modified,
    copyright: model.copyright,
    license: LICENSE_TEXT,
    terms: TERMS_URL,
    source: model.source,
    counts,
    tactics,
    techniques: techs,
    previousNames,
  };
}

/** Stable layout: top level pretty-printed, one tactic or technique per line. */
function serializeCatalog(catalog) {
  const lines = ['{'];
  const keys = Object.keys(catalog);
  keys.forEach((key, i) => {
    const comma = i < keys.length - 1 ? ',' : '';
    const value = catalog[key];
    if ((key === 'tactics' || key === 'techniques') && value && typeof value === 'object') {
      const ids = Object.keys(value);
      lines.push(`  ${JSON.stringify(key)}: {`);
      ids.forEach((id, j) => lines.push(`    ${JSON.stringify(id)}: ${JSON.stringify(value[id])}${j < ids.length - 1 ? ',' : ''}`));
      lines.push(`  }${comma}`);
    } else {
      const text = JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
      lines.push(`  ${JSON.stringify(key)}: ${text}${comma}`);
    }
  });
  lines.push('}');
  return lines.join('\n') + '\n';
}

function catalogFileName(version) {
  return `${DOMAIN}-${version}.json`;
}

function listCatalogs(outDir) {
  if (!fs.existsSync(outDir)) return [];
  const re = new RegExp(`^${DOMAIN}-(\\d+(?:\\.\\d+)*)\\.json$`);
  return fs
    .readdirSync(outDir)
    .map((f) => re.exec(f))
    .filter(Boolean)
    .map((m) => m[1])
    .sort((a, b) => compareVersions(b, a));
}

function buildIndex(outDir, files) {
  const versions = [];
  for (const v of listCatalogs(outDir).concat(Object.keys(files).map((f) => /-(\d[\d.]*)\.json$/.exec(f)[1])))
    if (!versions.includes(v)) versions.push(v);
  versions.sort((a, b) => compareVersions(b, a));
  const entries = versions.map((v) => {
    const name = catalogFileName(v);
    const text = files[name] !== undefined ? files[name] : fs.readFileSync(path.join(outDir, name), 'utf8');
    const c = JSON.parse(text);
    return { version: v, file: name, modified: c.modified || null, counts: c.counts };
  });
  const index = { domain: DOMAIN, default: versions[0], versions: entries };
  const ts = [
    '// Generated by scripts/update-attack.js: do not edit. Static require() calls so that the ncc',
    '// bundle inlines every catalog; each is parsed only when first asked for.',
    `export const DEFAULT_ATTACK_VERSION = ${JSON.stringify(versions[0])};`,
    '',
    'export const ATTACK_CATALOG_LOADERS: Record<string, () => unknown> = {',
    ...versions.map((v) => `  ${JSON.stringify(v)}: () => require(${JSON.stringify('./' + catalogFileName(v))}),`),
    '};',
    '',
  ].join('\n');
  return { 'index.json': JSON.stringify(index, null, 2) + '\n', 'catalogs.ts': ts };
}

// ---------------------------------------------------------------- reading input

async function readInput(spec) {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec) && !/^https?:\/\//i.test(spec))
    throw new UpdateError(`unsupported URL scheme in ${spec}: give a file path or an http(s) URL`);
  let buf;
  let label;
  if (/^https?:\/\//i.test(spec)) {
    let res;
    try {
      res = await fetch(spec, { redirect: 'follow' });
    } catch (e) {
      const cause = e && e.cause ? ` (${e.cause.code || e.cause.message || e.cause})` : '';
      throw new UpdateError(`could not download ${spec}: ${e && e.message ? e.message : e}${cause}`);
    }
    if (!res.ok) throw new UpdateError(`could not download ${spec}: HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}`);
    buf = Buffer.from(await res.arrayBuffer());
    label = spec;
  } else {
    try {
      buf = fs.readFileSync(spec);
    } catch (e) {
      throw new UpdateError(`cannot read ${spec}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
    }
    label = path.basename(spec);
  }
  let data;
  try {
    data = JSON.parse(buf.toString('utf8'));
  } catch (e) {
    throw new UpdateError(`${label} is not valid JSON: ${e.message}`);
  }
  return { data, info: { label, bytes: buf.length, sha256: crypto.createHash('sha256').update(buf).digest('hex') } };
}

function loadPrevious(opt, outDir, version) {
  if (opt === 'none') return null;
  let file = opt;
  if (!file) {
    const older = listCatalogs(outDir).filter((v) => compareVersions(v, version) < 0);
    if (older.length === 0) return null;
    file = path.join(outDir, catalogFileName(older[0]));
  }
  let data;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UpdateError(`cannot read the previous catalog ${file}: ${e.message}`);
  }
  const shape = detectShape(data);
  const model = shape === 'catalog' ? fromCatalog(data) : shape === 'compact' ? fromCompact(data, { label: '' }, null, () => {}) : null;
  if (!model) throw new UpdateError('--previous must be a catalog or a compact file, not a STIX bundle');
  const tactics = {};
  for (const t of model.tactics) tactics[t.id] = t;
  const techniques = {};
  for (const t of model.techniques) techniques[t.id] = t;
  return { version: model.version, tactics, techniques };
}

/**
 * Builds the files for one input. Returns { version, files: { name: text } } without writing.
 * `previous`: undefined (default lookup in outDir), 'none', or a file path.
 */
async function generate(input, { outDir = DEFAULT_OUT, previous, warn = () => {} } = {}) {
  const { data, info } = await readInput(input);
  const shape = detectShape(data);
  // the version decides which catalog counts as "previous", so peek at it first
  let peekVersion;
  if (shape === 'stix') {
    const c = data.objects.find((o) => o && o.type === 'x-mitre-collection');
    peekVersion = c && c.x_mitre_version;
  } else if (shape === 'compact') peekVersion = data.source && data.source.attackVersion;
  else peekVersion = data.version;
  const prev = shape === 'catalog' ? null : loadPrevious(previous, outDir, String(peekVersion || '0'));
  const model = shape === 'stix' ? fromStix(data, info, prev, warn) : shape === 'compact' ? fromCompact(data, info, prev, warn) : fromCatalog(data);
  const catalog = buildCatalog(model);
  const name = catalogFileName(catalog.version);
  const files = { [name]: serializeCatalog(catalog) };
  Object.assign(files, buildIndex(outDir, files));
  return { version: catalog.version, shape, catalog, files };
}

function parseArgs(argv) {
  const opts = { inputs: [], outDir: DEFAULT_OUT, previous: undefined, check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new UpdateError(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--out') opts.outDir = path.resolve(value());
    else if (a.startsWith('--out=')) opts.outDir = path.resolve(a.slice(6));
    else if (a === '--previous') opts.previous = value();
    else if (a.startsWith('--previous=')) opts.previous = a.slice(11);
    else if (a === '--check') opts.check = true;
    else if (a === '-h' || a === '--help') opts.help = true;
    else if (a.startsWith('-')) throw new UpdateError(`unknown option ${a}`);
    else opts.inputs.push(a);
  }
  return opts;
}

const USAGE = `usage: npm run update-attack -- FILE_OR_URL [--out DIR] [--previous FILE|none] [--check]

FILE_OR_URL  MITRE's STIX 2.1 bundle (enterprise-attack-<version>.json from
             mitre-attack/attack-stix-data), the compact shape of shared/attack/*.json,
             or a catalog written by this script; a path or an http(s) URL
--out DIR    where to write (default: src/attack/data)
--previous   catalog of the previous release, for previousNames (default: the newest
             older catalog in DIR; "none" to skip)
--check      write nothing; exit 1 when the files in DIR differ from what would be written
`;

async function main(argv, io = { out: process.stdout, err: process.stderr }) {
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    io.err.write(`update-attack: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    io.out.write(USAGE);
    return 0;
  }
  if (opts.inputs.length !== 1) {
    io.err.write(`update-attack: give exactly one input file or URL\n${USAGE}`);
    return 2;
  }
  try {
    const result = await generate(opts.inputs[0], {
      outDir: opts.outDir,
      previous: opts.previous,
      warn: (m) => io.err.write(`update-attack: warning: ${m}\n`),
    });
    let differ = 0;
    if (!opts.check) fs.mkdirSync(opts.outDir, { recursive: true });
    for (const [name, text] of Object.entries(result.files)) {
      const file = path.join(opts.outDir, name);
      const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
      if (old === text) continue;
      differ++;
      if (opts.check) io.err.write(`update-attack: ${file} is out of date\n`);
      else {
        fs.writeFileSync(file, text);
        io.out.write(`wrote ${path.relative(process.cwd(), file) || file}\n`);
      }
    }
    const c = result.catalog.counts;
    io.out.write(
      `ATT&CK ${result.version} (${result.shape}): ${c.tactics} tactics, ${c.techniques} techniques, ${c.subtechniques} sub-techniques, ` +
        `${c.revoked} revoked, ${c.deprecated} deprecated; ${differ === 0 ? 'no change' : `${differ} file(s) ${opts.check ? 'out of date' : 'updated'}`}\n`,
    );
    return opts.check && differ > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof UpdateError) {
      io.err.write(`update-attack: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

module.exports = { generate, main, serializeCatalog, buildCatalog, compareVersions, UpdateError, LICENSE_TEXT };

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`update-attack: ${e && e.stack ? e.stack : e}\n`);
      process.exitCode = 2;
    },
  );
}
