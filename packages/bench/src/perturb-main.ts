/**
 * `node packages/bench/dist/perturb-main.js [model.onnx] [--torch torch.json]`: issue 9's speed goals
 * for the methods that run the model many times, on onnxruntime-node with 2 threads (default model: the
 * dynamic-batch ResNet-50 made by `scripts/perturb-torch.py`, at layer4), as the goal table `pnpm bench`
 * prints. `torch.json` is that script's output; with it Score-CAM is timed and judged against torch.
 */
import { readFileSync } from 'node:fs';
import { formatPerturbTable, judgePerturb } from './perturb-goals.js';
import { measurePerturb, PERTURB_MODEL, readTorchMasked } from './perturb-run.js';

const args = process.argv.slice(2);
const path = args.find((a) => a.endsWith('.onnx')) ?? PERTURB_MODEL;
const ti = args.indexOf('--torch');
const torch = ti >= 0 ? readTorchMasked(readFileSync(args[ti + 1]!, 'utf8')) : undefined;
const times = await measurePerturb(path, torch);
console.log(`ort-node, 2 threads, ${path.split('/').pop()}\n`);
console.log(formatPerturbTable(judgePerturb(times)));
