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
  size: {
    type: 'string',
    value: '<n>',
    help: "input size n×n, at most 16384 (default: the model's fixed size, else the sidecar's inputSize)",
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
};

/** The backend a model file gets when `--backend` is not given: `onnx` for `.onnx` files, else `tfjs`. */
export function defaultBackendFor(modelPath: string | undefined): string {
  return modelPath && /\.onnx$/i.test(modelPath) ? 'onnx' : 'tfjs';
}
