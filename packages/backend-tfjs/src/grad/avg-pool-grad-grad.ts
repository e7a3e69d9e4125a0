import * as tf from '@tensorflow/tfjs';

/**
 * Registers the gradient of tfjs's `AvgPoolGrad` kernel, which tfjs lacks, so second-order gradients
 * (Shapley-CAM's Hessian-vector products) pass through average pooling, as in MobileNet heads.
 * `AvgPoolGrad(dy) = Aᵀ·dy` is linear in `dy`, with `A` the average pooling of the same window, strides
 * and padding (tfjs uses it as avgPool's exact adjoint), so its gradient in `dy` is `A·g = avgPool(g)`;
 * it does not depend on the input's values, whose gradient is zero. Registering is global and done once.
 */
export function registerAvgPoolGradGradient(): void {
  if (tf.getGradient('AvgPoolGrad')) return;
  tf.registerGradient({
    kernelName: 'AvgPoolGrad',
    inputsToSave: ['input'],
    gradFunc: (g, saved, attrs) => {
      const { filterSize, strides, pad } = attrs as unknown as {
        filterSize: [number, number] | number;
        strides: [number, number] | number;
        pad: 'valid' | 'same' | number;
      };
      const [input] = saved as [tf.Tensor];
      return {
        dy: () => tf.avgPool(g as tf.Tensor4D, filterSize, strides, pad),
        input: () => tf.zerosLike(input),
      };
    },
  });
}
