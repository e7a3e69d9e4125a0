import { describe } from 'vitest';
import type { Method } from '@gradscope/core';
import { batchTests } from './methods/batch-tests.js';
import { methodTests } from './methods/method-tests.js';
import { useMethodContext } from './methods/method-context.js';
import { resourceTests } from './methods/resource-tests.js';
import { FIXTURE_NAMES, openFixture, type Fixture } from './open-fixture.js';
import { resolveSetup, type BackendSetup, type SetupInput, type SuiteOptions } from './setup.js';

/**
 * Runs every method in `methods` through a Gradscope's `explain` on each fixture (default: all). Gating is by capabilities only: a method whose `requires` the backend does not meet
 * must be refused with MissingCapabilityError, and so must one needing a per-model capability
 * (`linear-head`) the loaded model does not declare; every other one is compared with its PyTorch goldens
 * (map ≤ 1e-4 max-abs; raw within the gradient tolerance, input-space raws after converting to
 * NCHW), or, for methods without goldens, checked for a finite `[H, W]` map in [0, 1].
 */
export function describeMethods(
  name: string,
  setup: SetupInput,
  methods: readonly Method<any>[],
  options: SuiteOptions = {},
): void {
  const s = resolveSetup(setup);
  for (const f of options.fixtures ?? FIXTURE_NAMES) describeOn(name, s, openFixture(f), methods, options);
}

/** One fixture: the resource check, then each method's tests (see `./methods/`). */
function describeOn(
  name: string,
  s: BackendSetup,
  fx: Fixture,
  methods: readonly Method<any>[],
  options: SuiteOptions,
): void {
  describe(`conformance: methods on backend '${name}' (${fx.name})`, () => {
    const ctx = useMethodContext(name, s, fx, methods);
    resourceTests(ctx, methods);
    for (const method of methods) methodTests(ctx, method);
    batchTests(ctx, methods, options.batchEveryMethod ?? true);
  });
}
