#!/usr/bin/env -S npx tsx
// Regenerates the README's reference tables from their sources (as actions/checkout generates its usage):
//   action inputs and outputs  ← action.yml (defaults the code applies: src/github/inputs.ts)
//   command-line options       ← src/cli-options.ts
//   finding codes              ← src/core/codes.ts (each row has the anchor SARIF's helpUri points at)
// `npm run docs` rewrites README.md; `npm run docs -- --check` exits 1 when it is out of date
// (__tests__/e2e/docs.test.ts fails the same way). Each table sits between two markers:
//   <!-- generated:NAME --> … <!-- /generated:NAME -->
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { CLI_OPTIONS, optionSyntax } from '../src/cli-options';
import { CONFIG_INPUTS, INPUT_DEFAULTS } from '../src/github/inputs';
import { CODES } from '../src/core/codes';
import { codeAnchor } from '../src/render/sarif';

const ROOT = path.resolve(__dirname, '..');
export const README = path.join(ROOT, 'README.md');

interface ActionYml {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
}

/** A table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
}

function code(text: string): string {
  return text === '' ? "`''`" : '`' + text.replace(/\|/g, '\\|') + '`';
}

export function actionInputsTable(action: ActionYml): string {
  const rows = ['| input | default | meaning |', '| --- | --- | --- |'];
  for (const [name, spec] of Object.entries(action.inputs)) {
    const def = spec.default !== undefined ? code(String(spec.default)) : `${code(INPUT_DEFAULTS[name] ?? '')}${CONFIG_INPUTS.has(name) ? ' (or `.rulegate.yml`)' : ''}`;
    rows.push(`| \`${name}\` | ${def} | ${cell(spec.description)} |`);
  }
  return rows.join('\n');
}

export function actionOutputsTable(action: ActionYml): string {
  const rows = ['| output | meaning |', '| --- | --- |'];
  for (const [name, spec] of Object.entries(action.outputs)) rows.push(`| \`${name}\` | ${cell(spec.description)} |`);
  return rows.join('\n');
}

export function cliOptionsTable(): string {
  const rows = ['| option | meaning |', '| --- | --- |', '| `ROOT` | the rule repository or a folder in it (default `.`) |'];
  for (const o of CLI_OPTIONS) {
    if (o.aliasOf) continue;
    const aliases = CLI_OPTIONS.filter((a) => a.aliasOf === o.name).map((a) => `\`--${a.name}\``);
    const also = aliases.length ? ` (${aliases.join(', ')} is accepted too)` : '';
    rows.push(`| ${code(optionSyntax(o))} | ${cell(o.help)}${also} |`);
  }
  return rows.join('\n');
}

export function findingCodesTable(): string {
  const rows = ['| code | default | what it means |', '| --- | --- | --- |'];
  for (const [code, info] of Object.entries(CODES)) rows.push(`| <a id="${codeAnchor(code)}"></a>\`${code}\` | ${info.severity} | ${cell(info.description)} |`);
  return rows.join('\n');
}

/** README text with every generated table replaced by its current version. */
export function generateReadme(readme: string, actionYmlText: string): string {
  const action = yaml.load(actionYmlText) as ActionYml;
  const tables: Record<string, string> = {
    'cli-options': cliOptionsTable(),
    'action-inputs': actionInputsTable(action),
    'action-outputs': actionOutputsTable(action),
    'finding-codes': findingCodesTable(),
  };
  let out = readme;
  for (const [name, table] of Object.entries(tables)) {
    const start = `<!-- generated:${name} -->`;
    const end = `<!-- /generated:${name} -->`;
    const a = out.indexOf(start);
    const b = out.indexOf(end);
    if (a === -1 || b === -1 || b < a) throw new Error(`README.md lacks the markers ${start} … ${end}`);
    out = `${out.slice(0, a + start.length)}\n\n${table}\n\n${out.slice(b)}`; // blank lines: the comments stay out of the table
  }
  return out;
}

if (require.main === module) {
  const readme = fs.readFileSync(README, 'utf8');
  const next = generateReadme(readme, fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
  if (process.argv.includes('--check')) {
    if (next !== readme) {
      process.stderr.write('README.md is out of date: run `npm run docs` and commit it.\n');
      process.exit(1);
    }
  } else if (next !== readme) {
    fs.writeFileSync(README, next);
    process.stdout.write('README.md updated.\n');
  } else process.stdout.write('README.md is up to date.\n');
}
