/** Timing of one operation: the median and every sample (ms per call), and calls per sample. */
export interface Timing {
  readonly medianMs: number;
  readonly samplesMs: readonly number[];
  readonly callsPerSample: number;
}

export interface TimeOptions {
  /** Timed samples; the median of these is reported. */
  readonly runs: number;
  /** Calls before sampling (kernel compilation, allocator and JIT warm-up); at least one is made. */
  readonly warmup: number;
  /**
   * A sample repeats a fast operation until it lasts about this long (default 25 ms), so
   * millisecond-scale calls are not lost in timer and scheduler noise; a sample is then the mean
   * time per call.
   */
  readonly minSampleMs?: number;
}

/** Median of a sample (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of an empty sample');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Times several operations round-robin: each is warmed up (`warmup` calls, the fastest of which
 * chooses how many calls make a sample), then every round takes one sample of each operation, for
 * `runs` rounds (wall-clock ms per call). Interleaving spreads load from other processes evenly over
 * the operations, so their ratios stay meaningful on a shared machine.
 */
export async function timeInterleaved<K extends string>(
  ops: Readonly<Record<K, () => Promise<unknown>>>,
  { runs, warmup, minSampleMs = 25 }: TimeOptions,
): Promise<Record<K, Timing>> {
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be a positive integer, got ${runs}`);
  const keys = Object.keys(ops) as K[];
  const calls = new Map<K, number>();
  for (const k of keys) {
    let once = Infinity;
    for (let i = 0; i < Math.max(1, warmup); i++) {
      const t0 = performance.now();
      await ops[k]();
      once = Math.min(once, performance.now() - t0);
    }
    calls.set(k, Math.max(1, Math.min(1000, Math.ceil(minSampleMs / Math.max(once, 1e-3)))));
  }
  const samples = new Map<K, number[]>(keys.map((k) => [k, []]));
  for (let r = 0; r < runs; r++) {
    for (const k of keys) {
      const n = calls.get(k)!;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await ops[k]();
      samples.get(k)!.push((performance.now() - t0) / n);
    }
  }
  const out = {} as Record<K, Timing>;
  for (const k of keys)
    out[k] = { medianMs: median(samples.get(k)!), samplesMs: samples.get(k)!, callsPerSample: calls.get(k)! };
  return out;
}
