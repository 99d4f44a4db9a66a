// The JSON report: the public contract of DESIGN.md (version 1). Keys stay stable; new ones are only added.
import type { Report } from '../core/types';

export function renderJson(report: Report): string {
  return JSON.stringify(report, (_key, value) => (typeof value === 'bigint' ? value.toString() : value), 2) + '\n';
}
