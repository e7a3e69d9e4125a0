import { blit, channelsOf, createImage } from './image.js';
import { RenderError } from './render-error.js';
import { drawText, measureText } from './text/draw-text.js';
import { FONT } from './text/font.js';
import type { Color, Image, RgbaImage } from './types.js';

export interface GridCell {
  readonly image: Image;
  /** Drawn centred under the image in the built-in font (clipped to the cell's width). */
  readonly label?: string;
}

export interface GridOptions {
  /** Cells per row; default all cells in one row. */
  readonly columns?: number;
  /** Pixels between cells and around the border; default 4. */
  readonly gap?: number;
  /** Default opaque white. */
  readonly background?: Color;
  /** Default opaque black. */
  readonly labelColor?: Color;
  /** Integer magnification of the label font; default 1. */
  readonly labelScale?: number;
}

/** Where `grid` puts everything: the canvas size and, per cell, its image's and label's top-left corners. */
export interface GridLayout {
  readonly width: number;
  readonly height: number;
  readonly cellWidth: number;
  readonly cellHeight: number;
  /** Height of the label band under each cell (0 when no cell has a label). */
  readonly labelHeight: number;
  /** Per cell: the cell's top-left (cellX, cellY), its image's (x, y) and its label's (labelX, labelY). */
  readonly cells: readonly GridCellLayout[];
}

export interface GridCellLayout {
  readonly cellX: number;
  readonly cellY: number;
  readonly x: number;
  readonly y: number;
  readonly labelX: number;
  readonly labelY: number;
}

/**
 * Geometry of a grid. Every cell is `cellWidth` × `cellHeight` (the largest image's size), followed by
 * a label band of `(8 + 2)·labelScale` pixels when any cell has a label; cells are separated and
 * framed by `gap` pixels. Cell k sits in row ⌊k / columns⌋, column k mod columns; its image is centred
 * in the cell (offsets rounded down) and its label centred under it, one font pixel below the cell.
 */
export function gridLayout(cells: readonly GridCell[], options: GridOptions = {}): GridLayout {
  if (cells.length === 0) throw new RenderError('bad-input', 'a grid needs at least one cell');
  const gap = options.gap ?? 4;
  const scale = options.labelScale ?? 1;
  const columns = Math.min(options.columns ?? cells.length, cells.length);
  if (!Number.isInteger(columns) || columns < 1)
    throw new RenderError('bad-option', `columns must be a positive integer, got ${options.columns}`);
  if (!Number.isInteger(gap) || gap < 0)
    throw new RenderError('bad-option', `gap must be a non-negative integer, got ${gap}`);
  if (!Number.isInteger(scale) || scale < 1)
    throw new RenderError('bad-option', `labelScale must be a positive integer, got ${scale}`);
  cells.forEach((c, k) => channelsOf(c.image, `grid cell ${k}'s image`));
  const cellWidth = Math.max(...cells.map((c) => c.image.width));
  const cellHeight = Math.max(...cells.map((c) => c.image.height));
  const labelHeight = cells.some((c) => c.label !== undefined) ? (FONT.glyphHeight + 2) * scale : 0;
  const rows = Math.ceil(cells.length / columns);
  const layout = cells.map((c, k) => {
    const slotX = gap + (k % columns) * (cellWidth + gap);
    const slotY = gap + Math.floor(k / columns) * (cellHeight + labelHeight + gap);
    const textWidth = measureText(c.label ?? '', scale).width;
    return {
      cellX: slotX,
      cellY: slotY,
      x: slotX + Math.floor((cellWidth - c.image.width) / 2),
      y: slotY + Math.floor((cellHeight - c.image.height) / 2),
      labelX: slotX + Math.max(0, Math.floor((cellWidth - textWidth) / 2)),
      labelY: slotY + cellHeight + scale,
    };
  });
  return {
    width: columns * cellWidth + (columns + 1) * gap,
    height: rows * (cellHeight + labelHeight) + (rows + 1) * gap,
    cellWidth,
    cellHeight,
    labelHeight,
    cells: layout,
  };
}

/**
 * Images side by side in rows and columns, each with an optional text label underneath, on a
 * background colour; returns an RGBA image. Geometry as `gridLayout` describes it.
 *
 * @example grid([{ image: photo, label: 'input' }, { image: cam, label: 'gradcam 97%' }], { labelScale: 2 })
 */
export function grid(cells: readonly GridCell[], options: GridOptions = {}): RgbaImage {
  const layout = gridLayout(cells, options);
  const background = options.background ?? [255, 255, 255, 255];
  const scale = options.labelScale ?? 1;
  const out = createImage(layout.width, layout.height, background);
  cells.forEach((cell, k) => {
    const at = layout.cells[k]!;
    blit(out, cell.image, at.x, at.y);
    if (cell.label !== undefined && cell.label !== '') {
      // Draw into a strip as wide as the rest of the cell, so a long label is clipped at the cell's edge.
      const strip = createImage(at.cellX + layout.cellWidth - at.labelX, FONT.glyphHeight * scale, background);
      drawText(strip, cell.label, 0, 0, { color: options.labelColor ?? [0, 0, 0, 255], scale });
      blit(out, strip, at.labelX, at.labelY);
    }
  });
  return out;
}
