import { BadInputError, BadInputShapeError, type Tensor } from '@gradscope/core';
import { tileBatch } from './batch.js';
import type { OutputReader } from './ort-tensors.js';
import type { OrtTensor } from './ort-types.js';

/** What `crossingFeeds` reads: the run-from-layer call and how to run the model's head. */
export interface CrossingRun {
  /** Tensors computed before the cut that the tail also reads (the image input among them, maybe). */
  readonly crossing: readonly string[];
  readonly inputName: string;
  readonly layer: string;
  /** The images ([n, …]) and how many activations (m) the tail runs on; n is m or 1. */
  readonly x: Tensor;
  readonly m: number;
  /** Runs the forward graph up to `outputs` on the images. */
  readonly runHead: (outputs: readonly string[]) => Promise<Record<string, OrtTensor>>;
  readonly reader: OutputReader;
  readonly toOrt: (t: Tensor) => OrtTensor;
}

/**
 * Feeds for a tail's crossing tensors: the image itself, or values computed from it by the head,
 * tiled to m when one image serves m activations. A non-float crossing tensor (e.g. a Shape) is fed
 * as computed, so it needs one image per activation.
 */
export async function crossingFeeds(run: CrossingRun): Promise<Record<string, OrtTensor>> {
  const { crossing, inputName, x, m, reader } = run;
  const n = x.shape[0]!;
  const feeds: Record<string, OrtTensor> = {};
  const inner = crossing.filter((c) => c !== inputName);
  const values = new Map<string, Tensor>();
  if (crossing.includes(inputName)) values.set(inputName, x);
  if (inner.length) {
    const out = await run.runHead(inner);
    for (const c of inner) {
      const t = out[c]!;
      if (t.type !== 'float32') {
        if (n !== m)
          throw new BadInputError(
            `runFromLayer from '${run.layer}' needs one image per activation (the tail reads the non-float tensor '${c}')`,
          );
        feeds[c] = t;
      } else values.set(c, reader.take(out, c));
    }
  }
  for (const [c, v] of values) feeds[c] = run.toOrt(n === m ? v : tileBatch(v, m));
  return feeds;
}

/**
 * Checks run-from-layer arguments: `activation` must be [m, …] with the cut tensor's probed shape
 * `cutShape` after the batch axis, and `x` one image or m. Returns m.
 */
export function checkTailInput(x: Tensor, activation: Tensor, cutShape: readonly number[], layer: string): number {
  const want = cutShape.slice(1);
  const m = activation.shape[0]!;
  if (activation.shape.length !== want.length + 1 || want.some((d, i) => activation.shape[i + 1] !== d)) {
    throw new BadInputShapeError([-1, ...want], activation.shape, `activation for layer '${layer}'`);
  }
  const n = x.shape[0]!;
  if (n !== m && n !== 1)
    throw new BadInputError(
      `runFromLayer: ${n} images but ${m} activations; give one image or one activation per image`,
    );
  return m;
}
