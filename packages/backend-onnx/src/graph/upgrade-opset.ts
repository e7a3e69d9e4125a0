import { UnsupportedModelError } from '@gradscope/core';
import { Attributes, int64Tensor, type NodeProto, type TensorProto } from '@gradscope/onnx-proto';
import type { OnnxGraph } from './onnx-graph.js';

/** Operators whose inference semantics are the same at every opset from 11 to 16. */
const UNCHANGED = new Set([
  'Abs',
  'Add',
  'And',
  'AveragePool',
  'BatchNormalization',
  'Cast',
  'Ceil',
  'Clip',
  'Concat',
  'Constant',
  'ConstantOfShape',
  'Conv',
  'ConvTranspose',
  'Div',
  'Equal',
  'Erf',
  'Exp',
  'Expand',
  'Flatten',
  'Floor',
  'Gather',
  'Gemm',
  'GlobalAveragePool',
  'GlobalMaxPool',
  'Greater',
  'HardSigmoid',
  'HardSwish',
  'Identity',
  'LeakyRelu',
  'Less',
  'Log',
  'MatMul',
  'Max',
  'MaxPool',
  'Min',
  'Mul',
  'Neg',
  'Not',
  'Pad',
  'Pow',
  'Range',
  'Reciprocal',
  'ReduceMax',
  'ReduceMean',
  'ReduceMin',
  'ReduceProd',
  'Relu',
  'Reshape',
  'Shape',
  'Sigmoid',
  'Slice',
  'Sqrt',
  'Sub',
  'Sum',
  'Tanh',
  'Tile',
  'Transpose',
  'Where',
]);
/** Operators whose `axes`/`split` attribute became an input at opset 13. */
const ATTR_TO_INPUT: Record<string, string> = { Squeeze: 'axes', Unsqueeze: 'axes', ReduceSum: 'axes', Split: 'split' };

/**
 * Rewrites the forward nodes for opset 16 (needed by ScatterElements with reduction='add', the
 * MaxPool gradient): attributes that became inputs are moved to initializers. Throws
 * UnsupportedModelError naming the operators whose meaning could change.
 */
export function upgradeToOpset16(
  graph: OnnxGraph,
  nodes: NodeProto[],
): { nodes: NodeProto[]; initializers: TensorProto[] } {
  if (graph.opset >= 16) return { nodes, initializers: [] };
  const bad = new Set<string>();
  const inits: TensorProto[] = [];
  const out = nodes.map((n, i) => {
    const op = n.opType ?? '';
    if (n.domain && n.domain !== 'ai.onnx') return n;
    if (UNCHANGED.has(op)) return n;
    // Resize-13 dropped only the tf_half_pixel_for_nn coordinate mode (opset-10 Resize and Upsample
    // are rewritten as asymmetric Resize-11, see normalize-opset.ts)
    if (op === 'Resize' && new Attributes(n).string('coordinate_transformation_mode', '') !== 'tf_half_pixel_for_nn')
      return n;
    const attrName = ATTR_TO_INPUT[op];
    if (attrName && graph.opset < 13) {
      const a = (n.attribute ?? []).find((x) => x.name === attrName);
      if (!a) return n;
      const name = `gradscope/upgrade/${i}/${attrName}`;
      inits.push(int64Tensor(name, [a.ints?.length ?? 0], (a.ints ?? []).map(Number)));
      return { ...n, input: [...(n.input ?? []), name], attribute: (n.attribute ?? []).filter((x) => x !== a) };
    }
    if (attrName) return n;
    bad.add(op);
    return n;
  });
  if (bad.size) {
    throw new UnsupportedModelError(
      `the MaxPool gradient needs opset 16 (ScatterElements with reduction='add') but this opset-${graph.opset} model uses ${[...bad].join(', ')}, whose meaning may change; re-export it with opset ≥ 16`,
    );
  }
  return { nodes: out, initializers: inits };
}
