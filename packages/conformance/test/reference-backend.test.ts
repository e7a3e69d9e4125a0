import { builtinMethods } from '@gradscope/methods';
import { describeBackend, describeMethods, fixturePath, type BackendSetup } from '../src/index.js';
import { loadTfjs } from './helpers/load-tfjs.js';
import { referenceTfjsBackend } from './helpers/reference-tfjs-backend.js';

const tf = loadTfjs();

// The suite run for real against a small, independent tfjs-cpu implementation (test/helpers):
// proves that a correct backend passes every check and that the goldens agree with tfjs autograd.
const setup: BackendSetup = {
  backend: referenceTfjsBackend,
  loadFixture: async (name) => {
    await tf.setBackend('cpu');
    return referenceTfjsBackend.load(fixturePath(name, 'tfjs'));
  },
  resources: () => tf.memory().numTensors,
};

describeBackend('reference-tfjs', setup);
// the batch check of every method runs each method again: too slow on tfjs-cpu; the real backends run it
describeMethods('reference-tfjs', setup, builtinMethods, { batchEveryMethod: false });
