import { describe, expect, it } from 'vitest';
import { backendLayerNames, layerName, layerNamesOf, openFixture } from '../src/index.js';

const { manifest } = openFixture('tiny-cnn');
const model = (names: string[]) => ({ layers: names.map((name) => ({ name, type: 'X', outputShape: [], spatial: null })) });

describe('backendLayerNames', () => {
  it('finds tfjs layer names', () => {
    const n = backendLayerNames(manifest, model(['input', 'block_relu', 'relu3', 'fc']));
    expect(n.get('block.relu')).toBe('block_relu');
    expect(n.get('relu3')).toBe('relu3');
    expect(n.has('conv1')).toBe(false);
  });

  it('finds ONNX output tensors or node names', () => {
    expect(backendLayerNames(manifest, model(['/block/relu/Relu_output_0'])).get('block.relu')).toBe('/block/relu/Relu_output_0');
    expect(backendLayerNames(manifest, model(['/relu3/Relu'])).get('relu3')).toBe('/relu3/Relu');
  });

  it('maps folded BatchNorms to the ONNX conv that absorbed them', () => {
    expect(manifest.layers['bn1']!.onnx?.node).toBe('/conv1/Conv');
    expect(manifest.layers['conv1']!.onnx).toBeUndefined();
  });

  it('knows every name of a layer, module-path aliases included', () => {
    expect(layerNamesOf(manifest, 'block.relu')).toEqual(['block_relu', '/block/relu/Relu_output_0', '/block/relu/Relu', 'block.relu', 'block']);
    const mobile = openFixture('tiny-mobile').manifest;
    expect(layerNamesOf(mobile, 'head.act')).toContain('head');
    expect(layerNamesOf(mobile, 'head.act')).toContain('/head/act/Clip_output_0');
    expect(backendLayerNames(mobile, model(['head'])).get('head.act')).toBe('head');
    expect(layerNamesOf(manifest, 'no-such-layer')).toEqual([]);
  });

  it('throws a one-line error listing the model layers when a layer is missing', () => {
    const m = model(['a', 'b']);
    expect(() => layerName(backendLayerNames(manifest, m), 'relu3', m)).toThrow("the model has no layer for the fixture's 'relu3'; its layers: a, b");
  });
});
