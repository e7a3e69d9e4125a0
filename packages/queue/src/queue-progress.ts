/** What a submitter reports while it waits. */
export interface QueueProgress {
  readonly total: number;
  /** Jobs with a stored result. */
  readonly done: number;
  /** Jobs that failed for good (attempts used up). */
  readonly failed: number;
  /** Workers connected to the queue now. */
  readonly workers: number;
  /** Jobs finished per second over the last ~10 s (0 until something finishes). */
  readonly rate: number;
  /** Seconds left at that rate (null while the rate is 0). */
  readonly etaSeconds: number | null;
}

/** A sliding-window rate over (time, count) samples. */
export class RateWindow {
  private readonly samples: { t: number; n: number }[] = [];
  constructor(private readonly windowMs = 10_000) {}

  add(t: number, n: number): number {
    this.samples.push({ t, n });
    while (this.samples.length > 2 && t - this.samples[1]!.t > this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    return t > first.t ? ((n - first.n) * 1000) / (t - first.t) : 0;
  }
}
