import { GradscopeError, isGradscopeError } from '@gradscope/core';

/** Redis at `url` could not be reached (or stayed unreachable longer than the run allows). */
export class QueueUnreachableError extends GradscopeError {
  constructor(
    readonly url: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super('queue-unreachable', `cannot reach the queue at ${url}: ${reason}`, options);
    this.name = 'QueueUnreachableError';
  }
}

/** A file a job refers to is missing or no longer has the content (sha256) the job was submitted with. */
export class ContentMismatchError extends GradscopeError {
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly actual: string | null,
  ) {
    super(
      'content-mismatch',
      actual === null
        ? `${path}: not found on this worker (jobs refer to files on storage every worker shares)`
        : `${path}: sha256 ${actual.slice(0, 12)}… differs from the submitted ${expected.slice(0, 12)}…`,
    );
    this.name = 'ContentMismatchError';
  }
}

/** True for a `QueueUnreachableError` (from any copy of the package). */
export const isQueueUnreachable = (e: unknown): e is QueueUnreachableError => isGradscopeError(e, 'queue-unreachable');
