#!/usr/bin/env node
// Bundles the action (src/index.ts → dist/index.js) and the CLI (src/cli.ts → dist/cli.js) with ncc,
// and copies the Python worker beside them. `node scripts/build.js --out DIR` builds elsewhere
// (the freshness test compares such a build with the committed dist/).
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const outArg = process.argv.indexOf('--out');
const out = outArg !== -1 ? path.resolve(process.argv[outArg + 1]) : path.join(root, 'dist');
const ncc = path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

const entries = [
  { src: 'src/index.ts', dest: 'index.js' },
  { src: 'src/cli.ts', dest: 'cli.js', shebang: true },
];

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-build-'));
try {
  for (const entry of entries) {
    const dir = path.join(work, path.basename(entry.dest, '.js'));
    execFileSync(process.execPath, [ncc, 'build', path.join(root, entry.src), '-o', dir, '--quiet', '--license', 'licenses.txt', '--target', 'es2022'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    entry.dir = dir;
  }
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  for (const entry of entries) {
    let code = fs.readFileSync(path.join(entry.dir, 'index.js'), 'utf8');
    if (entry.shebang && !code.startsWith('#!')) code = '#!/usr/bin/env node\n' + code;
    fs.writeFileSync(path.join(out, entry.dest), code, { mode: entry.shebang ? 0o755 : 0o644 });
    for (const extra of fs.readdirSync(entry.dir)) {
      if (extra === 'index.js' || extra === 'package.json') continue;
      const target = path.join(out, extra);
      if (!fs.existsSync(target)) fs.cpSync(path.join(entry.dir, extra), target, { recursive: true });
    }
  }
  // MITRE's licence must travel with every copy of the ATT&CK catalogs inlined in the bundles.
  fs.copyFileSync(path.join(root, 'LICENSE-ATTACK.md'), path.join(out, 'LICENSE-ATTACK.md'));
  const pyDir = path.join(root, 'src', 'run', 'python');
  if (fs.existsSync(pyDir)) {
    for (const f of fs.readdirSync(pyDir).sort()) {
      if (f.endsWith('.py')) fs.copyFileSync(path.join(pyDir, f), path.join(out, f));
    }
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
