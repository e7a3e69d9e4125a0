import {
  binaryTarget,
  classTarget,
  finerTarget,
  negated,
  restTarget,
  seedTarget,
  similarityTarget,
  softmaxTarget,
  createGradscope,
  missingCapabilities,
  softmax,
  topClass,
  type Method,
  type Model,
  type Target,
  type Tensor,
} from '@gradscope/core';
import { builtinMethods } from '@gradscope/methods';
import {
  comparedModel,
  type ClassScore,
  type CompareId,
  type DeviceId,
  type MethodInfo,
  type MethodRequest,
  type Pixels,
  type Preprocessing,
  type Reply,
  type Request,
} from '../protocol.js';
import { activate, backendFor, probeDevices } from './devices.js';
import { layerTable, loadModel } from './load-model.js';
import { defaultPreprocessing, preprocess } from './preprocess.js';
import type { Sidecar } from './sidecar.js';
import { pluginMethods } from './plugins.js';

/** The worker: owns the Gradscope, the loaded model and the current input; the page only draws. */
const gs = createGradscope({ methods: builtinMethods });
const plugins = new Set<string>();
type Loaded = { model: Model; sidecar: Sidecar; device: DeviceId };
let current: (Loaded & { choice: Extract<Request, { type: 'load' }>['model'] }) | null = null;
/** The same model on the comparison device (or the paired model), loaded on first use. */
let second: (Loaded & { against: CompareId }) | null = null;
let input: Tensor | null = null;
let image: { pixels: Pixels; pre: Preprocessing } | null = null;
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

async function load({ device, model: choice, inputSize }: Extract<Request, { type: 'load' }>) {
  const t0 = performance.now();
  const backend = await backendFor(device);
  const next = await loadModel(backend, choice, inputSize); // on failure the previous model stays usable
  const old = current;
  current = { ...next, device, choice };
  input = null;
  await old?.model.dispose();
  await dropSecond();
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
    preprocessing: defaultPreprocessing(model.input, sidecar.normalization ?? model.input.normalization),
  });
}

async function setImage(pixels: Pixels, pre: Preprocessing) {
  if (!current) throw new Error('load a model first');
  const { model, sidecar } = current;
  if (pre.height !== model.input.height || pre.width !== model.input.width)
    throw new Error(
      `the model takes ${model.input.height}×${model.input.width} images, not ${pre.height}×${pre.width}`,
    );
  const p = preprocess(pixels, pre, model.input);
  const t0 = performance.now();
  const logits = (await model.forward(p.x)).data.subarray(0, model.numClasses);
  const forwardMs = performance.now() - t0;
  input = p.x;
  image = { pixels, pre };
  const classes = sidecar.classes ?? model.classes ?? [];
  post({
    type: 'predicted',
    top: topK(logits, Math.min(5, model.numClasses), classes),
    input: p.input,
    seen: p.seen,
    forwardMs,
    pre,
    normalization: p.normalization,
    tensor: p.tensor,
  });
}

async function dropSecond() {
  const old = second;
  second = null;
  await old?.model.dispose();
}

/**
 * The current model on the comparison device (the other form of the built-in one), or the paired
 * built-in model on the current device, and its input (the same image and preprocessing).
 */
async function secondModel(against: CompareId): Promise<Loaded & { x: Tensor }> {
  if (!current || !image) throw new Error('load a model and an image first');
  if (second?.against !== against) {
    await dropSecond();
    const paired = comparedModel(against);
    const device = paired ? current.device : (against as DeviceId);
    const choice = paired ? ({ kind: 'builtin', id: paired } as const) : current.choice;
    const { model, sidecar } = await loadModel(await backendFor(device), choice, {
      height: image.pre.height,
      width: image.pre.width,
    });
    second = { model, sidecar, device, against };
    await activate(current.device);
  }
  return { ...second, x: preprocess(image.pixels, image.pre, second.model.input).x };
}

/** The request's target: its kind, the class clicked (top-1 when none), negated when asked. */
function targetOf(req: Extract<Request, { type: 'explain' }>): Target {
  const i = req.target ?? undefined;
  const vector = () => {
    if (!req.vector) throw new Error(`the ${req.targetKind} target needs a vector (.npy, one entry per output)`);
    return req.vector;
  };
  const t =
    req.targetKind === 'similarity'
      ? similarityTarget(vector())
      : req.targetKind === 'seed'
        ? seedTarget(vector())
        : req.targetKind === 'softmax'
          ? softmaxTarget(i)
          : req.targetKind === 'rest'
            ? restTarget(i)
            : req.targetKind === 'finer'
              ? finerTarget(i)
              : req.targetKind === 'binary'
                ? binaryTarget()
                : i === undefined
                  ? topClass()
                  : classTarget(i);
  return req.negate ? negated(t) : t;
}

async function runOne(on: Loaded, x: Tensor, r: MethodRequest, req: Extract<Request, { type: 'explain' }>) {
  await activate(on.device);
  const m = gs.method(r.id);
  const missing = missingCapabilities(m, on.model.capabilities);
  if (missing.length) throw new Error(`${m.id} needs ${missing.join(', ')}, which ${on.model.backend} lacks`);
  return gs.explain(on.model, x, {
    method: r.id,
    ...(m.usesLayers && { layer: req.layer }),
    target: targetOf(req),
    options: r.options,
  });
}

/** Runs one method on the comparison device and posts its map (or why it failed). */
async function compareOne(
  pair: (Loaded & { x: Tensor }) | string,
  r: MethodRequest,
  req: Extract<Request, { type: 'explain' }>,
) {
  try {
    if (typeof pair === 'string') throw new Error(pair);
    const e = await runOne(pair, pair.x, r, req);
    const map = new Float32Array(e.map.data);
    post(
      {
        type: 'compare',
        run: req.run,
        method: r.id,
        against: req.compare!,
        ms: e.timings.totalMs,
        map: { data: map, shape: [...e.map.shape] },
      },
      [map.buffer],
    );
  } catch (err) {
    post({ type: 'compare-error', run: req.run, method: r.id, message: message(err) });
  }
}

async function explain(req: Extract<Request, { type: 'explain' }>) {
  if (!current || !input) throw new Error('load a model and an image first');
  const primary = current;
  const x = input;
  let pair: (Loaded & { x: Tensor }) | string | null = null;
  if (req.compare && req.compare !== primary.device)
    pair = await secondModel(req.compare).catch((e: unknown) => `${req.compare}: ${message(e)}`);
  let done = 0;
  for (const r of req.methods) {
    await new Promise((res) => setTimeout(res, 0)); // let a cancel or a newer run arrive
    if (cancelled.has(req.run) || latestRun !== req.run) break;
    post({ type: 'progress', run: req.run, method: r.id, done, total: req.methods.length });
    try {
      const e = await runOne(primary, x, r, req);
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
    if (pair) await compareOne(pair, r, req);
    done++;
  }
  await activate(primary.device);
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
    else if (req.type === 'load') await load(req);
    else if (req.type === 'image') await setImage(req.pixels, req.pre);
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
