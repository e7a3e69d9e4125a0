import { QueueUnreachableError } from './errors.js';

/** Where the queue lives: a parsed `redis://[user:password@]host[:port][/db]` URL. */
export interface QueueUrl {
  /** The URL as given, with any password replaced by `***` (safe to print). */
  readonly label: string;
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
}

/** Parses a `redis://` URL (`rediss://` for TLS is not supported yet); a malformed one is a typed error naming it. */
export function parseQueueUrl(url: string): QueueUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new QueueUnreachableError(url, 'not a URL (expected redis://host:port/db)');
  }
  if (u.protocol !== 'redis:') throw new QueueUnreachableError(url, `expected a redis:// URL, got ${u.protocol}//`);
  const db = u.pathname === '' || u.pathname === '/' ? 0 : Number(u.pathname.slice(1));
  if (!Number.isInteger(db) || db < 0) throw new QueueUnreachableError(url, `bad database number '${u.pathname}'`);
  const label = u.password ? url.replace(`:${u.password}@`, ':***@') : url;
  return {
    label,
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
  };
}
