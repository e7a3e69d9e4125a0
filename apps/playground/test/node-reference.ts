import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  classTarget,
  createGradscope,
  finerTarget,
  imageToTensor,
  negated,
  restTarget,
  seedTarget,
  similarityTarget,
  softmaxTarget,
  topClass,
  type Explanation,
  type Model,
  type Target,
} from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import { createOnnxBackend } from '@gradscope/backend-onnx/node';
import { useTfjsBackend } from '@gradscope/backend-tfjs';
import { tfjsNodeBackend } from '@gradscope/backend-tfjs/node';
import * as ort from 'onnxruntime-node';
import pngjs from 'pngjs';

/** The same explanation computed in this Node process with the same (built) packages: the reference. */
const shapes = new URL('../../../packages/shapes/', import.meta.url);
export const modelDir = fileURLToPath(new URL('model/', shapes));
export const sampleFile = (name: string) => fileURLToPath(new URL(`samples/${name}`, shapes));
export const samples = JSON.parse(readFileSync(sampleFile('index.json'), 'utf8')) as { samples: { image: string }[] };
const sidecar = JSON.parse(readFileSync(`${modelDir}model.gradscope.json`, 'utf8')) as {
  normalization: { mean: number[]; std: number[] };
};

export interface Combination {
  readonly runtime: 'tfjs' | 'onnx';
  readonly sample: number;
  readonly method: string;
  readonly layer: string;
  readonly target: number | null;
  /** Feed the network the image's channels in BGR order (the sidecar's normalisation unchanged). */
  readonly bgr?: boolean;
  /** A score other than the class logit, and/or negated. */
  readonly kind?: 'softmax' | 'rest' | 'finer' | 'similarity' | 'seed';
  readonly negate?: boolean;
  /** The similarity or seed vector. */
  readonly vector?: readonly number[];
}

function targetOf(c: Combination): Target {
  const i = c.target ?? undefined;
  const t =
    c.kind === 'similarity'
      ? similarityTarget(c.vector!)
      : c.kind === 'seed'
        ? seedTarget(c.vector!)
        : c.kind
          ? { softmax: softmaxTarget, rest: restTarget, finer: finerTarget }[c.kind](i)
          : c.target === null
            ? topClass()
            : classTarget(c.target);
  return c.negate ? negated(t) : t;
}

export async function nodeExplain(c: Combination): Promise<Explanation> {
  const gs = createGradscope({ methods: builtinMethods });
  let model: Model;
  if (c.runtime === 'tfjs') {
    await useTfjsBackend('wasm');
    model = await tfjsNodeBackend.load(`${modelDir}model.json`);
  } else {
    model = await createOnnxBackend({ ort: ort as never }).load(`${modelDir}model.onnx`, {
      normalization: sidecar.normalization,
    });
  }
  try {
    const png = pngjs.PNG.sync.read(readFileSync(sampleFile(samples.samples[c.sample]!.image)));
    if (c.bgr)
      for (let i = 0; i < png.data.length; i += 4) [png.data[i], png.data[i + 2]] = [png.data[i + 2]!, png.data[i]!];
    const x = imageToTensor(
      { data: png.data, width: png.width, height: png.height },
      model.input,
      sidecar.normalization,
    );
    const m = gs.method(c.method);
    return await gs.explain(model, x, {
      method: c.method,
      ...(m.usesLayers && { layer: c.layer }),
      target: targetOf(c),
    });
  } finally {
    await model.dispose();
    await gs.dispose();
  }
}
