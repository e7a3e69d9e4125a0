import type { LayerConverter } from '../layer-context.js';
import { activationLayer, leakyReluLayer, reluLayer } from './activation.js';
import { batchNormalizationLayer } from './batch-normalization.js';
import { conv2dLayer, depthwiseConv2dLayer } from './conv2d.js';
import { denseLayer } from './dense.js';
import { flattenLayer } from './flatten.js';
import { identityLayer } from './identity.js';
import { addLayer, concatenateLayer } from './merge.js';
import {
  averagePooling2dLayer,
  globalAveragePooling2dLayer,
  globalMaxPooling2dLayer,
  maxPooling2dLayer,
} from './pooling2d.js';
import { zeroPadding2dLayer } from './zero-padding2d.js';

/** The converter of every supported tfjs layer class (InputLayer is handled by the graph walk). */
export const LAYER_CONVERTERS: ReadonlyMap<string, LayerConverter> = new Map<string, LayerConverter>([
  ['Conv2D', conv2dLayer],
  ['DepthwiseConv2D', depthwiseConv2dLayer],
  ['BatchNormalization', batchNormalizationLayer],
  ['Activation', activationLayer],
  ['ReLU', reluLayer],
  ['LeakyReLU', leakyReluLayer],
  ['MaxPooling2D', maxPooling2dLayer],
  ['AveragePooling2D', averagePooling2dLayer],
  ['GlobalAveragePooling2D', globalAveragePooling2dLayer],
  ['GlobalMaxPooling2D', globalMaxPooling2dLayer],
  ['ZeroPadding2D', zeroPadding2dLayer],
  ['Dense', denseLayer],
  ['Flatten', flattenLayer],
  ['Add', addLayer],
  ['Concatenate', concatenateLayer],
  ['Dropout', identityLayer],
  ['SpatialDropout2D', identityLayer],
  ['GaussianDropout', identityLayer],
  ['GaussianNoise', identityLayer],
  ['AlphaDropout', identityLayer],
]);

/** Supported tfjs layer class names (for messages and docs). */
export const supportedLayers = (): string[] => ['InputLayer', ...LAYER_CONVERTERS.keys()];
