import type * as Queue from '@gradscope/queue';
import { CliError } from '../cli-error.js';

/** `@gradscope/queue`, imported on first use: only `--queue` and `worker` need Redis and BullMQ. */
export async function loadQueue(): Promise<typeof Queue> {
  try {
    return await import('@gradscope/queue');
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    throw new CliError(
      '--queue and `gradscope worker` need the @gradscope/queue package: npm install @gradscope/queue',
    );
  }
}
