import type { Tensor } from '@gradscope/core';
import type { Derived, ModelSessions } from '../model-sessions.js';
import type { OnnxModelParts } from '../onnx-model-parts.js';
import type { OutputReader } from '../ort-tensors.js';
import type { OrtTensor } from '../ort-types.js';
import type { SessionCache } from '../session-cache.js';

/** What the capture helpers (`captureMany`, `onnxHessianVectors`) use of an OnnxModel. */
export interface ModelDeps {
  readonly parts: OnnxModelParts;
  /** The logits of one image: `[K]`, or `[K, H, W]` class planes. */
  readonly outputDims: readonly number[];
  readonly sessions: ModelSessions;
  readonly cache: SessionCache<Derived>;
  readonly outputs: OutputReader;
  tensorFor(layer: string): string;
  toOrt(t: Tensor): OrtTensor;
}
