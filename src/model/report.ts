// The evaluation as one self-contained HTML page (inline SVG, no scripts, no network): ROC,
// calibration, score distribution, deciles and subgroups. Opens in any browser.
import type { Evaluation, GroupFigures } from './evaluation.js';

const W = 360, H = 300, PAD = 40;
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const f = (v: number | null, digits = 4) => (v === null || Number.isNaN(v) ? '–' : v.toFixed(digits));
const sx = (v: number) => PAD + v * (W - 2 * PAD);
const sy = (v: number) => H - PAD - v * (H - 2 * PAD);

function axes(title: string, xLabel: string, yLabel: string): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => `<text x="${sx(t)}" y="${H - PAD + 16}" text-anchor="middle">${t}</text><text x="${PAD - 6}" y="${sy(t) + 4}" text-anchor="end">${t}</text>`).join('');
  return `<text x="${W / 2}" y="18" text-anchor="middle" font-weight="bold">${esc(title)}</text>
<rect x="${PAD}" y="${PAD}" width="${W - 2 * PAD}" height="${H - 2 * PAD}" fill="none" stroke="#999"/>${ticks}
<text x="${W / 2}" y="${H - 6}" text-anchor="middle">${esc(xLabel)}</text>
<text x="12" y="${H / 2}" text-anchor="middle" transform="rotate(-90 12 ${H / 2})">${esc(yLabel)}</text>`;
}

const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">${body}</svg>`;
const line = (pts: Array<[number, number]>, colour: string) => `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`;

export function rocSvg(e: Evaluation): string {
  return svg(`${axes(`ROC (AUC ${f(e.auc, 3)})`, 'false positive rate', 'true positive rate')}${line([[0, 0], [1, 1]], '#ccc')}${line(e.roc, '#1f77b4')}`);
}

export function calibrationSvg(e: Evaluation): string {
  const dots = e.calibration.map((b) => `<circle cx="${sx(b.meanPd)}" cy="${sy(b.observed)}" r="${Math.max(2.5, Math.min(9, Math.sqrt(b.n) / 4))}" fill="#d62728" fill-opacity="0.7"><title>${b.lo.toFixed(1)}–${b.hi.toFixed(1)}: n=${b.n}, mean PD ${b.meanPd.toFixed(3)}, observed ${b.observed.toFixed(3)}</title></circle>`).join('');
  return svg(`${axes(`Calibration (ECE ${f(e.ece, 3)})`, 'mean predicted PD', 'observed rate')}${line([[0, 0], [1, 1]], '#ccc')}${line(e.calibration.map((b) => [b.meanPd, b.observed]), '#d62728')}${dots}`);
}

export function histogramSvg(e: Evaluation): string {
  const { negatives, positives } = e.histogram;
  const totalN = negatives.reduce((a, b) => a + b, 0) || 1;
  const totalP = positives.reduce((a, b) => a + b, 0) || 1;
  const shares = negatives.map((c, i) => [c / totalN, positives[i]! / totalP] as const);
  const top = Math.max(...shares.flat(), 1e-9);
  const bw = (W - 2 * PAD) / 20;
  const bars = shares.map(([a, b], i) => {
    const x = PAD + i * bw;
    const ha = (a / top) * (H - 2 * PAD), hb = (b / top) * (H - 2 * PAD);
    return `<rect x="${x.toFixed(1)}" y="${(H - PAD - ha).toFixed(1)}" width="${(bw / 2).toFixed(1)}" height="${ha.toFixed(1)}" fill="#2ca02c"/><rect x="${(x + bw / 2).toFixed(1)}" y="${(H - PAD - hb).toFixed(1)}" width="${(bw / 2).toFixed(1)}" height="${hb.toFixed(1)}" fill="#d62728"/>`;
  }).join('');
  return svg(`${axes('Score distribution (share per PD bin)', 'PD', '')}${bars}<text x="${W - PAD}" y="${PAD + 14}" text-anchor="end" fill="#2ca02c">label 0</text><text x="${W - PAD}" y="${PAD + 28}" text-anchor="end" fill="#d62728">label 1</text>`);
}

function groupTable(title: string, groups: Record<string, GroupFigures>): string {
  const rows = Object.entries(groups).map(([g, v]) => `<tr><td>${esc(g)}</td><td>${v.n}</td><td>${v.positives}</td><td>${f(v.auc, 3)}</td><td>${f(v.meanPd)}</td><td>${f(v.observedRate)}</td></tr>`).join('');
  return `<h3>${esc(title)}</h3><table><tr><th>group</th><th>n</th><th>positives</th><th>AUC</th><th>mean PD</th><th>observed</th></tr>${rows}</table>`;
}

export function renderReport(e: Evaluation, title: string): string {
  const m = e;
  const headline = [
    ['rows', String(m.n)], ['positives', String(m.positives)], ['AUC', `${f(m.auc)} [${f(m.aucCi95[0])}, ${f(m.aucCi95[1])}]`], ['Gini', f(m.gini)], ['KS', f(m.ks)],
    ['Brier', f(m.brier)], ['ECE (10 bins)', f(m.ece)], ['log loss', f(m.logLoss)], ['mean PD / observed', `${f(m.meanPd)} / ${f(m.observedRate)}`], ['PSI vs training scores', f(m.psi)],
  ].map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('');
  const deciles = m.deciles.map((d) => `<tr><td>${d.decile}</td><td>${d.n}</td><td>${d.positives}</td><td>${f(d.rate)}</td><td>${f(d.meanPd)}</td><td>${f(d.lift, 2)}</td><td>${f(d.cumulativeGain, 3)}</td></tr>`).join('');
  const cal = m.calibration.map((b) => `<tr><td>${b.lo.toFixed(1)}–${b.hi.toFixed(1)}</td><td>${b.n}</td><td>${f(b.meanPd)}</td><td>${f(b.observed)}</td></tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f4f4f4}.plots{display:flex;flex-wrap:wrap;gap:1em}</style></head>
<body><h1>${esc(title)}</h1>
<p>Model <code>${esc(e.model.version)}</code>, feature set <code>${esc(e.model.featureSetVersion)}</code>.</p>
<table>${headline}</table>
<div class="plots">${rocSvg(e)}${calibrationSvg(e)}${histogramSvg(e)}</div>
<h2>Lift and gains by decile (highest PD first)</h2>
<table><tr><th>decile</th><th>n</th><th>positives</th><th>rate</th><th>mean PD</th><th>lift</th><th>cumulative gain</th></tr>${deciles}</table>
<h2>Calibration table</h2>
<table><tr><th>PD bin</th><th>n</th><th>mean PD</th><th>observed</th></tr>${cal}</table>
<h2>Subgroups</h2>${groupTable('By occupation', e.byOccupation)}${groupTable('By age band', e.byAgeBand)}
</body></html>
`;
}
