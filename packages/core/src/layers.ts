import { UnknownLayerError, UnusableLayerError } from './errors.js';
import type { LayerInfo, LinearHead, Model } from './model.js';

const isInput = (l: LayerInfo): boolean => l.type === 'InputLayer' || l.type === 'Input';

const GLOBAL_POOL = /^(GlobalAveragePool|GlobalAveragePooling2D|GlobalMaxPool|GlobalMaxPooling2D|Flatten|ReduceMean)$/;

/** Layers a CAM can be computed at: feature maps at least 2×2, excluding the input itself. */
export function candidateLayers(layers: readonly LayerInfo[]): LayerInfo[] {
  return layers.filter((l) => l.spatial !== null && l.spatial.height > 1 && l.spatial.width > 1 && !isInput(l));
}

/**
 * The `auto` layer: the feature layer of the model's linear head when it has one; otherwise the last
 * layer with a spatial output before the LAST global pooling (or flatten) layer — the last conv
 * block's output in a classifier. Earlier poolings (squeeze-and-excitation blocks, LayerNorm's
 * ReduceMean) do not count. Null when there is none.
 */
export function autoLayer(layers: readonly LayerInfo[], head?: Pick<LinearHead, 'featureLayer'>): LayerInfo | null {
  const fromHead = head && candidateLayers(layers).find((l) => l.name === head.featureLayer);
  if (fromHead) return fromHead;
  let pool = -1;
  layers.forEach((l, i) => {
    const global = l.spatial === null || l.spatial.height * l.spatial.width === 1;
    if (GLOBAL_POOL.test(l.type) && global) pool = i;
  });
  const before = pool < 0 ? layers : layers.slice(0, pool);
  const c = candidateLayers(before);
  return c.length ? c[c.length - 1]! : null;
}

/** Resolves a layer request (`auto`, one name or several) against a model; unknown names throw. */
export function resolveLayers(
  model: Pick<Model, 'layers' | 'head'>,
  layer: string | readonly string[] | undefined,
): string[] {
  const names = layer === undefined ? ['auto'] : typeof layer === 'string' ? [layer] : [...layer];
  return names.map((n) => {
    if (n === 'auto') {
      const a = autoLayer(model.layers, model.head);
      if (!a)
        throw new UnknownLayerError(
          'auto',
          candidateLayers(model.layers).map((l) => l.name),
        );
      return a.name;
    }
    const info = model.layers.find((l) => l.name === n);
    if (!info)
      throw new UnknownLayerError(
        n,
        model.layers.map((l) => l.name),
      );
    if (isInput(info))
      throw new UnusableLayerError(
        n,
        model.layers.filter((l) => !isInput(l)).map((l) => l.name),
      );
    return n;
  });
}
