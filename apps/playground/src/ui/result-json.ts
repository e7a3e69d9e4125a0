import {
  BUILTIN_MODELS,
  type ClassScore,
  type MethodOutput,
  type ModelChoice,
  type ModelInfo,
  type Pixels,
} from '../protocol.js';
import type { AppState } from './state.js';

/** What a run's result.json needs besides the method outputs. */
export interface RunInfo {
  readonly model: ModelInfo;
  readonly modelLabel: string;
  readonly imageLabel: string;
  readonly top: readonly ClassScore[];
  readonly forwardMs: number;
  readonly normalization: { readonly mean: readonly number[]; readonly std: readonly number[] };
  readonly input: Pixels;
}

/** How result.json names a model choice. */
export const modelLabel = (choice: ModelChoice) =>
  choice.kind === 'builtin'
    ? BUILTIN_MODELS[choice.id].replace(/ \(tfjs and ONNX\)$/, '')
    : choice.kind === 'url'
      ? choice.url
      : choice.files.map((f) => f.name).join(', ');

/** result.json in the CLI's format (without its file links: the page's files are downloaded one by one). */
export function resultJson(info: RunInfo, state: AppState, results: readonly MethodOutput[]): string {
  const { model } = info;
  const name = (i: number | null) => (i === null ? null : (model.classes[i] ?? null));
  const first = results[0];
  const layout = model.input.layout;
  const shape =
    layout === 'NCHW'
      ? [1, model.input.channels, model.input.height, model.input.width]
      : [1, model.input.height, model.input.width, model.input.channels];
  const result = {
    input: { file: info.imageLabel, tensorShape: shape, layout, normalization: info.normalization },
    model: { file: info.modelLabel, name: model.name, inputShape: shape, numClasses: model.numClasses },
    backend: model.backend,
    device: state.device,
    layer: { requested: state.layer, resolved: results.find((r) => r.layers.length)?.layers ?? [] },
    target: {
      requested: state.target === null ? 'top1' : String(state.target),
      classIndex: first?.target.classIndex ?? info.top[0]?.index ?? null,
      className: name(first?.target.classIndex ?? info.top[0]?.index ?? null),
      score: first?.target.score ?? null,
    },
    top5: info.top,
    forwardMs: info.forwardMs,
    methods: results.map((r) => ({
      id: r.method,
      space: r.space,
      layers: r.layers,
      target: {
        classIndex: r.target.classIndex,
        className: name(r.target.classIndex),
        negate: r.target.negate,
        score: r.target.score,
      },
      options: state.options[r.method] ?? {},
      ms: r.ms,
    })),
  };
  return `${JSON.stringify(result, null, 2)}\n`;
}
