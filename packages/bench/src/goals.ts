/**
 * Target cost of each method as a multiple of one forward pass. Grad-CAM needs one forward and a
 * backward that stops at the target layer; input-gradient methods need a full backward.
 */
export const GOALS: Readonly<Record<string, number>> = {
  gradcam: 1.3,
  'guided-backprop': 4,
  saliency: 4,
  deconvnet: 4,
};

/**
 * ONNX Runtime goals: forward and backward run as one `session.run` of a derived graph, so Grad-CAM
 * (backward only down to the target layer) should cost barely more than a forward, and a full input
 * gradient about what a backward costs in any framework.
 */
export const ONNX_GOALS: Readonly<Record<string, number>> = {
  gradcam: 1.15,
  'guided-backprop': 2.5,
  saliency: 2.5,
  deconvnet: 2.5,
};

/** The goals a row is held to. */
export interface RowGoals {
  /** Method id → the most its median may cost as a multiple of the row's forward median. */
  readonly ratio: Readonly<Record<string, number>>;
  /**
   * Method ids whose median must be below PyTorch's own forward+backward (input gradient) of the
   * same network on the same CPU; judged only on rows that carry a torch reference.
   */
  readonly fasterThanTorch?: readonly string[];
}

/** onnxruntime-node: the ONNX ratios, and Grad-CAM faster than torch's own forward+backward. */
export const ORT_NODE_GOALS: RowGoals = { ratio: ONNX_GOALS, fasterThanTorch: ['gradcam'] };

/** onnxruntime-web (wasm): the ONNX ratios. */
export const ORT_WEB_GOALS: RowGoals = { ratio: ONNX_GOALS };
