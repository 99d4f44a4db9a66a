import * as fs from 'fs';
import * as path from 'path';
import { availableAttackVersions, defaultAttackVersion, loadAttackCatalog } from '../../src/attack';
import { FatalError } from '../../src/core/errors';

const ROOT = path.resolve(__dirname, '..', '..');
const DATA = path.join(ROOT, 'src', 'attack', 'data');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LICENSE_TEXT } = require('../../scripts/update-attack.js');

const COPYRIGHT_RE = /^© (\d{4}) The MITRE Corporation\. This work is reproduced and distributed with the permission of The MITRE Corporation\.$/;

describe('shipped catalogs', () => {
  const index = JSON.parse(fs.readFileSync(path.join(DATA, 'index.json'), 'utf8'));

  test('versions: 19.2 (default, newest) and 18.1, as index.json lists them', () => {
    expect(availableAttackVersions()).toEqual(['19.2', '18.1']);
    expect(index.versions.map((v: { version: string }) => v.version)).toEqual(availableAttackVersions());
    expect(index.default).toBe('19.2');
    expect(defaultAttackVersion()).toBe('19.2');
    expect(loadAttackCatalog().version).toBe('19.2');
  });

  test('version spellings', () => {
    expect(loadAttackCatalog('18.1').version).toBe('18.1');
    expect(loadAttackCatalog('v18.1').version).toBe('18.1');
    expect(loadAttackCatalog('18').version).toBe('18.1');
    expect(loadAttackCatalog('latest').version).toBe('19.2');
    expect(loadAttackCatalog('18.1')).toBe(loadAttackCatalog('v18.1')); // cached
  });

  test('an unknown version is a FatalError listing the shipped ones', () => {
    expect(() => loadAttackCatalog('17.0')).toThrow(FatalError);
    expect(() => loadAttackCatalog('17.0')).toThrow('unknown ATT&CK version "17.0": this build of RuleGate ships Enterprise ATT&CK 19.2 (default), 18.1');
  });

  test('contents match the published counts', () => {
    const count = (v: string) => {
      const c = loadAttackCatalog(v);
      const all = [...c.techniques.values()];
      return {
        tactics: c.tactics.size,
        techniques: all.filter((t) => !t.revoked && !t.deprecated && !t.parent).length,
        subtechniques: all.filter((t) => !t.revoked && !t.deprecated && t.parent).length,
        revoked: all.filter((t) => t.revoked).length,
        deprecated: all.filter((t) => t.deprecated).length,
      };
    };
    expect(count('19.2')).toEqual({ tactics: 15, techniques: 222, subtechniques: 475, revoked: 149, deprecated: 12 });
    expect(count('18.1')).toEqual({ tactics: 14, techniques: 216, subtechniques: 475, revoked: 132, deprecated: 12 });
    const v19 = loadAttackCatalog('19.2');
    expect([...v19.tactics.keys()][0]).toBe('TA0043'); // matrix order
    expect(v19.tactics.get('TA0005')!.name).toBe('Stealth');
    expect(v19.previousNames).toEqual({
      attackVersion: '18.1',
      names: expect.objectContaining({ TA0005: 'Defense Evasion' }),
    });
    expect(loadAttackCatalog('18.1').previousNames).toBeNull();
    expect(v19.modified).toBe('2026-08-05T21:33:58.496Z');
    // every revoked technique resolves to an active replacement
    for (const c of [v19, loadAttackCatalog('18.1')])
      for (const t of c.techniques.values())
        if (t.revoked) {
          const r = c.techniques.get(t.replacement!);
          expect(r && !r.revoked && !r.deprecated).toBe(true);
        }
  });

  test("each catalog carries MITRE's copyright designation and licence, and LICENSE-ATTACK.md reproduces them", () => {
    const license = fs.readFileSync(path.join(ROOT, 'LICENSE-ATTACK.md'), 'utf8');
    expect(license).toContain(LICENSE_TEXT);
    const years: Record<string, string> = { '19.2': '2026', '18.1': '2025' };
    for (const version of availableAttackVersions()) {
      const raw = JSON.parse(fs.readFileSync(path.join(DATA, `enterprise-attack-${version}.json`), 'utf8'));
      expect(raw.copyright).toMatch(COPYRIGHT_RE);
      expect(COPYRIGHT_RE.exec(raw.copyright)![1]).toBe(years[version]);
      expect(raw.license).toBe(LICENSE_TEXT);
      expect(raw.license).toContain("reproduce MITRE's copyright designation and this license in any such copy");
      expect(license).toContain(raw.copyright);
      const c = loadAttackCatalog(version);
      expect(c.copyright).toBe(raw.copyright);
      expect(c.license).toBe(LICENSE_TEXT);
    }
  });

  test('catalogs are reached through static require() calls only (the ncc bundle inlines them; no fs at run time)', () => {
    const map = fs.readFileSync(path.join(DATA, 'catalogs.ts'), 'utf8');
    for (const version of availableAttackVersions()) expect(map).toContain(`require("./enterprise-attack-${version}.json")`);
    for (const file of fs.readdirSync(path.join(ROOT, 'src', 'attack')).filter((f) => f.endsWith('.ts'))) {
      const text = fs.readFileSync(path.join(ROOT, 'src', 'attack', file), 'utf8');
      expect(text).not.toMatch(/from ['"](node:)?fs['"]|require\(['"](node:)?fs['"]\)|readFileSync/);
    }
  });
});
