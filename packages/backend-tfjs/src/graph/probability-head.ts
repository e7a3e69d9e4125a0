import type { GraphDefNode } from './graph-model-split.js';

/** Nodes that pass their first input through unchanged at inference. */
const NO_OPS = new Set(['Identity', 'IdentityN', 'StopGradient', 'PreventGradient', 'Snapshot']);
const strip = (s: string) => s.replace(/^\^/, '').replace(/:\d+$/, '');

/** A final probability activation found behind the output, and the nodes to bypass. */
export interface ProbabilityHead {
  /** The node whose output is the logits. */
  readonly logits: string;
  /** `softmax` / `sigmoid` when one was found, else null (then `logits` is the output). */
  readonly activation: 'softmax' | 'sigmoid' | null;
  /** The activation node and the no-op nodes after it (tfjs-converter appends `Identity`). */
  readonly bypassed: readonly string[];
}

/**
 * Looks from the graph output back through no-op nodes (`Identity`, …) for a final Softmax or
 * Sigmoid; gradients are then taken of its input (the logits), not of the probabilities.
 */
export function probabilityHead(nodes: ReadonlyMap<string, GraphDefNode>, output: string): ProbabilityHead {
  const passed: string[] = [];
  let n = nodes.get(output);
  while (n && NO_OPS.has(n.op) && n.input?.[0]) {
    passed.push(n.name);
    n = nodes.get(strip(n.input[0]));
  }
  if (!n || (n.op !== 'Softmax' && n.op !== 'Sigmoid') || !n.input?.[0])
    return { logits: output, activation: null, bypassed: [] };
  return {
    logits: strip(n.input[0]),
    activation: n.op === 'Softmax' ? 'softmax' : 'sigmoid',
    bypassed: [...passed, n.name],
  };
}
