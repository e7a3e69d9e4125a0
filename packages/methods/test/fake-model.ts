import {
  CAPABILITIES,
  hessianTimes,
  resolveTarget,
  targetHessian,
  type Capability,
  type CaptureRequest,
  type LayerHook,
  type LayerInfo,
  type Layout,
  type LinearHead,
  type Model,
  type Tensor,
} from '@gradscope/core';

/** A feature layer of the fake: a fixed activation `A` `[1, C, h, w]` and its logit weights `[K, C·h·w]`. */
export interface FakeLayer {
  readonly name: string;
  readonly activation: Tensor;
  readonly weights: Float32Array;
}

export interface FakeModelSpec {
  readonly numClasses: number;
  readonly layout?: Layout;
  /** Input channels, height, width. */
  readonly input: readonly [number, number, number];
  readonly layers: readonly FakeLayer[];
  /** V `[K, numel(x)]` over the input in its own layout (flat); default zeros. */
  readonly inputWeights?: Float32Array;
  readonly capabilities?: readonly Capability[];
  readonly head?: LinearHead;
}

export type FakeModel = Model & { readonly calls: CaptureRequest[]; disposed: number };

/**
 * A model with closed-form gradients: `logits = Σ_l W_l·vec(A_l) + V·vec(relu(x))`, with every A_l
 * fixed. So `∂score/∂A_l = Σ_k seed_k W_l[k]` and `∂score/∂x = [x>0] ⊙ Vᵀ·seed` (standard ReLU rule),
 * `[x>0] ⊙ relu(Vᵀ·seed)` (guided) and `relu(Vᵀ·seed)` (deconvnet). Records every capture request.
 */
export function fakeModel(spec: FakeModelSpec): FakeModel {
  const K = spec.numClasses,
    layout = spec.layout ?? 'NCHW';
  const [C, H, W] = spec.input;
  const n = C * H * W;
  const V = spec.inputWeights ?? new Float32Array(K * n);
  /** Logits of one image (flat `x`), with `replaced` standing for one layer's activation. */
  const logitsOf = (x: Tensor | Float32Array, replaced?: { name: string; data: Float32Array }) => {
    const xd = x instanceof Float32Array ? x : x.data;
    const y = new Float32Array(K);
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (const l of spec.layers) {
        const a = replaced?.name === l.name ? replaced.data : l.activation.data;
        for (let i = 0; i < a.length; i++) s += l.weights[k * a.length + i]! * a[i]!;
      }
      for (let i = 0; i < n; i++) s += V[k * n + i]! * Math.max(xd[i]!, 0);
      y[k] = s;
    }
    return y;
  };
  /** `[B, K]` logits, one row per image. */
  const batchLogits = (x: Tensor) => {
    const B = x.shape[0]!;
    const out = new Float32Array(B * K);
    for (let b = 0; b < B; b++) out.set(logitsOf(x.data.subarray(b * n, (b + 1) * n)), b * K);
    return { data: out, shape: [B, K] };
  };
  const back = (seed: Float32Array, w: Float32Array, m: number) => {
    const g = new Float32Array(m);
    for (let k = 0; k < K; k++) for (let i = 0; i < m; i++) g[i] = g[i]! + seed[k]! * w[k * m + i]!;
    return g;
  };
  const layerInfo = (name: string, type: string, a?: Tensor): LayerInfo => {
    const [, c, h, w] = (a?.shape ?? [1, K]) as number[];
    return {
      name,
      type,
      outputShape: a ? [-1, c!, h!, w!] : [-1, K],
      spatial: a ? { height: h!, width: w!, channels: c! } : null,
    };
  };
  const model: FakeModel = {
    backend: 'fake',
    name: 'fake-linear',
    numClasses: K,
    calls: [],
    disposed: 0,
    head: spec.head,
    capabilities: new Set(spec.capabilities ?? CAPABILITIES),
    input: {
      name: 'x',
      shape: layout === 'NCHW' ? [-1, C, H, W] : [-1, H, W, C],
      layout,
      height: H,
      width: W,
      channels: C,
    },
    layers: [
      { name: 'input', type: 'InputLayer', outputShape: [-1, C, H, W], spatial: { height: H, width: W, channels: C } },
      ...spec.layers.map((l) => layerInfo(l.name, 'Conv', l.activation)),
      layerInfo('gap', 'GlobalAveragePool'),
      layerInfo('fc', 'Gemm'),
    ],
    forward: async (x) => batchLogits(x),
    async runFromLayer(x, layer, act) {
      const l = spec.layers.find((f) => f.name === layer);
      if (!l) throw new Error(`fake model has no layer ${layer}`);
      const m = l.activation.data.length,
        B = act.shape[0]!;
      const out = new Float32Array(B * K);
      for (let b = 0; b < B; b++)
        out.set(logitsOf(x.data.subarray(0, n), { name: layer, data: act.data.subarray(b * m, (b + 1) * m) }), b * K);
      return { data: out, shape: [B, K] };
    },
    async capture(x, req): Promise<LayerHook> {
      model.calls.push(req);
      const logits = logitsOf(x);
      const targets = req.targets.map((t) => resolveTarget(t, logits));
      const seed = targets[0]!.seed;
      const activations = new Map<string, Tensor>(),
        gradients = new Map<string, Tensor>(),
        hessianVectors = new Map<string, Tensor>();
      const S = targetHessian(req.targets[0]!, logits);
      for (const name of req.layers) {
        const l = spec.layers.find((f) => f.name === name);
        if (!l) throw new Error(`fake model has no layer ${name}`);
        activations.set(name, { data: Float32Array.from(l.activation.data), shape: l.activation.shape });
        if (req.gradients)
          gradients.set(name, { data: back(seed, l.weights, l.activation.data.length), shape: l.activation.shape });
        if (req.hessianVector) {
          // logits linear in A: H·A = Wᵀ·S·(W·A), S the target's Hessian in the logits
          const m = l.activation.data.length;
          const ja = Float32Array.from({ length: K }, (_, k) => {
            let s = 0;
            for (let i = 0; i < m; i++) s += l.weights[k * m + i]! * l.activation.data[i]!;
            return s;
          });
          hessianVectors.set(name, { data: back(hessianTimes(S, ja), l.weights, m), shape: l.activation.shape });
        }
      }
      let inputGradient: Tensor | undefined;
      if (req.inputGradient) {
        const B = x.shape[0]!;
        const all = new Float32Array(B * n);
        for (let b = 0; b < B; b++) {
          const xb = x.data.subarray(b * n, (b + 1) * n);
          all.set(inputGrad(xb, resolveTarget(req.targets[b]!, logitsOf(xb)).seed, req.reluMode ?? 'standard'), b * n);
        }
        inputGradient = { data: all, shape: [B, ...model.input.shape.slice(1)] };
      }
      return {
        logits: { data: logits, shape: [1, K] },
        targets,
        activations,
        gradients,
        inputGradient,
        ...(req.hessianVector ? { hessianVectors } : {}),
        dispose: () => void model.disposed++,
      };
    },
    dispose() {},
  };
  function inputGrad(xd: Float32Array, seed: Float32Array, mode: string): Float32Array {
    {
      {
        const g = back(seed, V, n);
        for (let i = 0; i < n; i++) {
          const pos = xd[i]! > 0;
          g[i] =
            mode === 'standard'
              ? pos
                ? g[i]!
                : 0
              : mode === 'guided'
                ? pos && g[i]! > 0
                  ? g[i]!
                  : 0
                : Math.max(g[i]!, 0);
        }
        return g;
      }
    }
  }
  return model;
}
