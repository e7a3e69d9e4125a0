import { describe } from 'vitest';
import { activationTests } from './backend/activation-tests.js';
import { useBackendContext } from './backend/backend-context.js';
import { batchedForwardTests } from './backend/batched-forward-tests.js';
import { disposalTests } from './backend/disposal-tests.js';
import { forwardTests } from './backend/forward-tests.js';
import { inputGradientTests } from './backend/input-gradient-tests.js';
import { layerGradientTests } from './backend/layer-gradient-tests.js';
import { linearHeadTests } from './backend/linear-head-tests.js';
import { metadataTests } from './backend/metadata-tests.js';
import { missingCapabilityTests } from './backend/missing-capability-tests.js';
import { randomizeWeightsTests } from './backend/randomize-weights-tests.js';
import { runFromLayerTests } from './backend/run-from-layer-tests.js';
import { targetTests } from './backend/target-tests.js';
import { FIXTURE_NAMES, openFixture, type Fixture } from './open-fixture.js';
import { resolveSetup, type BackendSetup, type SetupInput, type SuiteOptions } from './setup.js';

/**
 * The backend conformance suite, run against each fixture (default: all of `FIXTURE_NAMES`) and
 * its PyTorch goldens.
 * Which tests exist depends only on `setup.backend.capabilities`: each declared capability is
 * exercised against the goldens, each undeclared one must be refused by core's `explain`
 * (MissingCapabilityError). The model's capabilities must be the backend's, less at most
 * per-model ones (`PER_MODEL_CAPABILITIES`); checks of those are gated on the model's own set.
 * Always checked: metadata, forward logits, target resolution, BadTargetError, repeatable captures
 * that release resources, and `dispose`.
 */
export function describeBackend(name: string, setup: SetupInput, options: SuiteOptions = {}): void {
  const s = resolveSetup(setup);
  for (const f of options.fixtures ?? FIXTURE_NAMES) describeOn(name, s, openFixture(f));
}

/** One fixture: the groups in `./backend/`, each a function that declares its tests (or none). */
function describeOn(name: string, s: BackendSetup, fx: Fixture): void {
  describe(`conformance: backend '${name}' on ${fx.name}`, () => {
    const ctx = useBackendContext(s, fx);
    metadataTests(ctx); // always: id, capabilities, input spec, layers
    forwardTests(ctx); // always: logits of every input
    targetTests(ctx); // always: target resolution, BadTargetError
    activationTests(ctx); // activations
    layerGradientTests(ctx); // layer-gradients
    inputGradientTests(ctx); // input-gradients, relu-guided, relu-deconvnet
    runFromLayerTests(ctx); // run-from-layer
    batchedForwardTests(ctx); // batched-forward
    linearHeadTests(ctx); // linear-head (per model)
    randomizeWeightsTests(ctx); // randomize-weights
    missingCapabilityTests(ctx); // every capability the model lacks
    disposalTests(ctx); // always: repeatable captures, no leaks, dispose
  });
}
