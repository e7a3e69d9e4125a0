import { createHash } from 'node:crypto';

/** A JSON value (what a task carries and a result holds). */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as { readonly [k: string]: Json };
    const keys = Object.keys(obj).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k]!)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A job id from what decides a result (content hashes, method, options, metrics — never paths or
 * timestamps): `gs-` + the sha256 of its canonical JSON. Equal work gets the same id, so BullMQ's
 * `jobId` makes a resubmission add nothing.
 */
export const taskId = (key: Json): string => `gs-${createHash('sha256').update(canonicalJson(key)).digest('hex')}`;
