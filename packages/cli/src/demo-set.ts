import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { modelUrl, SAMPLES, sampleName } from '@gradscope/shapes';
import { CliError } from './cli-error.js';
import { decodeImage } from './read-input.js';
import { readSidecar } from './sidecar.js';
import type { DemoSet } from './wiring.js';

/** The built-in shapes CNN (tfjs) from `@gradscope/shapes`, its sidecar and its committed sample PNGs. */
export async function shapesDemo(): Promise<DemoSet> {
  const model = fileURLToPath(modelUrl);
  if (!(await stat(model).catch(() => null))) {
    throw new CliError(
      `the built-in model ${model} is missing; create it with 'pnpm --filter @gradscope/shapes train'`,
    );
  }
  const sidecar = await readSidecar(model);
  const samples = await Promise.all(
    SAMPLES.map(async (s) => {
      const bytes = await readFile(s.image).catch(() => {
        throw new CliError(
          `the built-in sample ${fileURLToPath(s.image)} is missing; create it with 'pnpm --filter @gradscope/shapes samples'`,
        );
      });
      return {
        name: sampleName(s.index, s.className),
        image: decodeImage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'png'),
      };
    }),
  );
  return { backend: 'tfjs', model, modelLabel: 'built-in shapes CNN (@gradscope/shapes)', sidecar, samples };
}
