import { builtinMethods } from '@gradscope/methods';
import { describeBackend, describeMethods, fixturePath, type BackendSetup } from '@gradscope/conformance';
import { createOnnxBackend } from '../src/node.js';
import { runtimes } from './helpers.js';

// The shared suite, unchanged, on both runtimes.
for (const rt of ['node', 'web'] as const) {
  const backend = createOnnxBackend({ ort: runtimes[rt] });
  const setup: BackendSetup = { backend, loadFixture: (name) => backend.load(fixturePath(name, 'onnx')) };
  describeBackend(`onnx (onnxruntime-${rt})`, setup);
  describeMethods(`onnx (onnxruntime-${rt})`, setup, builtinMethods);
}
