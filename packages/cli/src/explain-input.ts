import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  guardFinite,
  encodeNpy,
  resolveTarget,
  tensorToImage,
  type Gradscope,
  type Method,
  type ImagePixels,
  type Model,
  type Normalization,
  type Target,
} from '@gradscope/core';
import type { GalleryRow } from './gallery-html.js';
import type { LoadedInput } from './read-input.js';
import { topClasses, type ClassScore } from './top-classes.js';
import type { Wiring } from './wiring.js';

/** What one input's explanations share: the model, the methods with their options, layers, target. */
export interface InputRun {
  readonly gs: Gradscope;
  readonly wiring: Wiring;
  readonly model: Model;
  readonly modelLabel: string;
  readonly methods: readonly Method[];
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
}

/**
 * Explains one input with every method into `dir`: `input.png`; per method `<id>.npy` (CAM: the
 * `[H, W]` map; input space: the attribution), `<id>.raw.npy` (CAM only) and `<id>.png`; then
 * `result.json`. `prefix` (`''` or `<name>/`) makes the returned gallery links relative to the
 * output root.
 */
export async function explainInput(r: InputRun, label: string, input: LoadedInput, dir: string, prefix: string) {
  await mkdir(dir, { recursive: true });
  const { model, wiring, classes } = r;
  const { layout } = model.input;
  const x = input.tensor;
  const nameOf = (i: number | null) => (i === null ? null : (classes[i] ?? null));
  const png = (img: ImagePixels) => wiring.render.encodePng(img);

  r.step(`${label}: forward`);
  const t0 = performance.now();
  // NaN logits would print as `p = NaN` and pick class 0: core's check makes them a typed error
  const logits = (await guardFinite(model).forward(x)).data.subarray(0, model.numClasses);
  const forwardMs = performance.now() - t0;
  const top5: ClassScore[] = topClasses(logits, 5, classes);
  const target = resolveTarget(r.target, logits);
  const image = tensorToImage(x, layout, r.normalization);
  await writeFile(join(dir, 'input.png'), png(image));

  const methods = [];
  const pictures: ImagePixels[] = [image];
  for (const m of r.methods) {
    r.step(`${label}: ${m.id}`);
    const ex = await r.gs.explain(model, x, {
      method: m.id,
      ...(m.usesLayers && { layer: r.layers }),
      target: r.target,
      options: r.options.get(m.id)!,
    });
    const files: Record<string, string> = {};
    const put = async (key: string, name: string, bytes: Uint8Array) => {
      await writeFile(join(dir, name), bytes);
      files[key] = prefix + name;
    };
    let picture: ImagePixels;
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
      files,
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
    versions: r.versions,
  };
  await writeFile(join(dir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);

  const top = top5[0]!;
  const topName = top.name ?? `class ${top.index}`;
  const row: GalleryRow = {
    name: label,
    caption: `top-1: ${topName} (p = ${top.probability.toFixed(3)}, logit ${top.logit.toFixed(3)})`,
    input: `${prefix}input.png`,
    cells: methods.map((m) => ({ label: m.id, href: m.files.png!, ms: m.ms })),
  };
  return { row, pictures, topName, probability: top.probability };
}
