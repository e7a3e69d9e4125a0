import type { SanityCheckResult, SanityStep } from './sanity-check.js';

const SERIES: readonly {
  key: keyof Pick<SanityStep, 'spearmanAbs' | 'spearman' | 'ssim' | 'hog'>;
  label: string;
  color: string;
}[] = [
  { key: 'spearmanAbs', label: 'Rank correlation (abs)', color: '#1f77b4' },
  { key: 'spearman', label: 'Rank correlation (no abs)', color: '#ff7f0e' },
  { key: 'hog', label: 'HOG similarity', color: '#2ca02c' },
  { key: 'ssim', label: 'SSIM', color: '#d62728' },
];

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const f = (v: number) => +v.toFixed(2);

/**
 * The paper's figure (Adebayo et al. 2018, Fig. 2/4) as a standalone SVG string: similarity of the
 * randomised model's map to the trained one (y, −1 to 1) against the layer randomised (x, from the
 * top), one line per measure. A NaN (a constant map) breaks its line.
 */
export function sanityPlotSvg(result: SanityCheckResult, size = { width: 640, height: 380 }): string {
  const { width: W, height: H } = size;
  const [left, right, top, bottom] = [56, 190, 36, 96];
  const n = result.steps.length;
  const x = (i: number) => left + (n > 1 ? (i * (W - left - right)) / (n - 1) : (W - left - right) / 2);
  const y = (v: number) => top + ((1 - v) / 2) * (H - top - bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${left}" y="20" font-size="13">Model randomisation test (${result.mode})</text>`,
  ];
  for (const v of [-1, -0.5, 0, 0.5, 1]) {
    const dash = v === 0 ? ' stroke-dasharray="4 3"' : '';
    out.push(`<line x1="${left}" x2="${W - right}" y1="${f(y(v))}" y2="${f(y(v))}" stroke="#ccc"${dash}/>`);
    out.push(`<text x="${left - 6}" y="${f(y(v) + 4)}" text-anchor="end">${v}</text>`);
  }
  result.steps.forEach((s, i) => {
    const [px, py] = [f(x(i)), f(H - bottom + 12)];
    out.push(`<text x="${px}" y="${py}" text-anchor="end" transform="rotate(-45 ${px} ${py})">${esc(s.layer)}</text>`);
  });
  out.push(`<text x="14" y="${f(y(0))}" transform="rotate(-90 14 ${f(y(0))})" text-anchor="middle">similarity</text>`);
  SERIES.forEach((series, k) => {
    let d = '';
    let pen = false;
    result.steps.forEach((s, i) => {
      const v = s[series.key];
      if (!Number.isFinite(v)) return void (pen = false);
      d += `${pen ? 'L' : 'M'}${f(x(i))} ${f(y(v))} `;
      pen = true;
      out.push(`<circle cx="${f(x(i))}" cy="${f(y(v))}" r="3" fill="${series.color}"/>`);
    });
    if (d) out.push(`<path d="${d.trim()}" fill="none" stroke="${series.color}" stroke-width="2"/>`);
    const ly = top + 8 + k * 18;
    out.push(
      `<line x1="${W - right + 16}" x2="${W - right + 36}" y1="${ly}" y2="${ly}" stroke="${series.color}" stroke-width="2"/>`,
    );
    out.push(`<text x="${W - right + 42}" y="${ly + 4}">${series.label}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
