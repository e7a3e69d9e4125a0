import {
  autoLayer,
  candidateLayers,
  GradscopeError,
  isGradscopeError,
  type Backend,
  type Model,
} from '@gradscope/core';
import { parseSidecar, type Sidecar } from './sidecar.js';
import type { ModelChoice } from '../protocol.js';
import { BASE } from './devices.js';

const isSidecar = (f: File) => f.name.endsWith('.gradscope.json');

async function sidecarOf(choice: ModelChoice, onnx: boolean): Promise<Sidecar> {
  if (choice.kind === 'builtin') {
    const res = await fetch(`${BASE}models/${choice.id}/model.gradscope.json`);
    return parseSidecar(await res.text(), 'model.gradscope.json');
  }
  if (choice.kind === 'files') {
    const f = choice.files.find(isSidecar);
    return f ? parseSidecar(await f.text(), f.name) : {};
  }
  if (!onnx) return {}; // tfjs reads the sidecar next to model.json itself
  const url = choice.url.replace(/\.onnx([?#].*)?$/i, '.gradscope.json$1');
  if (url === choice.url) return {};
  try {
    const res = await fetch(url);
    return res.ok ? parseSidecar(await res.text(), url) : {};
  } catch {
    return {};
  }
}

/** Whether a model choice is an ONNX model (else tfjs). The built-in one follows the device. */
export function isOnnxChoice(choice: ModelChoice, device: string): boolean {
  if (choice.kind === 'builtin') return device.startsWith('onnx-');
  if (choice.kind === 'url') return /\.onnx([?#]|$)/i.test(choice.url);
  return choice.files.some((f) => f.name.toLowerCase().endsWith('.onnx'));
}

/**
 * Loads a model choice on a backend; the sidecar supplies classes, normalisation and input size.
 * `inputSize` (the user's) overrides the sidecar's; a model with a fixed input of another size is refused.
 */
export async function loadModel(
  backend: Backend,
  choice: ModelChoice,
  inputSize?: { readonly height: number; readonly width: number },
): Promise<{ model: Model; sidecar: Sidecar }> {
  const onnx = backend.id === 'onnx';
  if (onnx !== isOnnxChoice(choice, onnx ? 'onnx-' : 'tfjs-'))
    throw new GradscopeError(
      'bad-input',
      onnx ? 'this is a tfjs model: pick a tfjs backend' : 'this is an ONNX model: pick an onnx backend',
    );
  const sidecar = await sidecarOf(choice, onnx);
  const source =
    choice.kind === 'builtin'
      ? `${BASE}models/${choice.id}/${onnx ? 'model.onnx' : 'model.json'}`
      : choice.kind === 'url'
        ? new URL(choice.url, BASE).href
        : choice.files.filter((f) => !(onnx && isSidecar(f)));
  const size = inputSize ?? sidecar.inputSize;
  const model = await backend
    .load(source, {
      ...(sidecar.normalization && { normalization: sidecar.normalization }),
      ...(size && { inputSize: size }),
    })
    .catch((e: unknown) => {
      // a backend that refuses an input size contradicting its fixed one ([N, H, W, C] or [N, C, H, W])
      const expected = (e as { expected?: readonly number[] }).expected;
      if (inputSize && isGradscopeError(e, 'bad-input-shape') && expected?.length === 4) {
        const [a, b, c] = expected.slice(1) as [number, number, number];
        const fixed = c <= 4 ? `${a}×${b}` : `${b}×${c}`;
        throw new GradscopeError(
          'bad-input',
          `this model's input size is fixed at ${fixed}; it cannot take ${inputSize.height}×${inputSize.width}`,
        );
      }
      throw e;
    });
  if (inputSize && (model.input.height !== inputSize.height || model.input.width !== inputSize.width)) {
    const fixed = `${model.input.height}×${model.input.width}`;
    await model.dispose();
    throw new GradscopeError(
      'bad-input',
      `this model's input size is fixed at ${fixed}; it cannot take ${inputSize.height}×${inputSize.width}`,
    );
  }
  return { model, sidecar };
}

/** The layer table: every layer, with candidates (≥ 2×2 feature maps) marked; the auto choice. */
export function layerTable(model: Model) {
  const candidates = new Set(candidateLayers(model.layers).map((l) => l.name));
  return {
    layers: model.layers.map((l) => ({
      name: l.name,
      type: l.type,
      shape: [...l.outputShape],
      candidate: candidates.has(l.name),
    })),
    autoLayer: autoLayer(model.layers, model.head)?.name ?? null,
  };
}
