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
  /** Releases anything the backend still holds for this capture. */
  dispose(): void;
}
