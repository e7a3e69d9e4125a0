import { builtinMethods } from '@gradscope/methods';
import {
  describeBackend,
  describeMethods,
  describeSegmentation,
  fixturePath,
  type BackendSetup,
} from '@gradscope/conformance';
import { createOnnxBackend } from '../src/node.js';
import { countingRuntime, runtimes } from './helpers.js';

// The shared suite, unchanged, on both runtimes. `resources` (sessions created − released) turns on
// the suite's leak checks.
for (const rt of ['node', 'web'] as const) {
  const { ort, counts } = countingRuntime(runtimes[rt]);
  const backend = createOnnxBackend({ ort });
  const setup: BackendSetup = {
    backend,
    loadFixture: (name) => backend.load(fixturePath(name, 'onnx')),
    resources: () => counts.created - counts.released,
  };
  describeBackend(`onnx (onnxruntime-${rt})`, setup);
  describeMethods(`onnx (onnxruntime-${rt})`, setup, builtinMethods);
}

// A segmentation model's class planes [N, K, H, W], loaded as they are (no flatten).
const segBackend = createOnnxBackend({ ort: runtimes.node });
describeSegmentation(
  'onnx (onnxruntime-node)',
  { backend: segBackend, loadFixture: (name) => segBackend.load(fixturePath(name, 'onnx')) },
  builtinMethods,
);
