import type { Backend, Model } from '@gradscope/core';

/**
 * What a backend (or plugin) hands the conformance suite. `backend` must be available when the
 * suite is declared (its capabilities decide which tests exist); anything asynchronous (choosing a
 * tfjs backend, creating sessions) belongs in `loadFixture` or in the test file's own `beforeAll`.
 */
export interface BackendSetup {
  readonly backend: Backend;
  /** Loads a committed fixture in the backend's own format, e.g. `backend.load(fixturePath(name, 'tfjs'))`. */
  loadFixture(name: string): Promise<Model>;
  /** Optional live resource count (e.g. `tf.memory().numTensors`) for the leak checks. */
  resources?(): number;
}

/** Which committed fixtures to run on (default: all of `FIXTURE_NAMES`). */
export interface SuiteOptions {
  readonly fixtures?: readonly string[];
  /**
   * describeMethods: also check that every runnable method explains a batch as each image alone
   * (default true; it runs every method again, so a slow reference implementation may opt out).
   */
  readonly batchEveryMethod?: boolean;
}

/** A setup object or a synchronous function returning one. */
export type SetupInput = BackendSetup | (() => BackendSetup);

export const resolveSetup = (s: SetupInput): BackendSetup => (typeof s === 'function' ? s() : s);

/** The error `f` throws or rejects with, or undefined when it succeeds. */
export async function errorOf(f: () => unknown): Promise<unknown> {
  try {
    await f();
    return undefined;
  } catch (e) {
    return e;
  }
}
