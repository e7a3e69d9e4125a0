import { closeSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CliError } from '../cli-error.js';
import type { EvaluationRecord } from './evaluation-spec.js';

/** The side file next to results.jsonl that holds each record's curves (deletion/insertion, 21 points). */
export const CURVES_FILE = 'curves.jsonl';

/** The key a record is counted under: one per (image, method). */
export const recordKey = (r: { readonly image: string; readonly method: string }): string =>
  JSON.stringify([r.image, r.method]);

/** One line of curves.jsonl: the curves of the record with the same image and method. */
interface CurvesLine {
  readonly image: string;
  readonly method: string;
  readonly curves: NonNullable<EvaluationRecord['curves']>;
}

/** What a results.jsonl and its curves.jsonl hold, and where appending resumes in each. */
export interface ResultsState {
  /** The records, each with its curves from curves.jsonl (when it has any). */
  readonly records: EvaluationRecord[];
  readonly validBytes: number;
  readonly tornBytes: number;
  readonly curvesValidBytes: number;
}

/** Complete lines (ending in a newline) of a file and the byte length they span; a missing file has none. */
function completeLines(path: string): { lines: string[]; validBytes: number; tornBytes: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return { lines: [], validBytes: 0, tornBytes: 0 };
    throw e;
  }
  const end = text.lastIndexOf('\n') + 1;
  return {
    lines: text.slice(0, end).split('\n').slice(0, -1),
    validBytes: Buffer.byteLength(text.slice(0, end)),
    tornBytes: Buffer.byteLength(text.slice(end)),
  };
}

function parseLine<T>(path: string, line: string, i: number): T {
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new CliError(`${path}: line ${i + 1} is not JSON; the file was not written by gradscope evaluate`);
  }
}

/**
 * Reads results.jsonl and curves.jsonl next to it: every complete line of results.jsonl is a record; a
 * last line without its newline is what a kill mid-write leaves, and is dropped (`tornBytes`). Curves
 * are written before their records, so curves.jsonl is kept up to its first line whose record is not
 * in results.jsonl (the batch a kill interrupted: it is written again). A complete line that is not a
 * record is an error naming it. Missing files have no records.
 */
export function readResults(path: string): ResultsState {
  const { lines, validBytes, tornBytes } = completeLines(path);
  const records: EvaluationRecord[] = [];
  for (const [i, line] of lines.entries()) {
    const r = parseLine<EvaluationRecord>(path, line, i);
    if (typeof r.image !== 'string' || typeof r.method !== 'string' || typeof r.metrics !== 'object')
      throw new CliError(`${path}: line ${i + 1} is not an evaluation record`);
    records.push(r);
  }
  const byKey = new Map(records.map((r, i) => [recordKey(r), i]));
  const curvesPath = join(dirname(path), CURVES_FILE);
  const side = completeLines(curvesPath);
  let curvesValidBytes = 0;
  for (const [i, line] of side.lines.entries()) {
    const c = parseLine<CurvesLine>(curvesPath, line, i);
    const at = byKey.get(recordKey(c));
    if (at === undefined) break;
    records[at] = { ...records[at]!, curves: c.curves };
    curvesValidBytes += Buffer.byteLength(line) + 1;
  }
  return { records, validBytes, tornBytes, curvesValidBytes };
}

/** results.jsonl (and curves.jsonl) open for appending: each batch of records is written with an fsync. */
export interface ResultsFile {
  append(records: readonly EvaluationRecord[]): void;
  close(): void;
}

/** Opens a file for appending after `validBytes` (what follows is cut off first, and that is on disk). */
function openAppend(path: string, validBytes: number): number {
  const fd = openSync(path, 'a+');
  ftruncateSync(fd, validBytes);
  fsyncSync(fd);
  return fd;
}

/**
 * Opens results.jsonl at `path` for appending after `state.validBytes` (a torn last line is cut off
 * first), and curves.jsonl next to it after `state.curvesValidBytes`. A batch is appended as its
 * curves (one line per record that has curves: image, method, curves), fsync'd, then its records
 * with the contract's fields only (image, method, target, metrics), fsync'd: every record that
 * `append` returned for is on disk with its curves, and a killed run loses at most the batch it was writing.
 */
export function openResults(path: string, state: Pick<ResultsState, 'validBytes' | 'curvesValidBytes'>): ResultsFile {
  const fd = openAppend(path, state.validBytes);
  const curvesFd = openAppend(join(dirname(path), CURVES_FILE), state.curvesValidBytes);
  return {
    append(records) {
      if (!records.length) return;
      const curves = records
        .filter((r) => r.curves && Object.keys(r.curves).length)
        .map((r) => `${JSON.stringify({ image: r.image, method: r.method, curves: r.curves })}\n`);
      if (curves.length) {
        writeSync(curvesFd, curves.join(''));
        fsyncSync(curvesFd);
      }
      const lines = records.map(
        (r) => `${JSON.stringify({ image: r.image, method: r.method, target: r.target, metrics: r.metrics })}\n`,
      );
      writeSync(fd, lines.join(''));
      fsyncSync(fd);
    },
    close: () => {
      closeSync(fd);
      closeSync(curvesFd);
    },
  };
}
