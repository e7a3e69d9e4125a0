/**
 * A deliberately simple test-only backend on tfjs-cpu (NOT the product backend): it runs a tfjs
 * LayersModel layer by layer, taps layer outputs with identity `customGrad`s, and computes every
 * gradient with `tf.grad` of `Σ logits · seed`. ReLU and ReLU6 activation layers are replaced by
 * custom ones for the guided / deconvnet rules (gradscope's rule for ReLU6 = Clip(0, 6), with u the
 * forward input: guided `g·[0<u<6]·[g>0]`, deconvnet `relu(g)`). It exists to prove that the conformance suite passes against a
 * correct implementation and that the goldens agree with a second autograd engine.
 */
import type * as tfjs from '@tensorflow/tfjs';
import {
  BadTargetError,
  nhwcToNchw,
  nchwToNhwc,
  resolveTarget,
  UnknownLayerError,
  validateTarget,
  type Backend,
  type Capability,
  type CaptureRequest,
  type LayerHook,
  type LayerInfo,
  type Model,
  type ReluMode,
  type Tensor,
} from '@gradscope/core';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadTfjs } from './load-tfjs.js';

const tf = loadTfjs();

const CAPS: ReadonlySet<Capability> = new Set<Capability>([
  'activations',
  'layer-gradients',
  'input-gradients',
  'relu-guided',
  'relu-deconvnet',
  'run-from-layer',
  'batched-forward',
  'linear-head',
]);

const reluFns: Record<ReluMode, (x: tfjs.Tensor) => tfjs.Tensor> = {
  standard: (x) => tf.relu(x),
  guided: tf.customGrad((...args: (tfjs.Tensor | tfjs.GradSaveFunc)[]) => {
    const x = args[0] as tfjs.Tensor;
    (args[1] as tfjs.GradSaveFunc)([x]);
    return {
      value: tf.relu(x),
      gradFunc: (dy: tfjs.Tensor, [s]: tfjs.Tensor[]) => tf.mul(dy, tf.mul(tf.step(s!), tf.step(dy))),
    };
  }) as (x: tfjs.Tensor) => tfjs.Tensor,
  deconvnet: tf.customGrad((x) => ({
    value: tf.relu(x as tfjs.Tensor),
    gradFunc: (dy) => tf.relu(dy as tfjs.Tensor),
  })) as (x: tfjs.Tensor) => tfjs.Tensor,
};

const relu6Fns: Record<ReluMode, (x: tfjs.Tensor) => tfjs.Tensor> = {
  standard: (x) => tf.relu6(x),
  guided: tf.customGrad((...args: (tfjs.Tensor | tfjs.GradSaveFunc)[]) => {
    const x = args[0] as tfjs.Tensor;
    (args[1] as tfjs.GradSaveFunc)([x]);
    return {
      value: tf.relu6(x),
      gradFunc: (dy: tfjs.Tensor, [s]: tfjs.Tensor[]) =>
        tf.mul(dy, tf.mul(tf.mul(tf.step(s!), tf.cast(tf.less(s!, 6), 'float32')), tf.step(dy))),
    };
  }) as (x: tfjs.Tensor) => tfjs.Tensor,
  deconvnet: tf.customGrad((x) => ({
    value: tf.relu6(x as tfjs.Tensor),
    gradFunc: (dy) => tf.relu(dy as tfjs.Tensor),
  })) as (x: tfjs.Tensor) => tfjs.Tensor,
};

/** Runs `f`, then disposes every tensor it created (f returns plain data). */
function scoped<T>(f: () => T): T {
  tf.engine().startScope();
  try {
    return f();
  } finally {
    tf.engine().endScope();
  }
}

const tensorOf = (t: Tensor) => tf.tensor(t.data, [...t.shape]);

const activationOf = (l: tfjs.layers.Layer) =>
  l.getClassName() === 'Activation' ? (l.getConfig() as { activation?: string }).activation : undefined;
const toPlain = (t: tfjs.Tensor): Tensor => {
  const p = { data: Float32Array.from(t.dataSync() as Float32Array), shape: t.shape };
  return p.shape.length === 4 ? nhwcToNchw(p) : p;
};

interface Run {
  relu: ReluMode;
  taps?: ReadonlySet<string>;
  onAct?: (name: string, t: tfjs.Tensor) => void;
  onGrad?: (name: string, t: tfjs.Tensor) => void;
  inject?: { layer: string; value: tfjs.Tensor };
}

/**
 * A linear Conv2D layer as unfused `conv2d + bias`: tf.grad then skips the filter gradient (the
 * layer's fused op computes it eagerly, which is ≈40× slower than the forward on tfjs-cpu).
 */
function conv(layer: tfjs.layers.Layer, x: tfjs.Tensor): tfjs.Tensor {
  const cfg = layer.getConfig() as { strides: [number, number]; padding: 'same' | 'valid'; activation: string };
  if (cfg.activation !== 'linear')
    throw new Error(`reference backend: Conv2D '${layer.name}' has a fused ${cfg.activation}`);
  const [kernel, bias] = layer.getWeights() as [tfjs.Tensor4D, tfjs.Tensor1D | undefined];
  const y = tf.conv2d(x as tfjs.Tensor4D, kernel, cfg.strides, cfg.padding);
  return bias ? tf.add(y, bias) : y;
}

function execute(model: tfjs.LayersModel, x: tfjs.Tensor, run: Run): tfjs.Tensor {
  const vals = new Map<string, tfjs.Tensor>();
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') {
      vals.set(layer.name, x);
      continue;
    }
    const ins = layer.inboundNodes[0]!.inboundLayers.map((l) => vals.get(l.name)!);
    let out: tfjs.Tensor;
    if (run.inject?.layer === layer.name) out = run.inject.value;
    else if (activationOf(layer) === 'relu') out = reluFns[run.relu](ins[0]!);
    else if (activationOf(layer) === 'relu6') out = relu6Fns[run.relu](ins[0]!);
    else if (layer.getClassName() === 'Conv2D') out = conv(layer, ins[0]!);
    else out = layer.apply(ins.length === 1 ? ins[0]! : ins) as tfjs.Tensor;
    if (run.taps?.has(layer.name)) {
      const name = layer.name;
      run.onAct?.(name, out);
      out = tf.customGrad((a) => ({
        value: tf.clone(a as tfjs.Tensor),
        gradFunc: (dy) => (run.onGrad?.(name, dy as tfjs.Tensor), dy),
      }))(out) as tfjs.Tensor;
    }
    vals.set(layer.name, out);
  }
  return vals.get(model.layers[model.layers.length - 1]!.name)!;
}

function describeLayers(model: tfjs.LayersModel): LayerInfo[] {
  return model.layers.map((l) => {
    const shape = (l.outputShape as (number | null)[]).map((d) => d ?? -1);
    return {
      name: l.name,
      type: l.getClassName(),
      outputShape: shape,
      spatial: shape.length === 4 ? { height: shape[1]!, width: shape[2]!, channels: shape[3]! } : null,
    };
  });
}

async function load(path: string): Promise<Model> {
  const json = JSON.parse(readFileSync(path, 'utf8'));
  const bin = readFileSync(join(dirname(path), json.weightsManifest[0].paths[0]));
  const lm = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    }),
  );
  const layers = describeLayers(lm);
  const [, H, W, C] = lm.inputs[0]!.shape as number[];
  const n = lm.layers.length;
  const fc = lm.layers[n - 1]!,
    gap = lm.layers[n - 2]!;
  const kernel = fc.getWeights()[0]!;
  const head = {
    featureLayer: gap.inboundNodes[0]!.inboundLayers[0]!.name,
    weights: scoped(() => toPlain(kernel.transpose())),
  };
  const numClasses = kernel.shape[1]!;
  const known = new Set(layers.map((l) => l.name));
  let disposed = false;

  const logitsOf = (x: Tensor, run: Run): Tensor => scoped(() => toPlain(execute(lm, tensorOf(x), run)));

  return {
    backend: 'reference-tfjs',
    name: lm.name,
    layers,
    numClasses,
    capabilities: CAPS,
    head,
    input: { name: 'input', shape: [-1, H!, W!, C!], layout: 'NHWC', height: H!, width: W!, channels: C! },
    async forward(x) {
      return logitsOf(x, { relu: 'standard' });
    },
    async capture(x: Tensor, req: CaptureRequest): Promise<LayerHook> {
      const N = x.shape[0]!;
      if (req.targets.length !== N) throw new BadTargetError(`${req.targets.length} targets for a batch of ${N}`);
      for (const t of req.targets) validateTarget(t, numClasses);
      for (const l of req.layers) if (!known.has(l)) throw new UnknownLayerError(l, [...known]);
      const logits = logitsOf(x, { relu: 'standard' });
      const targets = req.targets.map((t, i) =>
        resolveTarget(t, logits.data.subarray(i * numClasses, (i + 1) * numClasses)),
      );
      const activations = new Map<string, Tensor>(),
        gradients = new Map<string, Tensor>();
      const seed = new Float32Array(N * numClasses);
      targets.forEach((t, i) => seed.set(t.seed, i * numClasses));
      const run: Run = {
        relu: req.reluMode ?? 'standard',
        taps: new Set(req.layers),
        onAct: (name, t) => activations.set(name, toPlain(t)),
        onGrad: (name, t) => gradients.set(name, toPlain(t)),
      };
      let inputGradient: Tensor | undefined;
      scoped(() => {
        const xt = tensorOf(x);
        if (req.gradients || req.inputGradient) {
          const s = tf.tensor(seed, [N, numClasses]);
          const g = tf.grad((v: tfjs.Tensor) => tf.sum(tf.mul(execute(lm, v, run), s)))(xt);
          if (req.inputGradient) inputGradient = { data: Float32Array.from(g.dataSync()), shape: g.shape };
        } else execute(lm, xt, run);
      });
      if (!req.gradients) gradients.clear();
      return { logits, targets, activations, gradients, ...(inputGradient ? { inputGradient } : {}), dispose() {} };
    },
    async runFromLayer(x, layer, activation) {
      return scoped(() => {
        const value = tensorOf(nchwToNhwc(activation));
        return toPlain(execute(lm, tensorOf(x), { relu: 'standard', inject: { layer, value } }));
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      lm.dispose();
    },
  };
}

/** The reference backend (tfjs-cpu) for the suite's self-test. */
export const referenceTfjsBackend: Backend = {
  id: 'reference-tfjs',
  capabilities: CAPS,
  load: (src) => load(String(src)),
};
