import { resolve } from 'node:path';
import { usageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { HELP_FLAGS, MODEL_FLAGS, RUN_FLAGS, defaultBackendFor, pathOptions } from './common-flags.js';
import { flagTable, formatHelp, parseFlags, str, type FlagSpecs } from './flags.js';
import { checkModelFile } from './load-model.js';
import { parseMetricList, selectMetrics } from './evaluate/metric-selection.js';
import { METRIC_FLAGS, metricList, metricOptionFlags, metricOptionsFromFlags } from './metric-flags.js';
import { methodFlags } from './method-flags.js';
import { DEFAULT_MAX_PIXELS } from '@gradscope/image';
import {
  parseLayers,
  parseBatch,
  parseMaxPixels,
  parseMethodList,
  parseNumberList,
  parseScale,
  parseSize,
} from './parse-values.js';
import { parseTargetFlags } from './parse-target.js';
import { readInput } from './read-input.js';
import { readInputFiles, uniqueNames } from './read-files.js';
import { DEFAULT_BATCH, runExplain } from './run-explain.js';
import { readSidecar } from './sidecar.js';
import type { Wiring } from './wiring.js';

const FLAGS: FlagSpecs = {
  ...MODEL_FLAGS,
  ...RUN_FLAGS,
  out: {
    type: 'string',
    value: '<dir>',
    default: 'gradscope-out',
    help: 'output folder (replaced atomically; see below)',
  },
  mean: { type: 'string', value: '<r,g,b>', help: 'per-channel mean of pixels in [0,1] (default: sidecar, else 0)' },
  std: { type: 'string', value: '<r,g,b>', help: 'per-channel std (default: sidecar, else 1)' },
  scale: {
    type: 'string',
    value: '<R>',
    help: 'the network takes pixels in [0, R] (e.g. 255; --mean/--std are then in those units; default: sidecar pixelRange, else 1)',
  },
  bgr: { type: 'boolean', help: 'feed channels as blue, green, red (default: sidecar channelOrder, else RGB)' },
  'max-pixels': {
    type: 'string',
    value: '<n>',
    default: String(DEFAULT_MAX_PIXELS),
    help: 'refuse input images whose header announces more pixels (decompression bombs)',
  },
  batch: {
    type: 'string',
    value: '<n>',
    default: String(DEFAULT_BATCH),
    help: 'explain the inputs n at a time: each method captures a batch in one pass (same outputs as one by one)',
  },
  ...METRIC_FLAGS,
  ...HELP_FLAGS,
};

const NOTES = `Inputs are PNG or JPEG images (resized to the model's input size, scaled to [0,1] and normalised
with --mean/--std or the sidecar's normalization) or .npy float tensors already in the model's input
layout and normalisation ([1,…] or without the batch axis), used as is.

Output: with one input, everything goes to <dir>/; with several, to <dir>/<input name>/ (the file
name without extension; repeated names get -2, -3, …), plus <dir>/index.html and <dir>/grid.png.
Per input: input.png, result.json, and per method <id>.npy (CAM methods: the H×W map in [0,1];
input-space methods: the attribution in the input's layout), <id>.raw.npy (CAM methods: the map
before scaling, at layer resolution) and <id>.png. The folder is written to a hidden sibling and
renamed into place only when everything succeeded. An existing <dir> is replaced only if it is
empty or holds exactly what an earlier run wrote: its .gradscope-output file lists every file with a
SHA-256, and a file that is not listed, or was changed since, makes the run refuse (nothing is
deleted). Input sub-folders never take the gallery's own names (index.html, grid.png, …).

Several inputs are explained --batch at a time (default ${DEFAULT_BATCH}): each method's capture of a batch is one
batched forward/backward (image by image on a model with a fixed batch of one); every file is what
explaining the input alone writes. Lower it to save memory on large models.`;

const METRIC_NOTES = `--metrics <ids> scores each method's map with each metric (as \`gradscope evaluate\` does, seeded
from the input's file name); result.json's entry of each method gains "metrics": {"<id>": number, or
{"20": …, …} per ROAD percentile}. Metrics that need ground-truth masks run only in \`gradscope evaluate\`.`;

export function explainHelp(w: Wiring): string {
  const mf = methodFlags(w.methods);
  const methodOpts = Object.keys(mf).length
    ? `Method options (generated from each method's declared options; booleans also take --no-<flag>):\n${flagTable(mf)}`
    : '';
  return formatHelp(
    [
      'gradscope explain <input...> --model <file> [--backend tfjs] [--method <ids>|all] [--layer <name>|auto]',
      '                  [--target <class>|top1] [--target-kind <kind>] [--target-vector <file.npy>] [--target-mask <file.npy>] [--out <dir>] [--size <n>|<h>x<w>] [--mean <r,g,b>] [--std <r,g,b>] [--scale 255] [--bgr]',
    ],
    "Explains the model's prediction for each input with each method. --model is required (the built-in model is used only by `gradscope demo`).",
    FLAGS,
    [methodOpts, metricList(w.metrics ?? []), NOTES, METRIC_NOTES].filter(Boolean).join('\n\n'),
  );
}

/** `gradscope explain`: returns the exit code. */
export async function explainCommand(args: readonly string[], io: CliIo, w: Wiring): Promise<number> {
  const { values, positionals } = parseFlags(
    'explain',
    args,
    { ...FLAGS, ...methodFlags(w.methods), ...metricOptionFlags(w.metrics ?? []) },
    Infinity,
  );
  if (values.help) {
    io.stdout.write(explainHelp(w));
    return 0;
  }
  const cwd = io.cwd ?? process.cwd();
  const modelArg = str(values.model);
  if (!modelArg) throw usageError(`explain needs --model <file> (see 'gradscope explain --help')`);
  if (!positionals.length) throw usageError(`explain needs at least one input image or .npy file`);
  const size = str(values.size) === undefined ? undefined : parseSize(str(values.size)!);
  const mean = str(values.mean) === undefined ? undefined : parseNumberList('mean', str(values.mean)!);
  const std = str(values.std) === undefined ? undefined : parseNumberList('std', str(values.std)!);
  const scale = str(values.scale) === undefined ? undefined : parseScale(str(values.scale)!);
  const maxPixels = str(values['max-pixels']) === undefined ? undefined : parseMaxPixels(str(values['max-pixels'])!);
  const batch = parseBatch(str(values.batch) ?? String(DEFAULT_BATCH));
  const methods = parseMethodList(str(values.method) ?? 'gradcam');
  const layers = parseLayers(str(values.layer) ?? 'auto');
  const modelPath = resolve(cwd, modelArg);
  const files = await readInputFiles(positionals, cwd);
  await checkModelFile(modelPath, modelArg);
  const sidecar = await readSidecar(modelPath);
  const targetText = str(values.target) ?? 'top1';
  const target = await parseTargetFlags(
    {
      target: str(values.target),
      kind: str(values['target-kind']),
      vector: str(values['target-vector']),
      mask: str(values['target-mask']),
    },
    sidecar.classes ?? [],
    cwd,
  );
  const metricIds = str(values.metrics);
  const metrics = metricIds
    ? selectMetrics(parseMetricList(metricIds), w.metrics ?? [], {
        masks: false,
        howToGiveMasks: "explain takes none; use 'gradscope evaluate --masks <dir>'",
      })
    : [];
  const metricOptions = metricOptionsFromFlags(values, metrics, w.metrics ?? []);
  const names = uniqueNames(files.map((f) => f.path));
  const lines = await runExplain(
    {
      backend: str(values.backend) ?? defaultBackendFor(modelPath),
      model: modelPath,
      modelLabel: modelArg,
      sidecar,
      inputs: files.map((f, i) => ({
        name: names[i]!,
        label: f.path,
        read: (model, norm) => readInput(f.bytes, f.path, model, norm, maxPixels ? { maxPixels } : {}),
      })),
      methods,
      layers,
      target,
      metrics: metrics.map((metric) => ({ metric, options: metricOptions[metric.id] ?? {} })),
      targetText,
      out: resolve(cwd, str(values.out) ?? 'gradscope-out'),
      batch,
      ...(size !== undefined && { size }),
      ...(mean && { mean }),
      ...(std && { std }),
      ...(scale !== undefined && { scale }),
      ...(values.bgr === true && { bgr: true }),
      ...(str(values.output) !== undefined && { output: str(values.output)! }),
      ...pathOptions(values),
      flags: values,
    },
    w,
    io,
  );
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
