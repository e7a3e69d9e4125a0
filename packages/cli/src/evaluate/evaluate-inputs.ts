import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { CliError } from '../cli-error.js';

/** One image of an evaluation, as listed by a folder or a manifest. */
export interface EvaluationInput {
  /** The name recorded in results.jsonl (a file name, or the manifest's path as written). */
  readonly image: string;
  readonly file: string;
  readonly mask?: string;
  /** A manifest's `target`: a class index or a class name. */
  readonly target?: number | string;
}

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg', '.npy']);

async function exists(p: string): Promise<boolean> {
  return (await stat(p).catch(() => null))?.isFile() === true;
}

/** `<masks>/<image name without extension>.png`, else `.npy`; missing is an error naming the image. */
async function maskFor(masks: string, image: string): Promise<string> {
  const base = basename(image, extname(image));
  for (const ext of ['.png', '.npy']) if (await exists(join(masks, base + ext))) return join(masks, base + ext);
  throw new CliError(`no mask for ${image} in ${masks} (expected ${base}.png or ${base}.npy)`);
}

async function fromFolder(dir: string): Promise<EvaluationInput[]> {
  const names = (await readdir(dir)).filter((n) => IMAGE_EXT.has(extname(n).toLowerCase())).sort();
  return names.map((n) => ({ image: n, file: join(dir, n) }));
}

async function fromManifest(path: string, label: string): Promise<EvaluationInput[]> {
  const base = dirname(path);
  const lines = (await readFile(path, 'utf8')).split('\n');
  const out: EvaluationInput[] = [];
  for (const [i, raw] of lines.entries()) {
    if (!raw.trim()) continue;
    const where = `${label}:${i + 1}`;
    let v: { image?: unknown; target?: unknown; mask?: unknown };
    try {
      v = JSON.parse(raw) as typeof v;
    } catch {
      throw new CliError(`${where}: not a JSON line`);
    }
    if (typeof v.image !== 'string' || !v.image) throw new CliError(`${where}: "image" must be a path`);
    if (v.target !== undefined && typeof v.target !== 'number' && typeof v.target !== 'string')
      throw new CliError(`${where}: "target" must be a class index or name`);
    if (v.mask !== undefined && typeof v.mask !== 'string') throw new CliError(`${where}: "mask" must be a path`);
    out.push({
      image: v.image,
      file: resolve(base, v.image),
      ...(v.mask !== undefined && { mask: resolve(base, v.mask as string) }),
      ...(v.target !== undefined && { target: v.target as number | string }),
    });
  }
  return out;
}

/**
 * The images of `<folder|manifest.jsonl>`: a folder's PNG/JPEG/.npy files (not recursive, sorted by
 * name), or a manifest's lines `{ "image": path, "target"?: class, "mask"?: path }` (paths relative
 * to the manifest). With `masks`, images without a mask of their own take `<masks>/<name>.png|.npy`.
 * Every file is checked to exist before any work; image names must be unique.
 */
export async function listInputs(arg: string, cwd: string, masks?: string): Promise<EvaluationInput[]> {
  const path = resolve(cwd, arg);
  const s = await stat(path).catch(() => null);
  if (!s) throw new CliError(`input not found: ${arg}`);
  const inputs = s.isDirectory() ? await fromFolder(path) : await fromManifest(path, arg);
  if (!inputs.length) throw new CliError(`${arg} lists no images (PNG, JPEG or .npy)`);
  const seen = new Set<string>();
  const out: EvaluationInput[] = [];
  for (const x of inputs) {
    if (seen.has(x.image)) throw new CliError(`${arg}: image ${x.image} is listed twice`);
    seen.add(x.image);
    if (!(await exists(x.file))) throw new CliError(`input file not found: ${x.image}`);
    if (x.mask && !(await exists(x.mask))) throw new CliError(`mask not found for ${x.image}: ${x.mask}`);
    out.push(x.mask || !masks ? x : { ...x, mask: await maskFor(resolve(cwd, masks), x.image) });
  }
  return out;
}
