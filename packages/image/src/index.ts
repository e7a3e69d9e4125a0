/**
 * Browser-safe entry (no Node built-ins): `loadImage` for browsers and workers, and the header checks.
 *
 * @module @gradscope/image
 */
export { loadImage, type BrowserImageSource, type LoadImageOptions } from './load-image.js';
export {
  checkImageHeader,
  checkImageSize,
  DEFAULT_MAX_PIXELS,
  jpegSize,
  pngSize,
  sniffImage,
  type ImageFormat,
} from './image-header.js';
export { ImageDecodeError, ImageTooLargeError } from './image-errors.js';
