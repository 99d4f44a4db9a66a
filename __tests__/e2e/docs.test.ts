// The README's tables of action inputs/outputs and command-line options are generated (`npm run docs`)
// from action.yml and src/cli-options.ts; this fails when someone changes one and not the README.
import * as fs from 'fs';
import * as path from 'path';
import { generateReadme, cliOptionsTable } from '../../scripts/docs';
import { usageText } from '../../src/cli-options';

const ROOT = path.resolve(__dirname, '..', '..');

test('README.md is what `npm run docs` makes of action.yml and the option table', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const fresh = generateReadme(readme, fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
  expect(readme === fresh ? 'up to date' : 'README.md is out of date: run `npm run docs`').toBe('up to date');
});

test('a changed input description or option shows up as drift', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const action = fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8');
  const changed = action.replace('Folder of the rule repository to check', 'Folder of the detections to check');
  expect(generateReadme(readme, changed)).not.toBe(readme);
  expect(generateReadme(readme, changed)).toContain('| `path` | `.` | Folder of the detections to check');
});

test('every option in --help is in the README table, and the other way round', () => {
  const flags = (text: string) => [...text.matchAll(/--([a-z][a-z-]+)/g)].map((m) => m[1]);
  const table = new Set(flags(cliOptionsTable()));
  for (const f of flags(usageText())) expect([f, table.has(f)]).toEqual([f, true]);
});
