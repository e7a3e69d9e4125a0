import { BadInputError, BadInputShapeError, sizeOf, type InputSpec, type Tensor } from '@gradscope/core';

/** Checks a batch `[N, …]` against the model's input shape (any N ≥ 1); returns N. */
export function checkBatch(input: Pick<InputSpec, 'shape'>, x: Tensor, what = 'input'): number {
  const want = input.shape;
  const ok =
    x.shape.length === want.length &&
    x.shape[0]! >= 1 &&
    x.shape.every((d, i) => i === 0 || want[i]! < 0 || d === want[i]);
  if (!ok) throw new BadInputShapeError([-1, ...want.slice(1)], x.shape, what);
  if (x.data.length !== sizeOf(x.shape))
    throw new BadInputError(`${what} has ${x.data.length} values for shape [${x.shape.join(', ')}]`);
  return x.shape[0]!;
}
