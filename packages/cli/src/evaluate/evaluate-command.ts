import { resolve } from 'node:path';
import { missingCapabilities } from '@gradscope/core';
import { DEFAULT_MAX_PIXELS } from '@gradscope/image';
import { CliError, usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { chooseNormalization } from '../choose-normalization.js';
import { HELP_FLAGS, MODEL_FLAGS, RUN_FLAGS, defaultBackendFor, pathOptions } from '../common-flags.js';
import { flagTable, formatHelp, parseFlags, str, type FlagSpecs } from '../flags.js';
import { checkModelFile } from '../load-model.js';
import { METRIC_FLAGS, metricList, metricOptionFlags, metricOptionsFromFlags } from '../metric-flags.js';
import { methodFlags, methodOptionsFromFlags } from '../method-flags.js';
import {
  parseLayers,
  parseMaxPixels,
  parseMethodList,
  parseNumberList,
  parseScale,
  parseSize,
} from '../parse-values.js';
import { parseTargetFlags } from '../parse-target.js';
import { readSidecar } from '../sidecar.js';
import type { Wiring } from '../wiring.js';
import { listInputs } from './evaluate-inputs.js';
import type { EvaluationSpec } from './evaluation-spec.js';
import { parseMetricList, selectMetrics } from './metric-selection.js';
import { runEvaluate } from './run-evaluate.js';

const FLAGS: FlagSpecs = {
  ...MODEL_FLAGS,
  ...RUN_FLAGS,
  ...METRIC_FLAGS,
  masks: {
    type: 'string',
    value: '<dir>',
    help: 'ground-truth masks: <dir>/<image name>.png (white = object) or .npy',
  },
  workers: { type: 'string', value: '<n>', default: '1', help: 'worker threads, one model each (use the core count)' },
  queue: {
    type: 'string',
    value: '<redis://host:port/db>',
    help: 'run on `gradscope worker`s through this Redis queue (BullMQ): one job per (image, method), same results',
  },
  out: { type: 'string', value: '<dir>', default: 'gradscope-eval', help: 'output folder: results.jsonl, report.html' },
  resume: { type: 'boolean', help: 'continue the run in --out: skip every (image, method) already recorded' },
  mean: { type: 'string', value: '<r,g,b>', help: 'per-channel mean of pixels in [0,1] (default: sidecar, else 0)' },
  std: { type: 'string', value: '<r,g,b>', help: 'per-channel std (default: sidecar, else 1)' },
  scale: { type: 'string', value: '<R>', help: 'the network takes pixels in [0, R] (default: sidecar, else 1)' },
  bgr: { type: 'boolean', help: 'feed channels as blue, green, red' },
  'max-pixels': { type: 'string', value: '<n>', default: String(DEFAULT_MAX_PIXELS), help: 'refuse larger images' },
  ...HELP_FLAGS,
};

const NOTES = `Input: a folder (its PNG, JPEG and .npy files, sorted by name) or a manifest .jsonl, one line
per image: {"image": "a/cat.png", "target"?: 3 or "cat", "mask"?: "a/cat.mask.png"} (paths relative
to the manifest). --masks <dir> gives every image without a mask of its own <dir>/<image name without
extension>.png (a pixel is inside where its first channel is ≥ 128) or .npy ([h, w], inside where
≥ 0.5); masks are resized to the model's input by nearest neighbour.

Output: <out>/results.jsonl, one line per (image, method):
  {"image", "method", "target", "metrics": {"<metric id>": number | {"20": …, "40": …}}}
appended (and fsync'd) image by image in input order, whatever --workers is; <out>/curves.jsonl, the
deletion/insertion curves the report plots ({"image", "method", "curves"}, written just before their
records and resumed with them); <out>/evaluate.json (the
run's settings) and, when every image is done, <out>/report.html (self-contained: aggregate table with
95% confidence intervals, distributions, curves, best and worst images). A killed run is continued
with --resume: recorded (image, method) pairs are skipped and a torn last line is dropped, so nothing
is lost or counted twice. Each worker (and a run without --workers) runs ONNX Runtime on one thread,
so records do not depend on --workers.`;

export function evaluateHelp(w: Wiring): string {
  return formatHelp(
    [
      'gradscope evaluate <folder|manifest.jsonl> --model <file> --method <ids>|all --metrics <ids>|all',
      '                   [--masks <dir>] [--workers <n>] [--out <dir>] [--resume] [--road-percentiles 20,40,60,80] [--road-noise <σ>]',
    ],
    'Explains every image with every method and scores each explanation with every metric.',
    FLAGS,
    [
      metricList(w.metrics ?? []),
      `Metric options:\n${flagTable(metricOptionFlags(w.metrics ?? []))}`,
      `Method options:\n${flagTable(methodFlags(w.methods))}`,
      NOTES,
    ].join('\n\n'),
  );
}

function parseWorkers(s: string): number {
  const n = Number(s);
  if (!/^\s*\d+\s*$/.test(s) || n < 1 || n > 64)
    throw usageError(`--workers expects an integer from 1 to 64, got '${s}'`);
  return n;
}

/** `--queue <url>` (not with --workers: the queue's workers are `gradscope worker` processes). */
function queueFlag(v: Readonly<Record<string, string | boolean | undefined>>): { queue?: string } {
  const queue = str(v.queue);
  if (queue === undefined) return {};
  if (str(v.workers) !== undefined)
    throw usageError('--queue runs on `gradscope worker` processes: start those (one per core) instead of --workers');
  return { queue };
}

/** `gradscope evaluate`: returns the exit code. */
export async function evaluateCommand(args: readonly string[], io: CliIo, w: Wiring): Promise<number> {
  const { values: v, positionals } = parseFlags(
    'evaluate',
    args,
    { ...FLAGS, ...methodFlags(w.methods), ...metricOptionFlags(w.metrics ?? []) },
    1,
  );
  if (v.help) {
    io.stdout.write(evaluateHelp(w));
    return 0;
  }
  const cwd = io.cwd ?? process.cwd();
  const modelArg = str(v.model);
  if (!modelArg) throw usageError(`evaluate needs --model <file> (see 'gradscope evaluate --help')`);
  if (!positionals.length) throw usageError('evaluate needs a folder of images or a manifest .jsonl');
  if (!str(v.metrics)) throw usageError(`evaluate needs --metrics <ids> (see 'gradscope evaluate --help')`);
  const masks = str(v.masks);
  const inputs = await listInputs(positionals[0]!, cwd, masks);
  const metrics = selectMetrics(parseMetricList(str(v.metrics)!), w.metrics ?? [], {
    masks: inputs.every((x) => x.mask !== undefined),
  });
  const metricOptions = metricOptionsFromFlags(v, metrics, w.metrics ?? []);
  const modelPath = resolve(cwd, modelArg);
  await checkModelFile(modelPath, modelArg);
  const sidecar = await readSidecar(modelPath);
  const backend = str(v.backend) ?? defaultBackendFor(modelPath);
  const caps = w.backends.find((b) => b.id === backend)?.capabilities ?? new Set();
  const listed = parseMethodList(str(v.method) ?? 'gradcam');
  const methods =
    listed === 'all'
      ? w.methods.filter((m) => missingCapabilities(m, caps).length === 0)
      : listed.map((id) => {
          const m = w.methods.find((x) => x.id === id);
          if (!m) throw new CliError(`unknown method '${id}'; available: ${w.methods.map((x) => x.id).join(', ')}`);
          return m;
        });
  const methodOptions = Object.fromEntries(methodOptionsFromFlags(v, w.methods, methods));
  const normalization = chooseNormalization({
    sidecar,
    ...(str(v.mean) !== undefined && { mean: parseNumberList('mean', str(v.mean)!) }),
    ...(str(v.std) !== undefined && { std: parseNumberList('std', str(v.std)!) }),
    ...(str(v.scale) !== undefined && { scale: parseScale(str(v.scale)!) }),
  });
  const size = str(v.size) === undefined ? undefined : parseSize(str(v.size)!);
  const side = sidecar.inputSize;
  const inputSize = size ?? (side ? { height: side[0], width: side[1] } : undefined);
  const spec: EvaluationSpec = {
    backend,
    model: modelPath,
    modelLabel: modelArg,
    load: {
      ...(normalization && { normalization }),
      ...(inputSize && { inputSize }),
      ...(v.bgr === true && { channelOrder: 'bgr' as const }),
      ...(str(v.output) !== undefined && { output: str(v.output)! }),
      ...pathOptions(v),
    },
    ...(normalization && { normalization }),
    methods: methods.map((m) => m.id),
    methodOptions,
    layers: parseLayers(str(v.layer) ?? 'auto'),
    target: await parseTargetFlags(
      {
        target: str(v.target),
        kind: str(v['target-kind']),
        vector: str(v['target-vector']),
        mask: str(v['target-mask']),
      },
      sidecar.classes ?? [],
      cwd,
    ),
    metrics: metrics.map((m) => m.id),
    metricOptions,
    ...(str(v['max-pixels']) !== undefined && { maxPixels: parseMaxPixels(str(v['max-pixels'])!) }),
    plugins: w.plugins ?? [],
  };
  const lines = await runEvaluate(
    {
      spec,
      inputs,
      classes: sidecar.classes ?? [],
      out: resolve(cwd, str(v.out) ?? 'gradscope-eval'),
      resume: v.resume === true,
      workers: parseWorkers(str(v.workers) ?? '1'),
      ...queueFlag(v),
    },
    w,
    io,
  );
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
