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
const gainDir = new URL('../../../packages/gain/experiment/', import.meta.url);
const gainSamples = (JSON.parse(readFileSync(new URL('samples/index.json', gainDir), 'utf8')) as Index).samples;
type Index = { samples: { image: string }[] };
/** The page's sample strip: the shapes samples, then the GAIN experiment's (as files on disk). */
export const samples = {
  samples: [
    ...(JSON.parse(readFileSync(sampleFile('index.json'), 'utf8')) as Index).samples.map((s) => ({
      image: sampleFile(s.image),
    })),
    ...gainSamples.map((s) => ({ image: fileURLToPath(new URL(`samples/${s.image}`, gainDir)) })),
  ],
};
/** Where each built-in model of the page lives on disk. */
const MODEL_DIRS = {
  shapes: modelDir,
  'gain-baseline': fileURLToPath(new URL('models/baseline/', gainDir)),
  'gain-ext': fileURLToPath(new URL('models/gain-ext/', gainDir)),
};
type Sidecar = { normalization: { mean: number[]; std: number[] } };

export interface Combination {
  readonly runtime: 'tfjs' | 'onnx';
  /** A built-in model of the page (default: the shapes model). */
  readonly model?: keyof typeof MODEL_DIRS;
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
  const dir = MODEL_DIRS[c.model ?? 'shapes'];
  const sidecar = JSON.parse(readFileSync(`${dir}model.gradscope.json`, 'utf8')) as Sidecar;
  if (c.runtime === 'tfjs') {
    await useTfjsBackend('wasm');
    model = await tfjsNodeBackend.load(`${dir}model.json`);
  } else {
    model = await createOnnxBackend({ ort: ort as never }).load(`${dir}model.onnx`, {
      normalization: sidecar.normalization,
    });
  }
  try {
    const png = pngjs.PNG.sync.read(readFileSync(samples.samples[c.sample]!.image));
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
