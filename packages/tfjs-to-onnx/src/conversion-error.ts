import { GradscopeError } from '@gradscope/core';

/**
 * A layer (or layer setting) the converter does not translate. Carries the tfjs class name and the
 * layer name; code `unsupported-model`.
 */
export class UnsupportedLayerError extends GradscopeError {
  constructor(
    readonly layerClass: string,
    readonly layerName: string,
    detail = '',
  ) {
    super(
      'unsupported-model',
      `cannot convert tfjs layer '${layerName}' (${layerClass}) to ONNX${detail ? `: ${detail}` : ''}`,
    );
    this.name = 'UnsupportedLayerError';
  }
}
