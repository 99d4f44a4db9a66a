// The YAML → Python encoder, module-name helpers and message wording (no Python needed).
import { execFileSync } from 'child_process';
import { loadYaml } from '../../src/load/yaml';
import { importedModules, toPythonJson } from '../../src/run';
import { pipName } from '../../src/run/messages';

function parse(text: string): unknown {
  const r = loadYaml(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('toPythonJson', () => {
  test('keeps pat\'s YAML types: integral floats, big ints, NaN/inf, strings that look like numbers', () => {
    const v = parse('a: 60.0\nb: 123456789012345678901234567890\nc: .nan\nd: -.inf\ne: 08\nf: 1e3\ng: 0.5\nh: 7\ni: [1.0, -0.0]\nj: on\nk: "x\\u2028y"\n');
    expect(toPythonJson(v)).toBe(
      '{"a":60.0,"b":123456789012345678901234567890,"c":NaN,"d":-Infinity,"e":"08","f":"1e3","g":0.5,"h":7,"i":[1.0,-0.0],"j":"on","k":"x\u2028y"}', // JSON.stringify leaves U+2028 raw: fine for json.loads and for newline framing
    );
  });

  test('Python reads it back with the same types', () => {
    const v = parse('a: 60.0\nb: 123456789012345678901234567890\nc: .nan\nd: 1.0e+20\ne: 3\n');
    const out = execFileSync('python3', ['-c', 'import json,sys; d=json.loads(sys.stdin.read()); print(",".join(type(d[k]).__name__ for k in "abcde"), repr(d["a"]), d["b"])'], {
      input: toPythonJson(v),
    }).toString();
    expect(out.trim()).toBe('float,int,float,float,int 60.0 123456789012345678901234567890');
  });
});

describe('helpers', () => {
  test('pip names for common import names', () => {
    expect(pipName('dateutil')).toBe('python-dateutil');
    expect(pipName('dateutil.parser')).toBe('python-dateutil');
    expect(pipName('yaml')).toBe('PyYAML');
    expect(pipName('panther_detection_helpers')).toBe('panther-detection-helpers');
    expect(pipName('policyuniverse')).toBe('policyuniverse');
  });

  test('imported module names are found in Python source', () => {
    const src = 'import json, re as r\nfrom panther_base_helpers import deep_get\nfrom . import x\n  import boto3.session  # lazy\n# import commented\n';
    expect([...importedModules(src)].sort()).toEqual(['boto3', 'json', 'panther_base_helpers', 're']);
  });
});
