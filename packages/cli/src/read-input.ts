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
import { decodeImage as decode, ImageTooLargeError, sniffImage } from '@gradscope/image/node';
import { CliError } from './cli-error.js';

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
  if (bytes[0] === 0x93 && String.fromCharCode(...bytes.subarray(1, 6)) === 'NUMPY') return 'npy';
  return sniffImage(bytes);
}

/**
 * Decodes PNG or JPEG bytes to 8-bit RGBA pixels (`@gradscope/image`): the header is read first, so
 * truncated files and images of more than `maxPixels` pixels are refused before decompression; the
 * limit's message names the CLI's flag.
 */
export function decodeImage(bytes: Uint8Array, kind: 'png' | 'jpeg', maxPixels?: number): ImagePixels {
  try {
    return decode(bytes, { format: kind, ...(maxPixels !== undefined && { maxPixels }) });
  } catch (e) {
    if (e instanceof ImageTooLargeError)
      throw new CliError(e.message.replace('(raise the maxPixels option)', '(raise it with --max-pixels)'));
    throw e;
  }
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
