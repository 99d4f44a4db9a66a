// Key paths, IP parsing and value semantics, tested directly.
import { parseKeyPath, makeResolver } from '../../src/formats/panther/simple/keypath';
import { parseAddress, parseNetwork, cidrProblem, isPrivate, isGlobal } from '../../src/formats/panther/simple/ip';
import { eq, order, contains, icontains, isIn, isEmpty, cmpCodePoints, renderValue, pyFloat, toPlain } from '../../src/formats/panther/simple/values';
import { YamlFloat } from '../../src/load/yaml';

describe('KeyPath grammar', () => {
  test.each([
    ['a', 'a'],
    ['a.b.c', 'a.b.c'],
    ['a[0].b', 'a[0].b'],
    ['a[-1]', 'a[-1]'],
    ['a[*].b[*]', 'a[*].b[*]'],
    ['a[0][1]', 'a[0][1]'],
    ['user-agent', 'user-agent'],
    ['with space.x', 'with space.x'],
  ])('%s parses', (text) => {
    expect(parseKeyPath(text).ok).toBe(true);
  });
  test.each(['', '.a', 'a.', 'a..b', '[0]', 'a[', 'a[x]', 'a[1]b', 'a.[0]', 'a]', 'a[*', 'a[1.5]'])('%j is rejected', (text) => {
    const r = parseKeyPath(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/\S/);
  });
});

describe('resolution', () => {
  const resolve = (path: string, root: unknown, ci = false) => {
    const p = parseKeyPath(path);
    if (!p.ok) throw new Error(p.reason);
    return makeResolver(p.steps, ci)(root);
  };
  test('objects, arrays, negative indexes', () => {
    const ev = { a: { b: [10, 20, 30] } };
    expect(resolve('a.b[0]', ev)).toBe(10);
    expect(resolve('a.b[-1]', ev)).toBe(30);
    expect(resolve('a.b[3]', ev)).toBeUndefined();
    expect(resolve('a.b[-4]', ev)).toBeUndefined();
    expect(resolve('a.b.c', ev)).toBeUndefined();
  });
  test('present null is null, absent is undefined', () => {
    expect(resolve('a', { a: null })).toBeNull();
    expect(resolve('a', {})).toBeUndefined();
    expect(resolve('a.b', { a: null })).toBeUndefined();
  });
  test('never inherited properties, never YamlFloat internals', () => {
    expect(resolve('constructor', {})).toBeUndefined();
    expect(resolve('toString', {})).toBeUndefined();
    expect(resolve('a.value', { a: new YamlFloat(3) })).toBeUndefined();
  });
  test('wildcards project and nest', () => {
    expect(resolve('m[*].n', { m: [{ n: 1 }, { n: null }, {}, { n: [] }] })).toEqual([1, []]);
    expect(resolve('m[*].n[*].k', { m: [{ n: [{ k: 1 }, { k: 2 }] }, { n: [] }] })).toEqual([[1, 2], []]);
    expect(resolve('m[*].n[0]', { m: [{ n: [5, 6] }, { n: [7] }] })).toEqual([5, 7]);
    expect(resolve('m[*]', { m: { n: 1 } })).toBeUndefined();
  });
  test('case-insensitive fallback (A1 flag): exact first, then first case-insensitive key', () => {
    expect(resolve('userName', { UserName: 'bob' }, true)).toBe('bob');
    expect(resolve('username', { UserName: 'b1', USERNAME: 'b2', username: 'exact' }, true)).toBe('exact');
    expect(resolve('userName', { UserName: 'bob' })).toBeUndefined();
  });
});

describe('IP addresses (Python 3.11 ipaddress)', () => {
  test.each([
    ['1.2.3.4', 4],
    ['0.0.0.0', 4],
    ['255.255.255.255', 4],
    ['::', 6],
    ['::1', 6],
    ['2001:db8::1', 6],
    ['1:2:3:4:5:6:7:8', 6],
    ['::ffff:1.2.3.4', 6],
    ['fe80::1%eth0', 6],
    ['1::', 6],
    ['1:2:3:4:5:6::8', 6],
  ])('%s is IPv%s', (s, v) => {
    expect(parseAddress(s)?.version).toBe(v);
  });
  test.each(['1.2.3', '1.2.3.4.5', '01.2.3.4', '256.1.1.1', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.4/32', 'example.com', ':::', '1:2:3:4:5:6:7:8:9', '1::2::3', ':1::', '12345::', 'fe80::1%', '1:2:3:4:5:6:7::8:9', '١.2.3.4', ''])(
    '%j is not an address',
    (s) => {
      expect(parseAddress(s)).toBeUndefined();
    },
  );
  test('non-strings are never addresses', () => {
    expect(parseAddress(3232235777)).toBeUndefined();
    expect(parseAddress(['1.2.3.4'])).toBeUndefined();
  });
  test('networks are non-strict, accept netmasks and hostmasks', () => {
    expect(parseNetwork('10.1.2.3/8')).toEqual(parseNetwork('10.0.0.0/8'));
    expect(parseNetwork('10.0.0.0/255.0.0.0')).toEqual(parseNetwork('10.0.0.0/8'));
    expect(parseNetwork('10.0.0.0/0.255.255.255')).toEqual(parseNetwork('10.0.0.0/8'));
    expect(parseNetwork('1.2.3.4')).toEqual(parseNetwork('1.2.3.4/32'));
    expect(parseNetwork('2001:db8::/32')?.version).toBe(6);
    expect(parseNetwork('10.0.0.0/08')).toEqual(parseNetwork('10.0.0.0/8'));
  });
  test.each(['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/8/8', '::/129', '::/ff', 'x/8', '10.0.0.0/255.0.255.0', ''])('%j is not a network', (s) => {
    expect(parseNetwork(s)).toBeUndefined();
    expect(cidrProblem(s)).toMatch(/\S/);
  });
  test('private and global tables', () => {
    const p = (s: string) => isPrivate(parseAddress(s)!);
    const g = (s: string) => isGlobal(parseAddress(s)!);
    expect(['10.0.0.1', '127.0.0.1', '169.254.1.1', '172.31.255.255', '192.168.0.1', '192.0.2.1', '240.0.0.1', '::1', 'fd00::1', 'fe80::1', '2001:db8::1', '::ffff:10.0.0.1', '::ffff:0:0'].every(p)).toBe(true);
    expect(['8.8.8.8', '172.32.0.1', '100.64.0.1', '224.0.0.1', '2606:4700::1111', '::ffff:8.8.8.8'].some(p)).toBe(false);
    expect(g('8.8.8.8')).toBe(true);
    expect(g('224.0.0.1')).toBe(true);
    expect(g('100.64.0.1')).toBe(false);
    expect(g('100.128.0.1')).toBe(true);
    expect(g('2606:4700::1111')).toBe(true);
    expect(g('::ffff:100.64.0.1')).toBe(true); // IPv6 global = not private (Python 3.11.7)
    expect(g('::ffff:10.0.0.1')).toBe(false);
  });
});

describe('value semantics', () => {
  test('Python equality', () => {
    expect(eq(5, new YamlFloat(5))).toBe(true);
    expect(eq(true, 1)).toBe(true);
    expect(eq(false, 0)).toBe(true);
    expect(eq('1', 1)).toBe(false);
    expect(eq(9007199254740993n, 9007199254740992)).toBe(false);
    expect(eq(2n ** 70n, 2 ** 70)).toBe(true);
    expect(eq([1, { a: [true] }], [new YamlFloat(1), { a: [1] }])).toBe(true);
    expect(eq({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(eq(null, undefined)).toBe(true);
    expect(eq(NaN, NaN)).toBe(false);
    expect(eq([1], { 0: 1 })).toBe(false);
  });
  test('ordering', () => {
    expect(order(3, 2.5)).toBe(1);
    expect(order(9007199254740993n, 9007199254740992)).toBe(1);
    expect(order(9007199254740992, 9007199254740993n)).toBe(-1);
    expect(order(1.5, 1n)).toBe(1);
    expect(order('b', 'a')).toBe(1);
    expect(order('1', 2)).toBeNaN();
    expect(order(null, 2)).toBeNaN();
    expect(order([1], [2])).toBeNaN();
    expect(order(true, 0)).toBe(1);
  });
  test('strings order by code point', () => {
    expect(cmpCodePoints('\uFFFF', '\u{1F600}')).toBe(-1);
    expect('\uFFFF' < '\u{1F600}').toBe(false); // UTF-16 order differs
    expect(cmpCodePoints('abc', 'abd')).toBe(-1);
    expect(cmpCodePoints('ab', 'abc')).toBe(-1);
  });
  test('contains and icontains', () => {
    expect(contains('abc', 'b')).toBe(true);
    expect(contains('abc', '')).toBe(true);
    expect(contains(['x', 2], 2)).toBe(true);
    expect(contains([1, 2], 'x')).toBe(false);
    expect(contains({ k: 1 }, 'k')).toBe(true);
    expect(contains({ k: 1 }, 1)).toBe(false);
    expect(contains(123, '2')).toBe(false);
    expect(contains('abc', 1)).toBe(false);
    expect(icontains(['Deleted ADMIN'], 'admin')).toBe(true);
    expect(icontains({ Key: 1 }, 'key')).toBe(false);
    expect(icontains('ABC', 'b')).toBe(true);
  });
  test('membership and emptiness', () => {
    expect(isIn(['a', 'b'], ['b'])).toBe(true);
    expect(isIn('a', ['A'])).toBe(false);
    expect(isIn(null, ['a'])).toBe(false);
    expect(isIn(1, [true])).toBe(true);
    expect([undefined, null, '', [], {}].every(isEmpty)).toBe(true);
    expect([false, 0, ' ', [0], { a: null }].some(isEmpty)).toBe(false);
  });
  test('rendering like Python JSON', () => {
    expect(renderValue(undefined)).toBe('');
    expect(renderValue('x')).toBe('x');
    expect(renderValue(true)).toBe('true');
    expect(renderValue(new YamlFloat(60))).toBe('60.0');
    expect(renderValue(2n ** 64n)).toBe('18446744073709551616');
    expect(renderValue({ a: [1, 'b', null] })).toBe('{"a":[1,"b",null]}');
    expect(pyFloat(1e20)).toBe('1e+20');
    expect(pyFloat(0.00001)).toBe('1e-05');
    expect(pyFloat(0.5)).toBe('0.5');
    expect(pyFloat(1.5e300)).toBe('1.5e+300');
  });
  test('toPlain makes report-safe values and rejects NaN like json.dumps(allow_nan=False)', () => {
    expect(toPlain({ a: new YamlFloat(2), b: 5n, c: undefined })).toEqual({ a: 2, b: 5, c: null });
    expect(() => toPlain([Infinity])).toThrow('Out of range float values are not JSON compliant');
  });
});
