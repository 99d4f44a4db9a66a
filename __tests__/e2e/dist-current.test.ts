// dist/ is committed and must be exactly what `npm run build` makes from src/ (the action runs dist/).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

test('dist/ is a fresh build of src/', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-dist-'));
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.js'), '--out', out], { cwd: ROOT, stdio: 'pipe' });
  const list = (dir: string) => fs.readdirSync(dir).sort();
  expect(list(path.join(ROOT, 'dist'))).toEqual(list(out));
  const stale = list(out).filter((f) => !fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(ROOT, 'dist', f))));
  expect(stale).toEqual([]); // if this fails: run `npm run build` and commit dist/
  fs.rmSync(out, { recursive: true, force: true });
}, 180000);

test('package.json, the CLI and the report agree on the version', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const src = fs.readFileSync(path.join(ROOT, 'src', 'core', 'version.ts'), 'utf8');
  expect(src).toContain(`'${pkg.version}'`);
});
