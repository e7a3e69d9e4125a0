import type { Summary } from './report-stats.js';

/** Colours of the methods, in order (Tableau 10). */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

const DASHES = ['', ' stroke-dasharray="6 3"', ' stroke-dasharray="2 2"', ' stroke-dasharray="8 2 2 2"'];

export const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const num = (x: number) => (Math.abs(x) >= 100 || x === Math.round(x) ? x.toFixed(0) : x.toPrecision(3));

/** Axis range with a little margin; a flat range is widened so it can be drawn. */
function range(lo: number, hi: number): [number, number] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi - lo < 1e-12) return [lo - 0.5, hi + 0.5];
  const m = (hi - lo) * 0.05;
  return [lo - m, hi + m];
}

/**
 * One row per method: a box from the first to the third quartile with the median, whiskers from the
 * minimum to the maximum, and the mean as a dot with its 95% CI as a bar.
 */
export function boxPlot(title: string, rows: readonly { label: string; s: Summary; color: string }[]): string {
  const [W, left, right, rowH, top] = [560, 150, 20, 22, 28];
  const H = top + rows.length * rowH + 30;
  const [lo, hi] = range(Math.min(...rows.map((r) => r.s.min)), Math.max(...rows.map((r) => r.s.max)));
  const X = (v: number) => left + ((v - lo) / (hi - lo)) * (W - left - right);
  const parts = [`<text x="${W / 2}" y="16" text-anchor="middle" font-weight="bold">${esc(title)}</text>`];
  rows.forEach((r, i) => {
    const y = top + i * rowH + rowH / 2;
    parts.push(`<text x="${left - 6}" y="${y + 4}" text-anchor="end">${esc(r.label)}</text>`);
    if (!r.s.n) return;
    const { s, color } = r;
    parts.push(
      `<line x1="${X(s.min)}" x2="${X(s.max)}" y1="${y}" y2="${y}" stroke="${color}"/>`,
      `<rect x="${X(s.q1)}" y="${y - 7}" width="${Math.max(1, X(s.q3) - X(s.q1))}" height="14" fill="${color}" fill-opacity="0.35" stroke="${color}"/>`,
      `<line x1="${X(s.median)}" x2="${X(s.median)}" y1="${y - 7}" y2="${y + 7}" stroke="${color}" stroke-width="2"/>`,
      `<line x1="${X(s.mean - s.ci95 || s.mean)}" x2="${X(s.mean + s.ci95 || s.mean)}" y1="${y}" y2="${y}" stroke="black" stroke-width="2"/>`,
      `<circle cx="${X(s.mean)}" cy="${y}" r="3"/>`,
    );
  });
  const axisY = top + rows.length * rowH + 4;
  parts.push(`<line x1="${left}" x2="${W - right}" y1="${axisY}" y2="${axisY}" stroke="#888"/>`);
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    parts.push(`<text x="${X(v)}" y="${axisY + 16}" text-anchor="middle" fill="#555">${num(v)}</text>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">${parts.join('')}</svg>`;
}

/** Lines over x in [0, 1] with a legend: the methods' mean deletion/insertion curves. */
export function linePlot(
  title: string,
  series: readonly { label: string; x: readonly number[]; y: readonly number[]; color: string }[],
  xLabel: string,
  yLabel: string,
): string {
  const [W, left, right, top, bottom] = [560, 50, 150, 28, 40];
  const H = Math.max(300, top + 14 * series.length + 10);
  const ys = series.flatMap((s) => s.y);
  const [lo, hi] = range(Math.min(...ys), Math.max(...ys));
  const X = (v: number) => left + v * (W - left - right);
  const Y = (v: number) => top + (1 - (v - lo) / (hi - lo)) * (H - top - bottom);
  const parts = [
    `<text x="${(W - right + left) / 2}" y="16" text-anchor="middle" font-weight="bold">${esc(title)}</text>`,
    `<rect x="${left}" y="${top}" width="${W - left - right}" height="${H - top - bottom}" fill="none" stroke="#888"/>`,
    `<text x="${(W - right + left) / 2}" y="${H - 6}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text x="12" y="${(H - bottom + top) / 2}" text-anchor="middle" transform="rotate(-90 12 ${(H - bottom + top) / 2})">${esc(yLabel)}</text>`,
  ];
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    parts.push(`<text x="${left - 4}" y="${Y(v) + 4}" text-anchor="end" fill="#555">${num(v)}</text>`);
    parts.push(`<text x="${X(k / 4)}" y="${H - bottom + 14}" text-anchor="middle" fill="#555">${k / 4}</text>`);
  }
  series.forEach((s, i) => {
    const d = s.x.map((x, j) => `${j ? 'L' : 'M'}${X(x).toFixed(1)},${Y(s.y[j]!).toFixed(1)}`).join('');
    // past the palette's ten colours, lines are told apart by dashes
    const dash = DASHES[Math.floor(i / PALETTE.length) % DASHES.length]!;
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"${dash}/>`);
    const ly = top + 10 + i * 14;
    parts.push(
      `<line x1="${W - right + 10}" x2="${W - right + 28}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${W - right + 32}" y="${ly + 4}">${esc(s.label)}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">${parts.join('')}</svg>`;
}
