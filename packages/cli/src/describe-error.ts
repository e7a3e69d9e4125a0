import { isGradscopeError } from '@gradscope/core';
import { CliError } from './cli-error.js';

/** The first line of a message, trimmed. */
const firstLine = (s: string): string => s.split('\n', 1)[0]!.trim();

/**
 * `code`: gradscope's error code, `cli` / `usage` for the CLI's own errors, `unexpected` otherwise.
 * Turns anything thrown into the one line the CLI prints and its exit code. gradscope's typed errors
 * and the CLI's own errors are shown as their message; `node:util` parseArgs errors become a usage
 * error (exit 2); anything else is shown as `<name>: <message>` with a hint to rerun with `--debug`.
 */
export function describeError(e: unknown): { message: string; exitCode: 1 | 2; expected: boolean; code: string } {
  if (e instanceof CliError)
    return {
      message: firstLine(e.message),
      exitCode: e.exitCode,
      expected: true,
      code: e.exitCode === 2 ? 'usage' : 'cli',
    };
  if (isGradscopeError(e)) return { message: firstLine(e.message), exitCode: 1, expected: true, code: e.code };
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS') && e instanceof Error) {
    const sentence = firstLine(e.message).split(/\.\s/, 1)[0]!.replace(/\.$/, '');
    return {
      message: sentence.charAt(0).toLowerCase() + sentence.slice(1),
      exitCode: 2,
      expected: true,
      code: 'usage',
    };
  }
  if (e instanceof Error) {
    const msg = firstLine(e.message) || '(no message)';
    const head = e.name && e.name !== 'Error' ? `${e.name}: ${msg}` : msg;
    return { message: `${head} (rerun with --debug for the stack)`, exitCode: 1, expected: false, code: 'unexpected' };
  }
  return {
    message: `${firstLine(String(e))} (rerun with --debug for the stack)`,
    exitCode: 1,
    expected: false,
    code: 'unexpected',
  };
}
