import * as tf from '@tensorflow/tfjs';
import {
  describeBackend,
  describeMethods,
  describeSegmentation,
  fixturePath,
  type BackendSetup,
} from '@gradscope/conformance';
import { builtinMethods } from '@gradscope/methods';
import { useTfjsBackend } from '../src/index.js';
import { tfjsNodeBackend } from '../src/node.js';

const setup: BackendSetup = {
  backend: tfjsNodeBackend,
  loadFixture: async (name) => {
    await useTfjsBackend('wasm');
    return tfjsNodeBackend.load(fixturePath(name, 'tfjs'));
  },
  resources: () => tf.memory().numTensors,
};

describeBackend('tfjs (wasm)', setup);
describeMethods('tfjs (wasm)', setup, builtinMethods);

// A segmentation model's class planes, NHWC [N, H, W, K], seen channels-first [N, K, H, W].
describeSegmentation('tfjs (wasm)', setup, builtinMethods);
