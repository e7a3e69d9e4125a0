import { afterAll, beforeAll } from 'vitest';
import type { Capability, CaptureRequest, LayerHook, Model, Tensor } from '@gradscope/core';
import { backendLayerNames, layerName } from '../layer-names.js';
import type { FixtureManifest } from '../manifest.js';
import type { Fixture } from '../open-fixture.js';
import type { BackendSetup } from '../setup.js';

/** A capture request where only `targets` is required (no layers, no gradients by default). */
export type CaptureOptions = Partial<CaptureRequest> & Pick<CaptureRequest, 'targets'>;

/**
 * What every group of backend checks shares: the setup, the fixture and its manifest, the
 * backend's capabilities (which decide which tests exist) and the fixture's model, loaded once
 * per fixture. `model`, `L`, `x` and `capture` work inside tests only (after `beforeAll`).
 */
export interface BackendContext {
  readonly setup: BackendSetup;
  readonly fx: Fixture;
  readonly m: FixtureManifest;
  readonly caps: ReadonlySet<Capability>;
  readonly tol: FixtureManifest['tolerances'];
  /** The fixture's model in the backend's format. */
  readonly model: Model;
  /** The model's name for a logical (torch module path) layer. */
  L(logical: string): string;
  /** A fixture input (`x0`, …, or `batch`) in the model's layout. */
  x(id: string): Tensor;
  /** `model.capture` of a fixture input; unspecified request fields are off. */
  capture(id: string, req: CaptureOptions): Promise<LayerHook>;
}

/**
 * Builds the context and registers, in the enclosing `describe`, the `beforeAll` that loads the
 * fixture's model and the `afterAll` that disposes it.
 */
export function useBackendContext(setup: BackendSetup, fx: Fixture): BackendContext {
  let model: Model;
  let names: Map<string, string>;
  beforeAll(async () => {
    model = await setup.loadFixture(fx.name);
    names = backendLayerNames(fx.manifest, model);
  });
  afterAll(async () => {
    await model?.dispose();
  });
  const x = (id: string) => fx.input(id, model.input.layout);
  return {
    setup,
    fx,
    m: fx.manifest,
    caps: setup.backend.capabilities,
    tol: fx.manifest.tolerances,
    get model() {
      return model;
    },
    L: (logical) => layerName(names, logical, model),
    x,
    capture: (id, req) => model.capture(x(id), { layers: [], gradients: false, inputGradient: false, ...req }),
  };
}
