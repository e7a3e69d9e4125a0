import { afterAll, beforeAll, expect } from 'vitest';
import {
  createGradscope,
  isGradscopeError,
  missingCapabilities,
  type Capability,
  type Explanation,
  type Gradscope,
  type Method,
  type Model,
} from '@gradscope/core';
import { backendLayerNames, layerName } from '../layer-names.js';
import type { FixtureManifest } from '../manifest.js';
import type { Fixture } from '../open-fixture.js';
import { errorOf, type BackendSetup } from '../setup.js';

/**
 * What the method checks share: the setup, the fixture, the backend's capabilities, and the model
 * and a `Gradscope` (with `methods` registered) made in `beforeAll`. `model`, `run`, `droppedFor`
 * and `expectRefused` work inside tests only.
 */
export interface MethodContext {
  /** The backend's name in the suite's titles, e.g. `tfjs (wasm)`. */
  readonly label: string;
  readonly setup: BackendSetup;
  readonly fx: Fixture;
  readonly m: FixtureManifest;
  readonly caps: ReadonlySet<Capability>;
  readonly model: Model;
  /** The `Gradscope` the methods are registered on. */
  readonly gs: Gradscope;
  /** The loaded model's name of a fixture (logical) layer. */
  layer(logical: string): string;
  /** core's `explain` of a fixture input for a named target, at logical layers (none: the method's default). */
  run(
    method: string,
    input: string,
    target: string,
    layers: readonly string[],
    options?: Record<string, unknown>,
  ): Promise<Explanation>;
  /** What `method` needs that the loaded model does not declare (per-model capabilities only: describeBackend checks the rest). */
  droppedFor(method: Method<any>): Capability[];
  /** Asserts that explaining `x0` with `method` is refused with MissingCapabilityError. */
  expectRefused(method: Method<any>): Promise<void>;
}

/**
 * Builds the context and registers, in the enclosing `describe`, the `beforeAll` that loads the
 * model and registers `methods` on a `Gradscope`, and the `afterAll` that releases both.
 */
export function useMethodContext(
  label: string,
  setup: BackendSetup,
  fx: Fixture,
  methods: readonly Method<any>[],
): MethodContext {
  let model: Model;
  let names: Map<string, string>;
  let gs: Gradscope;
  beforeAll(async () => {
    model = await setup.loadFixture(fx.name);
    names = backendLayerNames(fx.manifest, model);
    gs = createGradscope({ methods });
  });
  afterAll(async () => {
    await gs?.dispose();
    await model?.dispose();
  });
  const run: MethodContext['run'] = (method, input, target, layers, options) =>
    gs.explain(model, fx.input(input, model.input.layout), {
      method,
      target: fx.target(target),
      ...(layers.length ? { layer: layers.map((l) => layerName(names, l, model)) } : {}),
      ...(options ? { options } : {}),
    });
  return {
    label,
    setup,
    fx,
    m: fx.manifest,
    caps: setup.backend.capabilities,
    get model() {
      return model;
    },
    get gs() {
      return gs;
    },
    layer: (l) => layerName(names, l, model),
    run,
    droppedFor: (method) => missingCapabilities(method, model.capabilities),
    expectRefused: async (method) => {
      const e = await errorOf(() => run(method.id, 'x0', 'top1', []));
      expect(isGradscopeError(e, 'missing-capability'), String(e)).toBe(true);
    },
  };
}
