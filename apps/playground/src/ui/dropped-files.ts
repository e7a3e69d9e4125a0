/** Whether a file can be part of a model (an `.onnx`, `model.json`, weight shards, a sidecar). */
export const isModelFile = (f: File) => /\.(onnx|json|bin)$/i.test(f.name);

const entryFile = (e: FileSystemFileEntry) => new Promise<File>((res, rej) => e.file(res, rej));

async function walk(entry: FileSystemEntry): Promise<File[]> {
  if (entry.isFile) return [await entryFile(entry as FileSystemFileEntry)];
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const all: File[] = [];
  // readEntries returns the entries in batches until an empty one
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
    if (!batch.length) return all;
    for (const e of batch) all.push(...(await walk(e)));
  }
}

/**
 * The files of a drop, with dropped folders walked (a tfjs model folder gives model.json and its
 * shards; other files in folders are left out). The entries are taken synchronously, while the drop event lasts.
 */
export function droppedFiles(dt: DataTransfer): Promise<File[]> {
  const entries = [...dt.items].flatMap((i) => {
    const e = i.kind === 'file' ? i.webkitGetAsEntry() : null;
    return e ? [e] : [];
  });
  if (!entries.some((e) => e.isDirectory)) return Promise.resolve([...dt.files]);
  return Promise.all(entries.map(walk)).then((lists) => lists.flat().filter(isModelFile));
}
