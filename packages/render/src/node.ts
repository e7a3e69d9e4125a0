/**
 * Node-only helpers (node:zlib, node:fs). The browser-safe API is the package's main entry.
 *
 * @module @gradscope/render/node
 */
export { encodePng, type PngOptions } from './png/encode-png.js';
export { writePng } from './png/write-png.js';
export type { PngFilter } from './png/filter-scanlines.js';
