import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CliError } from './cli-error.js';

/** File gradscope leaves in every output folder, so a later run may replace the folder. */
export const OUTPUT_MARKER = '.gradscope-output';

const active = new Set<string>();

/** Staging folders not yet committed or aborted (bin.ts removes them on SIGINT/SIGTERM). */
export const activeStagingDirs = (): readonly string[] => [...active];

/** An output folder being written: everything goes to `path`, a hidden sibling of the target. */
export interface StagedDir {
  /** The temporary folder to write into. */
  readonly path: string;
  /** Moves the finished folder into place (replacing an earlier gradscope output). */
  commit(): Promise<void>;
  /** Removes the temporary folder; the target is left untouched. */
  abort(): Promise<void>;
}

async function existing(p: string) {
  try {
    return await stat(p);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return null;
    throw e;
  }
}

/** Refuses to replace a path that is not an empty folder or an earlier gradscope output. */
export async function checkReplaceable(out: string): Promise<void> {
  const s = await existing(out);
  if (!s) return;
  if (!s.isDirectory()) throw new CliError(`output path '${out}' exists and is not a directory`);
  const entries = await readdir(out);
  if (entries.length && !entries.includes(OUTPUT_MARKER)) {
    throw new CliError(
      `output directory '${out}' is not empty and was not written by gradscope; remove it or choose another --out`,
    );
  }
}

/**
 * Stages an output folder: a hidden sibling `.<name>.tmp-<random>` that `commit()` renames onto
 * `out` only once everything succeeded, so a failed run never leaves a half-written `out`.
 */
export async function stageDir(out: string): Promise<StagedDir> {
  await checkReplaceable(out);
  const parent = dirname(out);
  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(parent, `.${basename(out)}.tmp-${tag}`);
  await mkdir(tmp);
  active.add(tmp);
  return {
    path: tmp,
    async commit() {
      await writeFile(join(tmp, OUTPUT_MARKER), 'written by gradscope; a later run may replace this folder\n');
      await checkReplaceable(out);
      const old = join(parent, `.${basename(out)}.old-${tag}`);
      const had = (await existing(out)) !== null;
      if (had) await rename(out, old);
      try {
        await rename(tmp, out);
        active.delete(tmp);
      } catch (e) {
        if (had) await rename(old, out);
        throw e;
      }
      if (had) await rm(old, { recursive: true, force: true });
    },
    async abort() {
      await rm(tmp, { recursive: true, force: true });
      active.delete(tmp);
    },
  };
}
