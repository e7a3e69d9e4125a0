import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  guardFinite,
  encodeNpy,
  resolveTarget,
  modelOutputShape,
  outputSize,
  tensorToImage,
  type Gradscope,
  type Method,
  type ImagePixels,
  type Model,
  type Normalization,
  type Target,
  type Explanation,
  type Tensor,
} from '@gradscope/core';
import type { Metric } from '@gradscope/metrics';
import { imageSeed } from './evaluate/evaluation-spec.js';
import { scoreExplanation } from './evaluate/score-metrics.js';
import { withClass } from './evaluate/with-class.js';
import type { GalleryRow } from './gallery-html.js';
import type { LoadedInput } from './read-input.js';
import { sharedBatchLogits } from './shared-logits.js';
import { topClasses, type ClassScore } from './top-classes.js';
import type { Wiring } from './wiring.js';

/** What one input's explanations share: the model, the methods with their options, layers, target. */
export interface InputRun {
  readonly gs: Gradscope;
  readonly wiring: Wiring;
  readonly model: Model;
  readonly modelLabel: string;
  readonly methods: readonly Method[];
  /** Metrics each method's map is scored with (`--metrics`). */
  readonly metrics?: readonly { readonly metric: Metric<any>; readonly options: Readonly<Record<string, unknown>> }[];
  /** Methods `--method all` left out, with the capabilities they need (written to result.json). */
  readonly skipped?: readonly { readonly id: string; readonly missing: readonly string[] }[];
  readonly options: ReadonlyMap<string, Record<string, number | boolean | string>>;
  /** Resolved layer names (empty when no selected method uses layers). */
  readonly layers: readonly string[];
  readonly layerText: string;
  readonly target: Target;
  readonly targetText: string;
  readonly classes: readonly string[];
  readonly normalization: Normalization;
  readonly versions: Record<string, string>;
  /** Called before each step (forward, then each method). */
  readonly step: (what: string) => void;
  /** Progress of the current step (long methods), and its end. */
  readonly update?: (done: number, total: number) => void;
  /** One line for a long method's runs and time (not on a terminal). */
  readonly reportRuns?: (done: number, of: number, ms: number) => void;
}

/** `--metrics`: scores one method's map, seeded from the input's file name as `evaluate` seeds it. */
async function scoreMethod(r: InputRun, m: Method, ex: Explanation, x: Tensor, label: string) {
  const request = { method: m.id, ...(m.usesLayers && { layer: r.layers }), options: r.options.get(m.id)! };
  const target = withClass(r.target, ex.target.classIndex);
  const s = await scoreExplanation(ex, r.metrics!, {
    model: r.model,
    input: x,
    target: r.target,
    seed: imageSeed(basename(label)),
    explain: async (input) => (await r.gs.explain(r.model, input, { ...request, target })).map,
  });
  return s.metrics;
}

/**
 * One input's explanations, one per method in order, the last progress each long method reported,
 * and the input's logits from the methods' shared capture (null when nothing captured it).
 */
export interface InputExplanations {
  readonly explanations: readonly Explanation[];
  readonly logits: Tensor | null;
  readonly reported: ReadonlyMap<string, readonly [number, number]>;
}

/**
 * Explains several inputs with every method side by side (`Gradscope.explainBatchMany`): each
 * method's captures of all of them share one batched capture, and the methods share it as
 * `explainMany`'s do. Per input, what it would get explained alone.
 */
export async function explainInputs(r: InputRun, inputs: readonly Tensor[]): Promise<InputExplanations[]> {
  const reported = inputs.map(() => new Map<string, [number, number]>());
  // the shared capture's logits also give each input's top-5 and target (see sharedBatchLogits)
  const shared = sharedBatchLogits(r.model, inputs);
  const got = await r.gs.explainBatchMany(
    shared.model,
    inputs,
    r.methods.map((m) => ({
      method: m.id,
      ...(m.usesLayers && { layer: r.layers }),
      target: r.target,
      options: r.options.get(m.id)!,
      // long methods report progress: one shared bar while they run, a line each when done
      onProgress: (done: number, of: number, i: number) => {
        reported[i]!.set(m.id, [done, of]);
        r.update?.(done, of);
      },
    })),
  );
  return inputs.map((_, i) => ({
    explanations: got.map((perMethod) => perMethod[i]!),
    reported: reported[i]!,
    logits: shared.logits(i),
  }));
}

/**
 * Writes one input's explanations (see `explainInputs`) into `dir`: `input.png`; per method `<id>.npy` (CAM: the
 * `[H, W]` map; input space: the attribution), `<id>.raw.npy` (CAM only) and `<id>.png`, and for a
 * method with several maps (DFF) `<id>.<name>.npy`, `.raw.npy` and `.png` per map; then
 * `result.json`. `prefix` (`''` or `<name>/`) makes the returned gallery links relative to the
 * output root.
 */
export async function explainInput(
  r: InputRun,
  label: string,
  input: LoadedInput,
  dir: string,
  prefix: string,
  explained: InputExplanations,
) {
  await mkdir(dir, { recursive: true });
  const { model, wiring, classes } = r;
  const { layout } = model.input;
  const x = input.tensor;
  const nameOf = (i: number | null) => (i === null ? null : (classes[i] ?? null));
  const png = (img: ImagePixels) => wiring.render.encodePng(img);

  r.step(`${label}: forward`);
  const image = tensorToImage(x, layout, r.normalization, model.input.channelOrder);
  await writeFile(join(dir, 'input.png'), png(image));

  const methods = [];
  const pictures: ImagePixels[] = [image];
  const t0 = performance.now();
  // NaN logits would print as `p = NaN` and pick class 0: core's check makes them a typed error
  const shared = explained.logits;
  const shape = modelOutputShape(model);
  const logits = (shared ?? (await guardFinite(model).forward(x))).data.subarray(0, outputSize(model));
  // 0 when the logits came from the methods' shared forward pass
  const forwardMs = shared ? 0 : performance.now() - t0;
  // class planes (a segmentation model) have no ranking of classes
  const top5: ClassScore[] = shape.length > 1 ? [] : topClasses(logits, 5, classes, model.outputActivation);
  const target = resolveTarget(r.target, logits, shape);
  for (const [k, m] of r.methods.entries()) {
    r.step(`${label}: ${m.id}`);
    const ex = explained.explanations[k]!;
    const runs = explained.reported.get(m.id);
    if (runs) r.reportRuns?.(runs[0], runs[1], ex.timings.totalMs);
    const files: Record<string, string> = {};
    const put = async (key: string, name: string, bytes: Uint8Array) => {
      await writeFile(join(dir, name), bytes);
      files[key] = prefix + name;
    };
    let picture: ImagePixels;
    const allZero = ex.raw.data.every((v) => v === 0);
    if (ex.space === 'layer') {
      await put('map', `${m.id}.npy`, encodeNpy(ex.map));
      await put('raw', `${m.id}.raw.npy`, encodeNpy(ex.raw));
      picture = wiring.render.overlay(image, ex.map);
    } else {
      await put('attribution', `${m.id}.npy`, encodeNpy(ex.raw));
      picture = wiring.render.attribution(ex.raw, layout);
    }
    await put('png', `${m.id}.png`, png(picture));
    pictures.push(picture);
    // methods with several maps (DFF's concepts): `<id>.<name>.npy`, `.raw.npy` and `.png` each
    const maps = [];
    for (const nm of ex.maps ?? []) {
      const base = `${m.id}.${nm.name}`;
      await put(`${nm.name}:map`, `${base}.npy`, encodeNpy(nm.map));
      await put(`${nm.name}:raw`, `${base}.raw.npy`, encodeNpy(nm.raw));
      await put(`${nm.name}:png`, `${base}.png`, png(wiring.render.overlay(image, nm.map)));
      maps.push({
        name: nm.name,
        files: { map: files[`${nm.name}:map`]!, raw: files[`${nm.name}:raw`]!, png: files[`${nm.name}:png`]! },
        ...(nm.info ? { info: nm.info } : {}),
      });
    }
    const scores = r.metrics?.length ? await scoreMethod(r, m, ex, x, label) : undefined;
    methods.push({
      id: m.id,
      title: m.title,
      space: ex.space,
      layers: ex.layers,
      target: {
        classIndex: ex.target.classIndex,
        className: nameOf(ex.target.classIndex),
        negate: ex.target.negate,
        score: ex.target.score,
      },
      options: r.options.get(m.id)!,
      ms: ex.timings.totalMs,
      ...(allZero && { allZero: true }),
      files,
      ...(maps.length ? { maps } : {}),
      ...(scores && { metrics: scores }),
    });
  }

  const result = {
    input: {
      file: label,
      format: input.kind,
      ...(input.sourceSize && { sourceSize: [input.sourceSize.height, input.sourceSize.width] }),
      tensorShape: x.shape,
      layout,
      normalization: r.normalization,
    },
    model: { file: r.modelLabel, name: model.name, inputShape: model.input.shape, numClasses: model.numClasses },
    backend: model.backend,
    layer: { requested: r.layerText, resolved: r.layers },
    target: {
      requested: r.targetText,
      classIndex: target.classIndex,
      className: nameOf(target.classIndex),
      score: target.score,
    },
    top5,
    forwardMs,
    methods,
    ...(r.skipped?.length && { skippedMethods: r.skipped }),
    versions: r.versions,
  };
  await writeFile(join(dir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);

  // a segmentation model has no top-1: name the class whose region is explained
  const top = top5[0];
  const topName = top
    ? (top.name ?? `class ${top.index}`)
    : (nameOf(target.classIndex) ?? `class ${target.classIndex}`);
  const row: GalleryRow = {
    name: label,
    caption: top
      ? `top-1: ${topName} (p = ${top.probability.toFixed(3)}, logit ${top.logit.toFixed(3)})`
      : `region of ${topName} (score ${target.score.toFixed(3)})`,
    input: `${prefix}input.png`,
    cells: methods.flatMap((m) => [
      { label: 'allZero' in m ? `${m.id} (all zero)` : m.id, href: m.files.png!, ms: m.ms },
      ...(m.maps ?? []).map((nm) => ({ label: `${m.id} · ${nm.name}`, href: nm.files.png })),
    ]),
  };
  return { row, pictures, topName, probability: top?.probability ?? null };
}
