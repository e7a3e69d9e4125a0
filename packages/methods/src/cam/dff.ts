import {
  defineMethod,
  minMaxScale,
  nmf,
  resizeBilinear,
  softmax,
  UnsupportedModelError,
  type LinearHead,
  type NamedMap,
} from '@gradscope/core';

/** The concepts' class scores through the dense head: `softmax(W·concept + b)` per concept. */
function conceptScores(head: LinearHead, concepts: Float64Array, C: number, k: number): Float32Array[] {
  const [K, Ch] = head.weights.shape as [number, number];
  if (Ch !== C)
    throw new UnsupportedModelError(`the dense head has ${Ch} inputs but the factorised layer has ${C} channels`);
  return Array.from({ length: k }, (_, j) => {
    const y = new Float32Array(K);
    for (let c = 0; c < K; c++) {
      let s = head.bias?.data[c] ?? 0;
      for (let i = 0; i < C; i++) s += head.weights.data[c * C + i]! * concepts[i * k + j]!;
      y[c] = s;
    }
    return softmax(y);
  });
}

const topOf = (p: Float32Array, n: number) =>
  Array.from(p, (score, index) => ({ index, score }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, n);

/**
 * Deep Feature Factorization: the layer's activations factorised into k non-negative concepts, each
 * with its map and its top classes through the dense head.
 *
 * Formula: V = A as (C × h·w), each channel shifted by its minimum (so V ≥ 0); `V ≈ W·H` by NMF
 * (scikit-learn's `NMF(init='random', random_state=seed)`: NumPy's legacy generator for the init,
 * coordinate descent); concept j's map = `H_j` min-max scaled, then resized (pytorch-grad-cam's
 * `scale_cam_image`); its embedding `W_j + offset` goes through the head: `softmax(W_head·e + b)`.
 * `maps` holds every concept (named `0` … `k−1`, the CLI's `dff.<k>.npy`, with `info.topClasses`); `map`/`raw` are the concept
 * that scores the target class highest.
 *
 * Deviations: none from pytorch-grad-cam's `DeepFeatureFactorization` (its `computation_on_concepts`
 * is the model's dense head here); the NMF runs in float64 (scikit-learn in the activations'
 * float32), a difference well below 1e-3 of the factors.
 *
 * Paper: Collins, Achanta, Süsstrunk, "Deep Feature Factorization for Concept Discovery", ECCV 2018,
 * https://arxiv.org/abs/1806.10206
 */
export const dff = defineMethod<{ components: number; seed: number; topClasses: number }>({
  id: 'dff',
  title: 'Deep Feature Factorization',
  description: 'NMF of the activations into concepts, each with its map and top classes.',
  space: 'layer',
  usesLayers: true,
  requires: ['activations', 'linear-head'],
  options: {
    components: { type: 'integer', default: 5, min: 1, max: 64, description: 'Number of concepts k.' },
    seed: { type: 'integer', default: 0, min: 0, description: 'random_state of the NMF initialisation.' },
    topClasses: { type: 'integer', default: 3, min: 1, description: 'Top classes reported per concept.' },
  },
  async explain({ model, input, layers, target }, o) {
    const head = model.head;
    if (!head)
      throw new UnsupportedModelError(
        `'dff' labels its concepts through a conv → GAP → dense head, which '${model.name}' lacks`,
      );
    const layer = layers[0]!;
    const hook = await model.capture(input, {
      layers: [layer],
      gradients: false,
      inputGradient: false,
      targets: [target],
    });
    try {
      const a = hook.activations.get(layer)!;
      if (a.shape.length !== 4) throw new UnsupportedModelError(`layer '${layer}' has no spatial output for DFF`);
      const [, C, h, w] = a.shape as [number, number, number, number];
      const hw = h * w,
        k = o.components;
      const V = new Float64Array(C * hw);
      const offset = new Float64Array(C);
      for (let c = 0; c < C; c++) {
        let lo = Infinity;
        for (let i = 0; i < hw; i++) lo = Math.min(lo, Number.isNaN(a.data[c * hw + i]!) ? 0 : a.data[c * hw + i]!);
        offset[c] = lo;
        for (let i = 0; i < hw; i++) V[c * hw + i] = (Number.isNaN(a.data[c * hw + i]!) ? 0 : a.data[c * hw + i]!) - lo;
      }
      const { W, H } = nmf(V, C, hw, k, { seed: o.seed });
      for (let c = 0; c < C; c++) for (let j = 0; j < k; j++) W[c * k + j] = W[c * k + j]! + offset[c]!;
      const scores = conceptScores(head, W, C, k);
      const [IH, IW] = [model.input.height, model.input.width];
      const maps: NamedMap[] = scores.map((p, j) => {
        const raw = Float32Array.from(H.subarray(j * hw, (j + 1) * hw));
        return {
          name: `${j}`,
          map: { data: resizeBilinear(minMaxScale(raw), h, w, IH, IW), shape: [IH, IW] },
          raw: { data: raw, shape: [h, w] },
          info: { topClasses: topOf(p, o.topClasses) },
        };
      });
      const resolved = hook.targets[0]!;
      const c = resolved.classIndex ?? 0;
      let best = 0;
      for (let j = 1; j < k; j++) if (scores[j]![c]! > scores[best]![c]!) best = j;
      return { map: maps[best]!.map, raw: maps[best]!.raw, target: resolved, layers: [layer], maps };
    } finally {
      hook.dispose();
    }
  },
});
