// The child process of the fuzzer: runs gradscope commands in-process on the files the parent wrote,
// one case at a time, and reports each command's exit code, first stderr line and whether an
// explain that succeeded wrote only finite numbers. Started with a heap limit; the parent kills it
// on a timeout.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeNpy, firstNonFinite } from '@gradscope/core';
import { defaultWiring, main, type CliIo, type Wiring } from '@gradscope/cli';

export interface CaseRequest {
  readonly dir: string;
  readonly commands: readonly (readonly string[])[];
}

export interface CommandResult {
  readonly exit: number;
  readonly line: string;
  /** Set when an explain exited 0 but wrote a non-finite number (file and index). */
  readonly nonFinite?: string;
}

/** Non-finite values in what an explain wrote to `out`: the first file and index, or undefined. */
function nonFiniteOutput(out: string): string | undefined {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
    );
  for (const f of walk(out)) {
    if (f.endsWith('.npy')) {
      const i = firstNonFinite(decodeNpy(new Uint8Array(readFileSync(f))).data);
      if (i >= 0) return `${f} at ${i}`;
    }
    if (f.endsWith('result.json')) {
      const top = (JSON.parse(readFileSync(f, 'utf8')) as { top5?: { probability: number; logit: number }[] }).top5;
      if (top?.some((t) => !Number.isFinite(t.probability) || !Number.isFinite(t.logit))) return `${f} top5`;
    }
  }
  return undefined;
}

async function runCase(w: Wiring, req: CaseRequest): Promise<CommandResult[]> {
  const results: CommandResult[] = [];
  for (const args of req.commands) {
    const err: string[] = [];
    const io: CliIo = {
      stdout: { write: () => true },
      stderr: { write: (s: string) => err.push(s) },
      env: {},
      cwd: req.dir,
    };
    const exit = await main(args, io, w);
    const line = err.join('').split('\n', 1)[0] ?? '';
    const outAt = args.indexOf('--out');
    const nonFinite = exit === 0 && outAt >= 0 ? nonFiniteOutput(join(req.dir, args[outAt + 1]!)) : undefined;
    results.push(nonFinite ? { exit, line, nonFinite } : { exit, line });
  }
  return results;
}

const wiring = await defaultWiring();
process.on('message', (req: CaseRequest) => {
  runCase(wiring, req).then(
    (results) => process.send!({ results, rss: process.memoryUsage().rss }),
    (e: unknown) => process.send!({ crash: String((e as Error)?.stack ?? e) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
