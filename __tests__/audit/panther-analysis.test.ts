// The real-world pack: on panther-analysis (RULEGATE_PA, default /work/pa, with PYTHONPATH set for its
// dependencies) the Navigator layer's per-technique detections agree with an independent count made
// from the YAML by count_coverage.py (PyYAML), less the detections that had no passing test in the run.
// Skipped where the pack is not checked out (CI); nothing of the pack is stored in this repository.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const PA = process.env.RULEGATE_PA || '/work/pa';
const run = fs.existsSync(path.join(PA, 'rules')) ? test : test.skip;

run('layer scores on panther-analysis agree with an independent count from the YAML', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-pa-'));
  try {
    const layerFile = path.join(tmp, 'layer.json');
    const reportFile = path.join(tmp, 'report.json');
    spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'audit', PA, '--navigator', layerFile, '--format', 'json', '--output', reportFile], {
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: process.env.PYTHONPATH || '/work/pydeps' },
    });
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
    const layer = JSON.parse(fs.readFileSync(layerFile, 'utf8'));
    const catalogFile = path.join(ROOT, 'src', 'attack', 'data', `enterprise-attack-${report.attack.version}.json`);
    const counts: Record<string, string[]> = JSON.parse(execFileSync('python3', [path.join(__dirname, 'count_coverage.py'), PA, catalogFile], { encoding: 'utf8', maxBuffer: 64 << 20 }));

    expect(report.summary.tests).toBeGreaterThan(1000); // the tests really ran
    const passing = new Set(report.tests.filter((t: { passed: boolean }) => t.passed).map((t: { itemId: string }) => t.itemId));
    const byShortname = new Map(Object.entries(JSON.parse(fs.readFileSync(catalogFile, 'utf8')).tactics as Record<string, { shortname: string }>).map(([id, t]) => [t.shortname, id]));
    const fromLayer: Record<string, string[]> = {};
    for (const t of layer.techniques) if (t.score > 0) fromLayer[`${byShortname.get(t.tactic)}:${t.techniqueID}`] = t.metadata.map((m: { value: string }) => m.value);
    const expected: Record<string, string[]> = {};
    for (const [key, ids] of Object.entries(counts)) {
      const kept = ids.filter((id) => passing.has(id));
      if (kept.length) expected[key] = kept;
    }
    expect(fromLayer).toEqual(expected);
    for (const t of layer.techniques) expect(t.score).toBe(t.metadata.length);
    expect(Object.keys(expected).length).toBeGreaterThan(50);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}, 600_000);
