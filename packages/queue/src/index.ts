/**
 * `gradscope evaluate` spread over machines: BullMQ on Redis, content-addressed files, results stored once.
 *
 * @module @gradscope/queue
 */
export { contentRef, ContentVerifier, type ContentRef } from './content-ref.js';
export { ContentMismatchError, isQueueUnreachable, QueueUnreachableError } from './errors.js';
export type { QueueProgress } from './queue-progress.js';
export { DEFAULT_ATTEMPTS, DEFAULT_QUEUE, type QueueTask, type TaskOutcome } from './queue-task.js';
export { parseQueueUrl, type QueueUrl } from './queue-url.js';
export { startWorker, type QueueWorker, type TaskProcessor, type WorkerOptions } from './run-worker.js';
export { submitTasks, type SubmitOptions } from './submit-tasks.js';
export { canonicalJson, taskId, type Json } from './task-id.js';
