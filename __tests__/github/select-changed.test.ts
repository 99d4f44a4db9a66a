import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Item } from '../../src/core/types';
import { scanImports, selectChanged } from '../../src/select/changed';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-select-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const nowhere = { valueAt: () => ({ line: 1, column: 1 }), keyAt: () => ({ line: 1, column: 1 }), endLineAt: () => 1, commentAt: () => undefined };

function item(kind: string, id: string, file: string, spec: Record<string, unknown> = {}, python?: string): Item {
  const it: Item = { kind, id, idKey: 'ID', file, absPath: path.join(dir, file), spec, positions: nowhere, source: '', valid: true };
  if (python !== undefined) {
    const pyFile = file.replace(/\.ya?ml$/, '.py');
    const abs = path.join(dir, pyFile);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, python);
    it.pythonFile = pyFile;
    it.pythonPath = abs;
  }
  return it;
}

const helpers = [
  item('global', 'panther_base_helpers', 'global_helpers/panther_base_helpers.yml', {}, 'import json\n'),
  item('global', 'panther_aws_helpers', 'global_helpers/panther_aws_helpers.yml', {}, 'from panther_base_helpers import deep_get\n'),
  item('global', 'panther_okta_helpers', 'global_helpers/panther_okta_helpers.yml', {}, '"""import panther_base_helpers"""\n# import panther_base_helpers\n'),
];
const dataModel = item('datamodel', 'Standard.AWS.CloudTrail', 'data_models/aws_cloudtrail.yml', { LogTypes: ['AWS.CloudTrail'] }, 'import panther_aws_helpers as h\n');
const rules = [
  item('rule', 'AWS.Root', 'rules/aws/root.yml', { LogTypes: ['AWS.CloudTrail'] }, 'def rule(e):\n    return True\n'),
  item('rule', 'AWS.S3', 'rules/aws/s3.yml', { LogTypes: ['AWS.S3ServerAccess'] }, 'from panther_aws_helpers import (\n    aws_rule_context,\n    lookup)\n'),
  item('rule', 'Okta.Login', 'rules/okta/login.yml', { LogTypes: ['Okta.SystemLog'] }, 'import panther_okta_helpers\n'),
  item('scheduled_rule', 'AWS.Sched', 'queries/sched.yml', { LogTypes: ['AWS.CloudTrail'], ScheduledQueries: ['Q.Daily'] }, 'def rule(e): return True\n'),
  item('rule', 'AWS.Derived', 'rules/aws/derived.yml', { BaseDetection: 'AWS.Root' }),
  item('correlation_rule', 'Corr.Root', 'rules/corr.yml', { Detection: [{ Sequence: [{ RuleID: 'AWS.Root', ID: 'a' }] }] }),
  item('rule', 'Simple.One', 'rules/simple.yml', { LogTypes: ['GitHub.Audit'], Detection: [] }),
  item('policy', 'Legacy.Policy', 'policies/legacy.yml', {}, 'from panther_legacy import x\n'),
];
const query = item('scheduled_query', 'Q.Daily', 'queries/daily.yml', {});
const packs = [
  item('pack', 'PK.AWS', 'packs/aws.yml', { PackDefinition: { IDs: ['AWS.Root', 'AWS.S3', 'panther_aws_helpers'] } }),
  item('pack', 'PK.Okta', 'packs/okta.yml', { PackDefinition: { IDs: ['Okta.Login', 'Okta.Removed'] } }),
];
const all = [...helpers, dataModel, ...rules, query, ...packs];

function reasons(changed: string[]): Record<string, string> {
  return Object.fromEntries(selectChanged(all, changed).reasons.map((r) => [r.file, r.reason]));
}

describe('selectChanged', () => {
  test('a changed rule YAML: the rule, what builds on it, packs listing it (and packs with dangling IDs)', () => {
    expect(reasons(['rules/aws/root.yml'])).toEqual({
      'rules/aws/root.yml': 'YAML changed',
      'rules/aws/derived.yml': 'derived from changed detection AWS.Root',
      'rules/corr.yml': 'correlates changed rule AWS.Root',
      'packs/aws.yml': 'lists changed item AWS.Root',
    });
  });

  test('a changed Python file selects its item', () => {
    const sel = selectChanged(all, ['rules/okta/login.py']);
    expect(sel.reasons[0]).toEqual({ file: 'rules/okta/login.yml', reason: 'Python file rules/okta/login.py changed' });
  });

  test('a changed helper: importers directly and through other helpers; data models importing it, and their log types', () => {
    const r = reasons(['global_helpers/panther_base_helpers.py']);
    expect(r['global_helpers/panther_base_helpers.yml']).toBe('Python file global_helpers/panther_base_helpers.py changed');
    expect(r['global_helpers/panther_aws_helpers.yml']).toBe('imports changed helper panther_base_helpers');
    expect(r['rules/aws/s3.yml']).toBe('imports helper panther_aws_helpers, which imports changed helper panther_base_helpers');
    expect(r['data_models/aws_cloudtrail.yml']).toBe('imports helper panther_aws_helpers, which imports changed helper panther_base_helpers');
    expect(r['rules/aws/root.yml']).toBe('log type AWS.CloudTrail is covered by changed data model Standard.AWS.CloudTrail');
    // imports inside strings and comments do not count; scheduled rules get no data model
    expect(r['global_helpers/panther_okta_helpers.yml']).toBeUndefined();
    expect(r['rules/okta/login.yml']).toBeUndefined();
    expect(r['queries/sched.yml']).toBeUndefined();
  });

  test('a changed data model selects rules of its log types', () => {
    const r = reasons(['data_models/aws_cloudtrail.yml']);
    expect(r).toMatchObject({
      'data_models/aws_cloudtrail.yml': 'YAML changed',
      'rules/aws/root.yml': 'log type AWS.CloudTrail is covered by changed data model Standard.AWS.CloudTrail',
    });
    expect(r['queries/sched.yml']).toBeUndefined();
  });

  test('a changed pack selects the items it lists', () => {
    expect(reasons(['packs/aws.yml'])).toEqual({
      'packs/aws.yml': 'YAML changed',
      'rules/aws/root.yml': 'listed by changed pack PK.AWS',
      'rules/aws/s3.yml': 'listed by changed pack PK.AWS',
      'global_helpers/panther_aws_helpers.yml': 'listed by changed pack PK.AWS',
    });
  });

  test('a changed query selects the scheduled rules that run it', () => {
    expect(reasons(['queries/daily.yml'])['queries/sched.yml']).toBe('runs changed query Q.Daily');
  });

  test('a removed helper: importers of its module name (the file stem); packs listing IDs nothing has', () => {
    expect(reasons(['global_helpers/panther_legacy.py', 'global_helpers/panther_legacy.yml'])).toEqual({
      'policies/legacy.yml': 'imports changed helper panther_legacy (global_helpers/panther_legacy.py was removed or renamed)',
      'packs/okta.yml': 'lists Okta.Removed, which no loaded item has (removed or renamed?)',
    });
  });

  test('a removed data model: rules that call udm() on a log type no data model covers any more', () => {
    const udmOkta = item('rule', 'Okta.Udm', 'rules/okta/udm.yml', { LogTypes: ['Okta.SystemLog'] }, 'def rule(e):\n    return e.udm("actor_user") == "x"\n');
    const udmAws = item('rule', 'AWS.Udm', 'rules/aws/udm.yml', { LogTypes: ['AWS.CloudTrail'] }, 'def rule(e):\n    return e.udm("actor_user") == "x"\n');
    const sel = selectChanged([...all, udmOkta, udmAws], ['data_models/okta.yml', 'data_models/okta.py']);
    const r = Object.fromEntries(sel.reasons.map((x) => [x.file, x.reason]));
    expect(r['rules/okta/udm.yml']).toBe('calls udm() on log type Okta.SystemLog, which no data model covers now (data_models/okta.yml was removed or renamed)');
    expect(r['rules/aws/udm.yml']).toBeUndefined(); // AWS.CloudTrail still has its data model
    expect(r['rules/okta/login.yml']).toBeUndefined(); // no udm() call
    // Without a removal, nothing of the kind.
    expect(selectChanged([...all, udmOkta], ['README.md']).selectedFiles.size).toBe(0);
  });

  test('configuration or requirements changes select everything', () => {
    const sel = selectChanged(all, ['requirements.txt']);
    expect(sel.selectedFiles.size).toBe(all.length);
    expect(sel.reasons[0].reason).toBe('requirements.txt changed, which can affect every item');
  });

  test('unrelated changes select nothing', () => {
    expect(reasons(['README.md', 'docs/x.png'])).toEqual({});
    expect(selectChanged(all, []).selectedFiles.size).toBe(0);
  });

  test('several reasons for one file are joined', () => {
    const r = reasons(['rules/aws/root.yml', 'data_models/aws_cloudtrail.yml']);
    expect(r['rules/aws/root.yml']).toBe('YAML changed; log type AWS.CloudTrail is covered by changed data model Standard.AWS.CloudTrail');
  });
});

test('scanImports', () => {
  const src = [
    'import os, json as j',
    'import a.b.c as d',
    'from x.y import (p,',
    '    q as r)',
    'from . import sibling',
    's = "import fake"',
    "t = '''",
    'from also_fake import z',
    "'''",
    'x = 1; import after_semicolon',
    'mod = importlib.import_module("dyn_helper")',
    '# import commented',
  ].join('\n');
  expect([...scanImports(src)].sort()).toEqual(
    ['a', 'a.b', 'a.b.c', 'after_semicolon', 'dyn_helper', 'json', 'os', 'x', 'x.y', 'x.y.p', 'x.y.q'].sort(),
  );
});
