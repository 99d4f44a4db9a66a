// Sigma value modifiers as data (spec §2.5): one table drives the unknown/type/order/combination
// checks and the matcher. A spec update is one diff here.

export type ModifierGroup = 'generic' | 'string' | 'regex-flag' | 'encoding' | 'numeric' | 'time' | 'ip' | 'specific';

export interface ModifierInfo {
  /** The canonical name (aliases point at it). */
  name: string;
  group: ModifierGroup;
  /** What the value must be: any scalar, a string, a number or a boolean. */
  operand: 'any' | 'string' | 'number' | 'bool';
  /** Only allowed as the first modifier (pySigma: "only on an unmodified value"). */
  first?: boolean;
  /** Only allowed directly or indirectly after this modifier. */
  after?: string;
  /** Known to the spec but not to pySigma 1.5: works in the spec, fails `sigma check`. */
  notPortable?: string;
}

const M = (name: string, group: ModifierGroup, operand: ModifierInfo['operand'], extra: Partial<ModifierInfo> = {}): ModifierInfo => ({
  name,
  group,
  operand,
  ...extra,
});

export const MODIFIERS: Readonly<Record<string, ModifierInfo>> = {
  contains: M('contains', 'generic', 'any'),
  startswith: M('startswith', 'generic', 'any'),
  endswith: M('endswith', 'generic', 'any'),
  all: M('all', 'generic', 'any'),
  exists: M('exists', 'generic', 'bool', { first: true }),
  cased: M('cased', 'generic', 'string'),
  neq: M('neq', 'generic', 'any'),
  windash: M('windash', 'string', 'string'),
  re: M('re', 'string', 'string', { first: true }),
  i: M('i', 'regex-flag', 'string', { after: 're' }),
  ignorecase: M('i', 'regex-flag', 'string', { after: 're' }),
  m: M('m', 'regex-flag', 'string', { after: 're' }),
  multiline: M('m', 'regex-flag', 'string', { after: 're' }),
  s: M('s', 'regex-flag', 'string', { after: 're' }),
  dotall: M('s', 'regex-flag', 'string', { after: 're' }),
  base64: M('base64', 'encoding', 'string'),
  base64offset: M('base64offset', 'encoding', 'string'),
  wide: M('wide', 'encoding', 'string'),
  utf16le: M('wide', 'encoding', 'string', { notPortable: 'wide' }),
  utf16be: M('utf16be', 'encoding', 'string'),
  utf16: M('utf16', 'encoding', 'string'),
  lt: M('lt', 'numeric', 'number'),
  lte: M('lte', 'numeric', 'number'),
  gt: M('gt', 'numeric', 'number'),
  gte: M('gte', 'numeric', 'number'),
  minute: M('minute', 'time', 'number'),
  hour: M('hour', 'time', 'number'),
  day: M('day', 'time', 'number'),
  week: M('week', 'time', 'number'),
  month: M('month', 'time', 'number'),
  year: M('year', 'time', 'number'),
  cidr: M('cidr', 'ip', 'string', { first: true }),
  expand: M('expand', 'specific', 'string'),
  fieldref: M('fieldref', 'specific', 'string'),
};

export const MODIFIER_NAMES = Object.keys(MODIFIERS);

export function modifierInfo(name: string): ModifierInfo | undefined {
  return Object.prototype.hasOwnProperty.call(MODIFIERS, name) ? MODIFIERS[name] : undefined;
}
