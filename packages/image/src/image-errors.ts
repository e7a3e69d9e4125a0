import { GradscopeError } from '@gradscope/core';

/** The bytes are not an image gradscope can decode, or are truncated or corrupt. */
export class ImageDecodeError extends GradscopeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('bad-input', message, options);
    this.name = 'ImageDecodeError';
  }
}

/** The image has more pixels than allowed: refused from its header, before any pixel is decoded. */
export class ImageTooLargeError extends GradscopeError {
  constructor(
    readonly format: string,
    readonly width: number,
    readonly height: number,
    readonly maxPixels: number,
  ) {
    super(
      'bad-input',
      `${format} header says ${width}×${height} = ${width * height} pixels, more than the limit of ${maxPixels} (raise the maxPixels option)`,
    );
    this.name = 'ImageTooLargeError';
  }
}
