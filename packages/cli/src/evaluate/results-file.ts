import { closeSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { CliError } from '../cli-error.js';
import type { EvaluationRecord } from './evaluation-spec.js';

/** The key a record is counted under: one per (image, method). */
export const recordKey = (r: { readonly image: string; readonly method: string }): string =>
  JSON.stringify([r.image, r.method]);

/**
 * Reads results.jsonl: every complete line (ending in a newline) is a record; a last line without its
 * newline is what a kill mid-write leaves, and is dropped (`tornBytes`). A complete line that is not
 * a record is an error naming it. A missing file has no records.
 */
export function readResults(path: string): { records: EvaluationRecord[]; validBytes: number; tornBytes: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return { records: [], validBytes: 0, tornBytes: 0 };
    throw e;
  }
  const end = text.lastIndexOf('\n') + 1;
  const records: EvaluationRecord[] = [];
  const lines = text.slice(0, end).split('\n').slice(0, -1);
  for (const [i, line] of lines.entries()) {
    let r: EvaluationRecord;
    try {
      r = JSON.parse(line) as EvaluationRecord;
    } catch {
      throw new CliError(`${path}: line ${i + 1} is not JSON; the file was not written by gradscope evaluate`);
    }
    if (typeof r.image !== 'string' || typeof r.method !== 'string' || typeof r.metrics !== 'object')
      throw new CliError(`${path}: line ${i + 1} is not an evaluation record`);
    records.push(r);
  }
  return { records, validBytes: Buffer.byteLength(text.slice(0, end)), tornBytes: Buffer.byteLength(text.slice(end)) };
}

/** results.jsonl open for appending: each batch of records is one write followed by an fsync. */
export interface ResultsFile {
  append(records: readonly EvaluationRecord[]): void;
  close(): void;
}

/**
 * Opens `path` for appending after `validBytes` (a torn last line is cut off first), so every record
 * that `append` returned for is on disk and a killed run loses at most the line it was writing.
 */
export function openResults(path: string, validBytes: number): ResultsFile {
  const fd = openSync(path, 'a+');
  ftruncateSync(fd, validBytes);
  fsyncSync(fd);
  return {
    append(records) {
      if (!records.length) return;
      writeSync(fd, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
      fsyncSync(fd);
    },
    close: () => closeSync(fd),
  };
}
