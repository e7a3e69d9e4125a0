import { ModelLoadError, type ModelSource } from '@gradscope/core';

/** Bytes of a model plus a label for messages. */
export interface ModelBytes {
  readonly bytes: Uint8Array;
  readonly label: string;
}

/** Reads a model source that needs no file system: bytes, a URL (fetch) or browser `File`s. */
export async function readModelSource(
  source: ModelSource,
  readPath?: (path: string) => Promise<Uint8Array>,
): Promise<ModelBytes> {
  if (source instanceof Uint8Array) return { bytes: source, label: '<bytes>' };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), label: '<bytes>' };
  if (typeof source === 'string' || source instanceof URL) {
    const s = String(source);
    const isUrl = /^(https?|blob|data):/i.test(s) || source instanceof URL;
    if (readPath && (!isUrl || /^file:/i.test(s))) return { bytes: await readPath(s), label: s };
    if (!isUrl && !/^file:/i.test(s) && typeof fetch !== 'function') throw new ModelLoadError(s, 'no fetch available');
    if (!isUrl)
      throw new ModelLoadError(
        s,
        'a file path needs the Node entry: import { createOnnxBackend } from "@gradscope/backend-onnx/node"',
      );
    let res: Response;
    try {
      res = await fetch(s);
    } catch (e) {
      throw new ModelLoadError(s, `fetch failed (${(e as Error).message})`, { cause: e });
    }
    if (!res.ok) throw new ModelLoadError(s, `HTTP ${res.status} ${res.statusText}`);
    return { bytes: new Uint8Array(await res.arrayBuffer()), label: s };
  }
  const files = Array.isArray(source) ? (source as readonly File[]) : (source as { files: readonly File[] }).files;
  const onnxFile =
    files.find((f) => f.name.toLowerCase().endsWith('.onnx')) ?? (files.length === 1 ? files[0] : undefined);
  if (!onnxFile)
    throw new ModelLoadError(
      files.map((f) => f.name).join(', ') || '<no files>',
      'no .onnx file among the given files',
    );
  return { bytes: new Uint8Array(await onnxFile.arrayBuffer()), label: onnxFile.name };
}
