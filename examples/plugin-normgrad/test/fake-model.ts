import {
  CAPABILITIES,
  resolveTarget,
  type Capability,
  type CaptureRequest,
  type Model,
  type Tensor,
} from '@gradscope/core';

/**
 * A one-layer model with closed-form gradients: `logits = W · vec(A)` for a fixed activation
 * `A` `[1, C, h, w]` of layer `feat`, so `∂score/∂A = Σ_k seed_k W[k]`. Input `[1, 1, H, W]` (NCHW).
 */
export function fakeModel(
  A: Tensor,
  W: Float32Array,
  numClasses: number,
  size: [number, number],
  caps: readonly Capability[] = CAPABILITIES,
) {
  const n = A.data.length;
  const logits = Float32Array.from({ length: numClasses }, (_, k) =>
    A.data.reduce((s, a, i) => s + a * W[k * n + i]!, 0),
  );
  const [h, w] = [A.shape[2]!, A.shape[3]!];
  const model: Model & { calls: CaptureRequest[]; disposed: number } = {
    backend: 'fake',
    name: 'fake',
    numClasses,
    capabilities: new Set(caps),
    calls: [],
    disposed: 0,
    input: { name: 'x', shape: [-1, 1, ...size], layout: 'NCHW', height: size[0], width: size[1], channels: 1 },
    layers: [
      {
        name: 'feat',
        type: 'Conv',
        outputShape: [...A.shape],
        spatial: { height: h, width: w, channels: A.shape[1]! },
      },
      { name: 'gap', type: 'GlobalAveragePool', outputShape: [-1, A.shape[1]!], spatial: null },
    ],
    forward: async () => ({ data: logits, shape: [1, numClasses] }),
    async capture(_x, req) {
      model.calls.push(req);
      const targets = req.targets.map((t) => resolveTarget(t, logits));
      const g = new Float32Array(n);
      targets[0]!.seed.forEach((s, k) => {
        for (let i = 0; i < n; i++) g[i] = g[i]! + s * W[k * n + i]!;
      });
      return {
        logits: { data: logits, shape: [1, numClasses] },
        targets,
        activations: new Map([['feat', A]]),
        gradients: new Map(req.gradients ? [['feat', { data: g, shape: A.shape }]] : []),
        dispose: () => void model.disposed++,
      };
    },
    dispose() {},
  };
  return model;
}
