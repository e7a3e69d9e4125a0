import type { MetricContext } from './metric.js';
import { defineMetric } from './metric.js';
import { inputAndMap } from './pixel-image.js';

/**
 * `score(x ⊙ map) − score(x)`: the input (normalised, as the model sees it) multiplied pixel-wise by the
 * map on every channel, scored on the class explained, minus the original score. Shared by
 * `drop-in-confidence` and `increase-in-confidence`.
 */
export async function camMultConfidenceChange(ctx: MetricContext): Promise<number> {
  const { image, map } = inputAndMap(ctx.input, ctx.map, ctx.model.input.layout);
  const out = new Float32Array(image.data.length);
  for (let p = 0; p < image.H * image.W; p++)
    for (let c = 0; c < image.C; c++) out[image.at(c, p)] = image.data[image.at(c, p)]! * map[p]!;
  const [after] = ctx.scores(await ctx.forwardBatch({ data: out, shape: ctx.input.shape }));
  return after! - ctx.resolved.score;
}

/**
 * `cam-mult-image-confidence-change`: pytorch-grad-cam's `CamMultImageConfidenceChange`, the change
 * of the target's score when the image is multiplied by the map, `score(x ⊙ map) − score(x)`. The
 * score is the target's (a logit for `{kind:'class'}` as pytorch-grad-cam's `ClassifierOutputTarget`,
 * a probability for `{kind:'softmax'}` as `ClassifierOutputSoftmaxTarget`), always of the class
 * explained. Higher: the map keeps what the model needs (Chattopadhyay et al. 2018, Grad-CAM++,
 * "Average Drop / Increase in Confidence", https://arxiv.org/abs/1710.11063). Same numbers as
 * pytorch-grad-cam; no deliberate difference.
 */
export const camMultImageConfidenceChange = defineMetric({
  id: 'cam-mult-image-confidence-change',
  title: 'Confidence change (image × map)',
  description:
    "score(x ⊙ map) − score(x): the change of the target's score when the normalised input is multiplied by the map (pytorch-grad-cam's CamMultImageConfidenceChange; Chattopadhyay et al. 2018).",
  higherIsBetter: true,
  needs: [],
  options: {},
  compute: async (ctx) => ({ value: await camMultConfidenceChange(ctx) }),
});
