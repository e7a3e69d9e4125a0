import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  binaryTarget,
  classTarget,
  decodeNpy,
  regionTarget,
  restTarget,
  seedTarget,
  similarityTarget,
  softmaxTarget,
  topClass,
  type Target,
  type Tensor,
} from '@gradscope/core';
import { CliError, usageError } from './cli-error.js';

/** The values of `--target-kind`. */
export const TARGET_KINDS = ['class', 'softmax', 'rest', 'binary', 'similarity', 'seed'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** `--target top1`, a class index or a sidecar class name → the class index (undefined for top1). */
function classOf(s: string, classes: readonly string[]): number | undefined {
  const t = s.trim();
  if (t === 'top1') return undefined;
  if (/^[+-]?\d+$/.test(t)) return Number(t);
  const i = classes.indexOf(t);
  if (i >= 0) return i;
  throw new CliError(
    `unknown target '${s}': expected top1, a class index${classes.length ? ` or a class name (${classes.join(', ')})` : ' (the model has no sidecar listing class names)'}`,
  );
}

/** The array of `--<flag> <file.npy>`. */
async function readArray(flag: string, file: string, cwd: string): Promise<Tensor> {
  const bytes = await readFile(resolve(cwd, file)).catch((e: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read --${flag} '${file}': ${e.code === 'ENOENT' ? 'no such file' : e.code}`);
  });
  try {
    return decodeNpy(new Uint8Array(bytes));
  } catch (e) {
    throw new CliError(`--${flag} '${file}' is not a float .npy file: ${(e as Error).message}`);
  }
}

/** `--target-mask <file.npy>` with `--target <class>`: a segmentation region target. */
async function regionFlags(
  flags: { target?: string | undefined; kind?: string | undefined; mask: string },
  classes: readonly string[],
  cwd: string,
): Promise<Target> {
  if ((flags.kind ?? 'class') !== 'class')
    throw usageError(
      `--target-mask sums class logits over a region; it cannot be combined with --target-kind ${flags.kind}`,
    );
  const c = classOf(flags.target ?? 'top1', classes);
  if (c === undefined)
    throw usageError('--target-mask needs --target <class>: the class whose outputs are summed over the mask');
  const m = await readArray('target-mask', flags.mask, cwd);
  if (m.shape.length !== 2)
    throw new CliError(
      `--target-mask '${flags.mask}' must be a 2-D [H, W] mask at the model output's resolution, got shape [${m.shape.join(', ')}]`,
    );
  return regionTarget(c, m.data, [m.shape[0]!, m.shape[1]!]);
}

/**
 * `--target <class>|top1` with `--target-kind` (default `class`): the class logit, its softmax
 * probability, pytorch-grad-cam's ReST score, or a one-output model's decision (`binary`: `--target
 * 1` positive, `0` negative, `top1` the predicted one); `similarity` and `seed` take
 * `--target-vector <file.npy>` (a concept embedding, or d score/d outputs). Range checks happen once
 * the model is loaded (core's validateTarget). `--target-mask <file.npy>` (a 2-D `[H, W]` array) with
 * `--target <class>` explains the class summed over the mask of a `[K, H, W]` output.
 */
export async function parseTargetFlags(
  flags: {
    target?: string | undefined;
    kind?: string | undefined;
    vector?: string | undefined;
    mask?: string | undefined;
  },
  classes: readonly string[],
  cwd: string,
): Promise<Target> {
  if (flags.mask !== undefined) return regionFlags({ ...flags, mask: flags.mask }, classes, cwd);
  const kind = (flags.kind ?? 'class') as TargetKind;
  if (!TARGET_KINDS.includes(kind))
    throw usageError(`--target-kind expects one of ${TARGET_KINDS.join(', ')}, got '${flags.kind}'`);
  const needsVector = kind === 'similarity' || kind === 'seed';
  if (needsVector !== (flags.vector !== undefined))
    throw usageError(
      needsVector
        ? `--target-kind ${kind} needs --target-vector <file.npy>`
        : `--target-vector is only used with --target-kind similarity or seed`,
    );
  if (needsVector) {
    if (flags.target !== undefined && flags.target !== 'top1')
      throw usageError(`--target cannot be combined with --target-kind ${kind} (the vector is the target)`);
    const v = (await readArray('target-vector', flags.vector!, cwd)).data;
    return kind === 'seed' ? seedTarget(v) : similarityTarget(v);
  }
  const c = classOf(flags.target ?? 'top1', classes);
  switch (kind) {
    case 'class':
      return c === undefined ? topClass() : classTarget(c);
    case 'softmax':
      return softmaxTarget(c);
    case 'rest':
      return restTarget(c);
    default:
      if (c !== undefined && c !== 0 && c !== 1)
        throw usageError(
          `--target-kind binary takes --target 1 (positive), 0 (negative) or top1, got '${flags.target}'`,
        );
      return binaryTarget(c === undefined ? undefined : c === 1);
  }
}
