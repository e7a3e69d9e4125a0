import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { nchwToNhwc, nhwcToNchw, seededUniform, type Tensor } from '@gradscope/core';
import { decodeModel, encodeModel, type LayersModelArtifacts } from '../src/index.js';

ort.env.wasm.numThreads = 1;

/** Deterministic uniform numbers in [0, 1) (core's mulberry32). */
export const rng = seededUniform;

/** A seeded NHWC tensor with entries uniform in [lo, hi). */
export function randomTensor(shape: number[], seed: number, lo = -1, hi = 1): Tensor {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { data: Float32Array.from({ length: n }, () => lo + (hi - lo) * r()), shape };
}

let initSeed = 1;
/** A seeded Glorot-normal initializer; `resetInit(s)` restarts the sequence. */
export const init = () => tf.initializers.glorotNormal({ seed: initSeed++ });
export const resetInit = (s: number) => {
  initSeed = s;
};

/** Sets every weight of `model` to seeded uniform values; BN variances in [0.5, 2). */
export function randomizeWeights(model: tf.LayersModel, seed: number): void {
  const r = rng(seed);
  for (const l of model.layers) {
    const ws = l.getWeights();
    if (!ws.length) continue;
    const names = l.weights.map((w) => w.originalName);
    const fresh = ws.map((w, i) => {
      const variance = names[i]!.endsWith('moving_variance');
      return tf.tensor(
        Float32Array.from({ length: w.size }, () => (variance ? 0.5 + 1.5 * r() : -0.5 + r())),
        w.shape,
      );
    });
    l.setWeights(fresh);
    tf.dispose(fresh);
  }
}

/** What `model.save` would write, captured in memory (tf.io.withSaveHandler). */
export async function saveArtifacts(model: tf.LayersModel): Promise<LayersModelArtifacts> {
  let out: LayersModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const d = a.weightData!;
      const buf = Array.isArray(d) ? tf.io.concatenateArrayBuffers(d) : d;
      out = { modelTopology: a.modelTopology, weightSpecs: a.weightSpecs!, weightData: new Uint8Array(buf) };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return out!;
}

/** Outputs of the named layers of a tfjs model (inference mode) on an NHWC input, channels-first. */
export function tfjsOutputs(model: tf.LayersModel, x: Tensor, layers: readonly string[]): Map<string, Tensor> {
  const probe = tf.model({
    inputs: model.inputs,
    outputs: layers.map((l) => model.getLayer(l).output as tf.SymbolicTensor),
  });
  const ys = tf.tidy(() => {
    const r = probe.predict(tf.tensor(x.data, x.shape as number[]));
    return Array.isArray(r) ? r : [r];
  });
  const out = new Map<string, Tensor>();
  ys.forEach((y, i) => {
    const t: Tensor = { data: y.dataSync() as Float32Array, shape: y.shape };
    out.set(layers[i]!, t.shape.length === 4 ? nhwcToNchw(t) : t);
  });
  tf.dispose(ys);
  return out;
}

/** Runs converted ONNX bytes with onnxruntime-web on an NCHW input, also exposing `extra` tensors. */
export async function onnxOutputs(
  bytes: Uint8Array,
  x: Tensor,
  tensors: readonly string[],
): Promise<Map<string, Tensor>> {
  const model = decodeModel(bytes);
  const g = model.graph!;
  const have = new Set(g.output!.map((o) => o.name));
  for (const t of tensors) if (!have.has(t)) g.output!.push({ name: t });
  const session = await ort.InferenceSession.create(encodeModel(model), { graphOptimizationLevel: 'disabled' });
  try {
    const feeds = { [g.input![0]!.name!]: new ort.Tensor('float32', x.data, x.shape as number[]) };
    const r = await session.run(feeds, [...tensors]);
    return new Map(tensors.map((t) => [t, { data: r[t]!.data as Float32Array, shape: [...r[t]!.dims] }]));
  } finally {
    await session.release();
  }
}

/** max |a − b|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export { nchwToNhwc, nhwcToNchw };
