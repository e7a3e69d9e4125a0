import { exclusive } from './exclusive.js';
import type { BackwardModel } from './grad/backward-model.js';
import type { ManyBackwardModel } from './grad/build-backward-many.js';
import type { OrtRuntime, OrtSession, OrtTensor } from './ort-types.js';
import type { IModelProto } from '@gradscope/onnx-proto';
import { createSession } from './external-weights.js';
import { SessionCache } from './session-cache.js';

/**
 * A cached derived session: a capture model (with its backward pass) or a run-from-layer tail/head.
 * The ModelProto it was made from is not kept (the session holds its own copy of the weights).
 */
export interface Derived {
  readonly session: OrtSession;
  readonly backward?: Omit<BackwardModel, 'model'>;
  readonly crossing?: readonly string[];
  /** A forward with several backward branches (`captureMany`). */
  readonly many?: Omit<ManyBackwardModel, 'model'>;
}

/**
 * The onnxruntime sessions of one model: the plain forward session (made on first use) and a bounded
 * cache of derived ones. Every create, run and release goes through `exclusive`.
 */
export class ModelSessions {
  readonly cache: SessionCache<Derived>;
  private forward: Promise<OrtSession> | null = null;
  /** The initializer bytes of the model each session was made from (what the cache's budget counts). */
  private readonly weightBytes = new WeakMap<OrtSession, number>();

  constructor(
    private readonly ort: OrtRuntime,
    private readonly options: Record<string, unknown>,
    cacheSize: number,
    cacheBytes = Infinity,
  ) {
    this.cache = new SessionCache(cacheSize, (d) => exclusive(ort, () => d.session.release()), {
      maxBytes: cacheBytes,
      sizeOf: (d) => this.weightBytes.get(d.session) ?? 0,
    });
  }

  /** A session for `model` (with `options`, default the model's session options). */
  async create(model: IModelProto, options = this.options): Promise<OrtSession> {
    const bytes = initializerBytes(model);
    const session = await createSession(this.ort, model, options);
    this.weightBytes.set(session, bytes);
    return session;
  }

  run(session: OrtSession, feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>> {
    return exclusive(this.ort, () => session.run(feeds));
  }

  /** The forward session, made from `model()` on first use. */
  forwardSession(model: () => IModelProto): Promise<OrtSession> {
    if (!this.forward) {
      const p = this.create(model());
      // a failed create is not remembered (the next call tries again; dispose has nothing to release)
      p.catch(() => this.forward === p && (this.forward = null));
      this.forward = p;
    }
    return this.forward;
  }

  /** Releases every cached session and the forward session. */
  async dispose(): Promise<void> {
    await this.cache.clear();
    if (this.forward) {
      const s = await this.forward;
      await exclusive(this.ort, () => s.release());
    }
    this.forward = null;
  }
}

/** Bytes of a model's initializers (raw or typed values). */
function initializerBytes(model: IModelProto): number {
  let n = 0;
  for (const t of model.graph?.initializer ?? [])
    n +=
      (t.rawData?.byteLength ?? 0) +
      4 * ((t.floatData?.length ?? 0) + (t.int32Data?.length ?? 0)) +
      8 * (t.int64Data?.length ?? 0);
  return n;
}
