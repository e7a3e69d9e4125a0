/** One picture of the gallery: a relative link, a label and a timing. */
export interface GalleryCell {
  readonly label: string;
  readonly href: string;
  readonly ms?: number;
}

export interface GalleryRow {
  readonly name: string;
  /** e.g. `top-1: circle (p = 0.93)`. */
  readonly caption: string;
  readonly input: string;
  readonly cells: readonly GalleryCell[];
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);
const href = (p: string): string => p.split('/').map(encodeURIComponent).join('/');

const figure = (c: GalleryCell): string =>
  `<figure><a href="${esc(href(c.href))}"><img src="${esc(href(c.href))}" alt="${esc(c.label)}"></a>` +
  `<figcaption>${esc(c.label)}${c.ms === undefined ? '' : `<br><small>${c.ms.toFixed(1)} ms</small>`}</figcaption></figure>`;

/** A self-contained HTML page: per input, its picture then every method's side by side. */
export function galleryHtml(title: string, subtitle: string, rows: readonly GalleryRow[]): string {
  const body = rows
    .map(
      (r) =>
        `<section><h2>${esc(r.name)} <small>${esc(r.caption)}</small></h2><div class="row">${figure({ label: 'input', href: r.input })}${r.cells.map(figure).join('')}</div></section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5em;background:#fafafa;color:#222}
h2{font-size:1.05em;margin:1.2em 0 .4em}h2 small{font-weight:normal;color:#666}
.row{display:flex;gap:10px;overflow-x:auto;padding-bottom:4px}
figure{margin:0;text-align:center}figcaption{font-size:.85em;margin-top:2px}small{color:#666}
img{width:128px;height:128px;object-fit:contain;image-rendering:pixelated;background:#000;display:block}
</style></head><body>
<h1>${esc(title)}</h1><p>${esc(subtitle)}</p>
${body}
</body></html>
`;
}
