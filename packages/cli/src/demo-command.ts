import { resolve } from 'node:path';
import { checkInput, imageToTensor } from '@gradscope/core';
import type { CliIo } from './cli-io.js';
import { HELP_FLAGS, RUN_FLAGS } from './common-flags.js';
import { formatHelp, parseFlags, str, type FlagSpecs } from './flags.js';
import { methodFlags } from './method-flags.js';
import { parseLayers, parseMethodList } from './parse-values.js';
import { parseTargetFlags } from './parse-target.js';
import { runExplain } from './run-explain.js';
import type { Wiring } from './wiring.js';

const FLAGS: FlagSpecs = {
  out: {
    type: 'string',
    value: '<dir>',
    default: 'out',
    help: 'output folder (same layout and atomic replacement as explain)',
  },
  ...RUN_FLAGS,
  method: { ...RUN_FLAGS.method!, default: 'all' },
  ...HELP_FLAGS,
};

export const demoHelp = (w: Wiring): string =>
  formatHelp(
    ['gradscope demo [--out out] [--method <ids>|all] [--layer <name>|auto] [--target <class>|top1]'],
    'Runs every method the backend can run on the built-in shapes model (no --model needed) and its sample images, and writes one folder per sample, index.html and grid.png.',
    { ...FLAGS, ...methodFlags(w.methods) },
  );

/** `gradscope demo`: returns the exit code. */
export async function demoCommand(args: readonly string[], io: CliIo, w: Wiring): Promise<number> {
  const { values } = parseFlags('demo', args, { ...FLAGS, ...methodFlags(w.methods) }, 0);
  if (values.help) {
    io.stdout.write(demoHelp(w));
    return 0;
  }
  const methods = parseMethodList(str(values.method) ?? 'all');
  const layers = parseLayers(str(values.layer) ?? 'auto');
  const demo = await w.demo();
  const targetText = str(values.target) ?? 'top1';
  const lines = await runExplain(
    {
      backend: demo.backend,
      model: demo.model,
      modelLabel: demo.modelLabel,
      sidecar: demo.sidecar,
      inputs: demo.samples.map((s) => ({
        name: s.name,
        label: s.name,
        read: (model, norm) => {
          const { height, width, layout, channels } = model.input;
          const tensor = imageToTensor(s.image, { height, width, layout, channels }, norm);
          checkInput(model, tensor);
          return { kind: 'png' as const, tensor, sourceSize: { height: s.image.height, width: s.image.width } };
        },
      })),
      methods,
      layers,
      target: await parseTargetFlags({ target: targetText }, demo.sidecar.classes ?? [], io.cwd ?? process.cwd()),
      targetText,
      out: resolve(io.cwd ?? process.cwd(), str(values.out) ?? 'out'),
      flags: values,
    },
    w,
    io,
  );
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
