import type { FlagSpecs } from './flags.js';

export const HELP_FLAGS: FlagSpecs = {
  help: { type: 'boolean', short: 'h', help: 'show this help' },
  debug: { type: 'boolean', help: 'print the stack trace of an error (or set GRADSCOPE_DEBUG=1)' },
};

export const MODEL_FLAGS: FlagSpecs = {
  model: {
    type: 'string',
    value: '<file>',
    help: "model to load (tfjs model.json or .onnx; required; its '<name>.gradscope.json' sidecar is read when present)",
  },
  backend: {
    type: 'string',
    value: '<id>',
    default: 'onnx for .onnx files, else tfjs',
    help: 'runtime that loads the model (see `gradscope methods`)',
  },
  output: {
    type: 'string',
    value: '<name>',
    help: 'the model output to explain when it has several (the error lists them)',
  },
  size: {
    type: 'string',
    value: '<n>|<h>x<w>',
    help: "input size n×n or h×w, at most 16384 a side, for models with a dynamic input size (default: the model's fixed size, else the sidecar's inputSize)",
  },
  'allow-paths-outside-model-dir': {
    type: 'boolean',
    help: 'let a tfjs model.json name weight files outside its folder (refused by default; only for trusted layouts)',
  },
};

/** The load options the model flags ask for beyond the input size. */
export const pathOptions = (values: Readonly<Record<string, unknown>>): { allowPathsOutsideModelDir?: true } =>
  values['allow-paths-outside-model-dir'] === true ? { allowPathsOutsideModelDir: true } : {};

export const RUN_FLAGS: FlagSpecs = {
  method: {
    type: 'string',
    value: '<ids>|all',
    default: 'gradcam',
    help: 'comma-separated method ids, or every method the backend can run',
  },
  layer: {
    type: 'string',
    value: '<names>|auto',
    default: 'auto',
    help: 'target layer(s), comma-separated (maps averaged); auto = the linear head feature layer, else the last spatial layer before global pooling',
  },
  target: {
    type: 'string',
    value: '<class>|top1',
    default: 'top1',
    help: 'class index, a class name from the sidecar, or top1 (the predicted class)',
  },
  'target-kind': {
    type: 'string',
    value: '<class|softmax|rest|binary|similarity|seed>',
    default: 'class',
    help: 'the score explained: the logit, its softmax probability, the ReST score (2·logit − logsumexp), a one-output model’s decision, or (with --target-vector) a cosine similarity or a seed',
  },
  'target-vector': {
    type: 'string',
    value: '<file.npy>',
    help: 'the concept vector (similarity) or d score/d outputs (seed), one value per model output',
  },
  'target-mask': {
    type: 'string',
    value: '<file.npy>',
    help: 'segmentation: explain class --target summed over this [H, W] mask of the model output [K, H, W]',
  },
};

/** The backend a model file gets when `--backend` is not given: `onnx` for `.onnx` files, else `tfjs`. */
export function defaultBackendFor(modelPath: string | undefined): string {
  return modelPath && /\.onnx$/i.test(modelPath) ? 'onnx' : 'tfjs';
}
