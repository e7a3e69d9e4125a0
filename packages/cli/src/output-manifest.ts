import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** File gradscope leaves in every output folder: it lists what the run wrote, so a later run may replace it. */
export const OUTPUT_MARKER = '.gradscope-output';

const HEADER =
  'written by gradscope; a later run replaces this folder only if it holds exactly these files (sha256, path):';

const sha256 = async (file: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

/** Every entry below `dir` as a `/`-separated relative path, folders flagged; symlinks are not followed. */
export async function walk(dir: string, prefix = ''): Promise<{ path: string; kind: 'file' | 'dir' | 'other' }[]> {
  const out: { path: string; kind: 'file' | 'dir' | 'other' }[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const s = await lstat(join(dir, name));
    if (s.isDirectory()) out.push({ path: rel, kind: 'dir' }, ...(await walk(join(dir, name), rel)));
    else out.push({ path: rel, kind: s.isFile() ? 'file' : 'other' });
  }
  return out;
}

/** The marker's text for the finished folder `dir`: a header line, then `<sha256>  <path>` per file. */
export async function manifestOf(dir: string): Promise<string> {
  const files = (await walk(dir)).filter((e) => e.kind === 'file' && e.path !== OUTPUT_MARKER);
  const lines = await Promise.all(files.map(async (f) => `${await sha256(join(dir, f.path))}  ${f.path}`));
  return `${HEADER}\n${lines.join('\n')}\n`;
}

/** The files a marker lists (path → sha256); null when the text is not a marker gradscope wrote. */
export function parseManifest(text: string): Map<string, string> | null {
  const [head, ...rest] = text.split('\n');
  if (head !== HEADER) return null;
  const files = new Map<string, string>();
  for (const line of rest) {
    if (line === '') continue;
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!m || m[2]!.split('/').some((part) => part === '' || part === '.' || part === '..')) return null;
    files.set(m[2]!, m[1]!);
  }
  return files;
}

/**
 * What in the existing output folder `dir` gradscope did not write: entries its marker does not
 * list, listed files whose content changed, folders holding nothing listed, links and devices. An
 * empty list means the folder may be replaced; a missing or foreign marker lists everything.
 */
export async function foreignEntries(dir: string): Promise<string[]> {
  const entries = await walk(dir);
  const text = entries.some((e) => e.path === OUTPUT_MARKER && e.kind === 'file')
    ? await readFile(join(dir, OUTPUT_MARKER), 'utf8')
    : '';
  const listed = parseManifest(text) ?? new Map<string, string>();
  const dirs = new Set(
    [...listed.keys()].flatMap((p) =>
      p
        .split('/')
        .slice(0, -1)
        .map((_, i, a) => a.slice(0, i + 1).join('/')),
    ),
  );
  const foreign: string[] = [];
  for (const e of entries) {
    if (e.path === OUTPUT_MARKER && e.kind === 'file') continue;
    const want = listed.get(e.path);
    const ours =
      e.kind === 'dir'
        ? dirs.has(e.path)
        : e.kind === 'file' && want !== undefined && want === (await sha256(join(dir, e.path)));
    if (ours) continue;
    foreign.push(e.kind === 'dir' ? `${e.path}/` : e.path);
  }
  return foreign;
}
