import {
  classTarget,
  createGradscope,
  imageToTensor,
  missingCapabilities,
  softmax,
  tensorToImage,
  topClass,
  type Method,
  type Model,
  type Tensor,
} from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import type { ClassScore, DeviceId, MethodInfo, Reply, Request } from '../protocol.js';
import { backendFor, probeDevices } from './devices.js';
import { layerTable, loadModel } from './load-model.js';
import type { Sidecar } from './sidecar.js';
import { pluginMethods } from './plugins.js';

/** The worker: owns the Gradscope, the loaded model and the current input; the page only draws. */
const gs = createGradscope({ methods: builtinMethods });
const plugins = new Set<string>();
let current: { model: Model; sidecar: Sidecar } | null = null;
let input: Tensor | null = null;
const cancelled = new Set<number>();
let latestRun = 0;

const post = (r: Reply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(r, transfer);
const message = (e: unknown) => ((e as Error)?.message ?? String(e)).split('\n')[0]!;

const info = (m: Method): MethodInfo => ({
  id: m.id,
  title: m.title,
  description: m.description,
  space: m.space,
  usesLayers: m.usesLayers,
  requires: [...m.requires],
  options: { ...m.options },
  plugin: plugins.has(m.id),
});

function topK(logits: ArrayLike<number>, k: number, classes: readonly string[]): ClassScore[] {
  const p = softmax(logits);
  return Array.from({ length: logits.length }, (_, i) => i)
    .sort((a, b) => logits[b]! - logits[a]! || a - b)
    .slice(0, k)
    .map((i) => ({ index: i, name: classes[i] ?? null, probability: p[i]!, logit: logits[i]! }));
}

async function load(device: DeviceId, choice: Extract<Request, { type: 'load' }>['model']) {
  const t0 = performance.now();
  const backend = await backendFor(device);
  const next = await loadModel(backend, choice); // on failure the previous model stays usable
  const old = current;
  current = next;
  input = null;
  await old?.model.dispose();
  const { model, sidecar } = current;
  const runnable = gs.runnable(model).map((m) => m.id);
  const classes = [...(sidecar.classes ?? model.classes ?? [])];
  const { layers, autoLayer } = layerTable(model);
  const { height, width, channels, layout } = model.input;
  post({
    type: 'loaded',
    ms: performance.now() - t0,
    model: {
      name: model.name,
      backend: model.backend,
      input: { height, width, channels, layout },
      layers,
      autoLayer,
      classes,
      numClasses: model.numClasses,
      runnable,
    },
  });
}

async function setImage(pixels: Extract<Request, { type: 'image' }>['pixels']) {
  if (!current) throw new Error('load a model first');
  const { model, sidecar } = current;
  const normalization = sidecar.normalization ?? model.input.normalization ?? { mean: [0, 0, 0], std: [1, 1, 1] };
  const x = imageToTensor(
    { data: pixels.data, width: pixels.width, height: pixels.height, channels: 4 },
    model.input,
    normalization,
  );
  const t0 = performance.now();
  const logits = (await model.forward(x)).data.subarray(0, model.numClasses);
  const forwardMs = performance.now() - t0;
  input = x;
  const seen = tensorToImage(x, model.input.layout, normalization);
  const classes = sidecar.classes ?? model.classes ?? [];
  post({
    type: 'predicted',
    top: topK(logits, Math.min(5, model.numClasses), classes),
    input: { data: new Uint8ClampedArray(seen.data), width: seen.width, height: seen.height },
    forwardMs,
    normalization,
  });
}

async function explain(req: Extract<Request, { type: 'explain' }>) {
  if (!current || !input) throw new Error('load a model and an image first');
  const { model } = current;
  const x = input;
  const target = req.target === null ? topClass() : classTarget(req.target);
  let done = 0;
  for (const r of req.methods) {
    await new Promise((res) => setTimeout(res, 0)); // let a cancel or a newer run arrive
    if (cancelled.has(req.run) || latestRun !== req.run) break;
    post({ type: 'progress', run: req.run, method: r.id, done, total: req.methods.length });
    try {
      const m = gs.method(r.id);
      const missing = missingCapabilities(m, model.capabilities);
      if (missing.length) throw new Error(`${m.id} needs ${missing.join(', ')}, which ${model.backend} lacks`);
      const e = await gs.explain(model, x, {
        method: r.id,
        ...(m.usesLayers && { layer: req.layer }),
        target,
        options: r.options,
      });
      const map = new Float32Array(e.map.data);
      const raw = new Float32Array(e.raw.data);
      post(
        {
          type: 'result',
          run: req.run,
          method: r.id,
          space: e.space,
          ms: e.timings.totalMs,
          map: { data: map, shape: [...e.map.shape] },
          raw: { data: raw, shape: [...e.raw.shape] },
          layers: [...e.layers],
          target: { classIndex: e.target.classIndex, score: e.target.score, negate: e.target.negate },
        },
        [map.buffer, raw.buffer],
      );
    } catch (err) {
      post({ type: 'method-error', run: req.run, method: r.id, message: message(err) });
    }
    done++;
  }
  const wasCancelled = done < req.methods.length;
  cancelled.delete(req.run);
  post({ type: 'finished', run: req.run, cancelled: wasCancelled });
}

async function plugin(name: string, source: string) {
  const found = await pluginMethods(name, source);
  gs.register(found);
  for (const m of found) plugins.add(m.id);
  post({
    type: 'plugin-loaded',
    methods: gs.methods().map(info),
    added: found.map((m) => m.id),
    runnable: current ? gs.runnable(current.model).map((m) => m.id) : [],
  });
}

async function handle(req: Request): Promise<void> {
  const about = req.type === 'explain' || req.type === 'cancel' ? 'explain' : req.type;
  try {
    if (req.type === 'init') post({ type: 'ready', devices: await probeDevices(), methods: gs.methods().map(info) });
    else if (req.type === 'load') await load(req.device, req.model);
    else if (req.type === 'image') await setImage(req.pixels);
    else if (req.type === 'explain') await explain(req);
    else if (req.type === 'plugin') await plugin(req.name, req.source);
  } catch (e) {
    if (req.type === 'explain') post({ type: 'finished', run: req.run, cancelled: false });
    post({ type: 'error', about, message: message(e) });
  }
}

/**
 * Requests run one after another (a model is never disposed under a running method); a cancel, a
 * newer run or a new model/image marks the running one stale at once, and it stops before its next
 * method.
 */
let queue: Promise<void> = Promise.resolve();
self.onmessage = (ev: MessageEvent<Request>) => {
  const req = ev.data;
  if (req.type === 'cancel') {
    cancelled.add(req.run);
    return;
  }
  if (req.type === 'explain') latestRun = req.run;
  else if (req.type === 'load' || req.type === 'image') latestRun = 0;
  queue = queue.then(() => handle(req));
};
