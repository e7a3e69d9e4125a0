import { writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import {
  createGradscope,
  missingCapabilities,
  resolveLayers,
  validateTarget,
  modelOutputShape,
  MissingCapabilityError,
  BadInputShapeError,
  type Gradscope,
  type Method,
  type ImagePixels,
  type Model,
  type ModelSource,
  type Normalization,
  type Target,
} from '@gradscope/core';
import { resolveMetricOptions, type Metric } from '@gradscope/metrics';
import { chooseNormalization } from './choose-normalization.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { explainInput, explainInputs, type InputRun } from './explain-input.js';
import { galleryHtml, type GalleryRow } from './gallery-html.js';
import { checkModelFile, loadModel, lookupBackend } from './load-model.js';
import { methodOptionsFromFlags } from './method-flags.js';
import { createProgress } from './progress.js';
import type { LoadedInput } from './read-input.js';
import { sidecarPath, type Sidecar } from './sidecar.js';
import { outputError } from './output-error.js';
import { checkReplaceable, stageDir } from './staged-dir.js';
import type { Wiring } from './wiring.js';

/** One input of a run: how it is named in the output and how it becomes a tensor for a model. */
export interface InputSource {
  /** Output sub-folder name when there are several inputs (unique within the run). */
  readonly name: string;
  /** The path as given, or a sample's name. */
  readonly label: string;
  read(model: Model, normalization: Normalization): LoadedInput;
}

/** Everything `explain` and `demo` decided from the command line. */
export interface ExplainJob {
  readonly backend: string;
  readonly model: ModelSource;
  readonly modelLabel: string;
  readonly sidecar: Sidecar;
  readonly inputs: readonly InputSource[];
  readonly methods: 'all' | readonly string[];
  readonly layers: readonly string[];
  readonly target: Target;
  readonly targetText: string;
  /** `--metrics`: each method's map is scored with these (options as given; defaults filled here). */
  readonly metrics?: readonly { readonly metric: Metric<any>; readonly options: Readonly<Record<string, unknown>> }[];
  /** Absolute output folder. */
  readonly out: string;
  readonly size?: { readonly height: number; readonly width: number };
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
  /** `--scale R`: the network takes pixels in [0, R]; --mean/--std are in those units. */
  readonly scale?: number;
  /** `--output <name>`: the model output to explain. */
  readonly output?: string;
  /** `--bgr`: feed blue, green, red. */
  readonly bgr?: boolean;
  /** Let tfjs weight paths leave the model's folder (`--allow-paths-outside-model-dir`). */
  readonly allowPathsOutsideModelDir?: boolean;
  /** `--batch n`: inputs explained together, in batches of n (default {@link DEFAULT_BATCH}). */
  readonly batch?: number;
  /** Parsed flags, for the generated method-option flags. */
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
}

const sidecarName = (m: ModelSource) => (typeof m === 'string' ? sidecarPath(m) : '<model>.gradscope.json');

/**
 * Inputs explained together by default: 8 images share each method's captures (one batched
 * forward/backward) while their perturbation runs still take turns, so memory stays that of 8
 * captures plus one chunk of model rows.
 */
export const DEFAULT_BATCH = 8;

const IDENTITY: Normalization = { mean: [0, 0, 0], std: [1, 1, 1] };

/** A method `--method all` left out, and the capabilities this model lacks for it. */
export interface SkippedMethod {
  readonly id: string;
  readonly missing: readonly string[];
}

/** `--method all`: the methods this model cannot run, with the capabilities each one lacks. */
function skippedMethods(job: ExplainJob, all: readonly Method[], model: Model): SkippedMethod[] {
  if (job.methods !== 'all') return [];
  return all
    .map((m) => ({ id: m.id, missing: missingCapabilities(m, model.capabilities) }))
    .filter((s) => s.missing.length > 0);
}

/** Methods to run: the requested ones (each checked against the model's capabilities) or all runnable. */
function selectMethods(job: ExplainJob, all: readonly Method[], model: Model): Method[] {
  if (job.methods === 'all') {
    const ok = all.filter((m) => missingCapabilities(m, model.capabilities).length === 0);
    if (!ok.length) throw new CliError(`no registered method can run on backend '${model.backend}' with this model`);
    return ok;
  }
  return job.methods.map((id) => {
    const m = all.find((x) => x.id === id)!;
    const missing = missingCapabilities(m, model.capabilities);
    if (missing.length) throw new MissingCapabilityError(m.id, model.backend, missing, model.name);
    return m;
  });
}

/**
 * Runs `job`: validates everything (methods, option flags, model, layers, target, inputs) before any
 * work, then explains each input with each method into a staged folder that replaces `job.out` only
 * when every file was written. The model is disposed whatever happens. Returns the lines to print.
 */
export async function runExplain(job: ExplainJob, wiring: Wiring, io: CliIo): Promise<string[]> {
  const gs = createGradscope({ backends: wiring.backends, methods: wiring.methods });
  try {
    const backend = lookupBackend(gs, job.backend);
    await checkModelFile(job.model, job.modelLabel);
    await checkReplaceable(job.out);
    const all = gs.methods();
    if (job.methods !== 'all') {
      const explicit = job.methods.map((id) => gs.method(id));
      methodOptionsFromFlags(job.flags, all, explicit);
    }
    for (const m of job.metrics ?? []) resolveMetricOptions(m.metric, m.options);
    const normalization = chooseNormalization(job);
    const side = job.sidecar.inputSize;
    const inputSize = job.size ? job.size : side ? { height: side[0], width: side[1] } : undefined;
    const model = await loadModel(backend, job.model, job.modelLabel, {
      ...(normalization && { normalization }),
      ...(inputSize && { inputSize }),
      ...(job.bgr && { channelOrder: 'bgr' as const }),
      ...(job.output !== undefined && { output: job.output }),
      ...(job.allowPathsOutsideModelDir && { allowPathsOutsideModelDir: true }),
    }).catch((e: unknown) => {
      // a backend that refuses an inputSize contradicting its fixed size: say it in the flag's terms
      if (job.size && e instanceof BadInputShapeError && e.message.startsWith('inputSize ')) {
        // [N, H, W, C] (channels last, C ≤ 4) or [N, C, H, W]
        const [a, b, c] = e.expected.slice(1) as [number, number, number];
        const [H, W] = c <= 4 ? [a, b] : [b, c];
        throw new CliError(`--size ${sizeText(job.size)} does not match the model's fixed input size ${H}×${W}`);
      }
      throw e;
    });
    try {
      const known = !!(normalization ?? model.input.normalization);
      return await runOnModel(
        job,
        wiring,
        io,
        gs,
        all,
        model,
        normalization ?? model.input.normalization ?? IDENTITY,
        known,
      );
    } finally {
      await model.dispose();
    }
  } finally {
    await gs.dispose();
  }
}

async function runOnModel(
  job: ExplainJob,
  wiring: Wiring,
  io: CliIo,
  gs: Gradscope,
  all: readonly Method[],
  model: Model,
  norm: Normalization,
  normKnown: boolean,
): Promise<string[]> {
  const { height: H, width: W } = model.input;
  if (job.size && (H !== job.size.height || W !== job.size.width))
    throw new CliError(`--size ${sizeText(job.size)} does not match the model's fixed input size ${H}×${W}`);
  const classes = job.sidecar.classes ?? [];
  if (classes.length && classes.length !== model.numClasses)
    throw new CliError(`the sidecar lists ${classes.length} classes but the model has ${model.numClasses} outputs`);
  const selected = selectMethods(job, all, model);
  const skipped = skippedMethods(job, all, model);
  if (skipped.length)
    io.stderr.write(
      `gradscope: --method all skipped what this model on '${model.backend}' cannot run: ${skipped.map((s) => `${s.id} (needs ${s.missing.join(', ')})`).join(', ')}\n`,
    );
  const options = methodOptionsFromFlags(job.flags, all, selected);
  // an explicit --layer is always checked, even when no selected method uses it
  const explicitLayer = job.layers.length !== 1 || job.layers[0] !== 'auto';
  const layers = selected.some((m) => m.usesLayers) || explicitLayer ? resolveLayers(model, job.layers) : [];
  validateTarget(job.target, modelOutputShape(model));
  const inputs = job.inputs.map((src) => ({ src, loaded: src.read(model, norm) }));
  // .npy inputs are already normalised; images are converted with a normalisation nobody stated
  if (!normKnown && inputs.some((i) => i.loaded.kind !== 'npy'))
    io.stderr.write(
      `gradscope: warning: ${job.modelLabel}: input normalisation unknown; pixels are fed in [0, 1] (pass --mean/--std or --scale, or add "normalization" to ${sidecarName(job.model)})\n`,
    );

  const staged = await stageDir(job.out);
  const progress = createProgress(io, inputs.length * (selected.length + 1));
  const run: InputRun = {
    gs,
    wiring,
    model,
    modelLabel: job.modelLabel,
    methods: selected,
    metrics: job.metrics ?? [],
    skipped,
    options,
    layers,
    layerText: job.layers.join(','),
    target: job.target,
    targetText: job.targetText,
    classes,
    normalization: norm,
    versions: wiring.versions(),
    step: progress.step,
    update: progress.update,
    reportRuns: progress.reportRuns,
  };
  try {
    const several = inputs.length > 1;
    const rows: GalleryRow[] = [];
    const gridRows: { label: string; cells: ImagePixels[] }[] = [];
    const printed: string[] = [];
    const rel = relative(io.cwd ?? process.cwd(), job.out);
    const shown = rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? job.out : rel;
    const size = job.batch ?? DEFAULT_BATCH;
    const batches = Array.from({ length: Math.ceil(inputs.length / size) }, (_, b) =>
      inputs.slice(b * size, (b + 1) * size),
    );
    for (const batch of batches) {
      // a batch's inputs are explained together, then written one by one
      const perInput = await explainInputs(
        run,
        batch.map((i) => i.loaded.tensor),
      );
      for (const [j, { src, loaded }] of batch.entries()) {
        const sub = several ? src.name : '';
        const dir = join(staged.path, sub);
        const r = await explainInput(run, src.label, loaded, dir, sub ? `${sub}/` : '', perInput[j]!);
        rows.push(r.row);
        gridRows.push({ label: `${src.name}: ${r.topName}`, cells: r.pictures });
        printed.push(
          `  ${src.label} → ${sub ? `${join(shown, sub)}/` : shown}  (${r.probability === null ? `region of ${r.topName}` : `top-1: ${r.topName}, p = ${r.probability.toFixed(3)}`})`,
        );
      }
    }
    const subtitle = `model ${job.modelLabel} on ${model.backend}; layer ${layers.join(', ') || '(none)'}; target ${job.targetText}`;
    await writeFile(join(staged.path, 'index.html'), galleryHtml('gradscope', subtitle, rows));
    const grid = wiring.render.grid(['input', ...selected.map((m) => m.id)], gridRows);
    await writeFile(join(staged.path, 'grid.png'), wiring.render.encodePng(grid));
    progress.done();
    await staged.commit();
    return [
      `explained ${inputs.length} input(s) with ${selected.length} method(s) (${selected.map((m) => m.id).join(', ')}) on ${model.backend}`,
      ...printed,
      `gallery: ${join(shown, 'index.html')}`,
      `grid:    ${join(shown, 'grid.png')}`,
    ];
  } catch (e) {
    progress.done();
    await staged.abort();
    throw outputError(e, job.out);
  }
}

/** `--size` as the user wrote it: `8` or `8x9`. */
const sizeText = (s: { height: number; width: number }) =>
  s.height === s.width ? `${s.height}` : `${s.height}x${s.width}`;
