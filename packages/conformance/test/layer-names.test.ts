import { describe, expect, it } from 'vitest';
import { backendLayerNames, detectFormat, layerName, layerNamesOf, openFixture } from '../src/index.js';

const { manifest } = openFixture('tiny-cnn');
const model = (names: string[]) => ({
  layers: names.map((name) => ({ name, type: 'X', outputShape: [], spatial: null })),
});

describe('backendLayerNames', () => {
  it('finds tfjs layer names', () => {
    const n = backendLayerNames(manifest, model(['input', 'block_relu', 'relu3', 'fc']));
    expect(n.get('block.relu')).toBe('block_relu');
    expect(n.get('relu3')).toBe('relu3');
    expect(n.has('conv1')).toBe(false);
  });

  it('finds ONNX output tensors or node names', () => {
    expect(backendLayerNames(manifest, model(['/block/relu/Relu_output_0'])).get('block.relu')).toBe(
      '/block/relu/Relu_output_0',
    );
    expect(backendLayerNames(manifest, model(['/relu3/Relu'])).get('relu3')).toBe('/relu3/Relu');
  });

  it('maps folded BatchNorms to the ONNX conv that absorbed them', () => {
    expect(manifest.layers['bn1']!.onnx?.node).toBe('/conv1/Conv');
    expect(manifest.layers['conv1']!.onnx).toBeUndefined();
  });

  it('knows every name of a layer, module-path aliases included', () => {
    expect(layerNamesOf(manifest, 'block.relu')).toEqual([
      'block_relu',
      '/block/relu/Relu_output_0',
      '/block/relu/Relu',
      'block.relu',
      'block',
    ]);
    const mobile = openFixture('tiny-mobile').manifest;
    expect(layerNamesOf(mobile, 'head.act')).toContain('head');
    expect(layerNamesOf(mobile, 'head.act')).toContain('/head/act/Clip_output_0');
    expect(backendLayerNames(mobile, model(['head'])).get('head.act')).toBe('head');
    expect(layerNamesOf(manifest, 'no-such-layer')).toEqual([]);
  });

  it("detects the model's format from the names it lists", () => {
    expect(detectFormat(manifest, model(['input', 'block_relu', 'relu3', 'fc']))).toBe('tfjs');
    expect(
      detectFormat(
        manifest,
        model(['/block/relu/Relu_output_0', 'block', '/relu3/Relu_output_0', 'relu3', 'logits', 'fc']),
      ),
    ).toBe('onnx');
    expect(detectFormat(manifest, model(['a', 'b']))).toBeUndefined();
  });

  it('prefers module paths on ONNX models and tfjs names on tfjs models, taking only names the model lists', () => {
    const mobile = openFixture('tiny-mobile').manifest;
    // backend-onnx lists each output tensor followed by the module paths that resolve to it
    const onnx = model(['/block/Add_output_0', 'block', '/head/act/Clip_output_0', 'head.act', 'head', 'logits', 'fc']);
    expect(backendLayerNames(mobile, onnx).get('head.act')).toBe('head.act');
    expect(backendLayerNames(mobile, onnx).get('block')).toBe('block');
    // without the module path, the tensor name (not the tfjs name `head_act`, which it does not list)
    expect(backendLayerNames(mobile, model(['/block/Add_output_0', '/head/act/Clip_output_0'])).get('head.act')).toBe(
      '/head/act/Clip_output_0',
    );
    expect(backendLayerNames(mobile, model(['block', 'head_act', 'stem_act'])).get('head.act')).toBe('head_act');
    // tiny-cnn on ONNX: `relu3` is the module path there (it only happens to equal the tfjs name)
    const cnn = backendLayerNames(
      manifest,
      model(['/block/relu/Relu_output_0', 'block', '/relu3/Relu_output_0', 'relu3']),
    );
    expect([cnn.get('block.relu'), cnn.get('relu3')]).toEqual(['block', 'relu3']);
    expect(backendLayerNames(manifest, model(['/relu3/Relu_output_0', 'block_relu']), 'onnx').get('relu3')).toBe(
      '/relu3/Relu_output_0',
    );
    // a conv whose BN was folded on export has no ONNX tensor: its module path holds the BN's value
    const folded = backendLayerNames(
      manifest,
      model(['/conv1/Conv_output_0', 'conv1', '/relu1/Relu_output_0', 'relu1']),
    );
    expect([folded.get('conv1'), folded.get('bn1')]).toEqual([undefined, '/conv1/Conv_output_0']);
  });

  it('throws a one-line error listing the model layers when a layer is missing', () => {
    const m = model(['a', 'b']);
    expect(() => layerName(backendLayerNames(manifest, m), 'relu3', m)).toThrow(
      "the model has no layer for the fixture's 'relu3'; its layers: a, b",
    );
  });
});
