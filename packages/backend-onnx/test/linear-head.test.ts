import { describe, expect, it } from 'vitest';
import { OnnxGraph } from '../src/graph/onnx-graph.js';
import { findLinearHead, linearLogits } from '../src/graph/linear-head.js';
import { argmaxHeadRows } from '../src/grad/argmax-head.js';
import { fixtureBytes } from './helpers.js';

// The head's weight (ResNet-50: 1000×2048 floats) is decoded only when its values are read: loading
// a model and building a top-1 backward need its dims alone.
describe('the linear head decodes its weight lazily', () => {
  const graph = OnnxGraph.parse(fixtureBytes('resnet18'), 'resnet18');
  const weight = linearLogits(graph)!.weight;
  const decodes = () => {
    let n = 0;
    const constant = graph.constant.bind(graph);
    graph.constant = (name) => (name === weight && n++, constant(name));
    return () => n;
  };

  it('findLinearHead: no decode until `weights` is read, then once; values are W as [K, F]', () => {
    const count = decodes();
    const head = findLinearHead(graph)!;
    expect(count()).toBe(0);
    const w = head.weights;
    expect(head.weights).toBe(w);
    expect(count()).toBe(1);
    const W = graph.constant(weight)!; // torch's nn.Linear: stored [K, F] with transB = 1
    expect(w.shape).toEqual(W.dims);
    expect(Array.from(w.data)).toEqual(Array.from(W.values, Math.fround));
  });

  it('argmaxHeadRows: a stored [K, F] weight is used by name, never decoded', () => {
    const count = decodes();
    const rows = argmaxHeadRows(graph, new Map([[linearLogits(graph)!.input, { shape: [1, 64], type: 'float32' }]]));
    expect(rows?.rows).toBe(weight);
    expect(count()).toBe(0);
  });
});
