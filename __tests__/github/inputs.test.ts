import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { CONFIG_INPUTS, getSettings, INPUT_DEFAULTS } from '../../src/github/inputs';

const ACTION = yaml.load(fs.readFileSync(path.join(__dirname, '..', '..', 'action.yml'), 'utf8')) as {
  runs: { using: string; main: string };
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string }>;
};

function inputs(values: Record<string, string>) {
  return (name: string) => values[name] ?? '';
}

describe('action.yml', () => {
  test('runs on node24 from dist/index.js', () => {
    expect(ACTION.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });
  test('every input is documented with the default the code uses', () => {
    expect(Object.keys(ACTION.inputs).sort()).toEqual(Object.keys(INPUT_DEFAULTS).sort());
    for (const [name, spec] of Object.entries(ACTION.inputs)) {
      expect(spec.description.length).toBeGreaterThan(10);
      if (CONFIG_INPUTS.has(name)) continue;
      expect([name, String(spec.default)]).toEqual([name, INPUT_DEFAULTS[name]]);
    }
  });

  test('inputs the config file can also set have no default in action.yml (the runner would pass it as if set)', () => {
    expect([...CONFIG_INPUTS].sort()).toEqual(['jobs', 'minimum-tests', 'python', 'test-timeout']);
    for (const name of CONFIG_INPUTS) {
      expect([name, ACTION.inputs[name].default]).toEqual([name, undefined]);
      expect(ACTION.inputs[name].description).toContain('Not set: the config file');
    }
  });
  test('outputs', () => {
    expect(Object.keys(ACTION.outputs)).toEqual(['errors', 'warnings', 'new-problems', 'tests', 'tests-failed', 'report-file', 'sarif-file', 'fix-patch', 'coverage', 'audit-issue-url']);
  });
});

describe('getSettings', () => {
  test('empty inputs mean the defaults', () => {
    expect(getSettings(inputs({}))).toEqual({
      path: '.',
      config: undefined,
      python: undefined,
      jobs: undefined,
      mode: 'auto',
      failOn: 'error',
      failOnExisting: false,
      existingAnnotations: 'notice',
      annotations: 'auto',
      comment: 'auto',
      checkRun: 'auto',
      suggestions: 'auto',
      fixPatch: undefined,
      githubToken: '',
      sarifFile: undefined,
      junitFile: undefined,
      reportFile: undefined,
      testTimeout: undefined,
      minimumTests: undefined,
      allowUntrustedCode: false,
      sandbox: 'auto',
      allowNetwork: false,
      memoryLimitMb: 2048,
      publishReport: undefined,
      navigatorFile: undefined,
      htmlReport: undefined,
      auditIssue: 'auto',
      auditIssueTitle: 'RuleGate audit',
      auditReopen: 'regressed',
      auditBaseline: undefined,
    });
  });

  test('sandbox, allow-network and memory-limit', () => {
    expect(getSettings(inputs({ sandbox: 'Required', 'allow-network': 'true', 'memory-limit': '512' }))).toMatchObject({ sandbox: 'required', allowNetwork: true, memoryLimitMb: 512 });
    expect(() => getSettings(inputs({ sandbox: 'chroot' }))).toThrow("Invalid value 'chroot' for input 'sandbox'. Allowed values: auto, required, namespaces, none.");
  });

  test('an input that is set is kept, also when it equals the default', () => {
    expect(getSettings(inputs({ python: 'python3', jobs: '0', 'test-timeout': '10', 'minimum-tests': '0' }))).toMatchObject({ python: 'python3', jobs: 0, testTimeout: 10, minimumTests: 0 });
  });

  test('values are parsed', () => {
    const s = getSettings(
      inputs({ path: 'detections', jobs: '4', 'fail-on': 'warning', 'test-timeout': '2.5', 'minimum-tests': '2', 'allow-untrusted-code': 'TRUE', 'github-token': 't', mode: 'Changed' }),
    );
    expect(s).toMatchObject({ path: 'detections', jobs: 4, failOn: 'warning', testTimeout: 2.5, minimumTests: 2, allowUntrustedCode: true, githubToken: 't', mode: 'changed' });
  });

  test('publish-report implies publish mode', () => {
    expect(getSettings(inputs({ 'publish-report': 'r.json' })).mode).toBe('publish');
    expect(() => getSettings(inputs({ mode: 'publish' }))).toThrow("Input 'mode' is 'publish' but 'publish-report' is empty");
    expect(() => getSettings(inputs({ mode: 'all', 'publish-report': 'r.json' }))).toThrow("'mode' is 'all'");
  });

  test.each([
    ['fail-on', 'errors', "Invalid value 'errors' for input 'fail-on'. Allowed values: error, warning, never."],
    ['mode', 'pr', "Invalid value 'pr' for input 'mode'. Allowed values: auto, all, changed, audit, publish."],
    ['comment', 'yes', "Invalid value 'yes' for input 'comment'. Allowed values: auto, always, never."],
    ['check-run', 'always', "Invalid value 'always' for input 'check-run'. Allowed values: auto, never."],
    ['annotations', 'false', "Invalid value 'false' for input 'annotations'. Allowed values: auto, always, never."],
    ['allow-untrusted-code', 'yes', "Invalid value 'yes' for input 'allow-untrusted-code'. Allowed values: true, false."],
    ['jobs', '-1', "Invalid value '-1' for input 'jobs'. Expected a whole number (0 or more)."],
    ['minimum-tests', '1.5', "Invalid value '1.5' for input 'minimum-tests'. Expected a whole number (0 or more)."],
    ['test-timeout', '0', "Invalid value '0' for input 'test-timeout'. Expected a number of seconds greater than 0."],
  ])('bad %s=%s fails fast naming the input and allowed values', (name, value, message) => {
    expect(() => getSettings(inputs({ [name]: value }))).toThrow(message);
  });
});
