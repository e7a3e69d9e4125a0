import { UnknownLayerError } from './errors.js';
import type { LayerInfo, Model } from './model.js';

const GLOBAL_POOL = /^(GlobalAveragePool|GlobalAveragePooling2D|GlobalMaxPool|GlobalMaxPooling2D|Flatten|ReduceMean)$/;

/** Layers a CAM can be computed at: spatial outputs larger than 1×1, excluding the input itself. */
export function candidateLayers(layers: readonly LayerInfo[]): LayerInfo[] {
  return layers.filter((l) => l.spatial !== null && l.spatial.height * l.spatial.width > 1 && l.type !== 'InputLayer' && l.type !== 'Input');
}

/**
 * The `auto` layer: the last layer with a spatial output before the first global pooling (or
 * flatten) layer — the last conv block's output in a classifier. Null when there is none.
 */
export function autoLayer(layers: readonly LayerInfo[]): LayerInfo | null {
  const pool = layers.findIndex((l) => GLOBAL_POOL.test(l.type));
  const before = pool < 0 ? layers : layers.slice(0, pool);
  const c = candidateLayers(before);
  return c.length ? c[c.length - 1]! : null;
}

/** Resolves a layer request (`auto`, one name or several) against a model; unknown names throw. */
export function resolveLayers(model: Pick<Model, 'layers'>, layer: string | readonly string[] | undefined): string[] {
  const names = layer === undefined ? ['auto'] : typeof layer === 'string' ? [layer] : [...layer];
  return names.map((n) => {
    if (n === 'auto') {
      const a = autoLayer(model.layers);
      if (!a) throw new UnknownLayerError('auto', candidateLayers(model.layers).map((l) => l.name));
      return a.name;
    }
    if (!model.layers.some((l) => l.name === n)) throw new UnknownLayerError(n, model.layers.map((l) => l.name));
    return n;
  });
}
