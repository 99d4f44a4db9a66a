// The alert fields of a simple detection (§12, §13): DynamicSeverities, AlertTitle, AlertContext,
// GroupBy. They never change a verdict; they are computed for tests that expect an alert.
import { closest } from '../../../core/suggest';
import type { CompileContext } from './compile';
import { compileExpressionList } from './compile';
import type { Pred } from './combinators';
import type { Diagnostics, Path } from './diagnostics';
import { makeResolver, parseKeyPath, type Resolver } from './keypath';
import { compileKeySpecifier } from './specifier';
import { isObject, own, renderValue, show, typeName } from './values';

export const SEVERITIES = ['Info', 'Low', 'Medium', 'High', 'Critical'] as const;
export type SeverityName = (typeof SEVERITIES)[number];

/** `high`, `HIGH`, `High` → `High`; anything else → undefined. */
export function normalizeSeverity(s: unknown): SeverityName | undefined {
  if (typeof s !== 'string') return undefined;
  const l = s.toLowerCase();
  return SEVERITIES.find((x) => x.toLowerCase() === l);
}

export interface DynamicSeverity {
  changeTo: SeverityName;
  when: Pred;
}

/** DynamicSeverities: [{ChangeTo, Conditions}] — first entry whose Conditions all hold wins (A15). */
export function compileSeverities(node: unknown, path: Path, cx: CompileContext): DynamicSeverity[] | null {
  const { diag } = cx;
  if (!Array.isArray(node)) {
    // a top-level value of the wrong type is reported once, by the schema stage (schema/type)
    if (path.length > 1) diag.error(path, `DynamicSeverities must be a list of {ChangeTo, Conditions} entries, not ${typeName(node)}`);
    return null;
  }
  const out: DynamicSeverity[] = [];
  let ok = true;
  node.forEach((entry, i) => {
    const at = [...path, i];
    if (!isObject(entry)) {
      diag.error(at, `a DynamicSeverities entry must be a mapping {ChangeTo, Conditions}, not ${typeName(entry)}`);
      ok = false;
      return;
    }
    for (const k of Object.keys(entry)) {
      if (k !== 'ChangeTo' && k !== 'Conditions') {
        const near = closest(k, ['ChangeTo', 'Conditions']);
        diag.error([...at, k], `unknown key ${JSON.stringify(k)} in a DynamicSeverities entry${near ? `; did you mean ${JSON.stringify(near)}?` : ''}`, {
          key: true,
          hint: 'an entry holds exactly ChangeTo (a severity) and Conditions (a list of match expressions)',
        });
        ok = false;
        return;
      }
    }
    if (!own(entry, 'ChangeTo')) {
      diag.error(at, `the DynamicSeverities entry has no ChangeTo; it needs one of ${SEVERITIES.join(', ')}`);
      ok = false;
      return;
    }
    const sev = normalizeSeverity(entry.ChangeTo);
    if (!sev) {
      const near = typeof entry.ChangeTo === 'string' ? closest(entry.ChangeTo, SEVERITIES) : undefined;
      diag.error([...at, 'ChangeTo'], `ChangeTo ${show(entry.ChangeTo)} is not a severity; use one of ${SEVERITIES.join(', ')}${near ? ` (did you mean ${near}?)` : ''}`);
      ok = false;
      return;
    }
    if (!own(entry, 'Conditions')) {
      diag.error(at, 'the DynamicSeverities entry has no Conditions (a list of match expressions; [] always matches)');
      ok = false;
      return;
    }
    const when = compileExpressionList(entry.Conditions, [...at, 'Conditions'], cx, 'Conditions');
    if (!when) {
      ok = false;
      return;
    }
    out.push({ changeTo: sev, when });
  });
  return ok ? out : null;
}

/** Evaluates DynamicSeverities: the first matching ChangeTo, else undefined (the static Severity applies). */
export function dynamicSeverity(list: readonly DynamicSeverity[], ev: unknown): SeverityName | undefined {
  for (const s of list) if (s.when(ev, ev)) return s.changeTo;
  return undefined;
}

/** AlertTitle: literal text with `{KeyPath}` placeholders; a `{` that does not open a valid placeholder is literal. */
export function compileTitle(node: unknown, path: Path, diag: Diagnostics, ci: boolean): ((ev: unknown) => string) | null {
  if (typeof node !== 'string') {
    // a top-level value of the wrong type is reported once, by the schema stage (schema/type)
    if (path.length > 1) diag.error(path, `AlertTitle must be a string (text with {field} placeholders), not ${typeName(node)}`);
    return null;
  }
  const parts: Array<string | Resolver> = [];
  let literal = '';
  let last = 0;
  const re = /\{([^{}]*)\}/g;
  for (let m = re.exec(node); m; m = re.exec(node)) {
    const parsed = parseKeyPath(m[1]);
    if (!parsed.ok) continue; // stays literal text
    literal += node.slice(last, m.index);
    if (literal) parts.push(literal);
    literal = '';
    parts.push(makeResolver(parsed.steps, ci));
    last = m.index + m[0].length;
  }
  literal += node.slice(last);
  if (literal) parts.push(literal);
  if (parts.every((p) => typeof p === 'string')) {
    const text = parts.join('');
    return () => text;
  }
  return (ev) => {
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : renderValue(p(ev));
    return out;
  };
}

/** AlertContext: [{KeyName, KeyValue: key specifier}] → an object (missing → null; a repeated KeyName keeps the last). */
export function compileAlertContext(node: unknown, path: Path, diag: Diagnostics, ci: boolean): ((ev: unknown) => Record<string, unknown>) | null {
  if (!Array.isArray(node)) {
    // a top-level value of the wrong type is reported once, by the schema stage (schema/type)
    if (path.length > 1) diag.error(path, `AlertContext must be a list of {KeyName, KeyValue} entries, not ${typeName(node)}`);
    return null;
  }
  const entries: Array<[string, Resolver]> = [];
  let ok = true;
  node.forEach((entry, i) => {
    const at = [...path, i];
    if (!isObject(entry)) {
      diag.error(at, `an AlertContext entry must be a mapping {KeyName, KeyValue}, not ${typeName(entry)}`);
      ok = false;
      return;
    }
    for (const k of Object.keys(entry)) {
      if (k !== 'KeyName' && k !== 'KeyValue') {
        const near = closest(k, ['KeyName', 'KeyValue']);
        diag.error([...at, k], `unknown key ${JSON.stringify(k)} in an AlertContext entry${near ? `; did you mean ${JSON.stringify(near)}?` : ''}`, {
          key: true,
          hint: 'an entry holds exactly KeyName (a string) and KeyValue (a key specifier such as {KeyPath: a.b})',
        });
        ok = false;
        return;
      }
    }
    if (typeof entry.KeyName !== 'string') {
      diag.error(own(entry, 'KeyName') ? [...at, 'KeyName'] : at, own(entry, 'KeyName') ? `KeyName must be a string, not ${typeName(entry.KeyName)}` : 'the AlertContext entry has no KeyName');
      ok = false;
      return;
    }
    if (!own(entry, 'KeyValue')) {
      diag.error(at, 'the AlertContext entry has no KeyValue (a key specifier such as {Key: field} or {KeyPath: a.b})');
      ok = false;
      return;
    }
    const spec = compileKeySpecifier(entry.KeyValue, [...at, 'KeyValue'], diag, { ci }, 'KeyValue');
    if (!spec) {
      ok = false;
      return;
    }
    const r = spec.resolve;
    entries.push([entry.KeyName, (ev) => r(ev, ev)]);
  });
  if (!ok) return null;
  return (ev) => {
    const out: Record<string, unknown> = {};
    for (const [k, r] of entries) {
      const v = r(ev);
      if (k === '__proto__') Object.defineProperty(out, k, { value: v ?? null, enumerable: true, writable: true, configurable: true });
      else out[k] = v === undefined ? null : v;
    }
    return out;
  };
}

/** GroupBy: key specifiers whose values, rendered as in titles, are joined with ":" (A17). */
export function compileGroupBy(node: unknown, path: Path, diag: Diagnostics, ci: boolean): ((ev: unknown) => string) | null {
  if (!Array.isArray(node)) {
    // a top-level value of the wrong type is reported once, by the schema stage (schema/type)
    if (path.length > 1) diag.error(path, `GroupBy must be a list of key specifiers ({Key: …}, {DeepKey: […]}, {KeyPath: …}), not ${typeName(node)}`);
    return null;
  }
  const rs: Resolver[] = [];
  let ok = true;
  node.forEach((entry, i) => {
    const spec = compileKeySpecifier(entry, [...path, i], diag, { ci }, 'a GroupBy entry');
    if (!spec) ok = false;
    else {
      const r = spec.resolve;
      rs.push((ev) => r(ev, ev));
    }
  });
  if (!ok) return null;
  return (ev) => rs.map((r) => renderValue(r(ev))).join(':');
}

const MAX_TEXT = 1000;
const TRUNCATED = '... (truncated)';

/** pat's truncation of titles and dedup strings: longer than 1000 characters → cut to 1000 ending "... (truncated)". */
export function truncate(s: string): string {
  if (s.length <= MAX_TEXT) return s;
  const cps = Array.from(s);
  if (cps.length <= MAX_TEXT) return s;
  return cps.slice(0, MAX_TEXT - TRUNCATED.length).join('') + TRUNCATED;
}
