/**
 * What a backend can do. Backends declare the capabilities they have; methods declare the ones they
 * need; `Gradscope.explain` refuses a mismatch before any work starts.
 */
export const CAPABILITIES = [
  /** Read the output of any listed layer. */
  'activations',
  /** d score / d (layer output) for any listed layer. */
  'layer-gradients',
  /** d score / d input. */
  'input-gradients',
  /** ReLU backward `g·[x>0]·[g>0]` (guided backpropagation). */
  'relu-guided',
  /** ReLU backward `relu(g)` (Zeiler & Fergus deconvnet). */
  'relu-deconvnet',
  /** Honour `CaptureRequest.rectifiers: 'relu'` (the ReLU rule on plain ReLUs only, not ReLU6 / Clip). */
  'relu-only-rectifiers',
  /** Run the network's tail from a modified layer output. */
  'run-from-layer',
  /** Forward a batch of several images in one call. */
  'batched-forward',
  /**
   * `CaptureRequest.hessianVector`: H·A per layer, H the Hessian of the score with respect to the layer
   * output A (ShapleyCAM's second-order term), the target's own curvature included.
   */
  'hessian-vector',
  /**
   * `CaptureRequest.biasGradients`: for every convolution and batch normalisation with a bias, its
   * per-channel bias and d score / d (the output the bias is added to) (FullGrad).
   */
  'bias-gradients',
  /** Recognise a conv → global average pooling → dense head and expose its weights (classic CAM). */
  'linear-head',
  /** Train the model's weights. */
  'training',
  /** A copy of the model with chosen layers' weights re-initialised, seeded (`Model.randomized`). */
  'randomize-weights',
] as const;

export type Capability = (typeof CAPABILITIES)[number];
