/**
 * The CLI itself, cold (`node dist/cli-cold.js <bin.js> <cli args…>`): runs the gradscope command
 * line in this fresh process exactly as `node bin.js <cli args…>` would, and at exit prints one JSON
 * line to stderr: the wall ms since the process started (node's boot included) and the peak RSS —
 * what `/usr/bin/time -v` reports for the command, without needing it.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [bin, ...args] = process.argv.slice(2);
if (!bin) {
  console.error('usage: node dist/cli-cold.js <cli bin.js> <args…>');
  process.exit(2);
}
process.argv = [process.argv[0]!, bin, ...args];
process.on('exit', () => {
  const line = { wallMs: performance.now(), peakRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stderr.write(`\n${JSON.stringify(line)}\n`);
});
await import(pathToFileURL(bin).href);
