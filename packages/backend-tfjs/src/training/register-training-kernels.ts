import type * as tfjs from '@tensorflow/tfjs';
import { conv2dBackpropFilterKernel } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputKernel } from './conv2d-backprop-input.js';
import {
  depthwiseConv2dBackpropFilterKernel,
  depthwiseConv2dBackpropInputKernel,
} from './depthwise-conv2d-backprop.js';
import type { TfKernelApi } from './kernel-ops.js';

/** Kernels `registerTrainingKernels` installs, each built from the backend's forward kernels. */
export const TRAINING_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
] as const;

const FACTORIES: Record<(typeof TRAINING_KERNELS)[number], (tf: TfKernelApi, backend: string) => tfjs.KernelFunc> = {
  Conv2DBackpropFilter: conv2dBackpropFilterKernel,
  Conv2DBackpropInput: conv2dBackpropInputKernel,
  DepthwiseConv2dNativeBackpropFilter: depthwiseConv2dBackpropFilterKernel,
  DepthwiseConv2dNativeBackpropInput: depthwiseConv2dBackpropInputKernel,
};

/**
 * Registers gradient kernels that make conv training work (and fast) on `backendName`: tfjs-wasm
 * has no `Conv2DBackpropFilter` or depthwise backprop kernels and a naive `Conv2DBackpropInput`
 * (≈20× its forward conv); tfjs-cpu's filter gradient is ≈100× slower than its forward conv. Each replacement is built from the backend's own Transpose/PadV2/Slice/Reshape/
 * Reverse/Sum and forward Conv2D/DepthwiseConv2dNative kernels (see the kernel files for the maths).
 *
 * Opt-in: nothing is registered at import. Kernels are global per backend in tfjs, so this affects
 * every model on `backendName` until the returned `unregister()` restores the previous kernels
 * (idempotent; call in LIFO order when nesting).
 *
 * ```ts
 * const unregister = registerTrainingKernels(tf, 'wasm');
 * try { await model.fit(xs, ys); } finally { unregister(); }
 * ```
 */
export function registerTrainingKernels(tf: TfKernelApi, backendName: string): () => void {
  const previous = new Map<string, tfjs.KernelConfig | undefined>();
  for (const name of TRAINING_KERNELS) {
    const old = tf.getKernel(name, backendName);
    previous.set(name, old);
    if (old) tf.unregisterKernel(name, backendName);
    tf.registerKernel({ kernelName: name, backendName, kernelFunc: FACTORIES[name](tf, backendName) });
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    for (const name of [...TRAINING_KERNELS].reverse()) {
      tf.unregisterKernel(name, backendName);
      const old = previous.get(name);
      if (old) tf.registerKernel(old);
    }
  };
}
