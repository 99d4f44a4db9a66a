// Repository-wide checks (spec §7): duplicate IDs, missing Python files, references, data-model conflicts.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkRepository, closestId } from '../../src/formats/panther/repository';
import { defaultOptions } from '../../src/core/options';
import type { Item } from '../../src/core/types';
import { brief, makeItem } from './helpers';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-repo-'));
  for (const f of ['rules/a.py', 'rules/b.py', 'rules/sub/c.py', 'global_helpers/helpers.py', 'data_models/dm.py']) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), 'def rule(event):\n    return True\n');
  }
  fs.mkdirSync(path.join(root, 'rules/folder.py'), { recursive: true });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const opts = () => defaultOptions(root);
const item = (text: string, file: string): Item => makeItem(text, file, root);
const rule = (id: string, file: string, extra = '', filename = 'a.py') =>
  item(`AnalysisType: rule\nRuleID: ${id}\nEnabled: true\nSeverity: Low\nFilename: ${filename}\nLogTypes: [A]\n${extra}`, file);

describe('id/duplicate', () => {
  test('every copy is reported, naming the other files; every copy stays testable', () => {
    const a = rule('Dup.ID', 'rules/a.yml');
    const b = rule('Dup.ID', 'rules/b.yml', '', 'b.py');
    const c = rule('Other', 'rules/c.yml');
    const f = checkRepository([b, a, c], opts());
    expect(f.map((x) => `${x.code}@${x.file}:${x.line}`)).toEqual(['id/duplicate@rules/a.yml:2', 'id/duplicate@rules/b.yml:2']);
    expect(f[0].message).toContain('rules/b.yml:2');
    expect(f[1].message).toContain('rules/a.yml:2');
    expect([a.valid, b.valid, c.valid]).toEqual([true, true, true]);
  });
  test('IDs are one namespace across kinds', () => {
    const r = rule('Shared', 'rules/a.yml');
    const p = item('AnalysisType: policy\nPolicyID: Shared\nEnabled: true\nFilename: ../rules/a.py\nSeverity: Low\n', 'policies/p.yml');
    const f = checkRepository([r, p], opts());
    expect(brief(f)).toEqual(['id/duplicate@2', 'id/duplicate@2']);
    expect(f[0].message).toContain('one namespace');
  });
  test('the verdict does not depend on order', () => {
    const make = () => [rule('X', 'rules/a.yml'), rule('X', 'rules/b.yml', '', 'b.py')];
    const one = checkRepository(make(), opts());
    const two = checkRepository(make().reverse(), opts());
    expect(one).toEqual(two);
  });
  test('items without a string id are ignored', () => {
    const a = item('AnalysisType: rule\nRuleID: 5\nEnabled: true\nSeverity: Low\nFilename: a.py\nLogTypes: [A]\n', 'rules/a.yml');
    const b = item('AnalysisType: rule\nRuleID: 5\nEnabled: true\nSeverity: Low\nFilename: a.py\nLogTypes: [A]\n', 'rules/b.yml');
    expect(checkRepository([a, b], opts())).toEqual([]);
  });
});

describe('ref/missing-file', () => {
  test('a rule whose Python file does not exist', () => {
    const r = rule('R', 'rules/r.yml', '', 'missing.py');
    const f = checkRepository([r], opts());
    expect(brief(f)).toEqual(['ref/missing-file@5']);
    expect(f[0].message).toContain('rules/missing.py');
    expect(r.valid).toBe(false);
  });
  test('Filename may hold a sub-path', () => {
    expect(checkRepository([rule('R', 'rules/r.yml', '', 'sub/c.py')], opts())).toEqual([]);
  });
  test('a directory is not a Python file', () => {
    expect(brief(checkRepository([rule('R', 'rules/r.yml', '', 'folder.py')], opts()))).toEqual(['ref/missing-file@5']);
  });
  test('globals, data models and policies are checked; lookup tables are not', () => {
    const g = item('AnalysisType: global\nGlobalID: g\nFilename: nope.py\n', 'global_helpers/g.yml');
    const dm = item('AnalysisType: datamodel\nDataModelID: D\nEnabled: true\nFilename: dm.py\nLogTypes: [A]\nMappings: []\n', 'data_models/d.yml');
    const p = item('AnalysisType: policy\nPolicyID: P\nEnabled: true\nFilename: p.py\nSeverity: Low\n', 'policies/p.yml');
    const lt = item('AnalysisType: lookup_table\nLookupName: l\nEnabled: true\nFilename: data.csv\nSchema: s\nLogTypeMap: {PrimaryKey: k}\n', 'lookup_tables/l.yml');
    const f = checkRepository([g, dm, p, lt], opts());
    expect(f.map((x) => `${x.code}@${x.file}`)).toEqual(['ref/missing-file@global_helpers/g.yml', 'ref/missing-file@policies/p.yml']);
  });
  test('simple detections and derived rules have no Python file of their own', () => {
    const simple = item('AnalysisType: rule\nRuleID: S\nEnabled: true\nSeverity: Low\nDetection: []\nLogTypes: [A]\n', 'rules/s.yml');
    const derived = item('AnalysisType: rule\nRuleID: D\nBaseDetection: S\nFilename: nope.py\n', 'rules/d.yml');
    expect(checkRepository([simple, derived], opts())).toEqual([]);
  });
});

describe('pack references', () => {
  const pack = (ids: string[]) => item(`AnalysisType: pack\nPackID: Pack\nPackDefinition:\n  IDs:\n${ids.map((i) => `    - ${i}\n`).join('')}`, 'packs/p.yml');
  test('one finding per missing ID, at its list entry, with a suggestion', () => {
    const p = pack(['Rule.One', 'Rule.Tow', 'Nothing.Like.It']);
    const f = checkRepository([rule('Rule.One', 'rules/a.yml'), rule('Rule.Two', 'rules/b.yml', '', 'b.py'), p], opts());
    expect(brief(f)).toEqual(['ref/unknown-id@6', 'ref/unknown-id@7']);
    expect(f[0].message).toContain('Did you mean "Rule.Two"?');
    expect(f[1].message).not.toContain('Did you mean');
    expect(p.valid).toBe(false);
  });
  test('IDs of items the schema stage rejected count as missing', () => {
    const bad = rule('Rule.Bad', 'rules/a.yml');
    bad.valid = false;
    const f = checkRepository([bad, pack(['Rule.Bad'])], opts());
    expect(brief(f)).toEqual(['ref/unknown-id@5']);
    expect(f[0].message).toContain('is invalid');
  });
  test('duplicate IDs and missing files found here do not cascade into pack references', () => {
    const f = checkRepository([rule('Rule.A', 'rules/a.yml'), rule('Rule.A', 'rules/b.yml', '', 'b.py'), rule('Rule.M', 'rules/m.yml', '', 'gone.py'), pack(['Rule.A', 'Rule.M'])], opts());
    expect(f.map((x) => x.code).sort()).toEqual(['id/duplicate', 'id/duplicate', 'ref/missing-file']);
  });
  test('any kind can be referenced', () => {
    const g = item('AnalysisType: global\nGlobalID: helpers\nFilename: helpers.py\n', 'global_helpers/helpers.yml');
    expect(checkRepository([g, pack(['helpers'])], opts())).toEqual([]);
  });
});

describe('scheduled rules and derived rules', () => {
  const sq = item('AnalysisType: scheduled_query\nQueryName: My Query\nEnabled: true\nQuery: x\nSchedule: {RateMinutes: 5, TimeoutMinutes: 5}\n', 'queries/q.yml');
  test('ScheduledQueries must name a saved or scheduled query', () => {
    const r = item('AnalysisType: scheduled_rule\nRuleID: S\nEnabled: true\nSeverity: Low\nFilename: a.py\nScheduledQueries:\n  - My Query\n  - My Qeury\n', 'rules/s.yml');
    const f = checkRepository([sq, r], opts());
    expect(brief(f)).toEqual(['ref/unknown-id@8']);
    expect(f[0].severity).toBeUndefined();
    expect(f[0].message).toContain('Did you mean "My Query"?');
  });
  test('ScheduledQueries are not checked on a sub-folder run, where the queries are not loaded', () => {
    fs.mkdirSync(path.join(root, '.git'), { recursive: true });
    try {
      const r = item('AnalysisType: scheduled_rule\nRuleID: S\nEnabled: true\nSeverity: Low\nFilename: a.py\nScheduledQueries:\n  - Elsewhere\n', 'rules/s.yml');
      expect(brief(checkRepository([r], defaultOptions(path.join(root, 'rules'))))).toEqual([]);
      expect(brief(checkRepository([r], defaultOptions(root)))).toEqual(['ref/unknown-id@7']);
    } finally {
      fs.rmSync(path.join(root, '.git'), { recursive: true, force: true });
    }
  });
  test('a derived rule whose base is not in the repository is a warning', () => {
    const d = item('AnalysisType: rule\nRuleID: D\nBaseDetection: Missing.Base\n', 'rules/d.yml');
    const f = checkRepository([d], opts());
    expect(brief(f)).toEqual(['ref/unknown-id@3']);
    expect(f[0].severity).toBe('warning');
    expect(d.valid).toBe(true);
  });
  test('a derived rule with its base present is fine', () => {
    const d = item('AnalysisType: rule\nRuleID: D\nBaseDetection: Base\n', 'rules/d.yml');
    expect(checkRepository([rule('Base', 'rules/a.yml'), d], opts())).toEqual([]);
  });
});

describe('ref/datamodel-conflict', () => {
  const dm = (id: string, file: string, logTypes: string, enabled = true) =>
    item(`AnalysisType: datamodel\nDataModelID: ${id}\nEnabled: ${enabled}\nLogTypes: ${logTypes}\nMappings: []\n`, file);
  test('two enabled data models claiming one log type: both reported, one stays usable', () => {
    const a = dm('A', 'data_models/a.yml', '[X, Y]');
    const b = dm('B', 'data_models/b.yml', '[Z, X]');
    const f = checkRepository([b, a], opts());
    expect(f.map((x) => `${x.file}:${x.line}`)).toEqual(['data_models/a.yml:4', 'data_models/b.yml:4']);
    expect(f[0].message).toContain('data_models/b.yml');
    expect(f[1].message).toContain('data_models/a.yml');
    expect([a.valid, b.valid]).toEqual([true, false]);
  });
  test('disabled data models do not claim log types', () => {
    expect(checkRepository([dm('A', 'data_models/a.yml', '[X]'), dm('B', 'data_models/b.yml', '[X]', false)], opts())).toEqual([]);
  });
});

describe('test/duplicate-name', () => {
  test('two tests of one detection share a Name', () => {
    const r = rule('R', 'rules/a.yml', 'Tests:\n  - Name: same\n    ExpectedResult: true\n    Log: {}\n  - Name: same\n    ExpectedResult: false\n    Log: {}\n');
    const f = checkRepository([r], opts());
    expect(brief(f)).toEqual(['test/duplicate-name@11']);
    expect(f[0].message).toContain('line 8');
    expect(r.valid).toBe(true);
  });
  test('the same name in two detections is fine', () => {
    const t = 'Tests:\n  - Name: same\n    ExpectedResult: true\n    Log: {}\n';
    expect(checkRepository([rule('R1', 'rules/a.yml', t), rule('R2', 'rules/b.yml', t, 'b.py')], opts())).toEqual([]);
  });
});

describe('closestId', () => {
  test('case-insensitive match first, then a few edits, else nothing', () => {
    expect(closestId('aws.console.login', ['AWS.Console.Login', 'X'])).toBe('AWS.Console.Login');
    expect(closestId('AWS.Console.Logn', ['AWS.Console.Login', 'AWS.Console.Logout'])).toBe('AWS.Console.Login');
    expect(closestId('Totally.Different', ['AWS.Console.Login'])).toBeUndefined();
  });
});
