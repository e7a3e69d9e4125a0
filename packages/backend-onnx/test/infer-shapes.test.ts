import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OnnxGraph } from '../src/graph/onnx-graph.js';
import { inferFacts } from '../src/infer-shapes.js';
import { probeGraph } from '../src/probe.js';
import { FIXTURES, fixtureBytes, runtimes } from './helpers.js';
import { TinyGraph } from './tiny-model.js';

const fixtures = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/** The probe's input dims for a graph: batch 2 when dynamic, 64 for a dynamic side. */
const probeDims = (g: OnnxGraph) => [
  g.inputShape[0] === 1 ? 1 : 2,
  ...g.inputShape.slice(1).map((d) => (d > 0 ? d : 64)),
];

describe('inferFacts: shapes from the graph, as the probe session reports them', () => {
  it.each(fixtures)('%s: equal to the probe, or null', async (name) => {
    const graph = OnnxGraph.parse(fixtureBytes(name), name);
    const dims = probeDims(graph);
    const inferred = inferFacts(graph, dims);
    const probed = await probeGraph(runtimes.node, graph, dims, {}, name);
    if (inferred) expect(Object.fromEntries(inferred)).toEqual(Object.fromEntries(probed));
  });

  it('covers the common classifiers (so the probe is skipped for them)', () => {
    const covered = fixtures.filter((name) => {
      const graph = OnnxGraph.parse(fixtureBytes(name), name);
      return inferFacts(graph, probeDims(graph)) !== null;
    });
    for (const name of ['resnet18', 'resnet18_nofold', 'resnet50', 'mobilenet_v2', 'mobilenet_v3', 'vgg', 'convnext'])
      expect(covered).toContain(name);
  });

  it('is null for an operator it has no rule for, and for shapes that do not fit', () => {
    const g = new TinyGraph([1, 2, 3, 3]);
    const shape = (bytes: Uint8Array) => OnnxGraph.parse(bytes, 'tiny');
    const gathered = shape(g.bytes(g.op('Shape', [g.op('Relu', [g.x])])));
    expect(inferFacts(gathered, [1, 2, 3, 3])).toBeNull();
    const t = new TinyGraph([1, 2, 3, 3]);
    const reshaped = shape(t.bytes(t.op('Reshape', [t.op('Relu', [t.x]), t.i64([1, 18])])));
    expect(inferFacts(reshaped, [1, 2, 3, 3])?.get(reshaped.outputName)).toEqual({ shape: [1, 18], type: 'float32' });
    expect(inferFacts(reshaped, [1, 2, 4, 4])).toBeNull();
  });
});
