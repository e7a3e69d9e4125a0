import type { Tensor } from '@gradscope/core';
import { closeness, closenessUpToSign } from '../compare.js';

/** One golden comparison, as `GRADSCOPE_PARITY_LOG` records it (one JSON line each). */
export interface ParityRecord {
  readonly backend: string;
  readonly fixture: string;
  readonly method: string;
  readonly case: string;
  /** max |map − torch map| (maps in [0, 1]). */
  readonly mapMaxAbs?: number;
  /** max |raw − torch raw| / max |torch raw|. */
  readonly rawRelative?: number;
}

const logFile = (): string | undefined =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['GRADSCOPE_PARITY_LOG'];

/**
 * Appends how far a method's map and raw map are from the torch golden to the file named by
 * `GRADSCOPE_PARITY_LOG` (Node only; nothing happens without it). `scripts/parity-table.mjs` turns
 * the file into the method × backend table of worst errors.
 */
export async function logParity(
  where: { readonly backend: string; readonly fixture: string; readonly method: string; readonly case: string },
  map: { readonly actual: Tensor; readonly golden: Tensor } | null,
  raw: { readonly actual: Tensor; readonly golden: Tensor; readonly upToSign?: boolean } | null,
): Promise<void> {
  const file = logFile();
  if (!file) return;
  const record: ParityRecord = {
    ...where,
    ...(map && { mapMaxAbs: closeness(map.actual.data, map.golden.data).maxAbs }),
    ...(raw && {
      rawRelative: (raw.upToSign ? closenessUpToSign : closeness)(raw.actual.data, raw.golden.data).relative,
    }),
  };
  const { appendFileSync } = await import('node:fs');
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}
