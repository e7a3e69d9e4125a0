import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ContentMismatchError } from './errors.js';

/**
 * A file by content: an absolute path on storage every worker shares (NFS, a bucket mount, the same
 * disk image) and the sha256 of its bytes when the job was submitted. Workers check the hash before
 * use, so a file changed or missing after submission fails the job loudly instead of scoring
 * something else.
 */
export interface ContentRef {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Reads and hashes `path` (made absolute). */
export async function contentRef(path: string): Promise<ContentRef> {
  const abs = resolve(path);
  const bytes = await readFile(abs);
  return { path: abs, sha256: sha256(bytes), size: bytes.byteLength };
}

/**
 * Checks files against their refs, hashing each (path, size, mtime) once per process: a model is
 * hashed on its first job, not on every job. Throws `ContentMismatchError` for a missing or changed file.
 */
export class ContentVerifier {
  private readonly seen = new Map<string, string>();

  async verify(ref: ContentRef): Promise<void> {
    const s = await stat(ref.path).catch(() => null);
    if (!s) throw new ContentMismatchError(ref.path, ref.sha256, null);
    const key = `${ref.path}\0${s.size}\0${s.mtimeMs}`;
    let actual = this.seen.get(key);
    if (actual === undefined) {
      actual = s.size === ref.size ? sha256(await readFile(ref.path)) : `size ${s.size}`;
      this.seen.set(key, actual);
    }
    if (actual !== ref.sha256) throw new ContentMismatchError(ref.path, ref.sha256, actual);
  }
}
