import type { NodeEmitter } from './node-emitter.js';

/** FinerCAM targets whose seed is computed in the graph (all targets of a capture share alpha and ranks). */
export interface FinerSeedSpec {
  readonly alpha: number;
  /** Comparison ranks; absent: core's default, [1, 2, 3] below K. */
  readonly ranks?: readonly number[] | undefined;
  /** Top-1 targets: the class is argmax(logits) and the input is the sign [N, 1]; else sign·onehot(c), [N, K]. */
  readonly top: boolean;
}

/**
 * Emits core's `finer` seed d score / d logits from the logits `y` ([N, K]) in the graph, so a
 * FinerCAM capture needs no forward pass of its own to pick its comparison classes:
 * c = argmax(y) (top-1) or the class of `input`; the comparison classes J are the `ranks` of
 * |y_k − y_c| ascending (TopK, smallest first, ties to the lower index — NumPy's stable argsort);
 * with p = softmax(y), q = M·p (M the indicator of J), Q = Σq, P = Q + 1e-9, t_k = y_c − α y_k,
 * S = Σ q·t: dS_k = q_k t_k − p_k S + δ_kc Q − α q_k, dP_k = q_k − p_k Q, seed = sign·(dS·P − S·dP) / P²
 * (the derivative of S / P that core's `scoreAndSeed` computes).
 */
export function finerSeed(e: NodeEmitter, y: string, K: number, input: string, spec: FinerSeedSpec): string {
  const ones = e.constFloat(new Float32Array(K).fill(1), [K, 1]);
  const rowSum = (t: string) => e.op('MatMul', [t, ones]); // [N, K] → [N, 1]
  const oneHot = (idx: string) => e.op('OneHot', [idx, e.constInt64([K], []), e.constFloat([0, 1], [2])], { axis: -1 });
  let sel: string, sign: string;
  if (spec.top) {
    sel = oneHot(e.op('ArgMax', [y], { axis: 1, keepdims: 0 }));
    sign = input;
  } else {
    sel = e.op('Abs', [input]);
    sign = rowSum(input);
  }
  const yc = rowSum(e.op('Mul', [y, sel]));
  const dist = e.op('Abs', [e.op('Sub', [y, yc])]);
  const ranks = spec.ranks ?? [1, 2, 3].filter((r) => r < K);
  const depth = Math.max(...ranks) + 1;
  const [, order] = e.emit('TopK', [dist, e.constInt64([depth])], 2, { axis: 1, largest: 0, sorted: 1 }) as [
    string,
    string,
  ];
  const picks = ranks.map((r) => oneHot(e.op('Gather', [order, e.constInt64([r], [])], { axis: 1 })));
  const M = picks.length === 1 ? picks[0]! : e.op('Sum', picks);
  const p = e.op('Softmax', [y], { axis: 1 });
  const q = e.op('Mul', [M, p]);
  const Q = rowSum(q);
  const P = e.op('Add', [Q, e.constFloat([1e-9])]);
  const t = e.op('Sub', [yc, e.op('Mul', [y, e.constFloat([spec.alpha])])]);
  const S = rowSum(e.op('Mul', [q, t]));
  const dS = e.op('Sub', [
    e.op('Add', [e.op('Sub', [e.op('Mul', [q, t]), e.op('Mul', [p, S])]), e.op('Mul', [sel, Q])]),
    e.op('Mul', [q, e.constFloat([spec.alpha])]),
  ]);
  const dP = e.op('Sub', [q, e.op('Mul', [p, Q])]);
  const num = e.op('Sub', [e.op('Mul', [dS, P]), e.op('Mul', [S, dP])]);
  return e.op('Mul', [e.op('Div', [num, e.op('Mul', [P, P])]), sign]);
}
