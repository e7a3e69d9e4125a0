import type { Metric } from '@gradscope/metrics';
import type { RankedImage } from './report-images.js';
import type { Summary } from './report-stats.js';
import { esc } from './svg-plots.js';

/** What the report shows; every picture is inline (SVG, or PNG as data URLs): no network, one file. */
export interface ReportContent {
  readonly title: string;
  readonly facts: readonly string[];
  readonly methods: readonly string[];
  readonly metrics: readonly Metric<any>[];
  /** summaries.get(method).get(metric id) */
  readonly summaries: ReadonlyMap<string, ReadonlyMap<string, Summary>>;
  readonly distributions: readonly string[];
  readonly curves: readonly string[];
  readonly ranking?: {
    readonly metric: Metric<any>;
    readonly images: ReadonlyMap<string, { best: RankedImage[]; worst: RankedImage[] }>;
  };
  /** The sanity-check figures (HTML with SVG plots, or a note saying why there are none). */
  readonly sanitySvg?: string;
  /** (image, method) pairs that failed for good (an `evaluate --queue` job out of attempts), with the error. */
  readonly failures?: readonly { readonly image: string; readonly method: string; readonly error: string }[];
}

function failed(c: ReportContent): string {
  if (!c.failures?.length) return '';
  const rows = c.failures.map(
    (f) => `<tr><td>${esc(f.image)}</td><td>${esc(f.method)}</td><td>${esc(f.error)}</td></tr>`,
  );
  return `<h2>Failed (${c.failures.length}: no record)</h2><table><tr><th>image</th><th>method</th><th>error</th></tr>${rows.join('')}</table>`;
}

const fmt = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 1000 ? x.toFixed(0) : x.toPrecision(3)) : '–');
const arrow = (m: Metric<any>) => (m.higherIsBetter === true ? ' ↑' : m.higherIsBetter === false ? ' ↓' : '');

function table(c: ReportContent): string {
  const head = c.metrics.map((m) => `<th title="${esc(m.title)}">${esc(m.id)}${arrow(m)}</th>`).join('');
  const rows = c.methods.map((method) => {
    const cells = c.metrics.map((m) => {
      const s = c.summaries.get(method)?.get(m.id);
      if (!s || !s.n) return '<td>–</td>';
      const miss = s.missing ? ` <small>(${s.missing} n/a)</small>` : '';
      return `<td>${fmt(s.mean)} <small>± ${fmt(s.ci95)}</small>${miss}</td>`;
    });
    return `<tr><th>${esc(method)}</th>${cells.join('')}</tr>`;
  });
  return `<table><tr><th>method</th>${head}</tr>${rows.join('')}</table>`;
}

function gallery(r: NonNullable<ReportContent['ranking']>): string {
  const cell = (x: RankedImage) =>
    `<figure><img src="${x.png}" alt="${esc(x.image)}"><figcaption>${esc(x.image)}<br>${fmt(x.value)}</figcaption></figure>`;
  return [...r.images]
    .map(
      ([method, { best, worst }]) =>
        `<h3>${esc(method)}</h3><div class="row"><span class="tag">best</span>${best.map(cell).join('')}</div>` +
        `<div class="row"><span class="tag">worst</span>${worst.map(cell).join('')}</div>`,
    )
    .join('');
}

const CSS = `body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;font-size:13px}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}th:first-child{text-align:left}
.row{display:flex;gap:8px;align-items:center;flex-wrap:wrap}.tag{width:4em;font-weight:bold}
figure{margin:4px;text-align:center;font-size:11px}img{width:128px;image-rendering:pixelated}
.plots{display:flex;flex-wrap:wrap;gap:12px}.note{color:#555}`;

/** The evaluation report: aggregate table, distributions, curves, best/worst images, sanity figure. */
export function reportHtml(c: ReportContent): string {
  const sanity = c.sanitySvg ? c.sanitySvg : `<p class="note">No sanity check was run.</p>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(c.title)}</title><style>${CSS}</style></head><body>
<h1>${esc(c.title)}</h1><ul>${c.facts.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>${failed(c)}
<h2>Aggregate (mean ± 95% CI over images)</h2>${table(c)}
<p class="note">↑ higher is better, ↓ lower is better. Per-percentile metrics (ROAD) are shown as the mean over their percentiles; results.jsonl has each.</p>
<h2>Distributions</h2><p class="note">Box: quartiles and median; whiskers: min–max; dot and black bar: mean and its 95% CI.</p><div class="plots">${c.distributions.join('')}</div>
${c.curves.length ? `<h2>Curves (mean over images)</h2><div class="plots">${c.curves.join('')}</div>` : ''}
${c.ranking ? `<h2>Best and worst images by ${esc(c.ranking.metric.id)}</h2>${gallery(c.ranking)}` : ''}
<h2>Sanity check</h2>${sanity}
</body></html>
`;
}
