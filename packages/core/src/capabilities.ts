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
  /** Recognise a conv → global average pooling → dense head and expose its weights (classic CAM). */
  'linear-head',
  /** Train the model's weights. */
  'training',
  /** A copy of the model with chosen layers' weights re-initialised, seeded (`Model.randomized`). */
  'randomize-weights',
] as const;

export type Capability = (typeof CAPABILITIES)[number];
