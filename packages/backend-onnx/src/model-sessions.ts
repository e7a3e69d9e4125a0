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

  constructor(
    private readonly ort: OrtRuntime,
    private readonly options: Record<string, unknown>,
    cacheSize: number,
  ) {
    this.cache = new SessionCache(cacheSize, (d) => exclusive(ort, () => d.session.release()));
  }

  /** A session for `model` (with `options`, default the model's session options). */
  create(model: IModelProto, options = this.options): Promise<OrtSession> {
    return createSession(this.ort, model, options);
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
