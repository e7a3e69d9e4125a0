import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '@gradscope/conformance';
import { isGradscopeError } from '@gradscope/core';
import { useTfjsBackend } from '../src/index.js';
import { checkLayerConfigs } from '../src/check-layer-configs.js';
import { checkTopology } from '../src/check-topology.js';
import { tfjsNodeBackend } from '../src/node.js';

// A tfjs model from an untrusted upload: weights must come from its own folder, cyclic graphs are
// refused before tfjs tries to build them, an inputSize that contradicts the model is an error.
const FIXTURE = fixturePath('tiny-cnn', 'tfjs');
const json = JSON.parse(readFileSync(FIXTURE, 'utf8')) as {
  modelTopology: { config: { layers: { name: string; inbound_nodes: unknown }[] } };
  weightsManifest: { paths: string[] }[];
};
let dir: string;

/** Writes `m/model.json` with the given weight paths (and an optional topology edit). */
function variant(name: string, paths: string[], edit?: (j: typeof json) => void): string {
  const j = structuredClone(json);
  j.weightsManifest[0]!.paths = paths;
  edit?.(j);
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, 'model.json'), JSON.stringify(j));
  return join(dir, name, 'model.json');
}

async function loadError(path: string, options = {}): Promise<Error> {
  return tfjsNodeBackend.load(path, options).then(
    (m) => {
      void m.dispose();
      throw new Error('loaded');
    },
    (e: Error) => e,
  );
}

beforeAll(async () => {
  await useTfjsBackend('wasm');
  dir = mkdtempSync(join(tmpdir(), 'gradscope-tfjs-hostile-'));
  mkdirSync(join(dir, 'outside'));
  copyFileSync(join(FIXTURE, '..', 'weights.bin'), join(dir, 'outside', 'weights.bin'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('weight paths stay inside the model folder', () => {
  it('refuses ../, absolute paths and links that lead outside, alike and without touching the file', async () => {
    const m = join(dir, 'link');
    mkdirSync(m);
    symlinkSync(join(dir, 'outside', 'weights.bin'), join(m, 'weights.bin'));
    symlinkSync('/nonexistent/weights.bin', join(m, 'dangling.bin'));
    for (const path of [
      variant('up', ['../outside/weights.bin']),
      variant('abs', [join(dir, 'outside', 'weights.bin')]),
      variant('link', ['weights.bin']),
      variant('link', ['dangling.bin']),
      variant('encoded', ['..%2Foutside%2Fweights.bin']),
    ]) {
      const e = await loadError(path);
      expect(isGradscopeError(e, 'model-load'), String(e)).toBe(true);
      expect(e.message).toMatch(/it points outside the model's folder/);
      expect(e.message).not.toMatch(/bytes/);
    }
  });

  it('allowPathsOutsideModelDir loads the same files', async () => {
    const model = await tfjsNodeBackend.load(variant('up', ['../outside/weights.bin']), {
      allowPathsOutsideModelDir: true,
    });
    expect(model.numClasses).toBe(5);
    await model.dispose();
  });
});

describe('topology and sidecar checks', () => {
  it.each([
    ['conv3', [], /a reference \[\] is not \[layer, node, tensor\]/],
    ['relu1', 0, /a reference 0 is not/],
    ['relu2', 'nowhere', /unknown layer 'nowhere'/],
  ])('an inbound reference replaced by %j is refused before tfjs waits for it forever', (_, bad, message) => {
    const j = structuredClone(json);
    const layer = j.modelTopology.config.layers.find((l) => l.name === _)!;
    (layer.inbound_nodes as unknown[][][])[0]![0] = typeof bad === 'string' ? [bad, 0, 0, {}] : (bad as never);
    expect(checkTopology(j.modelTopology)).toMatch(message);
  });

  it('out-of-range windows, widths and input sizes are refused before tfjs allocates or runs anything', async () => {
    type L = { name: string; config: Record<string, unknown> };
    const cases: [string, string, unknown, RegExp][] = [
      ['pool', 'strides', [-1, -1], /layer 'pool': strides must be integers from 1 to 4096, got \[-1,-1\]/],
      ['conv1', 'kernel_size', [0, 3], /kernel_size must be integers from 1 to 4096/],
      ['conv1', 'filters', 2 ** 31, /filters must be an integer from 1 to 65536, got 2147483648/],
      ['input', 'batch_input_shape', [null, 32, 32, 1e6], /batch_input_shape must be sizes from 1 to 16384/],
      ['input', 'batch_input_shape', [null, 2 ** 20, 32, 3], /batch_input_shape must be sizes/],
    ];
    expect(checkLayerConfigs(json.modelTopology)).toBeNull();
    for (const [layer, key, value, message] of cases) {
      const path = variant('config', ['../outside/weights.bin'], (j) => {
        (j.modelTopology.config.layers as unknown as L[]).find((l) => l.name === layer)!.config[key] = value;
      });
      const e = await loadError(path, { allowPathsOutsideModelDir: true });
      expect(isGradscopeError(e, 'model-load'), String(e)).toBe(true);
      expect(e.message).toMatch(message);
    }
  });

  it('node and tensor indices must exist', () => {
    const j = structuredClone(json);
    (j.modelTopology.config.layers[1]!.inbound_nodes as unknown[][][])[0]![0] = ['input', 2147483647, 0, {}];
    expect(checkTopology(j.modelTopology)).toMatch(/layer 'input' has node index 2147483647/);
  });

  it('a cycle in the layer graph is refused, naming a layer on it', async () => {
    const path = variant('cycle', ['../outside/weights.bin'], (j) => {
      const conv3 = j.modelTopology.config.layers.find((l) => l.name === 'conv3')!;
      conv3.inbound_nodes = [[['gap', 0, 0, {}]]];
    });
    const e = await loadError(path, { allowPathsOutsideModelDir: true });
    expect(e.message).toMatch(/the layer graph has a cycle through layer '(conv3|relu3|gap)'/);
    expect(checkTopology(json.modelTopology)).toBeNull();
  });

  it('an inputSize that contradicts the fixed input size is refused, as on ONNX', async () => {
    const e = await loadError(variant('up', ['../outside/weights.bin']), {
      allowPathsOutsideModelDir: true,
      inputSize: { height: 16, width: 16 },
    });
    expect(isGradscopeError(e, 'bad-input-shape')).toBe(true);
    expect(e.message).toBe('inputSize has shape [1, 16, 16, 3], expected [N, 32, 32, 3]');
  });
});
