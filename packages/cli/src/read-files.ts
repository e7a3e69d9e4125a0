import { readFile, stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { CliError } from './cli-error.js';

/** Reads each input file up front (before any model is loaded); missing files are a one-line error. */
export async function readInputFiles(
  paths: readonly string[],
  cwd: string,
): Promise<{ path: string; bytes: Uint8Array }[]> {
  const out: { path: string; bytes: Uint8Array }[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const s = await stat(abs).catch(() => null);
    if (!s) throw new CliError(`input file not found: ${p}`);
    if (!s.isFile()) throw new CliError(`input is not a file: ${p}`);
    const buf = await readFile(abs);
    out.push({ path: p, bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) });
  }
  return out;
}

/** Names of the files gradscope writes itself next to the input sub-folders (never a sub-folder name). */
export const RESERVED_NAMES: readonly string[] = [
  'index.html',
  'grid.png',
  'result.json',
  'input.png',
  'gradscope-output',
];

/**
 * Output sub-folder names for inputs: the file name without its extension, made safe for a folder
 * name; repeats get `-2`, `-3`, … in command-line order (`a/cat.png b/cat.jpg` → `cat`, `cat-2`), and
 * so do the gallery's own names (`index.html.png` → `index.html-2`), compared without case.
 */
export function uniqueNames(paths: readonly string[]): string[] {
  const used = new Set<string>(RESERVED_NAMES);
  return paths.map((p) => {
    const base =
      basename(p, extname(p))
        .replace(/[^A-Za-z0-9._-]+/g, '_')
        .replace(/^\.+/, '') || 'input';
    let name = base;
    for (let k = 2; used.has(name.toLowerCase()); k++) name = `${base}-${k}`;
    used.add(name.toLowerCase());
    return name;
  });
}
