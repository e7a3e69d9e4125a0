import { resolve } from 'node:path';
import { autoLayer, candidateLayers, createGradscope, shapeToString } from '@gradscope/core';
import { usageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { HELP_FLAGS, MODEL_FLAGS, defaultBackendFor, pathOptions } from './common-flags.js';
import { formatHelp, parseFlags, str, type FlagSpecs } from './flags.js';
import { loadModel, lookupBackend } from './load-model.js';
import { parseSize } from './parse-values.js';
import { readSidecar } from './sidecar.js';
import type { Wiring } from './wiring.js';

const FLAGS: FlagSpecs = {
  ...MODEL_FLAGS,
  all: { type: 'boolean', help: 'list every layer, not only those a CAM can use' },
  json: {
    type: 'boolean',
    help: 'print JSON: {model, backend, auto, layers:[{name, type, outputShape, candidate, auto}]}',
  },
  ...HELP_FLAGS,
};

export const layersHelp = (): string =>
  formatHelp(
    ['gradscope layers --model <file> [--backend tfjs] [--all] [--json]'],
    "Lists the layers a CAM can be computed at (spatial outputs larger than 1×1) with their output shapes in the runtime's layout; `*` marks the one `--layer auto` picks (the last spatial layer before global pooling).",
    FLAGS,
  );

/** `gradscope layers`: returns the exit code. */
export async function layersCommand(args: readonly string[], io: CliIo, w: Wiring): Promise<number> {
  const { values } = parseFlags('layers', args, FLAGS, 0);
  if (values.help) {
    io.stdout.write(layersHelp());
    return 0;
  }
  const modelArg = str(values.model);
  if (!modelArg) throw usageError(`layers needs --model <file> (see 'gradscope layers --help')`);
  const size = str(values.size) === undefined ? undefined : parseSize(str(values.size)!);
  const modelPath = resolve(io.cwd ?? process.cwd(), modelArg);
  const gs = createGradscope({ backends: w.backends });
  try {
    const backend = lookupBackend(gs, str(values.backend) ?? defaultBackendFor(modelPath));
    const sidecar = await readSidecar(modelPath);
    const inputSize = size
      ? size
      : sidecar.inputSize
        ? { height: sidecar.inputSize[0], width: sidecar.inputSize[1] }
        : undefined;
    const output = str(values.output);
    const model = await loadModel(backend, modelPath, modelArg, {
      ...pathOptions(values),
      ...(inputSize && { inputSize }),
      ...(output !== undefined && { output }),
    });
    try {
      const auto = autoLayer(model.layers, model.head)?.name ?? null;
      const candidates = new Set(candidateLayers(model.layers).map((l) => l.name));
      const shown = values.all ? model.layers : model.layers.filter((l) => candidates.has(l.name));
      if (values.json) {
        const layers = shown.map((l) => ({
          name: l.name,
          type: l.type,
          outputShape: l.outputShape,
          candidate: candidates.has(l.name),
          auto: l.name === auto,
        }));
        io.stdout.write(`${JSON.stringify({ model: modelArg, backend: model.backend, auto, layers }, null, 2)}\n`);
        return 0;
      }
      const rows = shown.map((l) => [
        l.name === auto ? '*' : candidates.has(l.name) || !values.all ? ' ' : '-',
        l.name,
        l.type,
        shapeToString(l.outputShape),
      ]);
      const wName = Math.max(4, ...rows.map((r) => r[1]!.length));
      const wType = Math.max(4, ...rows.map((r) => r[2]!.length));
      const line = (r: string[]) => `${r[0]} ${r[1]!.padEnd(wName)}  ${r[2]!.padEnd(wType)}  ${r[3]}`.trimEnd();
      io.stdout.write(
        [
          `${values.all ? 'layers' : 'CAM-capable layers'} of ${modelArg} on ${model.backend} (input ${shapeToString(model.input.shape)}, ${model.input.layout}; * = --layer auto${values.all ? ', - = not usable for a CAM' : ''})`,
          line([' ', 'name', 'type', 'output shape']),
          ...rows.map(line),
          auto ? `auto: ${auto}` : 'auto: none (no spatial layer before global pooling)',
        ].join('\n') + '\n',
      );
      return 0;
    } finally {
      await model.dispose();
    }
  } finally {
    await gs.dispose();
  }
}
