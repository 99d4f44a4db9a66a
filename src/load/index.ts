// Loading: read each discovered file safely (size, binary, encoding), parse it the way pat does,
// and turn analysis documents into Items. Anything that is not ours is accounted for in `skipped`.
import * as fs from 'fs';
import * as path from 'path';
import type { Item, PositionMap, RawFinding, SkippedFile } from '../core/types';
import type { RunOptions } from '../core/options';
import type { DiscoveredFile } from '../discover';
import { findRepoRoot, toRepoPath } from '../discover';
import { loadYaml, yamlSyntaxFinding } from './yaml';
import { ID_KEYS, PYTHON_KINDS } from '../formats/panther/kinds';
import { isSigmaFile, loadSigma, type SigmaFileInput } from '../formats/sigma'; // [sigma-seam]

/** Analysis files are small (the largest in the public pack is ~90 KB); anything this big is a mistake. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface Loaded {
  items: Item[];
  findings: RawFinding[];
  skipped: SkippedFile[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function loadItems(files: DiscoveredFile[], options: Pick<RunOptions, 'root' | 'overlay'>): Loaded {
  const items: Item[] = [];
  const findings: RawFinding[] = [];
  const skipped: SkippedFile[] = [];
  const repoRoot = findRepoRoot(options.root);
  const sigmaFiles: SigmaFileInput[] = []; // [sigma-seam]

  for (const { absPath, file, outside } of files) {
    if (outside) {
      findings.push({
        code: 'file/outside-repository',
        file,
        line: 1,
        message: `${file} is a symbolic link to a file outside the repository; RuleGate does not follow it. Put the file itself in the repository.`,
      });
      continue;
    }
    const edited = options.overlay?.get(absPath);
    if (edited !== undefined) {
      if (isSigmaFile(file, edited)) sigmaFiles.push({ file, absPath, text: edited }); // [sigma-seam]
      else loadText(edited, absPath, file, repoRoot, items, findings, skipped);
      continue;
    }
    let buf: Buffer;
    try {
      const size = fs.statSync(absPath).size;
      if (size > MAX_FILE_BYTES) {
        findings.push({
          code: 'file/too-large',
          file,
          line: 1,
          message: `${file} is ${(size / 1048576).toFixed(1)} MiB, over the ${MAX_FILE_BYTES / 1048576} MiB limit for an analysis file, so it was not parsed. Move large test data out of the rule, or add the file to "ignore" in .rulegate.yml if it is not a rule.`,
        });
        continue;
      }
      buf = fs.readFileSync(absPath);
    } catch (e) {
      findings.push({ code: 'file/unreadable', file, line: 1, message: `${file} cannot be read: ${(e as Error).message}` });
      continue;
    }
    const nul = buf.indexOf(0);
    if (nul !== -1) {
      findings.push({
        code: 'file/binary',
        file,
        line: lineOfOffset(buf, nul),
        message: `${file} contains binary data (a NUL byte), so it is not a YAML rule file. Remove it from the rule folders or add it to "ignore" in .rulegate.yml.`,
      });
      continue;
    }
    let text: string;
    try {
      text = utf8.decode(buf);
    } catch {
      const bad = firstInvalidUtf8(buf);
      findings.push({
        code: 'file/binary',
        file,
        line: lineOfOffset(buf, bad),
        message: `${file} is not valid UTF-8 (first bad byte at offset ${bad}); pat reads rule files as UTF-8. Re-save the file as UTF-8.`,
      });
      continue;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (isSigmaFile(file, text)) {
      sigmaFiles.push({ file, absPath, text }); // [sigma-seam] Sigma documents load in the Sigma module
      continue;
    }
    loadText(text, absPath, file, repoRoot, items, findings, skipped);
  }
  if (sigmaFiles.length) {
    // [sigma-seam]
    const sigma = loadSigma(sigmaFiles);
    items.push(...sigma.items);
    findings.push(...sigma.findings);
    skipped.push(...sigma.skipped);
  }
  return { items, findings, skipped };
}

/** Parses one file's text (after its BOM) into an Item, a finding or a skipped entry. */
function loadText(text: string, absPath: string, file: string, repoRoot: string, items: Item[], findings: RawFinding[], skipped: SkippedFile[]): void {
  const parsed = loadYaml(text);
  if (!parsed.ok) {
    findings.push(yamlSyntaxFinding(file, parsed.error, 'pat cannot load the file either'));
    return;
  }
  const value = parsed.value;
  if (parsed.empty || value === null) {
    skipped.push({ file, reason: 'empty YAML file' });
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    if (typeof value === 'string' && value.includes('AnalysisType')) {
      findings.push({
        code: 'yaml/not-a-mapping',
        file,
        line: 1,
        message: `${file} mentions AnalysisType but its top level is a plain string, not a mapping of keys; check the indentation and the "key: value" syntax.`,
      });
    } else skipped.push({ file, reason: `not an analysis file (top level is a ${Array.isArray(value) ? 'list' : typeof value})` });
    return;
  }
  const spec = value as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(spec, 'AnalysisType')) {
    skipped.push({ file, reason: 'not an analysis file (no AnalysisType key)' });
    return;
  }
  for (const d of parsed.duplicates) {
    findings.push({
      code: 'yaml/duplicate-key',
      file,
      line: d.line,
      column: d.column,
      message: `the key "${d.key}" appears twice in one mapping; the last value wins (as in pat). Remove the duplicate.`,
    });
  }

  items.push(makeItem(spec, parsed.positions, text, file, absPath, repoRoot));
}

/** An Item from a parsed analysis document: its kind, ID and companion Python file. */
export function makeItem(
  spec: Record<string, unknown>,
  positions: PositionMap,
  source: string,
  file: string,
  absPath: string,
  repoRoot: string,
): Item {
  const kind = typeof spec.AnalysisType === 'string' ? spec.AnalysisType : String(spec.AnalysisType);
  const idKey = ID_KEYS[kind] ?? 'RuleID';
  const rawId = spec[idKey];
  const item: Item = { kind, id: typeof rawId === 'string' ? rawId : undefined, idKey, file, absPath, spec, positions, source, valid: true };
  if (PYTHON_KINDS.has(kind) && typeof spec.Filename === 'string' && spec.Filename !== '') {
    const py = path.resolve(path.dirname(absPath), spec.Filename);
    if (leavesRepository(py, repoRoot)) item.pythonOutside = true; // never read, never run
    else {
      item.pythonPath = py;
      item.pythonFile = toRepoPath(repoRoot, py);
    }
  }
  return item;
}

function lineOfOffset(buf: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < buf.length; i++) if (buf[i] === 10) line++;
  return line;
}

function firstInvalidUtf8(buf: Buffer): number {
  let lo = 0;
  let hi = buf.length;
  // binary search on prefixes that decode cleanly (cut points may split a character: allow 3 bytes slack)
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, mid), { stream: true });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return Math.max(0, lo - 1);
}

/** `../` or an absolute path out of the repository, or a symbolic link whose target is outside it. */
function leavesRepository(file: string, repoRoot: string): boolean {
  const inside = (p: string, root: string) => {
    const rel = path.relative(root, p);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  if (!inside(file, repoRoot)) return true;
  try {
    return !inside(fs.realpathSync(file), fs.realpathSync(repoRoot));
  } catch {
    return false; // does not exist: ref/missing-file says so
  }
}
