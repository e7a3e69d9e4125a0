import { describe, expect, it } from 'vitest';
import { modulePaths } from '../src/graph/module-paths.js';

describe('modulePaths (torch.onnx scope names → PyTorch module paths)', () => {
  it('handles top-level Sequential children', () => {
    expect(modulePaths('/layer4/layer4.1/relu_1/Relu')).toEqual(['layer4', 'layer4.1', 'layer4.1.relu_1']);
  });
  it('handles Sequentials nested below the top level (prefix = previous segment)', () => {
    expect(modulePaths('/layer2/layer2.0/downsample/downsample.0/Conv')).toEqual([
      'layer2',
      'layer2.0',
      'layer2.0.downsample',
      'layer2.0.downsample.0',
    ]);
    expect(modulePaths('/features/features.1/conv/conv.0/conv.0.0/Conv')).toEqual([
      'features',
      'features.1',
      'features.1.conv',
      'features.1.conv.0',
      'features.1.conv.0.0',
    ]);
    expect(modulePaths('/features/features.1/features.1.0/block/block.0/block.0.0/Conv')).toEqual([
      'features',
      'features.1',
      'features.1.0',
      'features.1.0.block',
      'features.1.0.block.0',
      'features.1.0.block.0.0',
    ]);
  });
  it('ignores names that are not scoped', () => {
    expect(modulePaths('Conv_12')).toEqual([]);
  });
});
