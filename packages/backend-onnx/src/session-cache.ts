/** A byte budget for a SessionCache: entries' sizes and the most the cache may hold. */
export interface CacheBudget<V> {
  readonly maxBytes: number;
  sizeOf(value: V): number;
}

/**
 * A bounded least-recently-used cache of derived sessions: at most `capacity` entries and, with a
 * `budget`, at most `budget.maxBytes` of built entries (the newest entry stays even when it alone is
 * larger). Evicted and cleared entries are passed to `release` (which frees the runtime session);
 * `get` of a missing key builds the value once even when called concurrently.
 */
export class SessionCache<V> {
  private readonly entries = new Map<string, Promise<V>>();
  private readonly sizes = new Map<string, number>();

  constructor(
    readonly capacity: number,
    private readonly release: (value: V) => void | Promise<void>,
    private readonly budget?: CacheBudget<V>,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Bytes of the built entries (by `budget.sizeOf`; 0 without a budget). */
  get bytes(): number {
    let n = 0;
    for (const s of this.sizes.values()) n += s;
    return n;
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
    p.then(
      (v) => {
        if (this.entries.get(key) !== p || !this.budget) return;
        this.sizes.set(key, this.budget.sizeOf(v));
        this.fitBudget(key);
      },
      () => this.entries.get(key) === p && this.entries.delete(key),
    );
    while (this.entries.size > this.capacity) this.evict(this.entries.keys().next().value as string);
    return p;
  }

  /** Releases every cached value. */
  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    this.sizes.clear();
    await Promise.all(all.map((p) => p.then(this.release, () => undefined)));
  }

  /** Evicts least recently used built entries other than `keep` while over the byte budget. */
  private fitBudget(keep: string): void {
    for (const k of [...this.sizes.keys()].sort((a, b) => this.order(a) - this.order(b))) {
      if (this.bytes <= this.budget!.maxBytes) return;
      if (k !== keep) this.evict(k);
    }
  }

  private order(key: string): number {
    return [...this.entries.keys()].indexOf(key);
  }

  private evict(key: string): void {
    const v = this.entries.get(key)!;
    this.entries.delete(key);
    this.sizes.delete(key);
    void v.then(this.release, () => undefined);
  }
}
