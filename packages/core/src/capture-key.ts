import type { CaptureRequest } from './hook.js';

/** A string equal for two capture requests exactly when they ask for the same thing. */
export function captureKey(req: CaptureRequest): string {
  return JSON.stringify([
    req.layers,
    req.gradients,
    req.inputGradient,
    req.reluMode ?? 'standard',
    req.rectifiers ?? 'all',
    req.targets.map((t) => targetKey(t)),
    req.hessianVector ?? false,
    req.biasGradients ?? false,
  ]);
}

/** A target as a string, typed arrays (seeds, concept vectors) written out value by value. */
function targetKey(t: object): string {
  return JSON.stringify(t, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v));
}
