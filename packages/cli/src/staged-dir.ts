import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CliError } from './cli-error.js';
import { foreignEntries, manifestOf, OUTPUT_MARKER, walk } from './output-manifest.js';
import { outputError } from './output-error.js';

export { OUTPUT_MARKER } from './output-manifest.js';

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

const shortList = (xs: readonly string[]) => (xs.length <= 5 ? xs.join(', ') : `${xs.slice(0, 5).join(', ')}, …`);

/**
 * Refuses to replace a path that is not an empty folder or exactly an earlier gradscope output:
 * every file its marker lists, unchanged, and nothing else (a forged or stale marker protects nothing).
 */
export async function checkReplaceable(out: string): Promise<void> {
  try {
    const s = await existing(out);
    if (!s) return;
    if (!s.isDirectory()) throw new CliError(`output path '${out}' exists and is not a directory`);
    const entries = await readdir(out);
    if (!entries.length) return;
    if (!entries.includes(OUTPUT_MARKER))
      throw new CliError(
        `output directory '${out}' is not empty and was not written by gradscope; remove it or choose another --out`,
      );
    const foreign = await foreignEntries(out);
    if (foreign.length)
      throw new CliError(
        `output directory '${out}' holds files gradscope did not write or that changed since (${shortList(foreign)}); nothing was replaced: move them away or choose another --out`,
      );
  } catch (e) {
    throw outputError(e, out);
  }
}

/** Deletes what `dir` holds, file by file and folder by folder (never recursively): whatever appeared since stays. */
async function removeOurs(dir: string): Promise<void> {
  const entries = (await walk(dir)).reverse();
  for (const e of entries) await (e.kind === 'dir' ? rmdir(join(dir, e.path)) : unlink(join(dir, e.path)));
  await rmdir(dir);
}

/**
 * Stages an output folder: a hidden sibling `.<name>.tmp-<random>` that `commit()` renames onto
 * `out` only once everything succeeded, so a failed run never leaves a half-written `out`. The
 * marker written on commit lists every file with its SHA-256.
 */
export async function stageDir(out: string): Promise<StagedDir> {
  await checkReplaceable(out);
  const parent = dirname(out);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(parent, `.${basename(out)}.tmp-${tag}`);
  try {
    await mkdir(parent, { recursive: true });
    await mkdir(tmp);
  } catch (e) {
    throw outputError(e, out);
  }
  active.add(tmp);
  return {
    path: tmp,
    async commit() {
      await writeFile(join(tmp, OUTPUT_MARKER), await manifestOf(tmp));
      await checkReplaceable(out);
      const old = join(parent, `.${basename(out)}.old-${tag}`);
      const had = (await existing(out)) !== null;
      try {
        if (had) await rename(out, old);
        try {
          await rename(tmp, out);
          active.delete(tmp);
        } catch (e) {
          if (had) await rename(old, out);
          throw e;
        }
      } catch (e) {
        throw outputError(e, out);
      }
      // checked just above to hold only our files; a file that appeared since keeps `old` in place
      if (had) await removeOurs(old).catch(() => undefined);
    },
    async abort() {
      await rm(tmp, { recursive: true, force: true });
      active.delete(tmp);
    },
  };
}
