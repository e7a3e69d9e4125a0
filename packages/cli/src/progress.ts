import type { CliIo } from './cli-io.js';

const BAR = 24;

/**
 * Progress on stderr. On a terminal: a `[k/n] what` status redrawn in place, with a bar while a
 * long method reports progress (`update`). Elsewhere: silent, except one line per long method
 * (one that reported progress) when it ends, with its run count and time: `[k/n] what: 2048/2048 in 812 ms`.
 */
export function createProgress(io: CliIo, total: number) {
  const tty = io.stderr.isTTY === true;
  let k = 0,
    what = '',
    t0 = 0,
    last: [number, number] | null = null;
  const draw = (tail: string) => io.stderr.write(`\r\x1b[2K[${k}/${total}] ${what}${tail}`);
  return {
    step(next: string): void {
      k++;
      what = next;
      t0 = performance.now();
      last = null;
      if (tty) draw('');
    },
    update(done: number, of: number): void {
      last = [done, of];
      if (!tty) return;
      const f = of > 0 ? Math.min(1, done / of) : 1;
      const n = Math.round(f * BAR);
      draw(` ${'█'.repeat(n)}${'░'.repeat(BAR - n)} ${done}/${of}`);
    },
    /** The current step ended (a line for a long method when not on a terminal). */
    stepDone(): void {
      if (!tty && last)
        io.stderr.write(`[${k}/${total}] ${what}: ${last[0]}/${last[1]} in ${Math.round(performance.now() - t0)} ms\n`);
    },
    done(): void {
      if (tty) io.stderr.write('\r\x1b[2K');
    },
  };
}
