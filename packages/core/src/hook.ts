import type { ResolvedTarget, Target } from './target.js';
import type { Tensor } from './tensor.js';

/** How ReLUs propagate gradients backwards. */
export type ReluMode = 'standard' | 'guided' | 'deconvnet';

/** What to record in one forward/backward pass. */
export interface CaptureRequest {
  /** Layers whose output (and, with `gradients`, its gradient) is recorded. */
  readonly layers: readonly string[];
  /** Record d score / d (layer output) for `layers`. */
  readonly gradients: boolean;
  /** Record d score / d input. */
  readonly inputGradient: boolean;
  /** ReLU backward rule; default `standard`. Guided and deconvnet need the matching capability. */
  readonly reluMode?: ReluMode;
  /**
   * Which rectifiers `reluMode` applies to: `all` (default: ReLU, ReLU6 / Clip(0, 6), …) or `relu`
   * (plain ReLU only; ReLU6 / Clip keep the standard backward, as pytorch-grad-cam and Captum do).
   */
  readonly rectifiers?: 'all' | 'relu';
  /**
   * Record `H·A` for `layers` (capability `hessian-vector`): the Hessian of the score with respect to
   * the layer output A, times A — the target's curvature in the logits included (see `targetHessian`).
   */
  readonly hessianVector?: boolean;
  /**
   * Record every bias of the network (capability `bias-gradients`): each convolution and batch
   * normalisation with a bias, its bias and the gradient where it is added (`LayerHook.biasGradients`).
   */
  readonly biasGradients?: boolean;
  /** One target per image of the batch. */
  readonly targets: readonly Target[];
}

/**
 * What a backend captured for one forward/backward. Layer tensors are channels-first `[N, C, h, w]`
 * (`[N, C]` for flat layers); `inputGradient` is in the model's input layout.
 */
export interface LayerHook {
  readonly logits: Tensor;
  readonly targets: readonly ResolvedTarget[];
  readonly activations: ReadonlyMap<string, Tensor>;
  readonly gradients: ReadonlyMap<string, Tensor>;
  readonly inputGradient?: Tensor;
  /** `H·A` per layer (same shape as the activation) when the request asked for `hessianVector`. */
  readonly hessianVectors?: ReadonlyMap<string, Tensor>;
  /** Each biased convolution / batch normalisation, in network order, when `biasGradients` was asked. */
  readonly biasGradients?: readonly BiasGradient[];
  /** Releases anything the backend still holds for this capture. */
  dispose(): void;
}

/**
 * One bias of the network: a convolution's, or a batch normalisation's effective bias
 * `β − μ·γ/√(σ² + ε)`, and d score / d (the output it is added to, before any fused activation).
 */
export interface BiasGradient {
  /** The layer (tfjs) or node / module path (ONNX) the bias belongs to. */
  readonly layer: string;
  /** `[C]`. */
  readonly bias: Float32Array;
  /** `[N, C, h, w]` channels-first. */
  readonly gradient: Tensor;
}
