import { loadYaml, resolvePlainScalar, YamlFloat } from '../../src/load/yaml';

function value(text: string): unknown {
  const r = loadYaml(text);
  if (!r.ok) throw new Error(`unexpected error: ${r.error.message}`);
  return r.value;
}

describe('plain scalars resolve as pat reads them (spec §1)', () => {
  test.each([
    ['true', true],
    ['True', true],
    ['FALSE', false],
    ['yes', 'yes'],
    ['No', 'No'],
    ['on', 'on'],
    ['OFF', 'OFF'],
    ['y', 'y'],
    ['2023-01-02', '2023-01-02'],
    ['2023-01-02T03:04:05Z', '2023-01-02T03:04:05Z'],
    ['0644', 644],
    ['07', 7],
    ['08', '08'],
    ['0089', '0089'],
    ['0x1F', 31],
    ['-0x1F', -31],
    ['0b101', 5],
    ['0o17', '0o17'],
    ['1_000', 1000],
    ['1:30:00', '1:30:00'],
    ['1:30.5', 90.5],
    ['1e3', '1e3'],
    ['12e-3', '12e-3'],
    ['1.5', 1.5],
    ['~', null],
    ['null', null],
    ['NULL', null],
    ['', null],
  ])('%s', (text, expected) => {
    expect(resolvePlainScalar(text)).toEqual(expected);
  });

  test('integral floats stay floats, apart from ints', () => {
    for (const text of ['1.0e+3', '60.0', '0.']) {
      const v = resolvePlainScalar(text);
      expect(v).toBeInstanceOf(YamlFloat);
    }
    expect((resolvePlainScalar('1.2E+3') as YamlFloat).value).toBe(1200);
    expect(resolvePlainScalar('1_0.5')).toBe(10.5);
  });

  test('infinity and NaN', () => {
    expect(resolvePlainScalar('.inf')).toBe(Infinity);
    expect(resolvePlainScalar('-.inf')).toBe(-Infinity);
    expect(Number.isNaN(resolvePlainScalar('.NaN') as number)).toBe(true);
  });

  test('huge integers keep every digit', () => {
    expect(resolvePlainScalar('12345678901234567890')).toBe(12345678901234567890n);
  });
});

describe('documents', () => {
  test('quoted scalars and explicit tags are strings', () => {
    expect(value('a: "true"\nb: !!str 1\nc: \'08\'\n')).toEqual({ a: 'true', b: '1', c: '08' });
  });

  test('the last duplicate key wins and is reported', () => {
    const r = loadYaml('a: 1\nb: 2\na: 3\n');
    expect(r.ok && r.value).toEqual({ a: 3, b: 2 });
    expect(r.ok && r.duplicates).toEqual([{ key: 'a', line: 3, column: 1 }]);
  });

  test('anchors, aliases and merge keys; explicit keys win over merged ones', () => {
    expect(value('base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n')).toEqual({ base: { x: 1, y: 2 }, m: { x: 1, y: 3 } });
  });

  test('more than one document is an error at the second one', () => {
    const r = loadYaml('a: 1\n---\nb: 2\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.line).toBe(3);
  });

  test('a leading --- before one document is fine', () => {
    expect(value('---\na: 1\n')).toEqual({ a: 1 });
  });

  test('an empty file or a comment-only file is empty', () => {
    for (const t of ['', '# nothing\n']) {
      const r = loadYaml(t);
      expect(r.ok && r.empty).toBe(true);
    }
  });

  test('syntax errors carry the line and column', () => {
    const r = loadYaml('a: 1\n  b: 2\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ line: 2, column: 4 });
  });

  test('unknown tags are rejected as pat\'s safe loader does', () => {
    const r = loadYaml('a: !python/object x\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('!python/object');
  });

  test('alias bombs are refused', () => {
    const levels = ['a: &a [1,1,1,1,1,1,1,1,1,1]'];
    for (let i = 1; i < 8; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    const r = loadYaml(levels.join('\n') + '\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/alias bomb/);
  });

  test('a key named __proto__ is data, not a prototype', () => {
    const v = value('__proto__: {polluted: true}\n') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('positions', () => {
  const text = [
    'AnalysisType: rule', // 1
    'Reports:', // 2
    '  MITRE ATT&CK:', // 3
    '    - TA0006:T1555 # Credential Access: Credentials from Password Stores', // 4
    '    - "TA0009:T1530"  # Collection', // 5
    'Tests:', // 6
    '  - Name: first', // 7
    '    ExpectedResult: true', // 8
    '    Log: {a: 1}', // 9
    '  -', // 10
    '    Name: second', // 11
    '', //
  ].join('\n');
  const r = loadYaml(text);
  if (!r.ok) throw new Error('fixture must parse');
  const pos = r.positions;

  test('keys and list entries map to their lines', () => {
    expect(pos.keyAt(['Reports', 'MITRE ATT&CK'])).toEqual({ line: 3, column: 3 });
    expect(pos.valueAt(['Reports', 'MITRE ATT&CK', 0])).toEqual({ line: 4, column: 7 });
    expect(pos.valueAt(['Reports', 'MITRE ATT&CK', 1]).line).toBe(5);
    expect(pos.keyAt(['Tests', 0, 'Name']).line).toBe(7);
    expect(pos.keyAt(['Tests', 1, 'Name']).line).toBe(11);
    expect(pos.keyAt(['Tests', 0, 'Log', 'a']).line).toBe(9);
  });

  test('a missing path falls back to the nearest ancestor', () => {
    expect(pos.valueAt(['Tests', 0, 'Nope']).line).toBe(7);
  });

  test('trailing comments are read per entry', () => {
    expect(pos.commentAt(['Reports', 'MITRE ATT&CK', 0])).toBe('Credential Access: Credentials from Password Stores');
    expect(pos.commentAt(['Reports', 'MITRE ATT&CK', 1])).toBe('Collection');
    expect(pos.commentAt(['AnalysisType'])).toBeUndefined();
  });

  test('end line of a block', () => {
    expect(pos.endLineAt(['Tests'])).toBe(11);
  });
});

describe('leniency that pat has', () => {
  test('a flow mapping closed at its key\'s indentation loads (PyYAML accepts it)', () => {
    const text = 'Tests:\n  - Name: a\n    Log: {\n      "x": 1,\n      "y": [1,\n        2\n    ]\n    }\n  - Name: b\n    Log: {}\n';
    const r = loadYaml(text);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value).toEqual({ Tests: [{ Name: 'a', Log: { x: 1, y: [1, 2] } }, { Name: 'b', Log: {} }] });
      expect(r.positions.keyAt(['Tests', 1, 'Name']).line).toBe(9);
    }
  });

  test('closing brackets inside a block scalar are left alone by the lenient retry', () => {
    const text = 'Query: |\n  SELECT 1\n  }\nTests:\n  - Log: {\n      "a": 1\n    }\n';
    const r = loadYaml(text);
    expect(r.ok && r.value).toEqual({ Query: 'SELECT 1\n}\n', Tests: [{ Log: { a: 1 } }] });
  });

  test('a stray closing bracket at the top level is still an error', () => {
    const r = loadYaml('Query: |\n  SELECT 1\n}\nTests: {\n  }\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.line).toBe(3);
  });

  test('an empty value is placed on its key\'s line', () => {
    const r = loadYaml('a: 1\nEnabled:\nb: 2\n');
    expect(r.ok && r.positions.valueAt(['Enabled']).line).toBe(2);
  });
});
