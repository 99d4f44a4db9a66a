// pat's --filter (spec §8.2): `KEY=V1,V2` keeps items whose KEY matches any value, `KEY!=V`
// drops them; all filters must hold. Global helpers and data models are never filtered out.
import * as path from 'path';
import type { Item } from '../../core/types';
import type { Filter } from '../../core/options';
import { FatalError } from '../../core/errors';
import { closest } from '../../core/suggest';
import { topLevelKeys } from './schema';

/** pat accepts the top-level keys of the global, policy and rule schemas (AnalysisType included). */
export const FILTER_KEYS: readonly string[] = [...new Set([...topLevelKeys('global'), ...topLevelKeys('policy'), ...topLevelKeys('rule')])];

/** Python's distutils strtobool, which pat uses for Enabled. */
function strtobool(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (['y', 'yes', 't', 'true', 'on', '1'].includes(v)) return true;
  if (['n', 'no', 'f', 'false', 'off', '0'].includes(v)) return false;
  return undefined;
}

export function parseFilter(text: string): Filter {
  const parts = text.split('=');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '' || parts[0] === '!') {
    throw new FatalError(
      `The filter ${JSON.stringify(text)} is not of the form KEY=VALUE or KEY!=VALUE (several values separated by commas, no "=" inside values), e.g. --filter Severity=High,Critical or --filter Enabled!=false.`,
    );
  }
  const negate = parts[0].endsWith('!');
  const key = negate ? parts[0].slice(0, -1) : parts[0];
  if (!FILTER_KEYS.includes(key)) {
    const guess = closest(key, FILTER_KEYS);
    throw new FatalError(
      `The filter key ${JSON.stringify(key)} is not known.${guess ? ` Did you mean ${JSON.stringify(guess)}?` : ''} Filter keys are the top-level keys of rules, policies and global helpers (keys are case-sensitive): ${FILTER_KEYS.join(', ')}.`,
    );
  }
  if (key === 'Enabled') {
    // pat reads the whole value as one boolean, so Enabled=true,false is an error there too
    const b = strtobool(parts[1]);
    if (b === undefined)
      throw new FatalError(`The filter ${JSON.stringify(text)} needs a single true or false value for Enabled (yes/no, on/off and 1/0 work too).`);
    return { key, values: [String(b)], negate };
  }
  return { key, values: parts[1].split(','), negate };
}

/** Global helpers and data models stay whatever the filters say (pat matches their directory). */
function alwaysKept(item: Item): boolean {
  const dir = path.posix.dirname(item.file.replace(/\\/g, '/'));
  return `/${dir}`.endsWith('/global_helpers') || dir.includes('data_models');
}

/** A spec value as a set of comparable tokens: lower-cased strings and booleans; anything else never matches. */
function tokens(value: unknown): Set<string> {
  const out = new Set<string>();
  for (const v of Array.isArray(value) ? value : [value]) {
    if (typeof v === 'string') out.add(`s:${v.toLowerCase()}`);
    else if (typeof v === 'boolean') out.add(`b:${v}`);
  }
  return out;
}

function matches(item: Item, filter: Filter): boolean {
  const spec = item.spec;
  const value = Object.prototype.hasOwnProperty.call(spec, filter.key) ? spec[filter.key] : '';
  const have = tokens(value);
  const wanted =
    filter.key === 'Enabled'
      ? filter.values.map((v) => `b:${strtobool(v) ?? v}`)
      : filter.values.map((v) => `s:${v.toLowerCase()}`);
  return wanted.some((w) => have.has(w));
}

export function applyFilters(items: Item[], filters: Filter[]): Item[] {
  if (filters.length === 0) return items;
  // pat keeps filters in a dict per key: a later --filter on the same key (and sense) replaces the earlier one
  const last = new Map<string, Filter>();
  for (const f of filters) last.set(`${f.negate ? '!' : ''}${f.key}`, f);
  const active = [...last.values()];
  return items.filter((item) => alwaysKept(item) || active.every((f) => matches(item, f) !== f.negate));
}
