import type { ContentRef } from './content-ref.js';
import type { Json } from './task-id.js';

/** One job on the queue: the files it reads (verified by the worker) and what the processor gets. */
export interface QueueTask {
  /** `taskId(key)`: the same work always has the same id. */
  readonly id: string;
  readonly files: readonly ContentRef[];
  readonly payload: Json;
}

/** How a task ended: its stored result, or the error of its last attempt. */
export type TaskOutcome = { readonly result: Json } | { readonly error: string };

/** The default queue name (one queue serves every audit; job ids keep them apart). */
export const DEFAULT_QUEUE = 'gradscope';

/** Attempts per job before it fails for good (a crashed or stalled attempt counts as one). */
export const DEFAULT_ATTEMPTS = 3;
