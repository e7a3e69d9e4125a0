/**
 * Training kernels for tfjs backends that lack them (conv and depthwise-conv backprop), installed by `registerTrainingKernels` and removed by the function it returns.
 *
 * @module @gradscope/backend-tfjs/training
 */
export { registerTrainingKernels, TRAINING_KERNELS } from './register-training-kernels.js';
export { conv2dBackpropFilterKernel } from './conv2d-backprop-filter.js';
export { conv2dBackpropInputKernel } from './conv2d-backprop-input.js';
export {
  depthwiseConv2dBackpropFilterKernel,
  depthwiseConv2dBackpropInputKernel,
} from './depthwise-conv2d-backprop.js';
export type { TfKernelApi } from './kernel-ops.js';
