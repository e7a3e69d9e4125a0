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
