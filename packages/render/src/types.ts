/**
 * Plain data types used by @gradscope/render. They are structural, so gradscope core's `Tensor` and
 * `ImagePixels` (and most decoders' outputs) can be passed without conversion.
 */

/** A dense float32 array with its row-major shape (gradscope core's `Tensor`). */
export interface FloatMap {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** 8-bit pixels, row-major, RGBA (default) or RGB. */
export interface Image {
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  /** 4 (RGBA, the default) or 3 (RGB). */
  readonly channels?: 3 | 4;
}

/** An RGBA image as every function here returns it. */
export interface RgbaImage {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  readonly channels: 4;
}

/** An RGBA colour, each channel 0..255; alpha defaults to 255. */
export type Color = readonly [number, number, number] | readonly [number, number, number, number];

/** Memory layout of an image tensor: channels-first (PyTorch, ONNX) or channels-last (tfjs). */
export type Layout = 'NCHW' | 'NHWC';
