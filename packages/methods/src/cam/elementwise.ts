/**
 * The element-wise gradient × activation products of the CAM variants, as plain loops: over a
 * ResNet-18 layer4 block (512·7·7) `Float32Array.prototype.map` with a closure costs ≈ 0.5 ms, a
 * loop ≈ 0.05 ms. Each value is the same float32 as the closure's (same expression, same rounding).
 */

/** `G ⊙ A` (HiResCAM, Eigen-Grad-CAM). */
export function gradTimesActivation(A: Float32Array, G: Float32Array): Float32Array {
  const out = new Float32Array(A.length);
  for (let i = 0; i < A.length; i++) out[i] = A[i]! * G[i]!;
  return out;
}

/** `relu(G ⊙ A)` (element-wise Grad-CAM). */
export function reluOfGradTimesActivation(A: Float32Array, G: Float32Array): Float32Array {
  const out = new Float32Array(A.length);
  for (let i = 0; i < A.length; i++) out[i] = Math.max(A[i]! * G[i]!, 0);
  return out;
}

/** `relu(G) ⊙ A` (LayerCAM). */
export function reluGradTimesActivation(A: Float32Array, G: Float32Array): Float32Array {
  const out = new Float32Array(A.length);
  for (let i = 0; i < A.length; i++) out[i] = Math.max(G[i]!, 0) * A[i]!;
  return out;
}

/** `|G| ⊙ A` (Seg-Eigen-CAM). */
export function absGradTimesActivation(A: Float32Array, G: Float32Array): Float32Array {
  const out = new Float32Array(A.length);
  for (let i = 0; i < A.length; i++) out[i] = Math.abs(G[i]!) * A[i]!;
  return out;
}
