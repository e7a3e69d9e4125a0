import type { ResolvedTarget } from './target.js';
import type { NamedMap } from './method.js';
import type { Tensor } from './tensor.js';

/** The result of explaining one image with one method. */
export interface Explanation {
  readonly method: string;
  readonly space: 'layer' | 'input';
  /** `[H, W]` at input resolution, in [0, 1]. */
  readonly map: Tensor;
  /** Unscaled map at layer resolution (CAM) or the attribution in the input's layout (input space). */
  readonly raw: Tensor;
  readonly layers: readonly string[];
  readonly target: ResolvedTarget;
  readonly backend: string;
  readonly timings: { readonly totalMs: number };
  /** Further named maps, for methods that produce several (e.g. one per DFF concept). */
  readonly maps?: readonly NamedMap[];
  /** What the method reported about the run (e.g. Integrated Gradients' `completenessGap`). */
  readonly metadata?: Readonly<Record<string, number | string | boolean>>;
}
