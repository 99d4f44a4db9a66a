// The audit section of the CLI's text output: coverage per tactic, lint counts, forecast, trend.
import type { AuditReport } from './index';
import { trendGroups, type Trend } from './trend';

/** `███░░░░░░░` for covered/total, `width` cells. */
export function bar(covered: number, total: number, width = 10): string {
  const full = total ? Math.round((covered / total) * width) : 0;
  return '█'.repeat(full) + '░'.repeat(width - full);
}

export function percent(covered: number, total: number): string {
  return total ? `${Math.round((covered / total) * 100)}%` : '–';
}

export function renderAuditText(audit: AuditReport): string {
  const c = audit.coverage;
  const lines: string[] = ['', `Audit (ATT&CK v${c.attackVersion})`];
  lines.push(`  ${c.counted} of ${c.detections} detections count as coverage (enabled, with a passing test); ${c.disabled.length} disabled, ${c.untested.length} enabled without a passing test.`);
  const techs = c.tactics.reduce((n, t) => n + t.techniques, 0);
  const covered = c.tactics.reduce((n, t) => n + t.covered, 0);
  lines.push(`  Coverage: ${covered} of ${techs} technique cells (${percent(covered, techs)}); ${c.coveredTechniques.length} distinct techniques and sub-techniques.`);
  const width = Math.max(...c.tactics.map((t) => t.name.length));
  for (const t of c.tactics) lines.push(`    ${t.name.padEnd(width)}  ${bar(t.covered, t.techniques)}  ${String(t.covered).padStart(3)}/${String(t.techniques).padEnd(3)} ${percent(t.covered, t.techniques)}`);
  const lints = Object.entries(audit.lints).filter(([, n]) => n > 0);
  lines.push(`  Lints: ${lints.length ? lints.map(([code, n]) => `${code} ${n}`).join(', ') : 'none'}`);
  if (audit.forecast)
    lines.push(`  Upgrade forecast v${audit.forecast.from} → v${audit.forecast.to}: ${audit.forecast.entries.length} ${audit.forecast.entries.length === 1 ? 'mapping changes' : 'mappings change'} (audit/attack-upgrade findings).`);
  if (audit.baseline?.problem) lines.push(`  Trend: the baseline ${audit.baseline.source} was not used: ${audit.baseline.problem}.`);
  if (audit.trend) lines.push(...trendLines(audit.trend).map((l) => `  ${l}`));
  else if (!audit.baseline) lines.push('  Trend: first audit (no baseline).');
  return lines.join('\n') + '\n';
}

/** One line per kind of change, for text and Markdown alike. */
export function trendLines(t: Trend, list = (ids: string[]) => ids.join(', ')): string[] {
  const out = [`Trend since ${t.since}${t.sinceSha ? ` (${t.sinceSha.slice(0, 7)})` : ''}:${t.regressed ? ' regressed' : ''}`];
  for (const g of trendGroups(t)) if (g.ids.length) out.push(`${g.label} (${g.ids.length}): ${list(g.ids)}`);
  if (out.length === 1) out.push('no change');
  return out;
}
