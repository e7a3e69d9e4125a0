import { isGradscopeError, parseSidecar, sidecarPath, type ModelSidecar, type ModelSource } from '@gradscope/core';

/**
 * The `<model>.gradscope.json` next to an ONNX model, parsed (`{}` when there is none): read with
 * `readPath` for file paths (Node entry), fetched for URLs (a failed fetch or HTTP error means none),
 * or taken from the given browser files. Bytes have no sidecar. A malformed sidecar throws.
 */
export async function readOnnxSidecar(
  source: ModelSource,
  label: string,
  readPath?: (path: string) => Promise<Uint8Array>,
): Promise<ModelSidecar> {
  let text: string | null = null;
  if (typeof source === 'string' || source instanceof URL) {
    const s = String(source);
    const isUrl = /^(https?|blob|data):/i.test(s) || (source instanceof URL && !/^file:/i.test(s));
    if (/^(blob|data):/i.test(s)) return {};
    if (readPath && !isUrl) {
      try {
        text = new TextDecoder().decode(await readPath(sidecarPath(s)));
      } catch (e) {
        const code = (e as { cause?: { code?: string } }).cause?.code;
        if (!(isGradscopeError(e, 'model-load') && code === 'ENOENT')) throw e;
      }
    } else if (isUrl && typeof fetch === 'function') {
      const res = await fetch(sidecarPath(s)).catch(() => null);
      if (res?.ok) text = await res.text();
    }
  } else if (!(source instanceof Uint8Array) && !(source instanceof ArrayBuffer)) {
    const files = Array.isArray(source) ? (source as readonly File[]) : (source as { files: readonly File[] }).files;
    const f = files.find((x) => x.name.toLowerCase().endsWith('.gradscope.json'));
    if (f) text = await f.text();
  }
  return text === null ? {} : parseSidecar(text, label);
}
