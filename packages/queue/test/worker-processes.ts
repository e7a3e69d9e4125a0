import { spawn, type ChildProcess } from 'node:child_process';

const spawned = new Set<ChildProcess>();

/** SIGKILLs every process `spawnReady` started that is still running (for `afterAll`, so a failing test leaks none). */
export function killAll(): void {
  for (const p of spawned) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  spawned.clear();
}

/** Spawns `node <args>` and resolves once it prints `ready` on stdout or stderr (rejects if it exits first). */
export function spawnReady(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    spawned.add(p);
    let err = '';
    p.stderr!.on('data', (d: Buffer) => {
      err += d;
      if (d.toString().includes('ready')) resolve(p);
    });
    p.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(p);
    });
    p.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready: ${err}`)));
  });
}

/** Sends `signal` and waits for the exit; resolves to the exit code (null when killed by the signal). */
export function stop(p: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve(p.exitCode);
  return new Promise((resolve) => {
    p.once('exit', (code) => resolve(code));
    p.kill(signal);
  });
}
