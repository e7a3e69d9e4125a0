import type { LayerInfo } from '@gradscope/core';
import type { TensorFacts } from '../probe.js';
import { moduleOutputs } from './module-paths.js';
import type { OnnxGraph } from './onnx-graph.js';

/** Listed layers and the tensor each name stands for (a tensor name, or a PyTorch module path). */
export interface LayerTable {
  readonly layers: readonly LayerInfo[];
  readonly tensorOf: ReadonlyMap<string, string>;
}

/**
 * Every float node output is a layer (type = producing operator, shape from the probe, `spatial`
 * for rank-4 NCHW tensors). Module paths from torch.onnx node names are listed right after the
 * tensor they resolve to, outermost last, so `autoLayer` names e.g. `layer4` (as pytorch-grad-cam
 * users write `model.layer4`) rather than its last ReLU's tensor.
 */
export function listLayers(
  graph: OnnxGraph,
  facts: ReadonlyMap<string, TensorFacts>,
  dynamicBatch: boolean,
): LayerTable {
  const isFloat = (t: string) => facts.get(t)?.type === 'float32' && t !== graph.inputName;
  const aliases = moduleOutputs(
    graph.nodes.filter((n) => n.opType !== 'Constant'),
    isFloat,
  );
  const byTensor = new Map<string, string[]>();
  for (const [path, t] of aliases) {
    if (graph.producer.has(path) || facts.has(path)) continue; // never shadow a tensor name
    const l = byTensor.get(t) ?? [];
    l.push(path);
    byTensor.set(t, l);
  }
  const layers: LayerInfo[] = [];
  const tensorOf = new Map<string, string>();
  const info = (name: string, type: string, shape: readonly number[]): LayerInfo => ({
    name,
    type,
    outputShape: shape.map((d, i) => (i === 0 && dynamicBatch ? -1 : d)),
    spatial: shape.length === 4 ? { height: shape[2]!, width: shape[3]!, channels: shape[1]! } : null,
  });
  for (const n of graph.nodes) {
    if (n.opType === 'Constant') continue;
    for (const o of n.outputs) {
      if (!o || !isFloat(o) || tensorOf.has(o)) continue;
      const shape = facts.get(o)!.shape;
      layers.push(info(o, n.opType, shape));
      tensorOf.set(o, o);
      // deepest module first, so the outermost (e.g. `layer4`) comes last
      for (const p of (byTensor.get(o) ?? []).sort((a, b) => b.length - a.length)) {
        layers.push(info(p, n.opType, shape));
        tensorOf.set(p, o);
      }
    }
  }
  return { layers, tensorOf };
}
