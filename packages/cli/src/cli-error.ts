/**
 * A failure the CLI reports as one line (`gradscope: <message>`) with an exit code: 2 for a bad
 * command line (unknown flag, missing or malformed value), 1 for everything else.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A bad command line: exit code 2. */
export const usageError = (message: string): CliError => new CliError(message, 2);
