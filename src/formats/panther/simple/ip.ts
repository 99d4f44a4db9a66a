// IP addresses and networks the way Python 3.11's `ipaddress` reads them (spec §5, §6.5–6.6, A20):
// `ip_address(text)` for the IsIP… conditions, `ip_network(text, strict=False)` for CIDR operands
// and CIDR targets, and Python 3.11's private / global tables.

/** IPv4 values are plain numbers (fast), IPv6 values bigints; the version tells which. */
export type Net = { version: 4; first: number; last: number } | { version: 6; first: bigint; last: bigint };

export type Addr = { version: 4; value: number } | { version: 6; value: bigint };

const V4_MAX = 0xffffffff;
const V6_MAX = (1n << 128n) - 1n;

function parseOctet(s: string): number | undefined {
  // Python: non-empty, ASCII digits only, at most 3 characters, no leading zero, ≤ 255
  if (s.length === 0 || s.length > 3) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  if (s.length > 1 && s[0] === '0') return undefined;
  const n = Number(s);
  return n > 255 ? undefined : n;
}

/** IPv4Address(text) → 32-bit value, or undefined. */
export function parseIPv4(s: string): number | undefined {
  if (s.includes('/')) return undefined;
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0;
  for (const p of parts) {
    const o = parseOctet(p);
    if (o === undefined) return undefined;
    v = v * 256 + o;
  }
  return v;
}

const HEX = /^[0-9a-fA-F]{1,4}$/;

/** IPv6Address(text) → 128-bit value, or undefined (scope ids `%eth0` allowed, as in Python ≥ 3.9). */
export function parseIPv6(text: string): bigint | undefined {
  if (text.includes('/')) return undefined;
  let s = text;
  const pct = s.indexOf('%');
  if (pct !== -1) {
    const scope = s.slice(pct + 1);
    if (scope === '' || scope.includes('%')) return undefined;
    s = s.slice(0, pct);
  }
  if (s === '') return undefined;
  const parts = s.split(':');
  if (parts.length < 3) return undefined;
  if (parts[parts.length - 1].includes('.')) {
    const v4 = parseIPv4(parts.pop() as string);
    if (v4 === undefined) return undefined;
    parts.push(Math.floor(v4 / 0x10000).toString(16), (v4 % 0x10000).toString(16));
  }
  if (parts.length > 9) return undefined;
  let skip = -1;
  for (let i = 1; i < parts.length - 1; i++) {
    if (parts[i] === '') {
      if (skip !== -1) return undefined; // more than one '::'
      skip = i;
    }
  }
  let hi: number;
  let lo: number;
  if (skip !== -1) {
    hi = skip;
    lo = parts.length - skip - 1;
    if (parts[0] === '') {
      hi -= 1;
      if (hi) return undefined; // a leading ':' must be '::'
    }
    if (parts[parts.length - 1] === '') {
      lo -= 1;
      if (lo) return undefined; // a trailing ':' must be '::'
    }
    if (8 - (hi + lo) < 1) return undefined;
  } else {
    if (parts.length !== 8) return undefined;
    if (parts[0] === '' || parts[parts.length - 1] === '') return undefined;
    hi = parts.length;
    lo = 0;
  }
  let v = 0n;
  for (let i = 0; i < hi; i++) {
    if (!HEX.test(parts[i])) return undefined;
    v = (v << 16n) | BigInt(parseInt(parts[i], 16));
  }
  v <<= 16n * BigInt(8 - hi - lo);
  for (let i = parts.length - lo; i < parts.length; i++) {
    if (!HEX.test(parts[i])) return undefined;
    v = (v << 16n) | BigInt(parseInt(parts[i], 16));
  }
  return v;
}

/** ipaddress.ip_address(text): a string that is an IPv4 or IPv6 address. Non-strings are never addresses. */
export function parseAddress(x: unknown): Addr | undefined {
  if (typeof x !== 'string') return undefined;
  const v4 = parseIPv4(x);
  if (v4 !== undefined) return { version: 4, value: v4 };
  const v6 = parseIPv6(x);
  if (v6 !== undefined) return { version: 6, value: v6 };
  return undefined;
}

function isAsciiDigits(s: string): boolean {
  return /^[0-9]+$/.test(s);
}

/** Prefix length of a v4 netmask (255.255.0.0) or hostmask (0.0.255.255), as Python accepts after "/". */
function prefixFromV4Mask(s: string): number | undefined {
  const m = parseIPv4(s);
  if (m === undefined) return undefined;
  const fromMask = (v: number): number | undefined => {
    // ones then zeros
    let bits = 32;
    let x = v;
    while (bits > 0 && x % 2 === 0) {
      x /= 2;
      bits--;
    }
    return x === 2 ** bits - 1 ? bits : undefined;
  };
  const p = fromMask(m);
  if (p !== undefined) return p;
  return fromMask(V4_MAX - m);
}

/** ipaddress.ip_network(text, strict=False): host bits allowed, a bare address is /32 or /128. */
export function parseNetwork(x: unknown): Net | undefined {
  if (typeof x !== 'string') return undefined;
  const pieces = x.split('/');
  if (pieces.length > 2) return undefined;
  const [addr, prefix] = pieces;
  const v4 = parseIPv4(addr);
  if (v4 !== undefined) {
    let len = 32;
    if (prefix !== undefined) {
      if (isAsciiDigits(prefix)) {
        len = Number(prefix);
        if (len > 32) return undefined;
      } else {
        const p = prefixFromV4Mask(prefix);
        if (p === undefined) return undefined;
        len = p;
      }
    }
    const size = 2 ** (32 - len);
    const first = Math.floor(v4 / size) * size;
    return { version: 4, first, last: first + size - 1 };
  }
  const v6 = parseIPv6(addr);
  if (v6 !== undefined) {
    let len = 128;
    if (prefix !== undefined) {
      if (!isAsciiDigits(prefix)) return undefined;
      len = Number(prefix);
      if (len > 128) return undefined;
    }
    const host = (1n << BigInt(128 - len)) - 1n;
    const first = v6 & (V6_MAX ^ host);
    return { version: 6, first, last: first | host };
  }
  return undefined;
}

/** Why a CIDR literal is invalid (for load errors), or undefined when it is valid. */
export function cidrProblem(x: unknown): string | undefined {
  if (typeof x !== 'string') return `a CIDR must be a string such as 10.0.0.0/8, not ${typeof x}`;
  if (parseNetwork(x)) return undefined;
  const [addr, prefix, extra] = x.split('/');
  if (extra !== undefined) return 'more than one "/"';
  const v4 = parseIPv4(addr) !== undefined;
  const v6 = !v4 && parseIPv6(addr) !== undefined;
  if (!v4 && !v6) return `"${addr}" is not an IPv4 or IPv6 address`;
  if (prefix === '' || prefix === undefined) return 'the prefix length after "/" is empty';
  return v4 ? `the prefix length must be 0–32 for IPv4 (or a netmask), not "${prefix}"` : `the prefix length must be 0–128 for IPv6, not "${prefix}"`;
}

export function overlaps(a: Net, b: Net): boolean {
  return a.version === b.version && a.first <= b.last && b.first <= a.last;
}

function nets(list: string[]): Net[] {
  return list.map((s) => {
    const n = parseNetwork(s);
    if (!n) throw new Error(`bad table entry ${s}`);
    return n;
  });
}

// Python 3.11 tables (spec §5).
const PRIVATE_V4 = nets([
  '0.0.0.0/8',
  '10.0.0.0/8',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/29',
  '192.0.0.170/31',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '240.0.0.0/4',
  '255.255.255.255/32',
]);
const PRIVATE_V6 = nets([
  '::1/128',
  '::/128',
  '::ffff:0:0/96',
  '100::/64',
  '2001::/23',
  '2001:2::/48',
  '2001:db8::/32',
  '2001:10::/28',
  'fc00::/7',
  'fe80::/10',
]);
const SHARED_V4 = parseNetwork('100.64.0.0/10') as Net;

function inTable(value: number | bigint, table: Net[]): boolean {
  for (const n of table) if (value >= n.first && value <= n.last) return true;
  return false;
}

export function isPrivate(a: Addr): boolean {
  if (a.version === 4) return inTable(a.value, PRIVATE_V4);
  // Python 3.11.7's IPv6Address.is_private: an IPv4-mapped address (::ffff:a.b.c.d) takes the
  // verdict of its IPv4 address; the ::ffff:0:0/96 table entry is never reached for those.
  if (a.value >> 32n === 0xffffn) return inTable(Number(a.value & 0xffffffffn), PRIVATE_V4);
  return inTable(a.value, PRIVATE_V6);
}

export function isGlobal(a: Addr): boolean {
  if (a.version === 4) return !(a.value >= SHARED_V4.first && a.value <= SHARED_V4.last) && !isPrivate(a);
  return !isPrivate(a);
}
