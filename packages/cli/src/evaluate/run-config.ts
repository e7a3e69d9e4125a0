import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from '../cli-error.js';
import type { EvaluationSpec } from './evaluation-spec.js';

export const CONFIG_FILE = 'evaluate.json';

/** What makes two runs' records comparable: the model, methods, metrics and their options, target. */
const settingsOf = (s: EvaluationSpec) => ({
  model: s.model,
  backend: s.backend,
  load: s.load,
  normalization: s.normalization ?? null,
  methods: s.methods,
  methodOptions: s.methodOptions,
  layers: s.layers,
  target: s.target,
  metrics: s.metrics,
  metricOptions: s.metricOptions,
});

/**
 * Records the run's settings in `<out>/evaluate.json`; with `resume`, checks that the folder was
 * started with the same settings first, so records made under different settings are never mixed.
 */
export async function checkRunConfig(out: string, spec: EvaluationSpec, resume: boolean): Promise<void> {
  const path = join(out, CONFIG_FILE);
  const now = JSON.stringify(settingsOf(spec), null, 2);
  if (resume) {
    const before = await readFile(path, 'utf8').catch(() => null);
    if (before !== null && before.trimEnd() !== now) {
      const was = JSON.parse(before) as Record<string, unknown>;
      const is = JSON.parse(now) as Record<string, unknown>;
      const changed = Object.keys(is).filter((k) => JSON.stringify(was[k]) !== JSON.stringify(is[k]));
      throw new CliError(
        `--resume: ${out} was started with other settings (${changed.join(', ')}); rerun with the same ones or choose another --out`,
      );
    }
  }
  await writeFile(path, `${now}\n`);
}
