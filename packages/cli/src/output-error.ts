import { CliError } from './cli-error.js';

const REASONS: Readonly<Record<string, string>> = {
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOENT: 'the parent folder cannot hold new folders (a virtual file system such as /proc or /sys?)',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'a file appeared there meanwhile',
  EISDIR: 'a folder is in the way',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links',
  EXDEV: 'the staging folder is on another device',
  EBUSY: 'the folder is busy',
};

/**
 * A Node file-system error while preparing or replacing the output folder, as one typed line
 * naming `--out` and the reason (no raw `ENOTDIR: …` text). Anything else is returned unchanged.
 */
export function outputError(e: unknown, out: string): unknown {
  if (e instanceof CliError) return e;
  const { code, syscall } = typeof e === 'object' && e !== null ? (e as { code?: unknown; syscall?: unknown }) : {};
  if (typeof code !== 'string' || typeof syscall !== 'string') return e;
  return new CliError(`cannot write the output folder '${out}': ${REASONS[code] ?? code}`);
}
