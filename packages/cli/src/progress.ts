import type { CliIo } from './cli-io.js';

const BAR = 24;

/**
 * Progress on stderr. On a terminal: a `[k/n] what` status redrawn in place, with a bar while a
 * long method reports progress (`update`). Elsewhere: silent, except one line per long method
 * (one that reported progress), `reportRuns`: `[k/n] what: 2048/2048 in 812 ms`.
 */
export function createProgress(io: CliIo, total: number) {
  const tty = io.stderr.isTTY === true;
  let k = 0,
    what = '';
  const draw = (tail: string) => io.stderr.write(`\r\x1b[2K[${k}/${total}] ${what}${tail}`);
  return {
    step(next: string): void {
      k++;
      what = next;
      if (tty) draw('');
    },
    update(done: number, of: number): void {
      if (!tty) return;
      const f = of > 0 ? Math.min(1, done / of) : 1;
      const n = Math.round(f * BAR);
      draw(` ${'█'.repeat(n)}${'░'.repeat(BAR - n)} ${done}/${of}`);
    },
    /** A line for the current step's long method, when not on a terminal: its runs and time. */
    reportRuns(done: number, of: number, ms: number): void {
      if (!tty) io.stderr.write(`[${k}/${total}] ${what}: ${done}/${of} in ${Math.round(ms)} ms\n`);
    },
    done(): void {
      if (tty) io.stderr.write('\r\x1b[2K');
    },
  };
}
