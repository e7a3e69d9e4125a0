import * as tf from '@tensorflow/tfjs';

/** A typed `tf.customGrad` for a function of one tensor (`saved` = what `save` was given). */
export function customGrad1(
  f: (
    x: tf.Tensor,
    save: tf.GradSaveFunc,
  ) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor },
): (x: tf.Tensor) => tf.Tensor {
  const g = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) =>
    f(args[0] as tf.Tensor, args[1] as tf.GradSaveFunc)) as unknown as Parameters<typeof tf.customGrad>[0]);
  return (x) => g(x);
}
