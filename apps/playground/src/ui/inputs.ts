import { BUILTIN_MODELS, TARGET_KINDS, type ModelChoice, type TargetKind } from '../protocol.js';
import { renderColormaps } from './controls.js';
import { $, h } from './dom.js';
import { droppedFiles, isModelFile } from './dropped-files.js';
import { choiceOf, writeState, type AppState } from './state.js';

/** What the page's inputs (model, image, plugin, view controls, drop, paste) act on. */
export interface InputActions {
  readonly state: AppState;
  loadModel(choice: ModelChoice): void;
  /** A model from the user (files or URL); the device follows its runtime. */
  userModel(choice: ModelChoice): void;
  modelFiles(files: File[]): void;
  setImage(blob: Blob, label: string, key: AppState['image']): Promise<void>;
  plugin(name: string, source: Promise<string>): Promise<void>;
  /** The target kind or its negation changed (already in `state`). */
  retarget(): void;
  /** A target vector file (.npy) was picked. */
  targetVector(file: File): void;
  /** Colormap or opacity changed (already in `state`). */
  redraw(): void;
  cancel(): void;
  resultJson(): void;
}

const KIND_LABEL: Record<TargetKind, string> = {
  class: 'class logit',
  softmax: 'softmax probability',
  rest: 'ReST (2·logit − logsumexp)',
  finer: 'FinerCAM (against similar classes)',
  binary: 'one-output decision (binary)',
  similarity: 'cosine similarity to a vector (.npy)',
  seed: 'seed vector over the outputs (.npy)',
};

/** Wires the static controls of index.html to `a`. */
export function wireInputs(a: InputActions): void {
  const { state } = a;
  const builtin = $<HTMLSelectElement>('model-kind');
  builtin.replaceChildren(
    ...Object.entries(BUILTIN_MODELS).map(([id, label]) => h('option', { value: `builtin:${id}` }, label)),
  );
  builtin.value = state.model === 'builtin' ? 'builtin:shapes' : state.model;
  builtin.onchange = () => {
    state.model = builtin.value as AppState['model'];
    writeState(state);
    a.loadModel(choiceOf(state.model));
  };
  const files = $<HTMLInputElement>('model-files');
  files.onchange = () => a.modelFiles([...(files.files ?? [])]);
  const folder = $<HTMLInputElement>('model-folder');
  folder.onchange = () => a.modelFiles([...(folder.files ?? [])].filter(isModelFile));
  $('model-url-form').onsubmit = (e) => {
    e.preventDefault();
    const url = $<HTMLInputElement>('model-url').value.trim();
    if (!url) return;
    a.userModel({ kind: 'url', url });
  };
  const img = $<HTMLInputElement>('image-file');
  img.onchange = () => img.files?.[0] && a.setImage(img.files[0], img.files[0].name, 'file');
  const pf = $<HTMLInputElement>('plugin-file');
  pf.onchange = () => pf.files?.[0] && a.plugin(pf.files[0].name, pf.files[0].text());
  $('plugin-url-form').onsubmit = (e) => {
    e.preventDefault();
    const url = $<HTMLInputElement>('plugin-url').value.trim();
    const text = () => fetch(url).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`))));
    if (url) void a.plugin(url, text());
  };
  const kind = $<HTMLSelectElement>('target-kind');
  kind.replaceChildren(
    ...TARGET_KINDS.map((k) => h('option', { value: k, selected: k === state.targetKind }, KIND_LABEL[k])),
  );
  kind.onchange = () => ((state.targetKind = kind.value as TargetKind), a.retarget());
  const negate = $<HTMLInputElement>('target-negate');
  negate.checked = state.negate;
  negate.onchange = () => ((state.negate = negate.checked), a.retarget());
  const vector = $<HTMLInputElement>('target-vector');
  vector.onchange = () => vector.files?.[0] && a.targetVector(vector.files[0]);
  const opacity = $<HTMLInputElement>('opacity');
  opacity.value = String(state.opacity);
  opacity.oninput = () => ((state.opacity = Number(opacity.value)), a.redraw(), writeState(state));
  renderColormaps(state.colormap, (v) => ((state.colormap = v), a.redraw(), writeState(state)));
  $('cancel').onclick = () => a.cancel();
  $('result-json').onclick = () => a.resultJson();
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    if (!e.dataTransfer) return;
    void droppedFiles(e.dataTransfer).then((dropped) => {
      const image = dropped.find((f) => f.type.startsWith('image/'));
      if (image && dropped.length === 1) void a.setImage(image, image.name, 'file');
      else a.modelFiles(dropped);
    });
  });
  window.addEventListener('paste', (e) => {
    const f = [...(e.clipboardData?.files ?? [])].find((x) => x.type.startsWith('image/'));
    if (f) void a.setImage(f, 'pasted image', 'file');
  });
}

/** The sample thumbnails; picks the one in `state.image` (or the first). */
export async function showSamples(state: AppState, pick: (index: number, file: string) => Promise<void>) {
  const base = import.meta.env.BASE_URL;
  type Index = { samples: { image: string; className: string }[] };
  const read = async (dir: string) =>
    ((await (await fetch(`${base}samples/${dir}index.json`)).json()) as Index).samples.map((s) => ({
      ...s,
      image: `${dir}${s.image}`,
    }));
  // The shapes model's samples, then the GAIN models' biased shapes (indices continue: old links keep their image).
  const index = { samples: [...(await read('')), ...(await read('gain/'))] };
  $('samples').replaceChildren(
    ...index.samples.map((s, i) =>
      h(
        'button',
        { class: 'sample', title: `${s.image} (${s.className})`, 'data-sample': i, onclick: () => pick(i, s.image) },
        h('img', { src: `${base}samples/${s.image}`, alt: s.className }),
      ),
    ),
  );
  const m = /^sample:(\d+)$/.exec(state.image);
  const i = m && index.samples[Number(m[1])] ? Number(m[1]) : 0;
  await pick(i, index.samples[i]!.image);
}
