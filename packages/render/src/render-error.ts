/** Error codes shared with gradscope core's `GradscopeError`, so core's `isGradscopeError` accepts these. */
export type RenderErrorCode = 'bad-input' | 'bad-input-shape' | 'bad-option';

/**
 * A typed error thrown by @gradscope/render. It has the shape of core's `GradscopeError` (a literal
 * `code`, name 'GradscopeError') without importing core, which render must not depend on.
 */
export class RenderError extends Error {
  readonly code: RenderErrorCode;
  constructor(code: RenderErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = 'GradscopeError';
  }
}
