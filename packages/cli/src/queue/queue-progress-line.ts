import type { QueueProgress } from '@gradscope/queue';
import type { CliIo } from '../cli-io.js';

const BAR = 24;

/** `mm:ss`, or `--:--` for an unknown time. */
const clock = (s: number | null): string =>
  s === null || !Number.isFinite(s)
    ? '--:--'
    : `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(Math.round(s % 60)).padStart(2, '0')}`;

/** `120/400 jobs  2 failed  3 workers  12.3 jobs/s  ETA 00:23`. */
export function progressText(p: QueueProgress): string {
  return `${p.done + p.failed}/${p.total} jobs  ${p.failed} failed  ${p.workers} worker(s)  ${p.rate.toFixed(1)} jobs/s  ETA ${clock(p.etaSeconds)}`;
}

/**
 * Shows a queue run's progress on stderr: on a terminal a bar redrawn in place; elsewhere a line
 * when the count changes, at most every `everyMs`, and the last one.
 */
export function queueProgressLine(io: CliIo, everyMs = 2000) {
  const tty = io.stderr.isTTY === true;
  let last = 0;
  let shown = -1;
  return {
    update(p: QueueProgress): void {
      const finished = p.done + p.failed;
      if (tty) {
        const n = Math.round((finished / Math.max(1, p.total)) * BAR);
        io.stderr.write(`\r\x1b[2K[${'█'.repeat(n)}${'░'.repeat(BAR - n)}] ${progressText(p)}`);
      } else if (finished !== shown && (Date.now() - last >= everyMs || finished === p.total)) {
        io.stderr.write(`queue: ${progressText(p)}\n`);
        last = Date.now();
        shown = finished;
      }
    },
    done(): void {
      if (tty) io.stderr.write('\r\x1b[2K');
    },
  };
}
