import { candidateLayers, LOGITS_LAYER, type Model } from '@gradscope/core';
import { sanityCheck, sanityPlotSvg } from '@gradscope/metrics';
import type { EvaluationJob } from './evaluation-spec.js';
import { jobTarget, readImage } from './evaluate-job.js';
import type { LoadedEvaluator } from './load-evaluator.js';

/** At most this many methods get a sanity figure (each costs one explanation per randomised layer). */
const MAX_METHODS = 6;
/** Layers randomised in the cascade besides the logits layer, evenly spaced from the top. */
const MAX_LAYERS = 5;
const SEED = 7;

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The logits layer, then up to MAX_LAYERS feature layers from the top that the model can re-initialise. */
async function cascade(model: Model): Promise<string[]> {
  const feature = candidateLayers(model.layers).reverse();
  const step = Math.max(1, feature.length / MAX_LAYERS);
  const picked = [
    ...new Set(
      Array.from({ length: Math.min(MAX_LAYERS, feature.length) }, (_, i) => feature[Math.floor(i * step)]!.name),
    ),
  ];
  const usable = [LOGITS_LAYER];
  for (const name of picked) {
    const copy = await model.randomized!([name], { seed: SEED }).catch(() => null); // a layer without weights
    if (copy) {
      usable.push(name);
      await copy.dispose();
    }
  }
  return usable;
}

/**
 * The sanity checks of Adebayo et al. (2018) for the report: on the first image, the trained model's map
 * of each method (the first MAX_METHODS) against the maps after cascading re-initialisation from the
 * logits down (seed 7), as `sanityPlotSvg` figures. An explanation that stays similar does not explain
 * the model. Returns HTML, or a note when the backend cannot randomise this model's weights.
 */
export async function sanityFigures(ev: LoadedEvaluator, first: EvaluationJob | undefined): Promise<string> {
  const { model } = ev;
  if (!first) return '<p class="note">No image: no sanity check.</p>';
  if (!model.randomized || !model.capabilities.has('randomize-weights'))
    return `<p class="note">The ${escape(model.backend)} backend cannot re-initialise this model's weights (capability randomize-weights): no sanity check.</p>`;
  const layers = await cascade(model);
  const input = await readImage(first, ev);
  const target = jobTarget(ev.spec.target, first.target);
  const out = [
    `<p>Image ${escape(first.image)}; layers re-initialised from the top: ${layers.map(escape).join(', ')}.</p>`,
  ];
  for (const id of ev.spec.methods.slice(0, MAX_METHODS)) {
    const m = ev.methods.get(id)!;
    const explain = async (mm: Model, x: typeof input, t: typeof target) =>
      (
        await ev.gs.explain(mm, x, {
          method: id,
          ...(m.method.usesLayers && { layer: ev.layers }),
          target: t,
          options: m.options,
        })
      ).map;
    try {
      const result = await sanityCheck({ model, input, target, explain, layers, mode: 'cascading', seed: SEED });
      out.push(`<figure><figcaption>${escape(id)}</figcaption>${sanityPlotSvg(result)}</figure>`);
    } catch (e) {
      out.push(`<p class="note">${escape(id)}: ${escape((e as Error).message.split('\n', 1)[0] ?? '')}</p>`);
    }
  }
  if (ev.spec.methods.length > MAX_METHODS)
    out.push(`<p class="note">Sanity figures for the first ${MAX_METHODS} methods only.</p>`);
  return out.join('\n');
}
