import type { ReluMode } from '@gradscope/core';
import type { ConstantValue, GraphNode } from '../graph/onnx-graph.js';
import type { AttrValue } from '@gradscope/onnx-proto';

/**
 * What a gradient rule sees while the backward graph is built. Tensor arguments and results are
 * tensor NAMES in the derived ONNX graph; rules emit ordinary ONNX operators through `op`.
 */
export interface GradContext {
  /** The forward node (op type, name, inputs, outputs, decoded attributes). */
  readonly node: GraphNode;
  /** Default-domain opset of the derived model (≥ 11). */
  readonly opset: number;
  /** How ReLU-like operators propagate gradients. */
  readonly reluMode: ReluMode;
  /** `relu`: ReLU6-style clips keep the standard rule under guided/deconvnet modes. */
  readonly rectifiers: 'all' | 'relu';
  /** The summed gradient flowing into output `i` (default 0), null when none reaches it. */
  gradOutput(i?: number): string | null;
  /** Whether input `i` needs a gradient. Rules emit nothing for inputs that do not (pruning). */
  needsGradient(i: number): boolean;
  /**
   * Static shape of a tensor from the probe run. The batch axis is probed with 2 images when it is
   * dynamic, so it may differ at run time: never bake it into a constant (use `Shape` ops instead).
   */
  shape(tensor: string): readonly number[];
  /** The value of a constant tensor (initializer, Constant node), or null. */
  constant(tensor: string): ConstantValue | null;
  /** Emits one node and returns its first output. Attributes: see `attribute()`. */
  op(opType: string, inputs: readonly string[], attrs?: Readonly<Record<string, AttrValue>>): string;
  /** Emits one node with `outputs` outputs. */
  ops(
    opType: string,
    inputs: readonly string[],
    outputs: number,
    attrs?: Readonly<Record<string, AttrValue>>,
  ): string[];
  /** A float32 constant (a scalar when `dims` is omitted). */
  constFloat(values: ArrayLike<number>, dims?: readonly number[]): string;
  /** An int64 constant (1-D when `dims` is omitted). */
  constInt64(values: readonly number[], dims?: readonly number[]): string;
  /** Makes the forward node produce its output `index` (e.g. MaxPool's Indices) and returns its name. */
  forwardOutput(index: number): string;
  /** ReduceSum over `axes` in this opset's form. */
  reduceSum(x: string, axes: readonly number[], keepdims: boolean): string;
  /** Unsqueeze in this opset's form. */
  unsqueeze(x: string, axes: readonly number[]): string;
  /** Sums a gradient of shape `from` over the broadcast axes so that it has shape `to`. */
  unbroadcast(g: string, from: readonly number[], to: readonly number[]): string;
  /** Zeros shaped like `tensor` (at run time). */
  zerosLike(tensor: string): string;
  /** Throws UnsupportedOperatorError for this node, with `reason`. */
  unsupported(reason: string): never;
}

/**
 * A gradient rule for one ONNX operator: given the gradients of the node's outputs, emit the ops
 * that compute the gradients of its inputs. Returns one entry per input (null/undefined where no
 * gradient is needed or defined).
 */
export interface GradRule {
  readonly opType: string;
  /** Operator domain; '' (default ONNX domain) when omitted. */
  readonly domain?: string;
  /**
   * The default-domain opset the emitted operators need (e.g. 16 for ScatterElements with a
   * reduction); the builder upgrades an older model when a node that needs a gradient uses this rule.
   */
  readonly minOpset?: number;
  backward(ctx: GradContext): ReadonlyArray<string | null | undefined>;
}

/** Identity helper that types a rule. */
export function defineGradRule(rule: GradRule): GradRule {
  return rule;
}
