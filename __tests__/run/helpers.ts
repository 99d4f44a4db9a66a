// Builds Items for the runner tests with the project's loader, from a fixture pack on disk.
import * as fs from 'fs';
import * as path from 'path';
import { loadItems } from '../../src/load';
import { defaultOptions, type RunOptions } from '../../src/core/options';
import type { Item } from '../../src/core/types';

export const PACK = path.join(__dirname, 'fixtures', 'pack');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) walk(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

export function loadPack(root = PACK): Item[] {
  const files = walk(root).map((absPath) => ({ absPath, file: path.relative(root, absPath).split(path.sep).join('/') }));
  const loaded = loadItems(files, { root });
  if (loaded.findings.length) throw new Error(`fixture pack has load findings: ${JSON.stringify(loaded.findings)}`);
  return loaded.items;
}

export function packOptions(over: Partial<RunOptions> = {}): RunOptions {
  const o = defaultOptions(PACK, PACK);
  o.cwd = PACK;
  o.jobs = 2;
  return { ...o, ...over };
}

export function byId(items: Item[], id: string): Item {
  const it = items.find((i) => i.id === id);
  if (!it) throw new Error(`no item ${id}`);
  return it;
}
