// Builds the tfjs copies of the fixtures from the torch weights that make-fixtures.py dumped.
//
//   node packages/conformance/scripts/make-tfjs-fixture.mjs [tiny-cnn] [tiny-mobile]
//
// Reads fixtures/<name>/weights/*.npy (torch layouts), builds the same network as a functional
// tfjs LayersModel (NHWC; conv OIHW → HWIO; depthwise [C, 1, kh, kw] → [kh, kw, C, 1]; dense
// [out, in] → [in, out]; BN gamma, beta, running mean and variance with eps 1e-5; torch pad-k/2
// stride-1 convs ≡ 'same'; stride-2 convs are ZeroPadding2D(1) + 'valid'), names each layer after
// its torch module (dots → underscores), and writes fixtures/<name>/tfjs/{model.json, weights.bin,
// model.gradscope.json}. It then reloads the written files and fails unless the tfjs logits equal the
// torch logits (max |Δ| ≤ 1e-4) on every fixture input; it also prints how far tfjs-cpu's input
// gradient is from torch's. Needs only Node and @tensorflow/tfjs (cpu backend); Python is needed
// only to regenerate the torch side, never in CI.
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { readLayersModel, writeLayersModel } from './layers-model-files.mjs';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const SIDECAR = 'model.gradscope.json';
let ROOT, OUT, manifest;

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
  const data = new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  return tf.tensor(data, shape, 'float32');
}

const w = (name) => readNpy(`weights/${name}.npy`);
const convKernel = (name) => w(`${name}.weight`).transpose([2, 3, 1, 0]); // OIHW → HWIO
const bnWeights = (name) => [
  w(`${name}.weight`),
  w(`${name}.bias`),
  w(`${name}.running_mean`),
  w(`${name}.running_var`),
];
const tfName = (torchName) => manifest.layers[torchName].tfjs;

const L = () => tf.layers;
const conv = (t, filters, kernelSize, bias, extra = {}) =>
  L().conv2d({
    name: tfName(t),
    filters,
    kernelSize,
    padding: 'same',
    useBias: bias,
    ...extra,
    weights: bias ? [convKernel(t), w(`${t}.bias`)] : [convKernel(t)],
  });
const depthwise = (t, extra = {}) =>
  L().depthwiseConv2d({
    name: tfName(t),
    kernelSize: 3,
    depthMultiplier: 1,
    padding: 'same',
    useBias: false,
    ...extra,
    weights: [w(`${t}.weight`).transpose([2, 3, 0, 1])],
  });
const bn = (t) =>
  L().batchNormalization({ name: tfName(t), axis: -1, epsilon: 1e-5, momentum: 0.9, weights: bnWeights(t) });
const act = (t, activation) => L().activation({ name: tfName(t), activation });
const pad1 = (name) => L().zeroPadding2d({ name, padding: 1 });
const inputLayer = () =>
  tf.input({ name: 'input', shape: [manifest.input.height, manifest.input.width, manifest.input.channels] });
const classifier = (y) => {
  y = L()
    .globalAveragePooling2d({ name: tfName('gap') })
    .apply(y);
  return L()
    .dense({ name: tfName('fc'), units: manifest.numClasses, weights: [w('fc.weight').transpose(), w('fc.bias')] })
    .apply(y);
};

const BUILDERS = {
  'tiny-cnn'() {
    const input = inputLayer();
    let x = act('relu1', 'relu').apply(bn('bn1').apply(conv('conv1', 8, 3, true).apply(input)));
    x = L()
      .maxPooling2d({ name: tfName('pool'), poolSize: 2, strides: 2, padding: 'valid' })
      .apply(x);
    const skip = act('relu2', 'relu').apply(conv('conv2', 16, 3, true).apply(x));
    let y = act('block.relu1', 'relu').apply(bn('block.bn1').apply(conv('block.conv1', 16, 3, false).apply(skip)));
    y = bn('block.bn2').apply(conv('block.conv2', 16, 3, false).apply(y));
    y = act('block.relu', 'relu').apply(L().add({ name: 'block_add' }).apply([y, skip]));
    y = pad1('conv3_pad').apply(y);
    y = act('relu3', 'relu').apply(conv('conv3', 32, 3, true, { strides: 2, padding: 'valid' }).apply(y));
    return tf.model({ name: 'tiny_cnn', inputs: input, outputs: classifier(y) });
  },
  'tiny-mobile'() {
    const cba = (p, x, layer, relu6 = true) => {
      const y = bn(`${p}.bn`).apply(layer.apply(x));
      return relu6 ? act(`${p}.act`, 'relu6').apply(y) : y;
    };
    const input = inputLayer();
    const stem = cba(
      'stem',
      pad1('stem_pad').apply(input),
      conv('stem.conv', 16, 3, false, { strides: 2, padding: 'valid' }),
    );
    let y = cba('block.expand', stem, conv('block.expand.conv', 32, 1, false));
    y = cba('block.dw', y, depthwise('block.dw.conv'));
    y = cba('block.project', y, conv('block.project.conv', 16, 1, false), false);
    y = L()
      .add({ name: tfName('block') })
      .apply([stem, y]);
    y = cba('down', pad1('down_pad').apply(y), depthwise('down.conv', { strides: 2, padding: 'valid' }));
    y = cba('head', y, conv('head.conv', 32, 1, false));
    return tf.model({ name: 'tiny_mobile', inputs: input, outputs: classifier(y) });
  },
};

async function save(model) {
  await writeLayersModel(model, OUT, 'packages/conformance/scripts/make-tfjs-fixture.mjs');
  // Sidecar `model.gradscope.json` (next to model.json, where backend-tfjs and the CLI look for it; see
  // backend-tfjs's parseSidecar): the input size, plus two informational fields that readers ignore
  // (what the copy is, and how its layers relate to the torch modules, as in manifest.json). No
  // `normalization`: the fixture inputs are already normalised.
  const layers = Object.fromEntries(Object.values(manifest.layers).map((l) => [l.torch, l.tfjs]));
  writeFileSync(
    join(OUT, SIDECAR),
    JSON.stringify(
      {
        source: `${manifest.name} (PyTorch), see ../manifest.json`,
        inputSize: { height: manifest.input.height, width: manifest.input.width },
        torchToTfjsLayers: layers,
      },
      null,
      1,
    ) + '\n',
  );
  rmSync(join(OUT, 'gradscope.json'), { force: true }); // the old name, which no reader looked for
}

const maxAbs = (a, b) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
const cosine = (a, b) =>
  tf.tidy(
    () =>
      tf.sum(tf.mul(a, b)).dataSync()[0] /
      Math.sqrt(tf.sum(tf.square(a)).dataSync()[0] * tf.sum(tf.square(b)).dataSync()[0]),
  );

async function check(name) {
  ROOT = join(FIXTURES, name);
  OUT = join(ROOT, 'tfjs');
  manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
  const built = BUILDERS[name]();
  for (const l of Object.values(manifest.layers)) built.getLayer(l.tfjs); // every mapped layer exists
  await save(built);
  built.dispose();
  const model = await readLayersModel(OUT);
  let worst = 0;
  for (const [id, info] of Object.entries(manifest.inputs)) {
    const x = readNpy(info.input).transpose([0, 2, 3, 1]);
    const d = maxAbs(model.predict(x), readNpy(info.logits));
    worst = Math.max(worst, d);
    console.log(`${name} ${id}: max |tfjs − torch| logits = ${d.toExponential(2)}`);
  }
  const batch = readNpy(manifest.batch.input).transpose([0, 2, 3, 1]);
  const db = maxAbs(model.predict(batch), readNpy(manifest.batch.logits));
  worst = Math.max(worst, db);
  console.log(`${name} batch of ${batch.shape[0]}: max |Δ| logits = ${db.toExponential(2)}`);
  for (const c of manifest.captures.filter((c) => manifest.targets[c.target].kind === 'class')) {
    const x = readNpy(manifest.inputs[c.input].input).transpose([0, 2, 3, 1]);
    const seed = readNpy(c.seed);
    const g = tf
      .grad((v) => tf.sum(tf.mul(model.apply(v), seed)))(x)
      .transpose([0, 3, 1, 2]);
    const ref = readNpy(c.inputGradient.standard);
    const rel = maxAbs(g, ref) / tf.max(tf.abs(ref)).dataSync()[0];
    console.log(
      `${name} ${c.input}/${c.target}: tfjs-cpu input gradient vs torch: max rel ${rel.toExponential(2)}, cosine ${cosine(g, ref).toFixed(7)}`,
    );
  }
  if (!(worst <= 1e-4)) throw new Error(`${name}: tfjs logits differ from torch by ${worst} (> 1e-4)`);
  console.log(`ok: wrote ${OUT}/model.json, weights.bin, ${SIDECAR}`);
}

async function main() {
  await tf.setBackend('cpu');
  const names = process.argv.slice(2);
  for (const name of names.length ? names : Object.keys(BUILDERS)) await check(name);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
