import * as tf from '@tensorflow/tfjs';
import { customGrad1 } from './custom-grad.js';

/** An identity whose backward records the incoming gradient under `key`. */
export const tapFor = (key: string, grads: Map<string, tf.Tensor>) =>
  customGrad1((a) => ({
    value: tf.clone(a),
    gradFunc: (dy: tf.Tensor) => {
      grads.get(key)?.dispose();
      grads.set(key, tf.keep(tf.clone(dy)));
      return dy;
    },
  }));
