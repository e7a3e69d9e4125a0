import type { CliIo } from './cli-io.js';

/** A one-line `[k/n] what` status on stderr, redrawn in place; silent unless stderr is a terminal. */
export function createProgress(io: CliIo, total: number) {
  const on = io.stderr.isTTY === true;
  let k = 0;
  return {
    step(what: string): void {
      k++;
      if (on) io.stderr.write(`\r\x1b[2K[${k}/${total}] ${what}`);
    },
    done(): void {
      if (on) io.stderr.write('\r\x1b[2K');
    },
  };
}
