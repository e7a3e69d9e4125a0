/**
 * Colormaps, overlays, grids and PNG encoding for gradscope maps.
 *
 * @module @gradscope/render
 */
export type { Color, FloatMap, Image, Layout, RgbaImage } from './types.js';
export { RenderError, type RenderErrorCode } from './render-error.js';
export { COLORMAPS, colormapLut, type Colormap, type ColormapName } from './colormaps/colormap.js';
export { colorize } from './colorize.js';
export { overlay, type OverlayOptions } from './overlay.js';
export { deprocess, type DeprocessOptions } from './deprocess.js';
export { showAttribution, type ShowAttributionOptions, type ShownAttribution } from './show-attribution.js';
export { createImage, toRgba, blit } from './image.js';
export { FONT, glyph } from './text/font.js';
export { drawText, measureText, type TextOptions } from './text/draw-text.js';
export { grid, gridLayout, type GridCell, type GridCellLayout, type GridLayout, type GridOptions } from './grid.js';
export { toImageData, type ImageDataLike } from './browser/to-image-data.js';
export { drawToCanvas, type CanvasLike } from './browser/draw-to-canvas.js';
export { crc32 } from './png/crc32.js';
