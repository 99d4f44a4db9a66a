// The audit as one self-contained HTML file (inline CSS and script, no external asset, opens offline
// from an artifact): the ATT&CK matrix as a heat map — tactics as columns in matrix order, one cell per
// technique shaded by its score, sub-techniques folded under their technique, a cell's detections on
// hover (title) and click (side panel) — then the lint tables, the upgrade forecast and the trend.
// Every string from the pack (IDs, file names, messages) is escaped: rule files are attacker-controlled.
// A Content-Security-Policy forbids loading anything, so even a missed escape could not fetch or send.
import type { Finding, Report } from '../core/types';
import type { AttackCatalog } from '../attack/catalog';
import { escapeXmlAttr as attr, escapeXmlText as text } from '../render/escape';
import { blobUrl } from '../render/markdown';
import { aggregateRuleIds, type CoverageEntry } from './coverage';
import { LINT_CODES } from './index';
import { GRADIENT, maxScore } from './navigator';
import { percent, trendLines } from './text';

export interface HtmlContext {
  /** `owner/repo` and server, to link files at the audited commit. */
  repository?: string;
  serverUrl?: string;
  sha?: string;
  /** Rows per lint table; the rest are counted. */
  maxRows?: number;
}

export function renderAuditHtml(report: Report, catalog: AttackCatalog, ctx: HtmlContext = {}): string {
  const audit = report.audit;
  if (!audit) throw new Error('renderAuditHtml needs an audit report');
  const c = audit.coverage;
  const max = Math.max(1, maxScore(c));
  const link = (file: string, line?: number) => {
    const label = text(line ? `${file}:${line}` : file);
    if (!ctx.repository || !ctx.sha) return label;
    return `<a href="${attr(blobUrl(ctx.serverUrl ?? 'https://github.com', ctx.repository, ctx.sha, file, line))}">${label}</a>`;
  };

  const out: string[] = [];
  out.push(
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>RuleGate audit · ${text(report.root)}</title>`,
    `<style>${CSS}</style></head><body>`,
  );
  out.push(`<header><h1>RuleGate audit</h1><p>${text(report.root)}${ctx.sha ? ` · commit <code>${text(ctx.sha.slice(0, 12))}</code>` : ''} · ATT&amp;CK Enterprise v${text(c.attackVersion)} · ${text(audit.snapshot.at)} · RuleGate ${text(report.tool.version)}</p></header>`);

  // Totals.
  const cells = c.tactics.reduce((n, t) => n + t.techniques, 0);
  const coveredCells = c.tactics.reduce((n, t) => n + t.covered, 0);
  const s = report.summary;
  out.push('<section class="totals">');
  for (const [label, value] of [
    ['detections counted', `${c.counted} / ${c.detections}`],
    ['technique cells covered', `${coveredCells} / ${cells} (${percent(coveredCells, cells)})`],
    ['techniques & sub-techniques', String(c.coveredTechniques.length)],
    ['disabled', String(c.disabled.length)],
    ['without a passing test', String(c.untested.length)],
    ['tests', `${s.testsPassed} passed, ${s.testsFailed} failed`],
    ['findings', `${s.errors} errors, ${s.warnings} warnings`],
  ])
    out.push(`<div class="total"><b>${text(value)}</b><span>${text(label)}</span></div>`);
  out.push('</section>');

  // The matrix.
  out.push('<section><h2>ATT&amp;CK matrix</h2>');
  out.push(
    `<p class="legend">Score = detections that count (enabled, at least one passing test) mapped to the technique under that tactic; a folded technique shows its own and its sub-techniques' detections. ` +
      `<span class="swatch" style="background:${colorFor(0, max)}"></span>0 <span class="swatch" style="background:${colorFor(max / 2, max)}"></span>${text(String(Math.round(max / 2)))} <span class="swatch" style="background:${colorFor(max, max)}"></span>${max}. Click a cell for its detections.</p>`,
  );
  out.push(`<div class="matrix" style="grid-template-columns:repeat(${c.tactics.length},minmax(7rem,1fr))">`);
  const subsOf = new Map<string, CoverageEntry[]>();
  for (const e of c.entries) if (e.parent) subsOf.set(`${e.tactic}:${e.parent}`, [...(subsOf.get(`${e.tactic}:${e.parent}`) ?? []), e]);
  for (const t of c.tactics) {
    out.push(`<div class="tactic" data-tactic="${attr(t.id)}"><h3>${text(t.name)}<small>${t.covered}/${t.techniques} · ${percent(t.covered, t.techniques)}</small></h3>`);
    for (const e of c.entries) {
      if (e.tactic !== t.id || e.parent !== null) continue;
      const subs = subsOf.get(`${e.tactic}:${e.technique}`) ?? [];
      const ids = subs.length ? aggregateRuleIds(c.entries, e) : e.ruleIds;
      out.push('<div class="tech">', cell(e, ids, max, false));
      if (subs.length) {
        const coveredSubs = subs.filter((x) => x.ruleIds.length).length;
        out.push(`<details><summary>${subs.length} sub-techniques${coveredSubs ? `, ${coveredSubs} covered` : ''}</summary>`);
        for (const sub of subs) out.push(cell(sub, sub.ruleIds, max, true));
        out.push('</details>');
      }
      out.push('</div>');
    }
    out.push('</div>');
  }
  out.push('</div></section>');
  out.push('<aside id="panel" hidden><button type="button" id="close" aria-label="Close">×</button><h3 id="panel-title"></h3><ul id="panel-rules"></ul></aside>');

  // Gaps closest to coverage.
  if (c.gaps.length) {
    out.push('<section><h2>Gaps closest to coverage</h2><p>Techniques no counted detection covers, but some disabled or untested detection maps to.</p>');
    out.push(table(['technique', 'tactic', 'waiting detections'], c.gaps.slice(0, 100).map((g) => [text(`${g.technique} ${g.name}`), text(catalog.tactics.get(g.tactic)?.name ?? g.tactic), text(g.waiting.join(', '))])));
    out.push('</section>');
  }

  // Failing tests: the most urgent part of any audit.
  const failing = report.tests.filter((t) => !t.passed);
  if (failing.length) {
    out.push(`<section><h2>Failing tests (${failing.length})</h2>`);
    out.push(table(['where', 'detection', 'test', 'why'], failing.slice(0, ctx.maxRows ?? 300).map((t) => [link(t.file, t.line), text(t.itemId), text(t.name), text(t.error ?? `expected ${t.expected}, got ${t.actual}`)])));
    out.push('</section>');
  }

  // Lints.
  out.push('<section><h2>Quality lints</h2>');
  const byCode = new Map<string, Finding[]>();
  for (const f of report.findings) if (LINT_CODES.includes(f.code)) byCode.set(f.code, [...(byCode.get(f.code) ?? []), f]);
  out.push(table(['code', 'findings'], LINT_CODES.map((code) => [`<code>${text(code)}</code>`, String(byCode.get(code)?.length ?? 0)])));
  const maxRows = ctx.maxRows ?? 300;
  for (const [code, list] of byCode) {
    out.push(`<details class="lint"><summary><code>${text(code)}</code> · ${list.length}</summary>`);
    out.push(table(['where', 'detection', 'message'], list.slice(0, maxRows).map((f) => [link(f.file, f.line), text(f.itemId ?? ''), text(f.message)])));
    if (list.length > maxRows) out.push(`<p>${list.length - maxRows} more in the JSON report.</p>`);
    out.push('</details>');
  }
  out.push('</section>');

  // Upgrade forecast.
  if (audit.forecast) {
    const f = audit.forecast;
    out.push(`<section><h2>Upgrade forecast: ATT&amp;CK v${text(f.from)} → v${text(f.to)}</h2>`);
    out.push(
      f.entries.length
        ? table(['where', 'detection', 'mapping', 'change', 'write instead'], f.entries.slice(0, maxRows).map((e) => [link(e.file, e.line), text(e.id), `<code>${text(e.mapping)}</code>`, text(e.change), text(e.replacement.join(' or ') || '—')]))
        : `<p>No mapping changes: the pack can move to v${text(f.to)} as it is.</p>`,
    );
    out.push('</section>');
  }

  // Trend.
  out.push('<section><h2>Trend</h2>');
  if (audit.trend) out.push(`<ul>${trendLines(audit.trend).map((l) => `<li>${text(l)}</li>`).join('')}</ul>`);
  else out.push(`<p>${text(audit.baseline?.problem ? `No trend: the previous snapshot (${audit.baseline.source}) could not be used: ${audit.baseline.problem}.` : 'First audit: no previous snapshot to compare with.')}</p>`);
  out.push('</section>');

  // Detections that do not count.
  out.push('<section><h2>Detections that do not count</h2>');
  out.push(table(['detection', 'file', 'why'], [...c.disabled, ...c.untested].slice(0, maxRows * 2).map((d) => [text(d.id), link(d.file), text(d.reason)])));
  out.push('</section>');

  out.push(`<footer>MITRE ATT&amp;CK® data © The MITRE Corporation, used under MITRE's licence.</footer>`);
  out.push(`<script>${SCRIPT}</script></body></html>`);
  return out.join('\n') + '\n';
}

function cell(e: CoverageEntry, ids: string[], max: number, sub: boolean): string {
  const score = ids.length;
  const hover = `${e.technique} ${e.name}: ${score ? `${score} ${score === 1 ? 'detection' : 'detections'}\n${ids.join('\n')}` : 'no counted detection'}`;
  const bg = colorFor(score, max);
  return (
    `<button type="button" class="cell${sub ? ' sub' : ''}${score ? ' covered' : ''}" data-technique="${attr(e.technique)}" data-name="${attr(e.name)}" data-rules="${attr(ids.join('\n'))}" ` +
    `title="${attr(hover)}" style="background:${bg};color:${luminance(bg) < 0.45 ? '#fff' : '#111'}"><span class="id">${text(e.technique)}</span> ${text(sub ? e.name.replace(/^[^:]*: /, '') : e.name)}<span class="score">${score}</span></button>`
  );
}

function table(head: string[], rows: string[][]): string {
  if (!rows.length) return '<p>None.</p>';
  return `<table><thead><tr>${head.map((h) => `<th>${text(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((x) => `<td>${x}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** The gradient of the Navigator layer, interpolated (0 → first color, max → last). */
export function colorFor(score: number, max: number): string {
  const x = Math.min(1, Math.max(0, max ? score / max : 0)) * (GRADIENT.length - 1);
  const i = Math.min(GRADIENT.length - 2, Math.floor(x));
  const a = rgb(GRADIENT[i]);
  const b = rgb(GRADIENT[i + 1]);
  const f = x - i;
  return '#' + a.map((v, k) => Math.round(v + (b[k] - v) * f).toString(16).padStart(2, '0')).join('');
}

function rgb(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

function luminance(hex: string): number {
  const [r, g, b] = rgb(hex);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

const CSS = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;padding:1rem 1.5rem;color:#111;background:#fff}
h1{margin:0 0 .2rem;font-size:1.5rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}header p{margin:0;color:#555}
.totals{display:flex;flex-wrap:wrap;gap:.6rem;margin:1rem 0}.total{border:1px solid #ddd;border-radius:6px;padding:.4rem .7rem;min-width:8rem}
.total b{display:block;font-size:1.1rem}.total span{color:#555;font-size:.85rem}
.legend{color:#444}.swatch{display:inline-block;width:1em;height:1em;border:1px solid #aaa;vertical-align:middle;margin:0 .2em 0 .6em}
.matrix{display:grid;gap:4px;overflow-x:auto;align-items:start}
.tactic h3{font-size:.8rem;margin:0 0 4px;padding:.3rem;background:#e8e8e8;border-radius:3px;min-height:2.6em}.tactic h3 small{display:block;font-weight:normal;color:#444}
.tech{margin-bottom:3px}.cell{display:block;width:100%;text-align:left;border:1px solid #ccc;border-radius:3px;padding:2px 4px;font:inherit;font-size:.72rem;cursor:pointer;position:relative}
.cell .id{font-weight:600}.cell .score{position:absolute;right:4px;top:2px;font-weight:600}.cell.sub{margin:2px 0 0 .6rem;width:calc(100% - .6rem)}
.cell:focus{outline:2px solid #d73027}
details summary{font-size:.7rem;color:#555;cursor:pointer;margin-left:.3rem}
#panel{position:fixed;right:1rem;top:1rem;max-width:26rem;max-height:80vh;overflow:auto;background:#fff;border:1px solid #888;border-radius:6px;padding:.5rem 1rem;box-shadow:0 4px 16px rgba(0,0,0,.2)}
#panel h3{margin:.2rem 1.5rem .4rem 0;font-size:.95rem}#close{position:absolute;right:.4rem;top:.3rem;border:0;background:none;font-size:1.2rem;cursor:pointer}
table{border-collapse:collapse;margin:.4rem 0;font-size:.85rem}th,td{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}
details.lint{margin:.3rem 0}details.lint>summary{font-size:.9rem;color:#111}
footer{margin-top:2rem;color:#777;font-size:.8rem}
`;

// Reads a cell's data-* attributes and shows them with textContent (never as HTML).
const SCRIPT = `
(function(){
  var panel=document.getElementById('panel'),title=document.getElementById('panel-title'),list=document.getElementById('panel-rules');
  document.querySelector('.matrix').addEventListener('click',function(ev){
    var cell=ev.target.closest('.cell'); if(!cell) return;
    title.textContent=cell.dataset.technique+' '+cell.dataset.name;
    while(list.firstChild) list.removeChild(list.firstChild);
    var rules=cell.dataset.rules?cell.dataset.rules.split('\\n'):[];
    if(!rules.length){var none=document.createElement('li');none.textContent='No counted detection maps here.';list.appendChild(none);}
    rules.forEach(function(r){var li=document.createElement('li');li.textContent=r;list.appendChild(li);});
    panel.hidden=false;
  });
  document.getElementById('close').addEventListener('click',function(){panel.hidden=true;});
})();
`;
