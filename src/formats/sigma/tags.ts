// Sigma tags (spec §6, §7): format and namespaces, and ATT&CK tags against RuleGate's catalog —
// tactic short names of the chosen version (19.x: stealth, defense-impairment), technique ids with
// the revoked / deprecated checks, and SigmaHQ's rule that every tactic of a tagged technique is tagged.
import type { AttackCatalog } from '../../attack';
import { otherCatalogs, techLabel, tacticLabel } from '../../attack/check';
import type { SigmaItem } from './load';
import { emitterFor, type SigmaFinding } from './findings';

const TAG_RE = /^[a-z0-9_-]+\.[a-z0-9._-]+$/;
const NAMESPACES = ['attack', 'car', 'cve', 'd3fend', 'detection', 'stp', 'tlp'];
const PATTERNS: Record<string, { re: RegExp; validator: string; what: string }> = {
  car: { re: /^\d{4}-\d{2}-\d{3}$/, validator: 'cartag', what: 'a CAR id such as car.2016-04-005' },
  cve: { re: /^\d+-\d+$/, validator: 'cvetag', what: 'a CVE id such as cve.2021-44228' },
  detection: { re: /^(dfir|emerging-threats|threat-hunting)$/, validator: 'detection_tag', what: 'dfir, emerging-threats or threat-hunting' },
  stp: { re: /^[1-5][auk]?$/, validator: 'stptag', what: 'a Summiting-the-Pyramid level 1–5 with optional a/u/k' },
  tlp: { re: /^(red|amber|amber-strict|green|clear)$/, validator: 'tlpv2_tag', what: 'a TLP 2.0 level (red, amber, amber-strict, green, clear)' },
};
const DETECTION_FOLDERS: Record<string, string> = { 'rules-dfir': 'dfir', 'rules-emerging-threats': 'emerging-threats', 'rules-threat-hunting': 'threat-hunting' };

export function checkSigmaTags(item: SigmaItem, catalog: AttackCatalog): SigmaFinding[] {
  const out: SigmaFinding[] = [];
  const tags = item.spec.tags;
  if (tags === undefined) return out;
  const emit = emitterFor(item, out);
  if (!Array.isArray(tags)) {
    emit({ code: 'schema/type', path: ['tags'], message: 'tags must be a list of strings' });
    return out;
  }
  const byShort = new Map([...catalog.tactics.values()].map((t) => [t.shortname, t]));
  const seen = new Set<string>();
  const taggedTactics = new Set<string>();
  const techniques: Array<{ id: string; index: number }> = [];
  let detectionTags = 0;
  let tlpTags = 0;
  tags.forEach((tag, index) => {
    const path = ['tags', index];
    if (typeof tag !== 'string') return void emit({ code: 'schema/type', path, message: `tag ${index + 1} must be a string` });
    if (seen.has(tag)) emit({ code: 'sigma/tag-format', validator: 'duplicate_tag', path, message: `the tag ${tag} is listed twice` });
    seen.add(tag);
    if (!tag.includes('.')) return void emit({ code: 'sigma/tag-format', severity: 'error', path, message: `the tag "${tag}" has no namespace (pySigma refuses to load it)`, hint: 'write namespace.name, e.g. attack.execution' });
    if (!TAG_RE.test(tag)) emit({ code: 'sigma/tag-format', validator: 'tag_format', path, message: `the tag "${tag}" has characters outside a-z, 0-9, "_", "-" and "."`, hint: tag.toLowerCase() !== tag ? `write "${tag.toLowerCase()}"` : undefined });
    const dot = tag.indexOf('.');
    const ns = tag.slice(0, dot);
    const name = tag.slice(dot + 1);
    if (!NAMESPACES.includes(ns)) return void emit({ code: 'sigma/tag-namespace', validator: 'namespace_tag', path, message: `"${ns}" is not a Sigma tag namespace (${NAMESPACES.join(', ')})` });
    if (ns === 'attack') {
      const lower = name.toLowerCase();
      const tech = /^t(\d{4})(?:\.(\d{3}))?$/.exec(lower);
      if (tech) return void techniques.push({ id: lower.toUpperCase(), index });
      if (/^(g|s|m|a)\d{4}$/.test(lower))
        return void emit({ code: 'sigma/attack-other-id', path, message: `${tag}: ${{ g: 'group', s: 'software', m: 'mitigation', a: 'asset' }[lower[0]]} ids are checked by their form only (RuleGate's ATT&CK catalog lists tactics and techniques)` });
      if (/^ds\d{4}$/.test(lower))
        return void emit({ code: 'mitre/deprecated', validator: 'attacktag', path, message: `${tag} is an ATT&CK data source; MITRE deprecated data sources, so current ATT&CK data no longer has them`, hint: 'remove the tag (data components replaced data sources)' });
      const tactic = byShort.get(lower);
      if (tactic) return void taggedTactics.add(tactic.id);
      return void emit({ code: 'mitre/unknown-tactic', validator: 'attacktag', path, message: `"${tag}" is not a tactic of ATT&CK v${catalog.version}`, hint: tacticHint(lower, catalog, tags) });
    }
    const pattern = PATTERNS[ns];
    if (pattern && !pattern.re.test(name)) emit({ code: 'sigma/tag-namespace', validator: pattern.validator, path, message: `"${tag}" is not ${pattern.what}` });
    if (ns === 'detection') detectionTags++;
    if (ns === 'tlp') {
      tlpTags++;
      if (name !== 'clear') emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_tags_tlp', path, message: `SigmaHQ shares rules as tlp.clear only, not ${tag}` });
    }
  });
  if (detectionTags > 1) emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_tags_unique_detection', path: ['tags'], key: true, message: 'more than one detection.* tag' });
  if (tlpTags > 1) emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_tags_unique_tlp', path: ['tags'], key: true, message: 'more than one tlp.* tag' });
  const folder = Object.keys(DETECTION_FOLDERS).find((f) => item.file.startsWith(`${f}/`) || item.file.includes(`/${f}/`));
  if (folder && !seen.has(`detection.${DETECTION_FOLDERS[folder]}`))
    emit({ code: 'sigma/sigmahq-convention', hq: true, validator: 'sigmahq_tags_detection', path: ['tags'], key: true, message: `a rule under ${folder}/ without the tag detection.${DETECTION_FOLDERS[folder]}` });

  // techniques: existence, revoked, deprecated; then every tactic of every technique tagged
  const missing = new Map<string, Array<{ id: string; index: number }>>();
  for (const t of techniques) {
    const path = ['tags', t.index];
    const tag = tags[t.index] as string;
    const tech = catalog.techniques.get(t.id);
    if (!tech) {
      const elsewhere = otherCatalogs(catalog).find((c) => c.techniques.get(t.id) && !c.techniques.get(t.id)!.revoked);
      emit({
        code: 'mitre/unknown-technique',
        validator: 'attacktag',
        path,
        message: `${tag}: ${t.id} is not an Enterprise technique in ATT&CK v${catalog.version}`,
        hint: elsewhere ? `${techLabel(elsewhere, elsewhere.techniques.get(t.id)!)} exists in ATT&CK v${elsewhere.version}: choose --attack-version ${elsewhere.version}` : 'check the id on attack.mitre.org',
      });
      continue;
    }
    if (tech.revoked) {
      const r = tech.replacement ? catalog.techniques.get(tech.replacement) : undefined;
      emit({
        code: 'mitre/revoked',
        validator: 'attacktag',
        path,
        message: `${tag}: ${techLabel(catalog, tech)} was revoked by MITRE${r ? ` and replaced by ${techLabel(catalog, r)}` : ''}`,
        hint: r ? `write attack.${r.id.toLowerCase()}${r.tactics.length ? ` (with ${r.tactics.map((x) => `attack.${catalog.tactics.get(x)?.shortname}`).join(' / ')})` : ''}` : 'remove the tag',
      });
      continue;
    }
    if (tech.deprecated) {
      emit({ code: 'mitre/deprecated', validator: 'attacktag', path, message: `${tag}: ${techLabel(catalog, tech)} is deprecated by MITRE, with no replacement` });
      continue;
    }
    for (const tac of tech.tactics) if (!taggedTactics.has(tac)) missing.set(tac, [...(missing.get(tac) ?? []), t]);
  }
  for (const [tac, list] of missing) {
    const shortname = catalog.tactics.get(tac)?.shortname ?? tac;
    emit({
      code: 'sigma/attack-missing-tactic',
      validator: 'sigmahq_tags_techniques_without_tactics',
      path: ['tags', list[0].index],
      message: `${list.map((t) => t.id).join(', ')} ${list.length > 1 ? 'are' : 'is'} under ${tacticLabel(catalog, tac)}, but attack.${shortname} is not tagged`,
      hint: `add attack.${shortname}`,
    });
  }
  return out;
}

function tacticHint(name: string, catalog: AttackCatalog, tags: unknown[]): string {
  const hyphen = name.replace(/_/g, '-');
  const byShort = new Map([...catalog.tactics.values()].map((t) => [t.shortname, t]));
  if (hyphen !== name && byShort.has(hyphen)) return `Sigma 2 writes tactics with hyphens: attack.${hyphen}`;
  if (hyphen === 'defense-evasion' && byShort.has('stealth')) {
    const techs = tags.filter((t): t is string => typeof t === 'string' && /^attack\.t\d{4}/.test(t)).map((t) => catalog.techniques.get(t.slice(7).toUpperCase()));
    const impair = techs.some((t) => t?.tactics.includes('TA0112'));
    const stealth = techs.some((t) => t?.tactics.includes('TA0005'));
    const pick = impair && !stealth ? 'attack.defense-impairment' : impair ? 'attack.stealth and/or attack.defense-impairment' : 'attack.stealth';
    return `ATT&CK v19 renamed TA0005 Defense Evasion to Stealth and moved defense-impairing techniques to TA0112 Defense Impairment: write ${pick}`;
  }
  for (const other of otherCatalogs(catalog)) {
    const t = [...other.tactics.values()].find((x) => x.shortname === hyphen);
    if (t) return `${t.id} ${t.name} is a tactic of ATT&CK v${other.version}: choose --attack-version ${other.version}`;
  }
  return `the tactics of v${catalog.version} are ${[...byShort.keys()].join(', ')}`;
}
