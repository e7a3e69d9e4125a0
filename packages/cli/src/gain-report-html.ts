import type { GainEpochRecord } from '@gradscope/gain';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`);

/** An inline SVG line chart of the history's losses per epoch. */
function lossChart(history: readonly GainEpochRecord[]): string {
  const W = 560,
    H = 220,
    P = 36;
  const series = [
    ['lossCl', 'L_cl', '#1f77b4'],
    ['lossAm', 'L_am', '#ff7f0e'],
    ['lossE', 'L_e', '#2ca02c'],
    ['total', 'total', '#555'],
  ] as const;
  const max = Math.max(1e-9, ...history.flatMap((h) => series.map(([k]) => h[k])));
  const x = (i: number) => P + (history.length > 1 ? (i * (W - 2 * P)) / (history.length - 1) : 0);
  const y = (v: number) => H - P - (v / max) * (H - 2 * P);
  const lines = series.map(([k, name, colour], j) => {
    const pts = history.map((h, i) => `${x(i).toFixed(1)},${y(h[k]).toFixed(1)}`).join(' ');
    return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts}"/><text x="${W - P - 60}" y="${P + 14 * j}" fill="${colour}" font-size="12">${name}</text>`;
  });
  return `<svg width="${W}" height="${H}" role="img" aria-label="losses per epoch"><line x1="${P}" y1="${H - P}" x2="${W - P}" y2="${H - P}" stroke="#999"/><line x1="${P}" y1="${P}" x2="${P}" y2="${H - P}" stroke="#999"/><text x="4" y="${P}" font-size="11">${max.toPrecision(3)}</text><text x="${P}" y="${H - 8}" font-size="11">epoch 1…${history.length}</text>${lines.join('')}</svg>`;
}

export interface GainReport {
  readonly title: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly history: readonly GainEpochRecord[];
  /** Metric rows, e.g. `before` and `after`. */
  readonly metrics: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The heading over the maps, e.g. "Grad-CAM before (left) and after (right)". */
  readonly mapsTitle: string;
  /** Per image, its Grad-CAM overlays (PNG data URIs) side by side, e.g. before and after. */
  readonly maps: readonly { readonly caption: string; readonly images: readonly { alt: string; src: string }[] }[];
}

/** A self-contained HTML page: settings, loss curves (when there is a history), the metrics table and the maps. */
export function gainReportHtml(r: GainReport): string {
  const keys = [...new Set(Object.values(r.metrics).flatMap((m) => Object.keys(m)))];
  const table = `<table><tr><th></th>${keys.map((k) => `<th>${esc(k)}</th>`).join('')}</tr>${Object.entries(r.metrics)
    .map(
      ([row, m]) => `<tr><th>${esc(row)}</th>${keys.map((k) => `<td>${m[k]?.toFixed(3) ?? '–'}</td>`).join('')}</tr>`,
    )
    .join('')}</table>`;
  const maps = r.maps
    .map(
      (m) =>
        `<figure>${m.images.map((i) => `<img src="${i.src}" alt="${esc(i.alt)}">`).join('')}<figcaption>${esc(m.caption)}</figcaption></figure>`,
    )
    .join('');
  return `<!doctype html><meta charset="utf-8"><title>${esc(r.title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}figure{display:inline-block;margin:6px}img{width:96px;height:96px;image-rendering:pixelated;margin-right:2px}</style>
<h1>${esc(r.title)}</h1>
<pre>${esc(JSON.stringify(r.settings, null, 1))}</pre>
${r.history.length ? `<h2>Losses per epoch</h2>${lossChart(r.history)}\n` : ''}<h2>Attention metrics</h2>${table}
<h2>${esc(r.mapsTitle)}</h2>${maps}
`;
}
