import type { Backend } from './backend.js';
import { container, type DependencyContainer } from './di.js';
import { explain, missingCapabilities, type ExplainRequest } from './explain.js';
import { explainBatch, type BatchExplainRequest, type BatchInput } from './explain-batch.js';
import { explainMany } from './explain-many.js';
import type { Explanation } from './explanation.js';
import type { Method } from './method.js';
import type { Model } from './model.js';
import { getBackend, getMethod, listBackends, listMethods, registerBackends, registerMethods } from './registry.js';
import type { Tensor } from './tensor.js';

/** What a `Gradscope` starts with. */
export interface GradscopeOptions {
  /** Methods to register, e.g. `builtinMethods` from `@gradscope/methods` plus plugins' methods. */
  readonly methods?: readonly Method<any>[];
  /** Backends to register (needed only to look them up by id, as the CLI does). */
  readonly backends?: readonly Backend[];
}

/**
 * The one door for users: the registered methods and backends, and `explain`. Each instance owns its
 * own DI container (a child of tsyringe's root, which stays empty); `dispose()` releases it.
 */
export interface Gradscope {
  /** The registered methods, in registration order. */
  methods(): Method[];
  /** The method registered under `id`; UnknownMethodError lists the registered ones. */
  method(id: string): Method;
  /** Registered methods whose requirements `model`'s capabilities meet. */
  runnable(model: Pick<Model, 'capabilities'>): Method[];
  /** The registered backends, in registration order. */
  backends(): Backend[];
  /** The backend registered under `id`; UnknownBackendError lists the registered ones. */
  backend(id: string): Backend;
  /**
   * Runs one registered method on one image. The method id, capabilities, layers, target, options
   * and input shape are all checked before any backend work.
   */
  explain(model: Model, input: Tensor, request: ExplainRequest): Promise<Explanation>;
  /**
   * Runs several methods on one image, side by side: their captures are pooled into one forward
   * pass (`Model.captureMany`) and repeated captures are served once. Same checks and results as
   * one `explain` per request; explanations in request order.
   */
  explainMany(model: Model, input: Tensor, requests: readonly ExplainRequest[]): Promise<Explanation[]>;
  /**
   * Runs one method on a batch: `inputs` is `[N, …]` (or N tensors `[1, …]`) and the request takes
   * one `target` for all, `targets` one per image, or several `targets` for one image. Returns one
   * explanation per (image, target), image-major, each equal to what `explain` returns for it, from
   * one batched capture (image by image on models with a fixed batch of one). A `targets` count that
   * pairs with neither is a `TargetCountError` (pytorch-grad-cam would silently truncate).
   */
  explainBatch(model: Model, inputs: BatchInput, request: BatchExplainRequest): Promise<Explanation[]>;
  /**
   * `explainBatch` for several methods side by side, their captures pooled as `explainMany` pools
   * them: per request (in order), its explanations per (image, target).
   */
  explainBatchMany(
    model: Model,
    inputs: BatchInput,
    requests: readonly BatchExplainRequest[],
  ): Promise<Explanation[][]>;
  /**
   * Registers more methods (a plugin's). The same object twice is a no-op; a different one under a
   * taken id throws DuplicateRegistrationError.
   */
  register(methods: readonly Method<any>[]): void;
  /** Releases the container; any later call throws. Models are the caller's to dispose. */
  dispose(): Promise<void>;
}

/**
 * Creates a `Gradscope` with the given methods and backends registered through core's DI registry
 * (`registerMethods` / `registerBackends`, the same functions a composition root that owns a
 * container calls).
 *
 * @example
 * const gs = createGradscope({ methods: builtinMethods });
 * const e = await gs.explain(model, x, { method: 'gradcam', layer: 'auto' });
 * await gs.dispose();
 */
export function createGradscope(options: GradscopeOptions = {}): Gradscope {
  const c = container.createChildContainer();
  let disposed = false;
  const live = (): DependencyContainer => {
    if (disposed) throw new Error('this Gradscope was disposed; create a new one with createGradscope()');
    return c;
  };
  registerBackends(c, options.backends ?? []);
  registerMethods(c, options.methods ?? []);
  return {
    methods: () => listMethods(live()),
    method: (id) => getMethod(live(), id),
    runnable: (model) => listMethods(live()).filter((m) => missingCapabilities(m, model.capabilities).length === 0),
    backends: () => listBackends(live()),
    backend: (id) => getBackend(live(), id),
    explain: async (model, input, request) => explain(live(), model, input, request),
    explainMany: async (model, input, requests) => explainMany(live(), model, input, requests),
    explainBatch: async (model, inputs, request) => (await explainBatch(live(), model, inputs, [request]))[0]!,
    explainBatchMany: async (model, inputs, requests) => explainBatch(live(), model, inputs, requests),
    register: (methods) => registerMethods(live(), methods),
    async dispose() {
      if (disposed) return;
      disposed = true;
      await c.dispose();
    },
  };
}
