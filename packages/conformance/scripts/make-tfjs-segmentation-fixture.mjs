// Builds fixtures/tiny-seg/tfjs (a tfjs LayersModel) from the torch weights that
// make-segmentation-fixture.py dumped:
//
//   node packages/conformance/scripts/make-tfjs-segmentation-fixture.mjs
//
// The same network channels-last: conv1 (3×3 'same') → relu1 → pool (MaxPool 2) → conv2 (3×3 'same')
// → relu2 → head (1×1), output class planes [N, 8, 8, 4] (NHWC). Layers are named after the torch
// modules; conv kernels OIHW → HWIO. It reloads the written files and fails unless the logits,
// transposed to NCHW, equal torch's (max |Δ| ≤ 1e-4). Needs only Node and @tensorflow/tfjs.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { readLayersModel, writeLayersModel } from './layers-model-files.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tiny-seg');
const OUT = join(ROOT, 'tfjs');

/** Minimal float32 little-endian C-order .npy reader. */
function readNpy(rel) {
  const b = readFileSync(join(ROOT, rel));
  const hlen = b.readUInt16LE(8);
  const header = b.subarray(10, 10 + hlen).toString('latin1');
  if (!header.includes("'<f4'") || header.includes("'fortran_order': True"))
    throw new Error(`${rel}: expected float32 C order`);
  const shape = /\(([^)]*)\)/
    .exec(header)[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const body = b.subarray(10 + hlen);
  return tf.tensor(new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)), shape);
}

const conv = (name, filters, kernelSize) =>
  tf.layers.conv2d({
    name,
    filters,
    kernelSize,
    padding: 'same',
    weights: [readNpy(`weights/${name}.weight.npy`).transpose([2, 3, 1, 0]), readNpy(`weights/${name}.bias.npy`)],
  });

function build() {
  const input = tf.input({ shape: [16, 16, 3], name: 'input' });
  let y = conv('conv1', 8, 3).apply(input);
  y = tf.layers.reLU({ name: 'relu1' }).apply(y);
  y = tf.layers.maxPooling2d({ name: 'pool', poolSize: 2 }).apply(y);
  y = conv('conv2', 8, 3).apply(y);
  y = tf.layers.reLU({ name: 'relu2' }).apply(y);
  y = conv('head', 4, 1).apply(y);
  return tf.model({ inputs: input, outputs: y, name: 'tiny-seg' });
}

async function main() {
  await tf.setBackend('cpu');
  const built = build();
  await writeLayersModel(built, OUT, 'packages/conformance/scripts/make-tfjs-segmentation-fixture.mjs');
  built.dispose();
  const model = await readLayersModel(OUT);
  const x = readNpy('inputs/x0.npy').transpose([0, 2, 3, 1]);
  const y = model.predict(x).transpose([0, 3, 1, 2]);
  const d = tf.max(tf.abs(tf.sub(y, readNpy('golden/logits.npy')))).dataSync()[0];
  console.log(`tiny-seg: max |tfjs − torch| logits = ${d.toExponential(2)}`);
  if (!(d <= 1e-4)) throw new Error(`tiny-seg: tfjs logits differ from torch by ${d} (> 1e-4)`);
  console.log(`ok: wrote ${OUT}/model.json, weights.bin`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
