import type { Redis } from 'ioredis';
import type { TaskOutcome } from './queue-task.js';
import { resultsKey } from './redis-client.js';
import type { Json } from './task-id.js';

const CHUNK = 1000;

/** The stored results among `ids` (one HMGET per 1000 ids). */
export async function storedResults(client: Redis, queue: string, ids: readonly string[]): Promise<Map<string, Json>> {
  const out = new Map<string, Json>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    const values = await client.hmget(resultsKey(queue), ...part);
    values.forEach((v, k) => {
      if (v !== null) out.set(part[k]!, JSON.parse(v) as Json);
    });
  }
  return out;
}

/**
 * The ids among `ids` that BullMQ has moved to its failed set, with the error of their last attempt
 * (one pipelined ZSCORE per id, then HGET of `failedReason` for the failed ones).
 */
export async function failedReasons(
  client: Redis,
  queue: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    const scores = (await client.pipeline(part.map((id) => ['zscore', `bull:${queue}:failed`, id])).exec()) ?? [];
    const failed = part.filter((_, k) => scores[k]?.[1] !== null && scores[k]?.[1] !== undefined);
    for (const id of failed) out.set(id, (await client.hget(`bull:${queue}:${id}`, 'failedReason')) || 'failed');
  }
  return out;
}

/**
 * A cheap "has anything finished?" probe: the sizes of the results hash and of the failed set (two
 * O(1) commands). While they stay the same, a poll need not look at every pending id.
 */
export async function finishedMark(client: Redis, queue: string): Promise<string> {
  const [h, z] = await Promise.all([client.hlen(resultsKey(queue)), client.zcard(`bull:${queue}:failed`)]);
  return `${h}/${z}`;
}

/** Outcomes of `ids` known now: stored results first (a result wins over a later failed attempt), then failures. */
export async function knownOutcomes(
  client: Redis,
  queue: string,
  ids: readonly string[],
): Promise<Map<string, TaskOutcome>> {
  const out = new Map<string, TaskOutcome>();
  for (const [id, result] of await storedResults(client, queue, ids)) out.set(id, { result });
  const rest = ids.filter((id) => !out.has(id));
  for (const [id, error] of await failedReasons(client, queue, rest)) out.set(id, { error });
  return out;
}
