/**
 * The slice of the onnxruntime API this backend uses. Both `onnxruntime-web` and `onnxruntime-node`
 * satisfy it; the user passes one (`createOnnxBackend({ ort })`), so neither is imported here.
 */
export interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
  readonly type: string;
  dispose?(): void;
}

export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

export interface OrtRuntime {
  readonly InferenceSession: {
    create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSession>;
  };
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
  /** `env.versions.node` is set by onnxruntime-node, `env.versions.web` by onnxruntime-web. */
  readonly env?: { readonly versions?: Readonly<Record<string, string | undefined>> };
}
