import { UnsupportedModelError } from './errors.js';

/**
 * The model output to explain: the only one, or `wanted` (the load option `output`). A model with
 * several outputs and no choice, or a choice it does not have, is an error listing its outputs —
 * explaining the first one silently would explain the wrong head.
 */
export function chooseOutput(outputs: readonly string[], wanted?: string): string {
  const list = outputs.map((o) => `'${o}'`).join(', ');
  if (wanted !== undefined) {
    if (outputs.includes(wanted)) return wanted;
    throw new UnsupportedModelError(`the model has no output '${wanted}'; its outputs are ${list}`);
  }
  if (outputs.length === 1) return outputs[0]!;
  throw new UnsupportedModelError(
    `the model has ${outputs.length} outputs (${list}); choose one with the load option output (CLI: --output <name>)`,
  );
}
