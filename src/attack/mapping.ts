// Reading one `MITRE ATT&CK` entry: the canonical form `TAnnnn:Tnnnn` / `TAnnnn:Tnnnn.nnn`, and for
// anything else a plain-words reason plus, when the intent is unambiguous, a suggested rewrite.
// Suggestions are never applied: the caller only prints them.

export interface Mapping {
  tactic: string; // TA0006
  technique: string; // T1555 or T1555.003
}

export const MAPPING_RE = /^(TA\d{4}):(T\d{4}(?:\.\d{3})?)$/;

export function parseMapping(text: string): Mapping | undefined {
  const m = MAPPING_RE.exec(text);
  return m ? { tactic: m[1], technique: m[2] } : undefined;
}

export interface Malformed {
  /** Why the text is not a mapping, in plain words (no trailing period). */
  reason: string;
  /** Suggested rewrite(s) of the whole entry, when the intent is clear. */
  suggestions: string[];
  /** For a bare technique: the technique ID, so the caller can suggest its tactics from the catalog. */
  techniqueOnly?: string;
  /** Several mappings in one string: the entries to write, one per list item. */
  split?: string[];
  /** Extra text after a valid mapping (a name): what to move into a comment. */
  trailing?: string;
  /** The single suggestion only undoes unambiguous typos (case, stray spaces, a missing leading
   * zero in the tactic ID), so `rulegate fix` may apply it. */
  typo?: boolean;
}

const pad = (digits: string, width: number): string | undefined => {
  const n = digits.replace(/^0+(?=\d)/, '');
  return n.length <= width ? n.padStart(width, '0') : undefined;
};

/** Lenient reading: tactic part, separator, technique part, in either order, any case, spaces. */
const LOOSE_TACTIC = /^TA\s*(\d{1,6})$/i;
const LOOSE_TECHNIQUE = /^T\s*(\d{1,6})(?:\s*\.\s*(\d{1,4}))?$/i;

function looseTactic(s: string): { id?: string; digits: string } | undefined {
  const m = LOOSE_TACTIC.exec(s.trim());
  if (!m) return undefined;
  return { id: pad(m[1], 4) && `TA${pad(m[1], 4)}`, digits: m[1] };
}

function looseTechnique(s: string): { id?: string; digits: string; sub?: string } | undefined {
  const m = LOOSE_TECHNIQUE.exec(s.trim());
  if (!m) return undefined;
  if (m[1].length !== 4) return { digits: m[1], sub: m[2] };
  if (m[2] === undefined) return { id: `T${m[1]}`, digits: m[1] };
  const sub = pad(m[2], 3);
  return { id: sub ? `T${m[1]}.${sub}` : undefined, digits: m[1], sub: m[2] };
}

/** Explains a string entry that is not in canonical form. */
export function explainMalformed(raw: string): Malformed {
  const text = raw.trim();
  if (text === '') return { reason: 'the entry is empty', suggestions: [] };

  // several mappings in one string: "TA0006:T1555, TA0003:T1098"
  const parts = text.split(/\s*[,;]\s*|\s+(?=TA\d)/i).filter((p) => p !== '');
  if (parts.length > 1 && parts.every((p) => MAPPING_RE.test(p.toUpperCase()))) {
    const split = parts.map((p) => p.toUpperCase());
    return { reason: `it holds ${parts.length} mappings in one string`, suggestions: [], split };
  }

  // a valid mapping followed by a name: "TA0006:T1555 Credential Access"
  const lead = /^(TA\d{4}:T\d{4}(?:\.\d{3})?)(?![\d.])\s*[-–—:(]?\s*(.*?)\)?$/i.exec(text);
  if (lead && lead[2] !== '' && /[a-z]/i.test(lead[2])) {
    const id = lead[1].toUpperCase();
    return {
      reason: 'it has text after the IDs',
      suggestions: [id],
      trailing: lead[2],
    };
  }

  const reasons: string[] = [];
  let tactic: ReturnType<typeof looseTactic>;
  let technique: ReturnType<typeof looseTechnique>;
  let reversed = false;
  let separator = '';
  // try every split point: the first separator that leaves a tactic and a technique
  for (let i = 1; i < text.length; i++) {
    if (!/[:;,/|\\\-–_ .]/.test(text[i])) continue;
    const a = text.slice(0, i);
    const b = text.slice(i + 1).replace(/^[\s:;,/|\\\-–_]+/, '');
    const sepText = text.slice(i, text.length - b.length).trim() || ' ';
    const ta = looseTactic(a);
    const tb = looseTechnique(b);
    if (ta && tb) {
      tactic = ta;
      technique = tb;
      separator = sepText;
      break;
    }
    const ra = looseTechnique(a);
    const rb = looseTactic(b);
    if (ra && rb) {
      tactic = rb;
      technique = ra;
      reversed = true;
      separator = sepText;
      break;
    }
  }

  if (tactic && technique) {
    const tacticText = text.match(/TA\s*\d+/i)?.[0] ?? '';
    const techniqueText = text.match(/(?<![A-Z])T\s*\d+(?:\s*\.\s*\d+)?/i)?.[0] ?? '';
    if (reversed) reasons.push('the technique comes before the tactic');
    if (separator !== ':') reasons.push(separator === ' ' ? 'tactic and technique are separated by a space, not ":"' : `tactic and technique are separated by "${separator}", not ":"`);
    if (raw !== text || (separator !== ' ' && /\s/.test(text))) reasons.push('it contains spaces');
    if (/[a-z]/.test(tacticText + techniqueText)) reasons.push('IDs are written in capitals (TA, T)');
    if (tactic.digits.length !== 4)
      reasons.push(`the tactic ID ${tacticText.toUpperCase().replace(/\s/g, '')} has ${tactic.digits.length} digit${tactic.digits.length === 1 ? '' : 's'}; tactic IDs have four (TAnnnn)`);
    if (technique.digits.length !== 4)
      reasons.push(`the technique ID T${technique.digits} has ${technique.digits.length} digits; technique IDs have four (Tnnnn)`);
    if (technique.sub !== undefined && technique.sub.length !== 3)
      reasons.push(`the sub-technique number .${technique.sub} has ${technique.sub.length} digit${technique.sub.length === 1 ? '' : 's'}; it has three (Tnnnn.nnn)`);
    const suggestion = tactic.id && technique.id ? `${tactic.id}:${technique.id}` : undefined;
    if (reasons.length === 0) reasons.push('it is not of the form TAnnnn:Tnnnn or TAnnnn:Tnnnn.nnn');
    const typo =
      !reversed &&
      (separator === ':' || separator === ' ') &&
      (tactic.digits.length === 4 || tactic.digits.length === 3) &&
      technique.digits.length === 4 &&
      (technique.sub === undefined || technique.sub.length === 3);
    const suggestions = suggestion && suggestion !== raw ? [suggestion] : [];
    return { reason: reasons.join(', '), suggestions, ...(typo && suggestions.length === 1 ? { typo: true } : {}) };
  }

  // a bare technique: "T1548"
  const onlyTech = looseTechnique(text);
  if (onlyTech) {
    return {
      reason: 'it has no tactic (the form is TAnnnn:Tnnnn)',
      suggestions: [],
      techniqueOnly: onlyTech.id,
    };
  }
  // a bare tactic: "TA0006"
  if (looseTactic(text)) return { reason: 'it has a tactic but no technique (the form is TAnnnn:Tnnnn)', suggestions: [] };
  return { reason: 'it is not of the form TAnnnn:Tnnnn or TAnnnn:Tnnnn.nnn', suggestions: [] };
}
