// A finding's stable identity across commits: what is wrong and where in the pack's terms (code, item,
// subject), never the line number, so a problem that moves down a file is still the same problem.
import { createHash } from 'crypto';
import type { Finding } from '../core/types';

/** The parts a fingerprint is made of, readable (the baseline file stores them next to the hash). */
export function fingerprintParts(f: Pick<Finding, 'code' | 'file' | 'itemId' | 'message' | 'subject'>): { code: string; where: string; what: string } {
  return {
    code: f.code,
    // The item's ID survives renames and moves; files without one (YAML that does not parse) use the path.
    where: f.itemId ?? f.file,
    what: f.subject ?? normalizeMessage(f.message),
  };
}

export function fingerprint(f: Pick<Finding, 'code' | 'file' | 'itemId' | 'message' | 'subject'>): string {
  const p = fingerprintParts(f);
  return createHash('sha256').update(`${p.code}\0${p.where}\0${p.what}`).digest('hex').slice(0, 20);
}

/** Line and column numbers change when lines move, the ATT&CK version when the catalog is updated: neither makes a new problem. */
export function normalizeMessage(message: string): string {
  return String(message)
    .replace(/\b(lines?|columns?|col)\s+\d+(\s*[-–]\s*\d+)?/gi, '$1 N')
    .replace(/(\.(?:ya?ml|py|json)):\d+(:\d+)?/g, '$1:N')
    .replace(/\bATT&CK v\d+(\.\d+)*/g, 'ATT&CK vN')
    .replace(/\s+/g, ' ')
    .trim();
}

/** How many times each fingerprint occurs (one item can hold the same problem twice). */
export function countFingerprints(findings: Iterable<Pick<Finding, 'code' | 'file' | 'itemId' | 'message' | 'subject'>>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) {
    const fp = fingerprint(f);
    counts.set(fp, (counts.get(fp) ?? 0) + 1);
  }
  return counts;
}
