import { decodeNpy } from '@gradscope/core';
import type { Colormap } from '@gradscope/render';
import {
  comparedModel,
  PAIRED_MODEL,
  type CompareId,
  type DeviceId,
  type DeviceSupport,
  type MethodInfo,
  type ModelChoice,
  type ModelInfo,
  type Pixels,
  type Preprocessing,
  type Reply,
  type Request,
} from './protocol.js';
import { $, download } from './ui/dom.js';
import { deviceFor, renderCompare, renderDevices, renderLayers, renderMethods, renderTargets } from './ui/controls.js';
import { wireInputs, showSamples } from './ui/inputs.js';
import { effective, renderPreprocessing } from './ui/preprocessing-form.js';
import { readImage } from './ui/read-image.js';
import { modelLabel, resultJson, type RunInfo } from './ui/result-json.js';
import { showSeen } from './ui/seen.js';
import { choiceOf, readState, writeState, type AppState } from './ui/state.js';
import { Tiles, type View } from './ui/tiles.js';

/** The page: controls, URL state and drawing. All computation happens in the worker. */
const BASE = import.meta.env.BASE_URL;
const state = readState(location.search);
const worker = new Worker(new URL('./worker/worker.ts', import.meta.url), { type: 'module' });
const send = (r: Request) => worker.postMessage(r);
const view: View = {
  input: null,
  layout: 'NHWC',
  colormap: state.colormap as Colormap,
  opacity: state.opacity,
  compare: null,
};
const tiles = new Tiles($('tiles'), view);

let devices: readonly DeviceSupport[] = [];
let methods: readonly MethodInfo[] = [];
let model: ModelInfo | null = null;
/** The device and URL model of the loaded model, restored when another load fails. */
let loaded: { device: DeviceId; model: typeof state.model; choice: ModelChoice } | null = null;
let choice: ModelChoice = choiceOf(state.model);
let pixels: Pixels | null = null;
let imageLabel = '';
let run = 0;
let running = false;
/** A model load (or the worker's start) is pending. */
let loading = true;
let runTimer = 0;
let info: RunInfo | null = null;
/** The similarity/seed target's vector (a file: it does not travel in the URL). */
let targetVector: number[] | null = null;
/** The loaded model's own preprocessing (the user's changes are in `state.pre`). */
let ownPre: Preprocessing | null = null;

/** Sends the image with the preprocessing in effect (the worker makes the tensor). */
const sendImage = (px: Pixels) => send({ type: 'image', pixels: px, pre: effective(ownPre!, state.pre) });
/** The current built-in model's pair (GAIN experiment: baseline ↔ GAIN_ext), if it has one. */
const pairedModel = () => (choice.kind === 'builtin' ? (PAIRED_MODEL[choice.id] ?? null) : null);
/** The comparison: a device other than the current one, or the current built-in model's pair. */
function compareDevice(): CompareId | null {
  const c = state.compare;
  if (!c || c === state.device) return null;
  const other = comparedModel(c);
  return other === null || other === pairedModel() ? c : null;
}

const status = (text: string) => ($('status').textContent = text);
/** `data-state` on <body>: `busy` while anything is pending, `idle` once the page has settled (tests wait on it). */
const busy = (on: boolean) => (document.body.dataset['state'] = on ? 'busy' : 'idle');
function showError(text: string | null) {
  const el = $('error');
  el.hidden = !text;
  el.textContent = text ?? '';
}

function selectedMethods(): MethodInfo[] {
  return state.methods.flatMap((id) => {
    const m = methods.find((x) => x.id === id);
    return m && (!model || model.runnable.includes(id)) ? [m] : [];
  });
}

function refreshMethods() {
  renderMethods(methods, model, state.methods, state.options, {
    toggle(id, on) {
      state.methods = on ? [...state.methods.filter((x) => x !== id), id] : state.methods.filter((x) => x !== id);
      changed();
    },
    options(id, v) {
      state.options[id] = v;
      changed();
    },
  });
}

/** Any choice that changes the maps: save it in the URL and start a new run (cancelling the stale one). */
function changed() {
  busy(true);
  writeState(state);
  clearTimeout(runTimer);
  runTimer = window.setTimeout(() => ((runTimer = 0), startRun()), 30);
}

function startRun() {
  if (running) send({ type: 'cancel', run });
  if (!model || !pixels || !info) return busy(false);
  const list = selectedMethods();
  run++;
  view.compare = compareDevice();
  tiles.reset(list);
  if (!list.length) {
    busy(false);
    return status('choose one or more methods');
  }
  running = true;
  $<HTMLButtonElement>('cancel').disabled = false;
  const progress = $<HTMLProgressElement>('progress');
  progress.max = list.length;
  progress.value = 0;
  send({
    type: 'explain',
    run,
    methods: list.map((m) => ({ id: m.id, options: state.options[m.id] ?? {} })),
    layer: state.layer,
    target: state.target,
    targetKind: state.targetKind,
    negate: state.negate,
    vector: targetVector,
    compare: compareDevice(),
  });
}

function onDevice(id: string) {
  state.device = id as DeviceId;
  writeState(state);
  renderCompare(devices, state.device!, pairedModel(), state.compare, onCompare);
  loadModel(choice);
}

/** The backend select and the comparison select (which offers the other devices). */
function showDevices() {
  renderDevices(devices, state.device!, onDevice);
  renderCompare(devices, state.device!, pairedModel(), state.compare, onCompare);
}

function onCompare(id: CompareId | null) {
  state.compare = id;
  changed();
}

/** A preprocessing edit: a new size reloads the model (dynamic-size models take it), anything else re-reads the image. */
function onPre(next: AppState['pre']) {
  const size = (p: AppState['pre']) => `${p.height ?? ''}x${p.width ?? ''}`;
  const resized = size(next) !== size(state.pre);
  state.pre = next;
  writeState(state);
  renderPreprocessing(ownPre!, state.pre, onPre);
  busy(true);
  if (resized) loadModel(choice);
  else if (pixels) sendImage(pixels);
}

function loadModel(next: ModelChoice) {
  choice = next;
  loading = true;
  busy(true);
  if (running) send({ type: 'cancel', run });
  status('loading model…');
  const { height, width } = state.pre;
  send({ type: 'load', device: state.device!, model: next, ...(height && width && { inputSize: { height, width } }) });
}

async function setImage(blob: Blob, label: string, key: typeof state.image) {
  busy(true);
  try {
    const px = await readImage(blob);
    pixels = px;
    imageLabel = label;
    state.image = key;
    writeState(state);
    if (model) sendImage(px);
    else if (!loading) busy(false);
  } catch (e) {
    showError((e as Error).message);
    if (!loading && !running && !runTimer) busy(false);
  }
}

function onReady(r: Extract<Reply, { type: 'ready' }>) {
  devices = r.devices;
  methods = r.methods;
  const ok = devices.filter((d) => d.ok).map((d) => d.id);
  if (!state.device || !ok.includes(state.device))
    state.device = (['tfjs-wasm', 'onnx-wasm'] as DeviceId[]).find((d) => ok.includes(d)) ?? ok[0]!;
  showDevices();
  refreshMethods();
  loadModel(choice);
}

function onLoaded(r: Extract<Reply, { type: 'loaded' }>) {
  loading = false;
  model = r.model;
  ownPre = r.preprocessing;
  renderPreprocessing(ownPre, state.pre, onPre);
  loaded = { device: state.device!, model: state.model, choice };
  view.layout = r.model.input.layout as View['layout'];
  if (state.layer !== 'auto' && !model.layers.some((l) => l.name === state.layer)) state.layer = 'auto';
  renderLayers(model, state.layer, (v) => ((state.layer = v), changed()));
  renderCompare(devices, state.device!, pairedModel(), state.compare, onCompare);
  $('model-info').textContent =
    `${model.name} on ${model.backend} · input ${model.input.height}×${model.input.width}×${model.input.channels} (${model.input.layout}) · ${model.numClasses} classes · loaded in ${r.ms.toFixed(0)} ms`;
  refreshMethods();
  showError(null);
  status('model loaded');
  if (pixels) sendImage(pixels);
  else busy(false);
}

function onPredicted(r: Extract<Reply, { type: 'predicted' }>) {
  view.input = r.input;
  showSeen(r);
  if (state.target !== null && state.target >= (model?.numClasses ?? 0)) state.target = null;
  const pick = (i: number | null) => ((state.target = i), renderTargets(r.top, i, pick), changed());
  renderTargets(r.top, state.target, pick);
  info = {
    model: model!,
    modelLabel: modelLabel(choice),
    imageLabel,
    top: r.top,
    forwardMs: r.forwardMs,
    normalization: r.normalization,
    input: r.input,
  };
  showError(null);
  changed();
}

function onFinished(r: Extract<Reply, { type: 'finished' }>) {
  if (r.run !== run) return;
  running = false;
  $<HTMLButtonElement>('cancel').disabled = true;
  $<HTMLButtonElement>('result-json').disabled = tiles.results().length === 0;
  $<HTMLProgressElement>('progress').value = r.cancelled ? 0 : $<HTMLProgressElement>('progress').max;
  if (r.cancelled) tiles.cancelled();
  status(r.cancelled ? 'cancelled' : 'done');
  document.body.dataset['run'] = `${run}:${r.cancelled ? 'cancelled' : 'done'}`;
  if (!runTimer) busy(false);
}

function onPluginLoaded(r: Extract<Reply, { type: 'plugin-loaded' }>) {
  methods = r.methods;
  if (model) model = { ...model, runnable: r.runnable };
  state.methods = [...state.methods, ...r.added.filter((id) => !state.methods.includes(id))];
  refreshMethods();
  status(`plugin added ${r.added.join(', ')}`);
  changed();
}

function onError(r: Extract<Reply, { type: 'error' }>) {
  if (r.about === 'load' || r.about === 'init') loading = false;
  if (r.about === 'load' && state.pre.height && ownPre) {
    // The size asked for could not be loaded: back to the model's own.
    const { height: _h, width: _w, ...rest } = state.pre;
    state.pre = rest;
    renderPreprocessing(ownPre, state.pre, onPre);
  }
  if (r.about === 'load' && loaded) {
    // The worker kept the previous model: show its device and source again.
    ({ device: state.device, model: state.model, choice } = loaded);
    showDevices();
    writeState(state);
  }
  showError(r.message);
  status(`${r.about} failed`);
  if (!running && !runTimer) busy(false);
}

function onReply(r: Reply) {
  switch (r.type) {
    case 'ready':
      return onReady(r);
    case 'loaded':
      return onLoaded(r);
    case 'predicted':
      return onPredicted(r);
    case 'progress':
      if (r.run !== run) return;
      tiles.running(r.method);
      $<HTMLProgressElement>('progress').value = r.done;
      return status(`running ${r.method} (${r.done + 1}/${r.total})`);
    case 'result':
      if (r.run !== run) return;
      tiles.show(r);
      document.body.dataset['firstHeatmapMs'] ??= String(performance.now()); // since navigation start
      return;
    case 'compare':
      if (r.run === run) tiles.compare(r);
      return;
    case 'compare-error':
      if (r.run === run) tiles.compareFail(r.method, r.message);
      return;
    case 'method-error':
      if (r.run === run) tiles.fail(r.method, r.message);
      return;
    case 'finished':
      return onFinished(r);
    case 'plugin-loaded':
      return onPluginLoaded(r);
    case 'error':
      return onError(r);
  }
}
worker.onmessage = (e: MessageEvent<Reply>) => onReply(e.data);
worker.onerror = (e) => showError(`worker error: ${e.message}`);

/** Loads a user model, switching to a device of its runtime (ONNX or tfjs) when needed. */
function userModel(next: ModelChoice) {
  const device = deviceFor(next, devices, state.device!);
  if (device !== state.device) {
    state.device = device;
    showDevices();
  }
  state.model = next.kind === 'url' ? `url:${next.url}` : 'file';
  writeState(state);
  loadModel(next);
}

function modelFiles(files: File[]) {
  if (files.length) userModel({ kind: 'files', files });
}

async function plugin(name: string, source: Promise<string>) {
  busy(true);
  try {
    send({ type: 'plugin', name, source: await source });
  } catch (e) {
    showError(`cannot read plugin '${name}': ${(e as Error).message}`);
    if (!running && !runTimer && !loading) busy(false);
  }
}

wireInputs({
  state,
  loadModel,
  userModel,
  modelFiles,
  setImage,
  plugin,
  retarget: changed,
  targetVector(file) {
    void file
      .arrayBuffer()
      .then((b) => {
        targetVector = [...decodeNpy(new Uint8Array(b)).data];
        changed();
      })
      .catch((e: Error) => showError(`cannot read ${file.name}: ${e.message}`));
  },
  redraw() {
    view.opacity = state.opacity;
    view.colormap = state.colormap as Colormap;
    tiles.redraw();
  },
  cancel: () => send({ type: 'cancel', run }),
  resultJson: () => info && download('result.json', resultJson(info, state, tiles.results()), 'application/json'),
});
void showSamples(state, (i, s) => {
  busy(true);
  return fetch(`${BASE}samples/${s}`)
    .then((r) => r.blob())
    .then((b) => setImage(b, s, `sample:${i}`));
});
send({ type: 'init' });
