/**
 * Typed errors. Each carries a literal `code` and the facts a user needs to fix the problem; guards
 * compare `code` (not `instanceof`) so two installed copies of core still agree.
 */
export type ErrorCode =
  | 'unknown-layer'
  | 'unknown-method'
  | 'unknown-backend'
  | 'duplicate-registration'
  | 'bad-target'
  | 'bad-input-shape'
  | 'bad-input'
  | 'bad-option'
  | 'missing-capability'
  | 'unsupported-model'
  | 'unsupported-operator'
  | 'model-load'
  | 'runtime-unavailable'
  | 'aborted'
  | 'training-failed'
  | 'non-finite'
  | 'runtime-failed'
  | 'queue-unreachable'
  | 'content-mismatch';

export class GradscopeError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'GradscopeError';
  }
}

const list = (xs: readonly string[], max = 40): string =>
  xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')}, … (${xs.length - max} more)`;

export class UnknownLayerError extends GradscopeError {
  constructor(
    readonly layer: string,
    readonly available: readonly string[],
  ) {
    super('unknown-layer', `unknown layer '${layer}'; available layers: ${list(available)}`);
  }
}

/** A layer that exists but cannot be explained at (the model's input itself). Code `unknown-layer`. */
export class UnusableLayerError extends GradscopeError {
  constructor(
    readonly layer: string,
    readonly available: readonly string[],
  ) {
    super(
      'unknown-layer',
      `layer '${layer}' is the model's input, not a layer a method can explain at; usable layers: ${list(available)}`,
    );
  }
}

export class UnknownMethodError extends GradscopeError {
  constructor(
    readonly method: string,
    readonly available: readonly string[],
  ) {
    super('unknown-method', `unknown method '${method}'; registered methods: ${list(available)}`);
  }
}

export class UnknownBackendError extends GradscopeError {
  constructor(
    readonly backend: string,
    readonly available: readonly string[],
  ) {
    super('unknown-backend', `unknown backend '${backend}'; registered backends: ${list(available)}`);
  }
}

export class DuplicateRegistrationError extends GradscopeError {
  constructor(
    readonly kind: string,
    readonly id: string,
  ) {
    super('duplicate-registration', `a different ${kind} is already registered under the id '${id}'`);
  }
}

export class BadTargetError extends GradscopeError {
  constructor(message: string) {
    super('bad-target', message);
  }
}

/**
 * A batch whose targets do not pair with its images: N images take N targets (one each), one image
 * takes any number. Code `bad-target`; pytorch-grad-cam would silently drop the unpaired ones.
 */
export class TargetCountError extends BadTargetError {
  constructor(
    readonly images: number,
    readonly targets: number,
  ) {
    super(
      `${targets} target(s) given for a batch of ${images} image(s): give one target per image, several for one image, or a single \`target\` for all`,
    );
  }
}

export class BadInputShapeError extends GradscopeError {
  constructor(
    readonly expected: readonly number[],
    readonly actual: readonly number[],
    what = 'input',
  ) {
    super(
      'bad-input-shape',
      `${what} has shape [${actual.join(', ')}], expected [${expected.map((d) => (d < 0 ? 'N' : d)).join(', ')}]`,
    );
  }
}

export class BadInputError extends GradscopeError {
  constructor(message: string) {
    super('bad-input', message);
  }
}

export class BadOptionError extends GradscopeError {
  constructor(
    readonly method: string,
    readonly option: string,
    message: string,
  ) {
    super('bad-option', `method '${method}', option '${option}': ${message}`);
  }
}

export class MissingCapabilityError extends GradscopeError {
  /** `model`: the model's name, when the capability is a property of the model, not the backend. */
  constructor(
    readonly method: string,
    readonly backend: string,
    readonly missing: readonly string[],
    readonly model?: string,
  ) {
    super(
      'missing-capability',
      model !== undefined && missing.every((m) => m === 'linear-head')
        ? `method '${method}' needs a linear head (conv → global average pooling → one dense layer), which model '${model}' does not have; use gradcam instead`
        : `method '${method}' needs ${missing.join(', ')}, which backend '${backend}' does not provide`,
    );
  }
}

export class UnsupportedModelError extends GradscopeError {
  constructor(message: string) {
    super('unsupported-model', message);
  }
}

export class UnsupportedOperatorError extends GradscopeError {
  constructor(
    readonly opType: string,
    readonly node: string,
    hint = '',
  ) {
    super(
      'unsupported-operator',
      `cannot differentiate ONNX operator '${opType}' (node '${node}')${hint ? `; ${hint}` : ''}`,
    );
  }
}

export class ModelLoadError extends GradscopeError {
  constructor(
    readonly source: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super('model-load', `cannot load model '${source}': ${reason}`, options);
  }
}

/** The run was cancelled through its `AbortSignal`; `reason` is the signal's reason, when it gave one. */
export class AbortedError extends GradscopeError {
  constructor(
    readonly what: string,
    readonly reason?: unknown,
  ) {
    super('aborted', `${what} was aborted${reason instanceof Error ? `: ${reason.message}` : ''}`);
  }
}

/**
 * A tensor a backend or method produced holds NaN or ±∞: never a result. `tensor` says which one
 * (`logits`, `activation`, `gradient`, `input gradient`, `map`, `attribution`), `layer` where it was
 * recorded (the model output for logits), `index` the first bad element's flat index.
 */
export class NonFiniteError extends GradscopeError {
  constructor(
    readonly tensor: string,
    readonly layer: string,
    readonly index: number,
    readonly value: number,
  ) {
    super(
      'non-finite',
      `the ${tensor} of layer '${layer}' contains a non-finite value (${value}) at flat index ${index}; the model or input produces NaN/Infinity, so there is no meaningful explanation`,
    );
  }
}

/**
 * The runtime under a backend refused or failed to run the model (e.g. onnxruntime rejecting a
 * malformed graph at run time): the runtime's first line, typed, with the original as `cause`.
 */
export class RuntimeFailedError extends GradscopeError {
  constructor(
    readonly backend: string,
    readonly operation: string,
    cause: unknown,
  ) {
    super(
      'runtime-failed',
      `backend '${backend}' could not run the model (${operation}): ${(cause instanceof Error ? cause.message : String(cause)).split('\n', 1)[0]}`,
      { cause },
    );
  }
}

/** True when `e` is a gradscope error (from any copy of core), optionally with the given code. */
export function isGradscopeError(e: unknown, code?: ErrorCode): e is GradscopeError {
  if (typeof e !== 'object' || e === null) return false;
  const c = (e as { code?: unknown }).code;
  if (typeof c !== 'string' || !(e instanceof Error)) return false;
  return code === undefined ? KNOWN_CODES.has(c) : c === code;
}

const KNOWN_CODES = new Set<string>([
  'queue-unreachable',
  'content-mismatch',
  'training-failed',
  'unknown-layer',
  'unknown-method',
  'unknown-backend',
  'duplicate-registration',
  'bad-target',
  'bad-input-shape',
  'bad-input',
  'bad-option',
  'missing-capability',
  'unsupported-model',
  'unsupported-operator',
  'model-load',
  'runtime-unavailable',
  'aborted',
  'non-finite',
  'runtime-failed',
]);
