/** A dense float32 tensor as plain data: row-major `data` with its `shape`. */
export interface Tensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Builds a tensor, checking that `data` holds exactly `shape`'s element count. */
export function tensor(data: Float32Array | ArrayLike<number>, shape: readonly number[]): Tensor {
  const d = data instanceof Float32Array ? data : Float32Array.from(data);
  const n = sizeOf(shape);
  if (d.length !== n) throw new RangeError(`tensor: ${d.length} values do not fill shape [${shape.join(', ')}] (${n})`);
  return { data: d, shape: [...shape] };
}

export function zeros(shape: readonly number[]): Tensor {
  return { data: new Float32Array(sizeOf(shape)), shape: [...shape] };
}

/** Item `i` of the leading (batch) axis, as a view without the batch axis. */
export function unstack(t: Tensor, i: number): Tensor {
  const inner = t.shape.slice(1);
  const n = sizeOf(inner);
  return { data: t.data.subarray(i * n, (i + 1) * n), shape: inner };
}

export function shapeToString(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
