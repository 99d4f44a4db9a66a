// buildSettings: defaults < config file < what the user set, for every setting the config file can hold.
import * as fs from 'fs';
import * as path from 'path';
import { buildSettings, checkNumber, NUMBER_RULES, SETTING_DEFAULTS } from '../../src/core/settings';
import { tmpDir } from './pack';

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function root(config?: string): string {
  const dir = tmpDir('rulegate-settings-');
  made.push(dir);
  if (config !== undefined) fs.writeFileSync(path.join(dir, '.rulegate.yml'), config);
  return dir;
}
const where = (dir: string) => ({ root: dir, rootArg: '.', cwd: dir });
const FILE = 'python: py-from-file\njobs: 3\ntest-timeout: 2.5\nminimum-tests: 2\nskip-disabled: true\nattack-version: "18.1"\nignore: [a/**]\ninclude: [b/*.yml]\n';

describe('buildSettings', () => {
  test('nothing set, no config file: the built-in defaults', () => {
    const o = buildSettings(where(root()), {});
    expect(o).toMatchObject({ testTimeoutSec: SETTING_DEFAULTS.testTimeoutSec, minimumTests: 0, skipDisabled: false, noTests: false, ignore: [], include: [] });
    expect(o.python).toBeUndefined(); // python3 on PATH
    expect(o.jobs).toBeUndefined(); // one per core
    expect(o.attackVersion).toBeUndefined();
  });

  test('the config file fills what was not set', () => {
    const o = buildSettings(where(root(FILE)), {});
    expect(o).toMatchObject({ python: 'py-from-file', jobs: 3, testTimeoutSec: 2.5, minimumTests: 2, skipDisabled: true, attackVersion: '18.1', ignore: ['a/**'], include: ['b/*.yml'] });
    expect(o.config?.file).toBe('.rulegate.yml');
  });

  test('a value that was set beats the file, also when it equals the built-in default', () => {
    const o = buildSettings(where(root(FILE)), { python: 'python3', jobs: 0, testTimeoutSec: 10, minimumTests: 0, attackVersion: '19.2', ignore: ['c/**'], skipDisabled: false });
    expect(o).toMatchObject({ python: 'python3', testTimeoutSec: 10, minimumTests: 0, attackVersion: '19.2', skipDisabled: false });
    expect(o.jobs).toBeUndefined(); // jobs 0 = one per core, not the file's 3
    expect(o.ignore).toEqual(['c/**', 'a/**']); // lists add up
  });

  test('an explicit --config file is read from the working directory', () => {
    const dir = root();
    fs.writeFileSync(path.join(dir, 'other.yml'), 'minimum-tests: 4\n');
    expect(buildSettings(where(dir), { configPath: 'other.yml' }).minimumTests).toBe(4);
  });
});

describe('the one number validator', () => {
  test.each([
    ['jobs', '0', 0],
    ['jobs', '4', 4],
    ['jobs', '-1', undefined],
    ['jobs', '1.5', undefined],
    ['jobs', '', undefined],
    ['minimumTests', '2', 2],
    ['minimumTests', '2.0', undefined],
    ['minimumTests', 'two', undefined],
    ['testTimeout', '2.5', 2.5],
    ['testTimeout', '.5', 0.5],
    ['testTimeout', '0', undefined],
    ['testTimeout', '1e3', undefined],
    ['testTimeout', 'Infinity', undefined],
  ] as const)('%s %j → %j', (rule, text, expected) => {
    expect(checkNumber(text, NUMBER_RULES[rule])).toBe(expected);
  });
});
