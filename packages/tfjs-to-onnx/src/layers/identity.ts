import { emit, single, type LayerConverter } from '../layer-context.js';

/** Layers that are the identity at inference (Dropout and friends): Identity, keeping the layer name. */
export const identityLayer: LayerConverter = (ctx) => {
  const x = single(ctx);
  return { tensor: emit(ctx, 'Identity', [x.tensor], {}, true), shape: x.shape };
};
