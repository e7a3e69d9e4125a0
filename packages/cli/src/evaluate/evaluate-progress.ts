import type { CliIo } from '../cli-io.js';

const BAR = 24;

/** `mm:ss` (or `h:mm:ss`). */
export function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const [h, m, r] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${two(m)}:${two(r)}` : `${two(m)}:${two(r)}`;
}

/**
 * Progress of an evaluation on stderr, counted in images: `done` of `total` (images finished in an
 * earlier run count as done, but not in the rate). On a terminal a bar redrawn in place with the
 * rate and ETA; elsewhere one line every `every` images and at the end.
 */
export function evaluateProgress(io: CliIo, total: number, already: number, every = 25) {
  const tty = io.stderr.isTTY === true;
  const t0 = performance.now();
  let done = already;
  const line = () => {
    const s = (performance.now() - t0) / 1000;
    const rate = (done - already) / s;
    const eta = rate > 0 ? (total - done) / rate : Infinity;
    return `${done}/${total} images  ${rate.toFixed(2)} img/s  ETA ${clock(eta)}`;
  };
  return {
    /** One more image finished. */
    image(): void {
      done++;
      if (tty) {
        const n = Math.round((done / Math.max(1, total)) * BAR);
        io.stderr.write(`\r\x1b[2K[${'█'.repeat(n)}${'░'.repeat(BAR - n)}] ${line()}`);
      } else if ((done - already) % every === 0 || done === total) io.stderr.write(`evaluate: ${line()}\n`);
    },
    done(): void {
      if (tty) io.stderr.write('\r\x1b[2K');
    },
  };
}
