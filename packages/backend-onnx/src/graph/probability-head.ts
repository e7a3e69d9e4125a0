import type { NodeProto } from '@gradscope/onnx-proto';

/** The result of {@link stripProbabilityHead}. */
export interface StrippedHead {
  /** The nodes without the final activation and the no-op nodes after it. */
  readonly protos: NodeProto[];
  /** The logits tensor (the output when nothing was stripped). */
  readonly logits: string;
  readonly activation: 'softmax' | 'sigmoid' | null;
}

/**
 * Looks from the graph output back through `Identity` nodes (exporters append them; inference
 * Dropout is one too) for a final Softmax or Sigmoid and removes them, so that forward returns
 * logits and gradients are taken of the logits. Only a chain that nothing else consumes is stripped.
 */
export function stripProbabilityHead(protos: NodeProto[], output: string): StrippedHead {
  const none: StrippedHead = { protos, logits: output, activation: null };
  const removed = new Set<NodeProto>();
  let name = output;
  let consumer: NodeProto | null = null;
  for (;;) {
    const n = protos.find((p) => p.output?.includes(name));
    if (!n || !n.input?.[0] || protos.some((p) => p !== consumer && p.input?.includes(name))) return none;
    removed.add(n);
    if (n.opType === 'Softmax' || n.opType === 'Sigmoid')
      return {
        protos: protos.filter((p) => !removed.has(p)),
        logits: n.input[0],
        activation: n.opType === 'Softmax' ? 'softmax' : 'sigmoid',
      };
    if (n.opType !== 'Identity') return none;
    consumer = n;
    name = n.input[0];
  }
}
