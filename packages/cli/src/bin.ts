#!/usr/bin/env node
import { rmSync } from 'node:fs';
import { main } from './main.js';
import { activeStagingDirs } from './staged-dir.js';

// Ctrl-C mid-run: remove the half-written staging folder (the target folder is untouched), exit 128+n.
// `gradscope worker` handles the signals itself: it finishes its running jobs, then exits.
const graceful = process.argv[2] === 'worker';
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  if (!graceful)
    process.once(signal, () => {
      for (const d of activeStagingDirs()) rmSync(d, { recursive: true, force: true });
      process.stderr.write(`\ngradscope: interrupted (${signal})\n`);
      process.exit(code);
    });
}

process.exitCode = await main(process.argv.slice(2));
