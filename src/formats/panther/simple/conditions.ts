// The condition reference (spec §6): every condition name, the shapes it may be written in, whether
// InlineFilters accept it (§11), and its test. Inverse conditions are exact negations of their
// positive partner for every input (missing included).
import { contains, eq, icontains, ieq, isEmpty, isIn, lower, order } from './values';
import { overlaps, parseAddress, parseNetwork, isGlobal, isPrivate, type Net } from './ip';

/**
 * value: key/value (`Value`), also multi-key when `mk`; values: key/values (`Values`); cidr: key/value
 * whose Value is a CIDR literal; none: no operand; absolute: no key at all; comprehension: `Expressions`.
 */
export type ConditionKind = 'value' | 'values' | 'cidr' | 'none' | 'absolute' | 'comprehension';

/** doc: documented for InlineFilters; engine: the filter engine has it but it is undocumented (warning); no: rejected. */
export type FilterSupport = 'doc' | 'engine' | 'no';

export interface ConditionDef {
  name: string;
  kind: ConditionKind;
  /** Usable as a multi-key comparison (§9). */
  mk: boolean;
  /** Usable with an Enrichment operand (§10). */
  en: boolean;
  filter: FilterSupport;
  /** key/value and multi-key test. */
  bin?: (t: unknown, v: unknown) => boolean;
  /** key/values test. */
  list?: (t: unknown, values: readonly unknown[]) => boolean;
  /** CIDR test against the compiled operand. */
  cidr?: (t: unknown, net: Net) => boolean;
  /** no-operand test; `wildcard` tells whether the path collected a list (Exists = non-empty). */
  unary?: (t: unknown, wildcard: boolean) => boolean;
  /** absolute value. */
  constant?: boolean;
}

const defs: ConditionDef[] = [];

function value(name: string, filter: FilterSupport, bin: (t: unknown, v: unknown) => boolean, neg?: { name: string; filter: FilterSupport }): void {
  defs.push({ name, kind: 'value', mk: true, en: true, filter, bin });
  if (neg) defs.push({ name: neg.name, kind: 'value', mk: true, en: true, filter: neg.filter, bin: (t, v) => !bin(t, v) });
}

const isStr = (x: unknown): x is string => typeof x === 'string';
const startsWith = (t: unknown, v: unknown) => isStr(t) && isStr(v) && t.startsWith(v);
const endsWith = (t: unknown, v: unknown) => isStr(t) && isStr(v) && t.endsWith(v);
const iStartsWith = (t: unknown, v: unknown) => isStr(t) && isStr(v) && lower(t).startsWith(lower(v));
const iEndsWith = (t: unknown, v: unknown) => isStr(t) && isStr(v) && lower(t).endsWith(lower(v));

// §6.1 equality
value('Equals', 'doc', eq, { name: 'DoesNotEqual', filter: 'doc' });
value('IEquals', 'engine', ieq, { name: 'IDoesNotEqual', filter: 'engine' });
// §6.2 prefix, suffix, substring
value('StartsWith', 'doc', startsWith, { name: 'DoesNotStartWith', filter: 'engine' });
value('IStartsWith', 'engine', iStartsWith, { name: 'IDoesNotStartWith', filter: 'engine' });
value('EndsWith', 'doc', endsWith, { name: 'DoesNotEndWith', filter: 'engine' });
value('IEndsWith', 'engine', iEndsWith, { name: 'IDoesNotEndWith', filter: 'engine' });
value('Contains', 'doc', contains, { name: 'DoesNotContain', filter: 'doc' });
value('IContains', 'engine', icontains, { name: 'IDoesNotContain', filter: 'engine' });
// §6.3 ordering
value('IsGreaterThan', 'doc', (t, v) => order(t, v) > 0);
value('IsGreaterThanOrEquals', 'doc', (t, v) => t != null && (order(t, v) > 0 || eq(t, v)));
value('IsLessThan', 'doc', (t, v) => order(t, v) < 0);
value('IsLessThanOrEquals', 'doc', (t, v) => t != null && (order(t, v) < 0 || eq(t, v)));

// §6.4 membership
defs.push({ name: 'IsIn', kind: 'values', mk: false, en: true, filter: 'doc', list: isIn });
defs.push({ name: 'IsNotIn', kind: 'values', mk: false, en: true, filter: 'doc', list: (t, vs) => !isIn(t, vs) });

// §6.5 IP addresses
function ipTest(name: string, filter: FilterSupport, test: (t: unknown) => boolean): void {
  defs.push({ name, kind: 'none', mk: false, en: false, filter, unary: test });
}
ipTest('IsIPAddress', 'no', (t) => parseAddress(t) !== undefined);
ipTest('IsIPv4Address', 'no', (t) => parseAddress(t)?.version === 4);
ipTest('IsIPv6Address', 'no', (t) => parseAddress(t)?.version === 6);
ipTest('IsIPAddressPrivate', 'doc', (t) => {
  const a = parseAddress(t);
  return a !== undefined && isPrivate(a);
});
ipTest('IsIPAddressPublic', 'doc', (t) => {
  const a = parseAddress(t);
  return a !== undefined && isGlobal(a);
});

// §6.6 CIDR
const inCidr = (t: unknown, net: Net): boolean => {
  const n = parseNetwork(t);
  return n !== undefined && overlaps(n, net);
};
const cidrContains = (t: unknown, net: Net): boolean => {
  if (!Array.isArray(t)) return false;
  for (const el of t) if (inCidr(el, net)) return true; // non-IP elements are skipped (A5)
  return false;
};
defs.push({ name: 'IsIPAddressInCIDR', kind: 'cidr', mk: false, en: true, filter: 'doc', cidr: inCidr });
defs.push({ name: 'IsIPAddressNotInCIDR', kind: 'cidr', mk: false, en: true, filter: 'doc', cidr: (t, n) => !inCidr(t, n) });
defs.push({ name: 'CIDRContainsIPAddresses', kind: 'cidr', mk: false, en: true, filter: 'doc', cidr: cidrContains });
defs.push({ name: 'CIDRDoesNotContainIPAddresses', kind: 'cidr', mk: false, en: true, filter: 'doc', cidr: (t, n) => !cidrContains(t, n) });

// §6.7 existence and emptiness
const exists = (t: unknown, wildcard: boolean) => t !== undefined && (!wildcard || (Array.isArray(t) && t.length > 0));
defs.push({ name: 'Exists', kind: 'none', mk: false, en: false, filter: 'no', unary: exists });
defs.push({ name: 'DoesNotExist', kind: 'none', mk: false, en: false, filter: 'no', unary: (t, w) => !exists(t, w) });
defs.push({ name: 'IsNull', kind: 'none', mk: false, en: false, filter: 'no', unary: (t) => t == null });
defs.push({ name: 'IsNotNull', kind: 'none', mk: false, en: false, filter: 'no', unary: (t) => t != null });
defs.push({ name: 'IsNullOrEmpty', kind: 'none', mk: false, en: false, filter: 'doc', unary: (t) => isEmpty(t) });
defs.push({ name: 'IsNotNullOrEmpty', kind: 'none', mk: false, en: false, filter: 'doc', unary: (t) => !isEmpty(t) });

// §6.8 absolute
defs.push({ name: 'AlwaysTrue', kind: 'absolute', mk: false, en: false, filter: 'no', constant: true });
defs.push({ name: 'AlwaysFalse', kind: 'absolute', mk: false, en: false, filter: 'no', constant: false });

// §6.9 list comprehension
for (const name of ['AnyElement', 'AllElements', 'OnlyOneElement', 'NoElement'])
  defs.push({ name, kind: 'comprehension', mk: false, en: false, filter: 'no' });

export const CONDITIONS: ReadonlyMap<string, ConditionDef> = new Map(defs.map((d) => [d.name, d]));
export const CONDITION_NAMES: readonly string[] = defs.map((d) => d.name);

/** Names that are not part of the language but are known mistakes (§6.10), with the right name. */
export const NOT_CONDITIONS: Readonly<Record<string, string>> = {
  Has: 'Contains',
  DoesNotHave: 'DoesNotContain',
  NoElements: 'NoElement',
  IsGreaterThanOrEqual: 'IsGreaterThanOrEquals',
  IsLessThanOrEqual: 'IsLessThanOrEquals',
};

export function namesWhere(pred: (d: ConditionDef) => boolean): string[] {
  return defs.filter(pred).map((d) => d.name);
}
