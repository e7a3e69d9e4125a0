import * as tf from '@tensorflow/tfjs';
import { UnsupportedModelError } from '@gradscope/core';
import type { FlatNode } from '../layers/flat-graph.js';

/** Forward kernels the capture-mode backward rules themselves use. */
export const CAPTURE_KERNELS = [
  'Conv2D',
  'DepthwiseConv2dNative',
  'Reverse',
  'Transpose',
  'PadV2',
  'Reshape',
  'Slice',
  'Concat',
  'Equal',
  'Less',
  'Cast',
  'Step',
  'Relu',
  'Multiply',
  'Add',
  'Sub',
  'Sum',
  'Fill',
  'Identity',
] as const;

/** Gradient kernels that stock tfjs layers (applied unchanged during capture) need. */
const LAYER_GRAD_KERNELS: Record<string, readonly string[]> = {
  AveragePooling2D: ['AvgPoolGrad'],
  AveragePooling1D: ['AvgPoolGrad'],
  Conv2DTranspose: ['Conv2D'],
  SeparableConv2D: ['Conv2D', 'DepthwiseConv2dNative'],
  GlobalMaxPooling2D: ['ArgMax', 'OneHot'],
  GlobalMaxPooling1D: ['ArgMax', 'OneHot'],
};

/** Kernels needed to differentiate `node` (capture-mode ops cover conv, dense, BN, ReLU, MaxPool). */
function needs(node: FlatNode): readonly string[] {
  if (node.type === 'UpSampling2D') {
    return [
      (node.layer as unknown as { interpolation?: string }).interpolation === 'bilinear'
        ? 'ResizeBilinearGrad'
        : 'ResizeNearestNeighborGrad',
    ];
  }
  return LAYER_GRAD_KERNELS[node.type] ?? [];
}

/**
 * Throws before any work when the active tfjs backend lacks a kernel a backward pass through
 * `nodes` would call (an exception in the middle of a tfjs backward pass would waste the work).
 */
export function checkGradientKernels(nodes: readonly FlatNode[], extra: readonly string[] = CAPTURE_KERNELS): void {
  const backend = tf.getBackend();
  const has = (k: string) => tf.getKernel(k, backend) !== undefined;
  for (const k of extra)
    if (!has(k))
      throw new UnsupportedModelError(`the tfjs '${backend}' backend has no '${k}' kernel, which gradients need`);
  for (const n of nodes) {
    for (const k of needs(n)) {
      if (!has(k))
        throw new UnsupportedModelError(
          `the tfjs '${backend}' backend has no '${k}' kernel, needed to differentiate layer '${n.name}' (${n.type})`,
        );
    }
  }
}
