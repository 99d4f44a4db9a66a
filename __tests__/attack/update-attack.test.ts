import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import type { AddressInfo } from 'net';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const gen = require('../../scripts/update-attack.js');

const ROOT = path.resolve(__dirname, '..', '..');
const DATA = path.join(ROOT, 'src', 'attack', 'data');
const FIXTURES = path.join(__dirname, 'fixtures');
const STIX = path.join(FIXTURES, 'stix-mini.json');
const COMPACT = path.join(FIXTURES, 'compact-prev.json');
/** The compact source files of the shipped catalogs (present in the development checkout). */
const SHARED = process.env.RULEGATE_ATTACK_SOURCE ?? path.resolve(ROOT, '..', 'shared', 'attack'); // shared/ sits beside the checkout, in CI too

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-attack-'));
}

function sink() {
  let text = '';
  return {
    stream: { write: (s: string) => ((text += s), true) },
    get text() {
      return text;
    },
  };
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await gen.main(args, { out: out.stream, err: err.stream });
  return { code, out: out.text, err: err.text };
}

function readJson(file: string) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir).sort()) out[f] = fs.readFileSync(path.join(dir, f), 'utf8');
  return out;
}

describe('update-attack: STIX 2.1 bundle', () => {
  test('derives version, tactics in matrix order, techniques, revocations and previousNames', async () => {
    const out = tmpDir();
    const r = await run([STIX, '--out', out, '--previous', COMPACT]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('ATT&CK 99.1 (stix): 3 tactics, 2 techniques, 1 sub-techniques, 2 revoked, 1 deprecated; 3 file(s) updated');
    const c = readJson(path.join(out, 'enterprise-attack-99.1.json'));
    expect(Object.keys(c)).toEqual(['version', 'domain', 'modified', 'copyright', 'license', 'terms', 'source', 'counts', 'tactics', 'techniques', 'previousNames']);
    expect(c.version).toBe('99.1');
    expect(c.modified).toBe('2030-04-22T12:00:00.000Z');
    expect(c.copyright).toBe('© 2030 The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation.');
    expect(c.license).toBe(gen.LICENSE_TEXT);
    expect(c.source).toMatchObject({ format: 'stix-2.1-bundle', input: 'stix-mini.json', bytes: fs.statSync(STIX).size });
    // matrix order (tactic_refs), not object order
    expect(c.tactics).toEqual({
      TA0001: { name: 'Initial Access', shortname: 'initial-access' },
      TA0005: { name: 'Stealth', shortname: 'stealth' },
      TA0112: { name: 'Defense Impairment', shortname: 'defense-impairment' },
    });
    expect(Object.keys(c.techniques)).toEqual(['T1078', 'T1078.004', 'T1089', 'T1108', 'T1562.001', 'T1685']);
    expect(c.techniques.T1078).toEqual({ name: 'Valid Accounts', tactics: ['TA0005', 'TA0001'], deprecated: false, revoked: false, replacement: null });
    expect(c.techniques.T1108).toMatchObject({ deprecated: true, revoked: false, replacement: null });
    // revoked-by, ignoring the revoked relationship; the old phase name resolved through the previous release
    expect(c.techniques['T1562.001']).toEqual({ name: 'Disable or Modify Tools', tactics: ['TA0005'], deprecated: false, revoked: true, replacement: 'T1685' });
    // the chain T1089 -> T1562.001 -> T1685
    expect(c.techniques.T1089).toMatchObject({ revoked: true, replacement: 'T1685' });
    expect(c.previousNames).toEqual({ attackVersion: '98.0', names: { TA0005: 'Defense Evasion', 'T1078.004': 'Cloud Account' } });
    // index and static require map
    const index = readJson(path.join(out, 'index.json'));
    expect(index.default).toBe('99.1');
    expect(index.versions).toEqual([{ version: '99.1', file: 'enterprise-attack-99.1.json', modified: '2030-04-22T12:00:00.000Z', counts: c.counts }]);
    const ts = fs.readFileSync(path.join(out, 'catalogs.ts'), 'utf8');
    expect(ts).toContain('export const DEFAULT_ATTACK_VERSION = "99.1";');
    expect(ts).toContain('"99.1": () => require("./enterprise-attack-99.1.json"),');
  });

  test('is idempotent: a second run changes nothing', async () => {
    const out = tmpDir();
    await run([STIX, '--out', out, '--previous', COMPACT]);
    const first = filesOf(out);
    const again = await run([STIX, '--out', out, '--previous', COMPACT]);
    expect(again.out).toContain('no change');
    expect(filesOf(out)).toEqual(first);
    expect((await run([STIX, '--out', out, '--previous', COMPACT, '--check'])).code).toBe(0);
  });

  test('without a previous release: no previousNames, and an unresolvable old phase name is reported', async () => {
    const out = tmpDir();
    const r = await run([STIX, '--out', out, '--previous', 'none']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning: T1562.001 (Disable or Modify Tools) has kill-chain phase "defense-evasion", which is no tactic of the matrix; left out of its tactics');
    const c = readJson(path.join(out, 'enterprise-attack-99.1.json'));
    expect(c.techniques['T1562.001'].tactics).toEqual([]);
    expect(c.previousNames).toBeNull();
  });

  test('by default the previous release is the newest older catalog in the output folder', async () => {
    const out = tmpDir();
    await run([COMPACT, '--out', out]);
    await run([STIX, '--out', out]);
    const c = readJson(path.join(out, 'enterprise-attack-99.1.json'));
    expect(c.previousNames.attackVersion).toBe('98.0');
    const index = readJson(path.join(out, 'index.json'));
    expect(index.default).toBe('99.1');
    expect(index.versions.map((v: { version: string }) => v.version)).toEqual(['99.1', '98.0']);
    const ts = fs.readFileSync(path.join(out, 'catalogs.ts'), 'utf8');
    expect(ts.indexOf('"99.1"')).toBeLessThan(ts.indexOf('"98.0"'));
  });

  test('bundle errors are plain messages with exit code 2', async () => {
    const dir = tmpDir();
    const bundle = readJson(STIX);
    const noCollection = { ...bundle, objects: bundle.objects.filter((o: { type: string }) => o.type !== 'x-mitre-collection') };
    fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify(noCollection));
    let r = await run([path.join(dir, 'a.json'), '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toBe('update-attack: the bundle has no x-mitre-collection object (version unknown)\n');
    const badPhase = JSON.parse(JSON.stringify(bundle));
    badPhase.objects.find((o: { name?: string }) => o.name === 'Valid Accounts').kill_chain_phases[0].phase_name = 'nowhere';
    fs.writeFileSync(path.join(dir, 'b.json'), JSON.stringify(badPhase));
    r = await run([path.join(dir, 'b.json'), '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('T1078 (Valid Accounts) has kill-chain phase "nowhere", which is no tactic of the matrix');
  });
});

describe('update-attack: compact shape', () => {
  test('reads the shape of shared/attack/*.json', async () => {
    const out = tmpDir();
    const r = await run([COMPACT, '--out', out]);
    expect(r.code).toBe(0);
    const c = readJson(path.join(out, 'enterprise-attack-98.0.json'));
    expect(c.version).toBe('98.0');
    expect(c.modified).toBeNull();
    expect(c.copyright).toBe('© 2029 The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation.');
    expect(c.source).toMatchObject({ format: 'compact', input: 'compact-prev.json', repo: 'test/fixture' });
    expect(c.techniques.T1089).toEqual({ name: 'Disabling Security Tools', tactics: ['TA0005'], deprecated: false, revoked: true, replacement: 'T1562.001' });
    expect(c.techniques.T1108.deprecated).toBe(true);
    expect(c.previousNames).toBeNull();
  });

  test('previousNames computed from the previous release equal the ones shipped with v19.2', async () => {
    // rebuild the compact shape from the shipped v19.2 catalog, without its previousNames
    const shipped = readJson(path.join(DATA, 'enterprise-attack-19.2.json'));
    const compact = {
      source: { attackVersion: '19.2', copyright: shipped.copyright, modified: shipped.modified },
      tactics: Object.entries(shipped.tactics).map(([id, t]) => ({ id, ...(t as object) })),
      techniques: Object.entries(shipped.techniques).map(([id, t]) => {
        const x = t as { replacement: string | null };
        return { id, ...x, revokedBy: x.replacement };
      }),
    };
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'compact-19.2.json'), JSON.stringify(compact));
    const out = tmpDir();
    const r = await run([path.join(dir, 'compact-19.2.json'), '--out', out, '--previous', path.join(DATA, 'enterprise-attack-18.1.json')]);
    expect(r.code).toBe(0);
    const c = readJson(path.join(out, 'enterprise-attack-19.2.json'));
    expect(c.previousNames).toEqual(shipped.previousNames);
    expect(c.techniques).toEqual(shipped.techniques);
    expect(c.tactics).toEqual(shipped.tactics);
    expect(c.modified).toBe(shipped.modified);
  });
});

describe('update-attack: the shipped catalogs are up to date and reproducible', () => {
  test('regenerating each shipped catalog from itself gives the same bytes', async () => {
    const out = tmpDir();
    for (const f of fs.readdirSync(DATA)) fs.copyFileSync(path.join(DATA, f), path.join(out, f));
    const before = filesOf(out);
    for (const version of ['19.2', '18.1']) {
      const r = await run([path.join(DATA, `enterprise-attack-${version}.json`), '--out', out, '--check']);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
    }
    expect(filesOf(out)).toEqual(before);
  });

  (fs.existsSync(path.join(SHARED, 'enterprise-attack.json')) ? test : test.skip)(
    'regenerating from the compact source files reproduces src/attack/data byte for byte',
    async () => {
      const out = tmpDir();
      expect((await run([path.join(SHARED, 'enterprise-attack.json'), '--out', out])).code).toBe(0);
      expect((await run([path.join(SHARED, 'enterprise-attack-18.1.json'), '--out', out])).code).toBe(0);
      expect(filesOf(out)).toEqual(filesOf(DATA));
      // and the check mode agrees with the shipped folder
      expect((await run([path.join(SHARED, 'enterprise-attack.json'), '--out', DATA, '--check'])).code).toBe(0);
    },
  );
});

describe('update-attack: URLs and command line', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    const stix = fs.readFileSync(STIX);
    server = http.createServer((req, res) => {
      if (req.url === '/enterprise-attack-99.1.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(stix);
      } else {
        res.writeHead(404, 'Not Found');
        res.end('nope');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('an http URL is downloaded (local server) and named in source', async () => {
    const out = tmpDir();
    const r = await run([`${base}/enterprise-attack-99.1.json`, '--out', out, '--previous', 'none']);
    expect(r.code).toBe(0);
    expect(readJson(path.join(out, 'enterprise-attack-99.1.json')).source.input).toBe(`${base}/enterprise-attack-99.1.json`);
  });

  test('HTTP errors, refused connections and unsupported schemes', async () => {
    let r = await run([`${base}/missing.json`, '--out', tmpDir()]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`update-attack: could not download ${base}/missing.json: HTTP 404 Not Found\n`);

    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    r = await run([`http://127.0.0.1:${port}/x.json`, '--out', tmpDir()]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^update-attack: could not download http://127\\.0\\.0\\.1:${port}/x\\.json: fetch failed \\(ECONNREFUSED\\)\\n$`));

    r = await run(['ftp://example.org/enterprise-attack.json', '--out', tmpDir()]);
    expect(r.code).toBe(2);
    expect(r.err).toBe('update-attack: unsupported URL scheme in ftp://example.org/enterprise-attack.json: give a file path or an http(s) URL\n');
  });

  test('bad arguments and bad input files', async () => {
    let r = await run([]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('give exactly one input file or URL');
    expect(r.err).toContain('usage: npm run update-attack -- FILE_OR_URL');
    r = await run([STIX, '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown option --frobnicate');
    r = await run([STIX, '--out']);
    expect(r.err).toContain('--out needs a value');
    r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('usage:');

    const dir = tmpDir();
    r = await run([path.join(dir, 'nothing.json')]);
    expect(r.err).toBe(`update-attack: cannot read ${path.join(dir, 'nothing.json')}: no such file\n`);
    fs.writeFileSync(path.join(dir, 'broken.json'), '{ nope');
    r = await run([path.join(dir, 'broken.json'), '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^update-attack: broken\.json is not valid JSON: /);
    fs.writeFileSync(path.join(dir, 'other.json'), '{"hello": 1}');
    r = await run([path.join(dir, 'other.json'), '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('the input is neither a STIX 2.1 bundle');
  });

  test('--check reports stale files with exit code 1 and writes nothing', async () => {
    const out = tmpDir();
    const r = await run([STIX, '--out', out, '--previous', 'none', '--check']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('is out of date');
    expect(fs.readdirSync(out)).toEqual([]);
  });
});
