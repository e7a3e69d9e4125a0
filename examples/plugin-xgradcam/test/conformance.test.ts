import * as tf from '@tensorflow/tfjs';
import { describeMethods, fixturePath, type BackendSetup } from '@gradscope/conformance';
import { useTfjsBackend } from '@gradscope/backend-tfjs';
import { tfjsNodeBackend } from '@gradscope/backend-tfjs/node';
import { xgradcam } from '../src/index.js';

// The shared suite, exactly as a plugin author runs it: the plugin's method on a real backend,
// compared with the torch-made XGrad-CAM goldens of the conformance fixtures.
const setup: BackendSetup = {
  backend: tfjsNodeBackend,
  loadFixture: async (name) => {
    await useTfjsBackend('wasm');
    return tfjsNodeBackend.load(fixturePath(name, 'tfjs'));
  },
  resources: () => tf.memory().numTensors,
};

describeMethods('tfjs (wasm)', setup, [xgradcam]);
