import type { Capability } from './capabilities.js';
import type { LayerHook, CaptureRequest } from './hook.js';
import type { RandomizeOptions } from './randomize.js';
import type { Tensor } from './tensor.js';

/** Memory layout of image tensors: channels-first (PyTorch, ONNX) or channels-last (tfjs, Keras). */
export type Layout = 'NCHW' | 'NHWC';

/** Per-channel normalisation applied to pixels scaled to [0, 1]: `(p − mean) / std`. */
export interface Normalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** What the network expects as input. */
export interface InputSpec {
  readonly name: string;
  /** Full shape in `layout`, batch first; a dynamic batch is -1. */
  readonly shape: readonly number[];
  readonly layout: Layout;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** Normalisation the network was trained with, when known (e.g. from a sidecar file). */
  readonly normalization?: Normalization;
  /** `bgr` when the network takes channels blue, green, red (sidecar `channelOrder`); absent = RGB. */
  readonly channelOrder?: 'rgb' | 'bgr';
}

/** A layer (or tensor) whose output can be captured. */
export interface LayerInfo {
  readonly name: string;
  /** The runtime's type of the layer: a tfjs class name or an ONNX operator type. */
  readonly type: string;
  /** Output shape in the runtime's layout, batch first (-1 when dynamic). */
  readonly outputShape: readonly number[];
  /** Spatial size of the output when it is a feature map, null otherwise. */
  readonly spatial: { readonly height: number; readonly width: number; readonly channels: number } | null;
}

/** conv features → global average pooling → one dense layer: what classic CAM needs. */
export interface LinearHead {
  /** The layer whose output is globally pooled. */
  readonly featureLayer: string;
  /** Dense weights, [numClasses, channels]. */
  readonly weights: Tensor;
  /** Dense bias, [numClasses], when the backend reads it. */
  readonly bias?: Tensor;
}

/**
 * A loaded network on one backend. Layer tensors that cross this interface (activations, gradients,
 * run-from-layer inputs) are channels-first `[N, C, h, w]` whatever the runtime's layout; input-space
 * tensors (inputs, input gradients) are in `input.layout`.
 */
export interface Model {
  readonly backend: string;
  readonly name: string;
  readonly input: InputSpec;
  readonly layers: readonly LayerInfo[];
  /**
   * Classes K: the logits per image of a classifier, or the class planes of a segmentation model
   * (see `outputShape`).
   */
  readonly numClasses: number;
  /**
   * The logits of one image, channels-first: absent (or `[numClasses]`) for a classifier;
   * `[K, H, W]` class planes for a segmentation model, whose `forward` returns `[N, K, H, W]` (a tfjs
   * NHWC output is transposed). Only targets that read the whole output (`region`, `seed`,
   * `similarity`) apply to class planes: see core's `validateTarget`.
   */
  readonly outputShape?: readonly number[];
  readonly capabilities: ReadonlySet<Capability>;
  /** Class names, one per output, when known (e.g. from a sidecar file next to the model). */
  readonly classes?: readonly string[];
  /** Present when the network ends in conv → GAP → dense (capability `linear-head`). */
  readonly head?: LinearHead;
  /**
   * The probability activation the backend removed from the network's end so that `forward` returns
   * logits: `softmax` (p = softmax(y)) or `sigmoid` (p_k = σ(y_k), independent outputs); absent when
   * the network ends in logits (or nothing is known).
   */
  readonly outputActivation?: 'softmax' | 'sigmoid';
  /**
   * What the user should know before trusting explanations of this model, one sentence each — e.g.
   * that its input normalisation is unknown (no sidecar, no load option). Empty when all is known.
   */
  readonly warnings?: readonly string[];
  /** Logits `[N, numClasses]` (`[N, …outputShape]` for class planes) in inference mode. */
  forward(x: Tensor): Promise<Tensor>;
  /** One forward/backward that records what `request` asks for. */
  capture(x: Tensor, request: CaptureRequest): Promise<LayerHook>;
  /**
   * Several captures of the same `x` in (ideally) one forward pass, with one backward branch per
   * distinct ReLU mode and target; one hook per request, in order, each equal to what `capture`
   * returns for it. Optional: without it, `Gradscope.explainMany` captures request by request.
   */
  captureMany?(x: Tensor, requests: readonly CaptureRequest[]): Promise<LayerHook[]>;
  /** Logits from a replaced output of `layer` (channels-first), capability `run-from-layer`. */
  runFromLayer?(x: Tensor, layer: string, activation: Tensor): Promise<Tensor>;
  /**
   * A copy of this model with the weights of `layers` (names from `layers`, or `LOGITS_LAYER` for the
   * layer computing the logits) re-initialised as `reinitializedWeights` describes, seeded; capability
   * `randomize-weights`. This model is untouched; the copy is an independent model the caller disposes.
   * A layer without weights is refused (BadInputError); an unknown one is an UnknownLayerError.
   */
  randomized?(layers: readonly string[], options: RandomizeOptions): Promise<Model>;
  /** Releases every runtime resource the model holds. */
  dispose(): void | Promise<void>;
}

/** The logits of one image as `Model.outputShape` describes them: `[numClasses]` or `[K, H, W]`. */
export const modelOutputShape = (m: Pick<Model, 'numClasses' | 'outputShape'>): readonly number[] =>
  m.outputShape ?? [m.numClasses];

/** The number of logit values per image: `numClasses`, or K·H·W for class planes. */
export const outputSize = (m: Pick<Model, 'numClasses' | 'outputShape'>): number =>
  modelOutputShape(m).reduce((a, b) => a * b, 1);
