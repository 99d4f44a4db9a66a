// SARIF checked by Microsoft's SARIF Multitool (the npm package ships the .NET tool, self-contained) with
// its SARIF rules and GitHub's code-scanning rules (`validate --rule-kind "Sarif;Gh"`): what the tool
// writes for a real pack (dist/cli.js), for the action's file:// source root, and when results are cut at
// the per-run limit, must raise nothing; a broken log must raise GitHub's rules (not a rubber stamp).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderSarif } from '../../src/render/sarif';
import { finding, makeReport } from './fixtures/report';

const ROOT = path.resolve(__dirname, '..', '..');
const PACK = path.join(ROOT, '__tests__', 'e2e', 'fixtures', 'codes-pack');

function multitool(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bin = require('@microsoft/sarif-multitool') as string; // the platform package's executable
  if (!fs.existsSync(bin)) throw new Error(`the SARIF Multitool binary ${bin} is missing: run npm ci`);
  fs.chmodSync(bin, 0o755); // npm may skip the package's postinstall chmod
  return bin;
}

interface Problem {
  ruleId: string;
  level: string;
  file: string;
  text: string;
}

/** Runs `validate` on every file and returns what its rules found (level "none" results are passes). */
function validateAll(files: string[], dir: string): Problem[] {
  const out = path.join(dir, 'validation.sarif');
  const r = spawnSync(multitool(), ['validate', ...files, '--rule-kind', 'Sarif;Gh', '--output', out, '--log', 'ForceOverwrite'], { encoding: 'utf8', cwd: dir, timeout: 120000 });
  if (r.status !== 0 || !fs.existsSync(out)) throw new Error(`SARIF Multitool failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  const log = JSON.parse(fs.readFileSync(out, 'utf8'));
  const run = log.runs[0];
  const rules = run.tool.driver.rules ?? [];
  return (run.results ?? []).map((x: { ruleId: string; ruleIndex?: number; level?: string; message: { id?: string; arguments?: string[] }; locations?: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => {
    const rule = rules.find((d: { id: string }) => d.id === x.ruleId);
    const template: string = Object.values((rule?.messageStrings ?? {}) as Record<string, { text: string }>)[0]?.text ?? '';
    return {
      ruleId: `${x.ruleId} ${rule?.name ?? ''}`.trim(),
      level: x.level ?? rule?.defaultConfiguration?.level ?? 'warning',
      file: path.basename(decodeURIComponent(x.locations?.[0]?.physicalLocation.artifactLocation.uri ?? '')),
      text: template.replace(/\{(\d+)\}/g, (_, n) => x.message.arguments?.[Number(n)] ?? ''),
    };
  });
}

test('RuleGate SARIF passes the SARIF and GitHub rule sets; a broken log does not', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-multitool-'));
  try {
    const cliSarif = path.join(dir, 'cli.sarif');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), PACK, '--no-tests', '--sarif', cliSarif, '--sarif-category', 'packs/codes'], { encoding: 'utf8' });
    expect(r.status).toBe(1); // the pack is full of findings
    const report = makeReport();
    report.findings.push(finding({ code: 'custom/unknown', file: 'rules/dir with space/ü.yml', endLine: 20, message: 'multi\nline' }));
    fs.writeFileSync(path.join(dir, 'action.sarif'), renderSarif(report, { srcRootUri: 'file:///home/runner/work/repo/repo/' }));
    const many = makeReport({ findings: Array.from({ length: 12 }, (_, i) => finding({ line: i + 1, message: `m${i}` })) });
    fs.writeFileSync(path.join(dir, 'capped.sarif'), renderSarif(many, { maxResults: 10 }));
    const broken = JSON.parse(renderSarif(makeReport()));
    broken.runs[0].results[0].message = { id: 'default' }; // GitHub needs message.text
    fs.writeFileSync(path.join(dir, 'broken.sarif'), JSON.stringify(broken));

    const problems = validateAll(['cli.sarif', 'action.sarif', 'capped.sarif', 'broken.sarif'], dir).filter((p) => p.level !== 'none' && p.level !== 'pass');
    expect(problems.filter((p) => p.file !== 'broken.sarif')).toEqual([]);
    expect(problems.filter((p) => p.file === 'broken.sarif').map((p) => p.ruleId.split(' ')[0])).toEqual(expect.arrayContaining([expect.stringMatching(/^GH/)]));
    expect(JSON.parse(fs.readFileSync(cliSarif, 'utf8')).runs[0].automationDetails.id).toBe('packs/codes/');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 180000);
