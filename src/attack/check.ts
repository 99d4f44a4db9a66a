// The ATT&CK stage: every `Reports: MITRE ATT&CK:` entry of a detection, checked against one
// catalog. One finding per entry at most (the first problem in the order malformed, unknown tactic,
// unknown technique, revoked, deprecated, tactic mismatch, comment mismatch), always at the entry's
// own line, with the exact text to write instead. Severity is left to the registry and config.
import type { Fix, Item, PathStep, RawFinding } from '../core/types';
import { fixOf, removeListEntry, replaceComment, replaceScalar } from '../fix/edits';
import { availableAttackVersions, loadAttackCatalog, type AttackCatalog, type AttackTechnique } from './catalog';
import { compareComment, namesInComment, renameInComment, restyleComment, words } from './comment';
import { explainMalformed, parseMapping, MAPPING_RE } from './mapping';

export const MITRE_KEY = 'MITRE ATT&CK';
const DETECTION_KINDS = new Set(['rule', 'scheduled_rule', 'policy', 'correlation_rule']);

/** What is wrong with one entry: code and message (and an optional hint). */
export interface EntryProblem {
  code:
    | 'mitre/malformed'
    | 'mitre/unknown-tactic'
    | 'mitre/unknown-technique'
    | 'mitre/tactic-mismatch'
    | 'mitre/revoked'
    | 'mitre/deprecated'
    | 'mitre/comment-mismatch';
  message: string;
  hint?: string;
  /** The unambiguous rewrite of the entry, when there is one: its new value and/or comment text. */
  rewrite?: EntryRewrite;
}

export interface EntryRewrite {
  mapping?: string;
  comment?: string;
}

// ------------------------------------------------------------------ wording helpers

const q = (s: string) => `"${s}"`;

function joinList(items: string[], word: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1]}`;
}

function v(catalog: AttackCatalog): string {
  return `ATT&CK v${catalog.version}`;
}

export function tacticLabel(catalog: AttackCatalog, id: string): string {
  const t = catalog.tactics.get(id);
  return t ? `${id} ${t.name}` : id;
}

/** "Impair Defenses: Disable or Modify Tools" for a sub-technique, else the name. */
function fullName(catalog: AttackCatalog, tech: AttackTechnique): string {
  const parent = tech.parent ? catalog.techniques.get(tech.parent) : undefined;
  return parent ? `${parent.name}: ${tech.name}` : tech.name;
}

export function techLabel(catalog: AttackCatalog, tech: AttackTechnique): string {
  return `${tech.id} ${fullName(catalog, tech)}`;
}

function tacticsOf(catalog: AttackCatalog, tech: AttackTechnique): string {
  return joinList(
    tech.tactics.map((t) => tacticLabel(catalog, t)),
    'and',
  );
}

function writeOneOf(mappings: string[]): string {
  return `write ${joinList(mappings.map(q), 'or')}`;
}

/** The comment to write for a mapping, in panther-analysis' "Tactic: Technique" style. */
function canonicalComment(catalog: AttackCatalog, tactic: string, tech: AttackTechnique): string {
  const t = catalog.tactics.get(tactic);
  return `${t ? `${t.name}: ` : ''}${fullName(catalog, tech)}`;
}

/** Other shipped catalogs, for "exists in v19.2" / "was valid in v18.1" notes. */
export function otherCatalogs(catalog: AttackCatalog): AttackCatalog[] {
  const out: AttackCatalog[] = [];
  for (const version of availableAttackVersions()) {
    if (version === catalog.version) continue;
    try {
      out.push(loadAttackCatalog(version));
    } catch {
      // a damaged extra catalog must not break checking against the selected one
    }
  }
  return out;
}

/** Tactic ID ranges of the other ATT&CK matrices (IDs are unique across domains). */
function otherDomainOfTactic(id: string): string | undefined {
  const n = parseInt(id.slice(2), 10);
  // ATT&CK for Mobile: TA0027–TA0039 and TA0041 (TA0040 is Enterprise's Impact)
  if ((n >= 27 && n <= 39) || n === 41) return 'ATT&CK for Mobile';
  if (n >= 100 && n <= 111) return 'ATT&CK for ICS';
  return undefined;
}

/** A note when the mapping was valid in an older shipped release (why an old rule now fails). */
function validBefore(catalog: AttackCatalog, tactic: string, technique: string): string | undefined {
  const older = otherCatalogs(catalog).filter((c) => compareVersionStrings(c.version, catalog.version) < 0);
  for (const c of older) {
    const t = c.techniques.get(technique);
    if (t && !t.revoked && !t.deprecated && t.tactics.includes(tactic) && c.tactics.has(tactic)) {
      const oldTactic = c.tactics.get(tactic)!.name;
      const nowTactic = catalog.tactics.get(tactic)?.name;
      const renamed = nowTactic && nowTactic !== oldTactic ? `, where ${tactic} was named ${oldTactic}` : '';
      return `${q(`${tactic}:${technique}`)} was valid in ATT&CK v${c.version}${renamed}`;
    }
  }
  return undefined;
}

function compareVersionStrings(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** Mappings to suggest for an active technique, given the tactic written (kept when valid). */
function mappingsFor(tech: AttackTechnique, tactic?: string): string[] {
  if (tactic && tech.tactics.includes(tactic)) return [`${tactic}:${tech.id}`];
  return tech.tactics.map((t) => `${t}:${tech.id}`);
}

/** "it is under … : write …" for a usable technique, or a short note on why it is not usable. */
function techniqueAdvice(catalog: AttackCatalog, techniqueId: string): string {
  const tech = catalog.techniques.get(techniqueId);
  if (!tech) return `${techniqueId} is not an Enterprise technique in ${v(catalog)} either`;
  if (tech.revoked) {
    const r = tech.replacement ? catalog.techniques.get(tech.replacement) : undefined;
    if (!r) return `${techLabel(catalog, tech)} is revoked`;
    return `${techniqueId} is revoked and replaced by ${techLabel(catalog, r)}, under ${tacticsOf(catalog, r)}: ${writeOneOf(mappingsFor(r))}`;
  }
  if (tech.deprecated) return `${techLabel(catalog, tech)} is deprecated, with no replacement`;
  return `${techLabel(catalog, tech)} is under ${tacticsOf(catalog, tech)}: ${writeOneOf(mappingsFor(tech))}`;
}

// ------------------------------------------------------------------ one entry

interface IdProblem extends EntryProblem {
  /** The mappings the message offers as the fix (may be empty). */
  fixes: string[];
}

/** Fixes offered for a technique that is usable, or none. */
function usableFixes(catalog: AttackCatalog, techniqueId: string, tactic?: string): string[] {
  const tech = catalog.techniques.get(techniqueId);
  if (!tech) return [];
  if (tech.revoked) {
    const r = tech.replacement ? catalog.techniques.get(tech.replacement) : undefined;
    return r ? mappingsFor(r, tactic) : [];
  }
  return tech.deprecated ? [] : mappingsFor(tech, tactic);
}

/** Problems of a canonical mapping other than its comment; undefined when the IDs are fine. */
function checkIds(catalog: AttackCatalog, tactic: string, techniqueId: string): IdProblem | undefined {
  const mapping = `${tactic}:${techniqueId}`;
  const tech = catalog.techniques.get(techniqueId);

  if (!catalog.tactics.has(tactic)) {
    const domain = otherDomainOfTactic(tactic);
    const elsewhere = otherCatalogs(catalog).find((c) => c.tactics.has(tactic));
    let why: string;
    if (elsewhere)
      why = `${tactic} is not a tactic in ${v(catalog)}, which this run checks against; it exists in ATT&CK v${elsewhere.version} (${elsewhere.tactics.get(tactic)!.name})`;
    else if (domain) why = `${tactic} is not an Enterprise tactic: it is a tactic ID of ${domain}, and these mappings are checked against the Enterprise matrix (${v(catalog)})`;
    else why = `${tactic} is not a tactic of the Enterprise matrix in ${v(catalog)}`;
    return {
      code: 'mitre/unknown-tactic',
      message: `${why}. ${capitalize(techniqueAdvice(catalog, techniqueId))}.`,
      fixes: usableFixes(catalog, techniqueId),
    };
  }

  if (!tech) {
    const dot = techniqueId.indexOf('.');
    const parentId = dot < 0 ? undefined : techniqueId.slice(0, dot);
    const parent = parentId ? catalog.techniques.get(parentId) : undefined;
    const elsewhere = otherCatalogs(catalog).find((c) => c.techniques.has(techniqueId));
    let message = `${techniqueId} is not a technique of the Enterprise matrix in ${v(catalog)}`;
    let fixes: string[] = [];
    if (elsewhere) message += ` (it exists in ATT&CK v${elsewhere.version}: ${elsewhere.techniques.get(techniqueId)!.name})`;
    else if (parseInt(techniqueId.slice(1, 5), 10) < 1000)
      message += ` (Enterprise technique IDs start at T1001; ${techniqueId.slice(0, 5)} is not one, so this may be an ID from another MITRE framework, which does not belong under "${MITRE_KEY}")`;
    if (parent && parentId) {
      const subs = catalog.subTechniques.get(parentId) ?? [];
      if (parent.revoked) {
        const r = parent.replacement ? catalog.techniques.get(parent.replacement) : undefined;
        message += `; its parent ${techLabel(catalog, parent)} is revoked${r ? ` and replaced by ${techLabel(catalog, r)}` : ''}`;
      } else if (parent.deprecated) message += `; its parent ${techLabel(catalog, parent)} is deprecated`;
      else if (subs.length === 0) {
        fixes = mappingsFor(parent, tactic);
        message += `; ${techLabel(catalog, parent)} exists but has no sub-techniques (for the technique itself, ${writeOneOf(fixes)})`;
      } else
        message += `; ${techLabel(catalog, parent)} exists and its sub-techniques are ${joinList(
          subs.map((s) => `${s.id} ${s.name}`),
          'and',
        )}`;
    }
    return { code: 'mitre/unknown-technique', message: `${message}.`, fixes };
  }

  if (tech.revoked) {
    const r = tech.replacement ? catalog.techniques.get(tech.replacement) : undefined;
    const before = validBefore(catalog, tactic, techniqueId);
    if (!r)
      return {
        code: 'mitre/revoked',
        message: `${techLabel(catalog, tech)} is revoked in ${v(catalog)} and the data names no active replacement; map this detection to a current technique instead of ${q(mapping)}.`,
        fixes: [],
      };
    const fixes = mappingsFor(r, tactic);
    return {
      code: 'mitre/revoked',
      message:
        `${techLabel(catalog, tech)} is revoked in ${v(catalog)}; MITRE replaced it with ${techLabel(catalog, r)}, under ${tacticsOf(catalog, r)}. ` +
        `Instead of ${q(mapping)}, ${writeOneOf(fixes)}.` +
        (before ? ` ${capitalize(before)}.` : ''),
      fixes,
    };
  }

  if (tech.deprecated)
    return {
      code: 'mitre/deprecated',
      message: `${techLabel(catalog, tech)} is deprecated in ${v(catalog)} and MITRE names no replacement; map this detection to a current technique, or remove ${q(mapping)}.`,
      fixes: [],
    };

  if (!tech.tactics.includes(tactic)) {
    const before = validBefore(catalog, tactic, techniqueId);
    const fixes = mappingsFor(tech);
    return {
      code: 'mitre/tactic-mismatch',
      message:
        `In ${v(catalog)}, ${techLabel(catalog, tech)} is not under ${tacticLabel(catalog, tactic)}; it is under ${tacticsOf(catalog, tech)}. ` +
        `Instead of ${q(mapping)}, ${writeOneOf(fixes)}.` +
        (before ? ` ${capitalize(before)}.` : ''),
      fixes,
    };
  }
  return undefined;
}

/**
 * When the IDs are wrong but the comment names a valid tactic/technique, the mapping the comment
 * points to ("The comment names … : if that is meant, write …"). Undefined when the comment adds
 * nothing beyond `alreadyOffered`.
 */
function commentAdvice(
  catalog: AttackCatalog,
  comment: string | undefined,
  tactic: string,
  techniqueId: string,
  alreadyOffered: string[],
): string | undefined {
  if (!comment) return undefined;
  const named = namesInComment(comment, catalog);
  let namedTactic = named.tactics.length === 1 ? named.tactics[0].id : undefined;
  let namedTech = named.techniques.length === 1 ? catalog.techniques.get(named.techniques[0].id) : undefined;
  // naming the entry's own tactic, or the parent of its sub-technique, points nowhere new
  if (namedTactic === tactic) namedTactic = undefined;
  if (namedTech && (namedTech.id === techniqueId || techniqueId.startsWith(namedTech.id + '.'))) namedTech = undefined;
  if (namedTech && (namedTech.revoked || namedTech.deprecated)) return undefined;
  const tech = namedTech ?? catalog.techniques.get(techniqueId);
  if (!tech || tech.revoked || tech.deprecated) return undefined;
  if (!namedTech && !namedTactic) return undefined;
  let fixes: string[];
  if (namedTactic && tech.tactics.includes(namedTactic)) fixes = [`${namedTactic}:${tech.id}`];
  else if (tech.tactics.includes(tactic)) fixes = [`${tactic}:${tech.id}`];
  else fixes = tech.tactics.map((t) => `${t}:${tech.id}`);
  if (fixes.length === alreadyOffered.length && fixes.every((f) => alreadyOffered.includes(f))) return undefined;
  if (fixes.length === 1 && fixes[0] === `${tactic}:${techniqueId}`) return undefined;
  const what: string[] = [];
  if (namedTactic) what.push(tacticLabel(catalog, namedTactic));
  if (namedTech) what.push(techLabel(catalog, namedTech));
  return `The comment names ${joinList(what, 'and')}; if that is what was meant, ${writeOneOf(fixes)}.`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function checkCommentOf(catalog: AttackCatalog, tactic: string, tech: AttackTechnique, comment: string): EntryProblem | undefined {
  const verdict = compareComment(comment, catalog, tactic, tech);
  const mapping = `${tactic}:${tech.id}`;
  const expected = canonicalComment(catalog, tactic, tech);
  const fix = `- ${mapping}  # ${expected}`;
  if (verdict.ok) {
    if (verdict.oldNames.length === 0) return undefined;
    const prev = catalog.previousNames?.attackVersion ?? 'the previous release';
    const major = catalog.version.split('.')[0];
    const era = prev.split('.')[0] !== major ? `pre-v${major}` : `pre-v${catalog.version}`;
    const parts = verdict.oldNames.map((o) => `${q(o.old)} for ${o.id} (its name in ATT&CK v${prev}); in ${v(catalog)} it is ${q(o.current)}`);
    const renamed = renameInComment(comment, verdict.oldNames) ?? restyleComment(comment, catalog, tactic, tech, tactic, tech);
    return {
      code: 'mitre/comment-mismatch',
      message: `The comment on ${q(mapping)} uses the ${era} name ${parts.join(', and ')}. Write the comment as ${q(`# ${expected}`)}.`,
      hint: fix,
      ...(renamed !== undefined && renamed !== comment ? { rewrite: { comment: renamed } } : {}),
    };
  }
  const named: string[] = [];
  for (const id of verdict.foreignIds) {
    const t = id.startsWith('TA') ? catalog.tactics.get(id) : catalog.techniques.get(id);
    named.push(t ? `${id} (${t.name})` : id);
  }
  for (const f of verdict.foreignNames) named.push(`${q(f.name)}, which is ${f.id}`);
  const rewritten = restyleComment(comment, catalog, tactic, tech, tactic, tech);
  return {
    ...(rewritten !== undefined && rewritten !== comment ? { rewrite: { comment: rewritten } } : {}),
    code: 'mitre/comment-mismatch',
    message:
      `The comment ${q(comment)} does not match ${q(mapping)}: it names ${joinList(named, 'and')}, but ${tactic} is ${catalog.tactics.get(tactic)?.name} ` +
      `and ${tech.id} is ${fullName(catalog, tech)} in ${v(catalog)}. Fix the comment (${q(`# ${expected}`)}) or, if the comment is right, the IDs.`,
    hint: fix,
  };
}

/** Checks one `MITRE ATT&CK` entry value (with its trailing comment, if any). */
export function checkAttackEntry(value: unknown, comment: string | undefined, catalog: AttackCatalog): EntryProblem | undefined {
  if (typeof value === 'number' || typeof value === 'bigint' || (value !== null && typeof value === 'object' && typeof (value as { valueOf(): unknown }).valueOf() === 'number')) {
    const n = String(typeof value === 'object' ? (value as { valueOf(): unknown }).valueOf() : value);
    return {
      code: 'mitre/malformed',
      message: `The ATT&CK entry ${n} is a number, not a mapping of the form TAnnnn:Tnnnn or TAnnnn:Tnnnn.nnn (tactic ID, colon, technique ID).`,
    };
  }
  if (typeof value !== 'string') return undefined; // lists, mappings, null, booleans: the schema stage's business
  const parsed = parseMapping(value);
  if (!parsed) return malformed(value, catalog);
  const ids = checkIds(catalog, parsed.tactic, parsed.technique);
  if (ids) {
    const problem: EntryProblem = { code: ids.code, message: ids.message };
    if (ids.code === 'mitre/unknown-tactic' || ids.code === 'mitre/unknown-technique' || ids.code === 'mitre/tactic-mismatch') {
      const advice = commentAdvice(catalog, comment, parsed.tactic, parsed.technique, ids.fixes);
      if (advice) problem.message += ` ${advice}`;
    }
    // the whole line to write, when there is exactly one fix
    const fix = ids.fixes.length === 1 ? parseMapping(ids.fixes[0]) : undefined;
    const fixTech = fix ? catalog.techniques.get(fix.technique) : undefined;
    if (fix && fixTech && (ids.code === 'mitre/revoked' || ids.code === 'mitre/tactic-mismatch')) {
      problem.hint = `- ${ids.fixes[0]}${comment ? `  # ${canonicalComment(catalog, fix.tactic, fixTech)}` : ''}`;
      // Fixable unless the comment points somewhere else (then the intent is not clear).
      const oldTech = catalog.techniques.get(parsed.technique);
      if (oldTech && problem.message === ids.message) {
        problem.rewrite = { mapping: ids.fixes[0] };
        const c = comment ? restyleComment(comment, catalog, parsed.tactic, oldTech, fix.tactic, fixTech) : undefined;
        if (c !== undefined && c !== comment) problem.rewrite.comment = c;
      }
    }
    return problem;
  }
  if (comment === undefined || comment.trim() === '') return undefined;
  return checkCommentOf(catalog, parsed.tactic, catalog.techniques.get(parsed.technique)!, comment);
}

function malformed(value: string, catalog: AttackCatalog): EntryProblem {
  const m = explainMalformed(value);
  let message = `The ATT&CK entry ${q(value)} is malformed: ${m.reason}.`;
  if (m.split) {
    message += ` Write one mapping per list entry: ${m.split.map((s) => `"- ${s}"`).join(', ')}.`;
  } else if (m.techniqueOnly) {
    const tech = catalog.techniques.get(m.techniqueOnly);
    if (tech && !tech.revoked && !tech.deprecated) message += ` In ${v(catalog)}, ${techniqueAdvice(catalog, m.techniqueOnly)}.`;
    else if (tech) message += ` Note: ${techniqueAdvice(catalog, m.techniqueOnly)}.`;
    else message += ` Note: ${m.techniqueOnly} is not a technique in ${v(catalog)} either.`;
  } else if (m.suggestions.length > 0) {
    const s = m.suggestions[0];
    message += m.trailing
      ? ` Write ${q(s)} and put the name in a comment: "- ${s}  # ${m.trailing}".`
      : ` Did you mean ${q(s)}?`;
    const p = parseMapping(s);
    const further = p ? checkIds(catalog, p.tactic, p.technique) : undefined;
    if (further) message += ` Note: ${further.message.charAt(0).toLowerCase()}${further.message.slice(1)}`;
    if (m.typo && !m.trailing) return { code: 'mitre/malformed', message, rewrite: { mapping: s } };
  }
  return { code: 'mitre/malformed', message };
}

// ------------------------------------------------------------------ one item

/** The edits for an entry's rewrite; a mapping the list already holds is removed instead of doubled. */
function entryFix(
  item: Item,
  path: PathStep[],
  value: unknown,
  rewrite: EntryRewrite,
  list?: { path: PathStep[]; index: number; count: number; kept: Set<string> },
): Fix | undefined {
  if (typeof value !== 'string') return undefined;
  if (rewrite.mapping && list) {
    if (list.kept.has(rewrite.mapping))
      return fixOf(`Remove ${q(value)}: the list already has ${q(rewrite.mapping)}`, [removeListEntry(item, list.path, list.index, list.count)]);
    list.kept.add(rewrite.mapping);
  }
  const edits = [];
  const parts: string[] = [];
  if (rewrite.mapping) {
    edits.push(replaceScalar(item, path, value, rewrite.mapping));
    parts.push(`replace ${q(value)} with ${q(rewrite.mapping)}`);
  }
  if (rewrite.comment !== undefined) {
    edits.push(replaceComment(item, path, rewrite.comment));
    parts.push(`write the comment as ${q(`# ${rewrite.comment}`)}`);
  }
  return fixOf(capitalize(parts.join(' and ')), edits);
}

const TACTIC_KEY = /^TA\d{3,4}$/i;
const TECHNIQUE_VALUE = /^T\d{4}(\.\d{3})?$/i;
const MAPPING_LIKE = /^TA\d+\s*:\s*T\d+/i;

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && !(typeof (x as { valueOf(): unknown }).valueOf() === 'number');
}

/** Checks the ATT&CK mappings of one item (detections only); findings carry no severity. */
export function checkAttackMappings(item: Item, catalog: AttackCatalog): RawFinding[] {
  if (!DETECTION_KINDS.has(String(item.kind))) return [];
  const out: RawFinding[] = [];
  const at = (path: PathStep[], code: string, message: string, hint?: string, useKey = false, fix?: Fix) => {
    const pos = useKey ? item.positions.keyAt(path) : item.positions.valueAt(path);
    const f: RawFinding = { code, file: item.file, line: pos.line, column: pos.column, message };
    if (item.id !== undefined) f.itemId = item.id;
    if (hint) f.hint = hint;
    if (fix) f.fix = fix;
    out.push(f);
  };

  const reports = item.spec.Reports;
  if (reports !== undefined && reports !== null && !isRecord(reports)) return out; // wrong type: the schema stage reports it
  const hasReportsMap = isRecord(reports);
  const entries = hasReportsMap ? reports[MITRE_KEY] : undefined;

  // the mapping itself
  let mapped = false;
  if (Array.isArray(entries)) {
    const lines = entries.map((_, i) => item.positions.valueAt(['Reports', MITRE_KEY, i]).line);
    const problems = entries.map((value, i) => {
      if (value !== null && value !== undefined) mapped = true;
      // a trailing comment belongs to an entry only when no other entry shares its line (flow lists)
      const alone = lines.filter((l) => l === lines[i]).length === 1;
      const comment = alone ? item.positions.commentAt(['Reports', MITRE_KEY, i]) : undefined;
      return checkAttackEntry(value, comment, catalog);
    });
    // The mappings the list holds after fixing: one fixed to a mapping already there is removed.
    const kept = new Set<string>();
    entries.forEach((value, i) => {
      if (typeof value === 'string' && !problems[i]?.rewrite?.mapping) kept.add(value);
    });
    const listPath: PathStep[] = ['Reports', MITRE_KEY];
    problems.forEach((problem, i) => {
      if (!problem) return;
      const path: PathStep[] = [...listPath, i];
      const list = { path: listPath, index: i, count: entries.length, kept };
      const fix = problem.rewrite ? entryFix(item, path, entries[i], problem.rewrite, list) : undefined;
      at(path, problem.code, problem.message, problem.hint, false, fix);
    });
  } else if (typeof entries === 'string' || typeof entries === 'number') {
    // a single value instead of a list: the schema stage reports the type; we classify the value
    mapped = true;
    const path: PathStep[] = ['Reports', MITRE_KEY];
    const problem = checkAttackEntry(entries, item.positions.commentAt(path), catalog);
    if (problem) at(path, problem.code, problem.message, problem.hint, false, problem.rewrite && entryFix(item, path, entries, problem.rewrite));
  } else if (entries !== undefined && entries !== null) {
    mapped = true; // some other shape: not ours to judge
  }

  // IDs under other Reports keys
  let misplaced = false;
  if (hasReportsMap) {
    for (const [key, value] of Object.entries(reports)) {
      if (key === MITRE_KEY) continue;
      const list = Array.isArray(value) ? value : [value];
      const keyIsTactic = TACTIC_KEY.test(key.trim());
      const keyLooksMitre = /mitre|att\s*&\s*ck|attack/i.test(key);
      if (keyIsTactic) {
        const techs = list.filter((x): x is string => typeof x === 'string' && TECHNIQUE_VALUE.test(x.trim()));
        const tactic = key.trim().toUpperCase();
        const fixes = techs.map((t) => `${tactic}:${t.trim().toUpperCase()}`);
        misplaced = true;
        at(
          ['Reports', key],
          'mitre/misplaced',
          `${q(key)} is a tactic ID used as a Reports key, so these techniques are not read as ATT&CK mappings. ` +
            (fixes.length
              ? `Move them under ${q(MITRE_KEY)} as ${joinList(fixes.map(q), 'and')}${fixes.every((f) => MAPPING_RE.test(f)) ? '' : ' (in the form TAnnnn:Tnnnn)'}.`
              : `Write them under ${q(MITRE_KEY)} as TAnnnn:Tnnnn entries.`),
          fixes.length ? `Reports:\n  ${MITRE_KEY}:\n${fixes.map((f) => `    - ${f}`).join('\n')}` : undefined,
          true,
        );
        continue;
      }
      const mappingLike = list.some((x) => typeof x === 'string' && MAPPING_LIKE.test(x.trim()));
      const techLike = keyLooksMitre && list.some((x) => typeof x === 'string' && TECHNIQUE_VALUE.test(x.trim()));
      if (keyLooksMitre && (mappingLike || techLike)) {
        misplaced = true;
        at(
          ['Reports', key],
          'mitre/misplaced',
          `ATT&CK mappings sit under the Reports key ${q(key)}; Panther and RuleGate read them only under ${q(MITRE_KEY)} (exact spelling). Rename the key to ${q(MITRE_KEY)}.`,
          undefined,
          true,
        );
        continue;
      }
      if (!Array.isArray(value) && !mappingLike) continue;
      list.forEach((x, i) => {
        if (typeof x !== 'string' || !MAPPING_LIKE.test(x.trim())) return;
        misplaced = true;
        at(
          Array.isArray(value) ? ['Reports', key, i] : ['Reports', key],
          'mitre/misplaced',
          `${q(x)} is an ATT&CK mapping under the Reports key ${q(key)}; it is read as ATT&CK only under ${q(MITRE_KEY)}. Move it there.`,
        );
      });
    }
  }

  if (!mapped) {
    const path: PathStep[] = hasReportsMap && MITRE_KEY in reports ? ['Reports', MITRE_KEY] : hasReportsMap ? ['Reports'] : [item.idKey];
    const where = hasReportsMap && MITRE_KEY in reports ? `its ${q(MITRE_KEY)} list is empty` : hasReportsMap ? `Reports has no ${q(MITRE_KEY)} key` : 'it has no Reports';
    at(
      path,
      'mitre/missing',
      `This ${String(item.kind).replace('_', ' ')} has no MITRE ATT&CK mapping (${where})${misplaced ? '; the IDs under another Reports key do not count' : ''}. ` +
        `Add a ${q(MITRE_KEY)} list under Reports with one TAnnnn:Tnnnn entry (tactic:technique) per behaviour it detects.`,
      undefined,
      true,
    );
  }
  return out;
}
