/**
 * A bounded least-recently-used cache of derived sessions. Evicted and cleared entries are passed to
 * `release` (which frees the runtime session); `get` of a missing key builds the value once even
 * when called concurrently.
 */
export class SessionCache<V> {
  private readonly entries = new Map<string, Promise<V>>();

  constructor(
    readonly capacity: number,
    private readonly release: (value: V) => void | Promise<void>,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  get(key: string, build: () => Promise<V>): Promise<V> {
    const have = this.entries.get(key);
    if (have) {
      this.entries.delete(key);
      this.entries.set(key, have);
      return have;
    }
    const p = build();
    this.entries.set(key, p);
    p.catch(() => this.entries.get(key) === p && this.entries.delete(key));
    while (this.entries.size > this.capacity) {
      const [oldest, v] = this.entries.entries().next().value as [string, Promise<V>];
      this.entries.delete(oldest);
      void v.then(this.release, () => undefined);
    }
    return p;
  }

  /** Releases every cached value. */
  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((p) => p.then(this.release, () => undefined)));
  }
}
