/** Where the CLI writes and what it knows about its environment; injected so tests need no process. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  /** Environment variables (`GRADSCOPE_DEBUG=1` prints stacks); default none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are resolved against; default `process.cwd()`. */
  readonly cwd?: string;
}

/**
 * The directory the user typed the command in. `pnpm gradscope …` (the repository's root script)
 * runs with the repository root as working directory and records the user's directory in `INIT_CWD`
 * (npm does the same), so relative inputs, `--model` and `--out` are resolved against that; any
 * other invocation uses `cwd` (a user's own package script keeps its package directory).
 */
export function invocationDir(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  return env['npm_lifecycle_event'] === 'gradscope' && env['INIT_CWD'] ? env['INIT_CWD'] : cwd;
}

/** The real process's streams, environment and working directory (see `invocationDir`). */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: invocationDir(process.env, process.cwd()),
  };
}
