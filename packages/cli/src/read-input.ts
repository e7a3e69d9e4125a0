import {
  checkInput,
  decodeNpy,
  imageToTensor,
  isGradscopeError,
  type ImagePixels,
  type Model,
  type Normalization,
  type Tensor,
} from '@gradscope/core';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { CliError } from './cli-error.js';
import { checkImageHeader, DEFAULT_MAX_PIXELS } from './image-header.js';

export type InputKind = 'png' | 'jpeg' | 'npy';

/** One input as the network sees it, `[1, …]` in the model's layout and normalisation. */
export interface LoadedInput {
  readonly kind: InputKind;
  readonly tensor: Tensor;
  /** Size of the decoded image before resizing (images only). */
  readonly sourceSize?: { readonly height: number; readonly width: number };
}

/** The format of a file from its first bytes (not its extension). */
export function sniff(bytes: Uint8Array): InputKind | null {
  const starts = (...b: number[]) => b.every((x, i) => bytes[i] === x);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59)) return 'npy';
  return null;
}

/**
 * Decodes PNG or JPEG bytes to 8-bit RGBA pixels. The header is read first: truncated files and
 * images of more than `maxPixels` pixels (default 100 MP) are refused before decompression.
 */
export function decodeImage(bytes: Uint8Array, kind: 'png' | 'jpeg', maxPixels = DEFAULT_MAX_PIXELS): ImagePixels {
  checkImageHeader(bytes, kind, maxPixels);
  if (kind === 'png') {
    const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return {
      data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength),
      width: png.width,
      height: png.height,
      channels: 4,
    };
  }
  const img = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: true,
    maxResolutionInMP: Math.max(1, maxPixels / 1e6),
  });
  return { data: img.data, width: img.width, height: img.height, channels: 4 };
}

/**
 * Reads one input file for `model`. PNG/JPEG: decoded, resized (bilinear, half-pixel centres) to the
 * model's input size, scaled to [0, 1] and normalised with `normalization`. `.npy`: a float tensor
 * already in the model's input layout and normalisation, `[1, …]` or without the batch axis, used as
 * is. Shape and finiteness are checked; every failure is a one-line error naming the file.
 */
export function readInput(
  bytes: Uint8Array,
  file: string,
  model: Pick<Model, 'input'>,
  normalization: Normalization,
  options: { readonly maxPixels?: number } = {},
): LoadedInput {
  const kind = sniff(bytes);
  if (!kind) throw new CliError(`${file}: not a PNG, JPEG or .npy file`);
  const fail = (e: unknown): never => {
    const msg = (e as Error).message?.split('\n', 1)[0] ?? String(e);
    throw new CliError(
      `${file}: ${kind === 'npy' || isGradscopeError(e) || e instanceof CliError ? '' : `cannot decode ${kind.toUpperCase()}: `}${msg}`,
    );
  };
  let tensor: Tensor;
  let sourceSize: LoadedInput['sourceSize'];
  if (kind === 'npy') {
    try {
      tensor = decodeNpy(bytes);
    } catch (e) {
      return fail(e);
    }
    if (tensor.shape.length === model.input.shape.length - 1)
      tensor = { data: tensor.data, shape: [1, ...tensor.shape] };
  } else {
    let img: ImagePixels;
    try {
      img = decodeImage(bytes, kind, options.maxPixels);
    } catch (e) {
      return fail(e);
    }
    const { height, width, layout, channels } = model.input;
    if (!(height > 0 && width > 0))
      throw new CliError(`the model's input size is dynamic; pass --size <n> to choose one`);
    sourceSize = { height: img.height, width: img.width };
    tensor = imageToTensor(
      img,
      { height, width, layout, channels, channelOrder: model.input.channelOrder ?? 'rgb' },
      normalization,
    );
  }
  try {
    checkInput(model, tensor);
  } catch (e) {
    return fail(e);
  }
  return sourceSize ? { kind, tensor, sourceSize } : { kind, tensor };
}
