import { Redis } from 'ioredis';
import { QueueUnreachableError } from './errors.js';
import type { QueueUrl } from './queue-url.js';

/** ioredis options for `url`: BullMQ's blocking calls need `maxRetriesPerRequest: null`. */
export const redisOptions = (url: QueueUrl) => ({
  host: url.host,
  port: url.port,
  db: url.db,
  ...(url.username ? { username: url.username } : {}),
  ...(url.password ? { password: url.password } : {}),
  maxRetriesPerRequest: null,
});

/**
 * A connected client for gradscope's own keys. The first connection fails fast (a typed error naming
 * the URL); once connected, it reconnects forever (a restarted Redis is waited for; callers decide
 * how long an outage may last).
 */
export async function openRedis(url: QueueUrl, timeoutMs = 3000): Promise<Redis> {
  let ready = false;
  const client = new Redis({
    ...redisOptions(url),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    retryStrategy: (times) => (ready ? Math.min(100 * times, 1000) : null),
  });
  client.on('error', () => {}); // reported through the failing command, not as an unhandled event
  try {
    await client.connect();
    await client.ping();
    ready = true;
    return client;
  } catch (e) {
    client.disconnect();
    const reason = e instanceof Error ? e.message.split('\n', 1)[0]! : String(e);
    throw new QueueUnreachableError(url.label, reason, { cause: e });
  }
}

/** The hash that holds each job's result (field: job id), next to BullMQ's keys for `queue`. */
export const resultsKey = (queue: string): string => `bull:${queue}:gradscope-results`;
