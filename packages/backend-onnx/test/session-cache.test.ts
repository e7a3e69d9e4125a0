import { describe, expect, it } from 'vitest';
import { SessionCache } from '../src/session-cache.js';

describe('SessionCache', () => {
  const made = (released: string[], sizes: Record<string, number>, capacity = 10, maxBytes = 100) =>
    new SessionCache<string>(capacity, (v) => void released.push(v), { maxBytes, sizeOf: (v) => sizes[v]! });
  const flush = () => new Promise((r) => setTimeout(r, 0));

  it('releases least recently used entries while the built ones exceed the byte budget; the newest stays', async () => {
    const released: string[] = [];
    const cache = made(released, { a: 40, b: 40, c: 30, d: 150 });
    for (const k of ['a', 'b']) await cache.get(k, async () => k);
    await cache.get('a', async () => 'never built');
    await cache.get('c', async () => 'c');
    await flush();
    expect(released).toEqual(['b']); // 40 + 40 + 30 > 100: b was used least recently
    expect(cache.keys()).toEqual(['a', 'c']);
    expect(cache.bytes).toBe(70);
    await cache.get('d', async () => 'd');
    await flush();
    expect(released).toEqual(['b', 'a', 'c']);
    expect(cache.keys()).toEqual(['d']);
    await cache.clear();
    expect(released).toEqual(['b', 'a', 'c', 'd']);
    expect(cache.bytes).toBe(0);
  });

  it('still bounds the number of entries, and a failed build is dropped', async () => {
    const released: string[] = [];
    const cache = made(released, { a: 1, b: 1, c: 1 }, 2);
    for (const k of ['a', 'b', 'c']) await cache.get(k, async () => k);
    await flush();
    expect(released).toEqual(['a']);
    await expect(cache.get('x', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await flush();
    expect(cache.keys()).toEqual(['c']);
  });
});
