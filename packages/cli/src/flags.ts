import { parseArgs } from 'node:util';
import { usageError } from './cli-error.js';

/** One command-line flag: its parseArgs type, a value placeholder and default for `--help`. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Placeholder shown in help, e.g. `<file>`. */
  readonly value?: string;
  /** Default shown in help (and applied by the command, not by the parser). */
  readonly default?: string;
  readonly help: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export interface ParsedLine {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * Parses `args` strictly with `node:util` parseArgs: unknown flags, missing values and (when
 * `maxPositionals` is 0) stray arguments throw; a flag given twice keeps the last value. Booleans
 * accept `--no-<name>`.
 */
export function parseFlags(
  command: string,
  args: readonly string[],
  specs: FlagSpecs,
  maxPositionals: number,
): ParsedLine {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, s] of Object.entries(specs))
    options[name] = s.short ? { type: s.type, short: s.short } : { type: s.type };
  // a string flag followed by a negative number (`--target -1`) takes it as its value
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1];
    if (
      a.startsWith('--') &&
      !a.includes('=') &&
      specs[a.slice(2)]?.type === 'string' &&
      next !== undefined &&
      /^-\d/.test(next)
    ) {
      joined.push(`${a}=${next}`);
      i++;
    } else joined.push(a);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: joined,
      options,
      strict: true,
      allowPositionals: maxPositionals > 0,
      allowNegative: true,
    });
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    const m = /'([^']+)'/.exec((e as Error).message);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && m)
      throw usageError(`unknown option '${m[1]}' for '${command}' (see 'gradscope ${command} --help')`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && m)
      throw usageError(`unexpected argument '${m[1]}': '${command}' takes no inputs`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && m) {
      const flag = m[1]!.split(' ')[0]!;
      throw usageError(
        specs[flag.replace(/^--/, '')]?.type === 'boolean' ? `${flag} takes no value` : `${flag} needs a value`,
      );
    }
    throw e;
  }
  if (parsed.positionals.length > maxPositionals)
    throw usageError(`'${command}' takes at most ${maxPositionals} argument(s), got ${parsed.positionals.length}`);
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
}

/** An aligned two-column table of flags and their help. */
export function flagTable(specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const left = `${s.short ? `-${s.short}, ` : '    '}--${name}${s.value ? ` ${s.value}` : ''}`;
    return [left, `${s.help}${s.default !== undefined ? ` (default: ${s.default})` : ''}`] as const;
  });
  const w = Math.min(34, Math.max(0, ...rows.map(([l]) => l.length)));
  return rows
    .map(([l, r]) => (l.length > w ? `  ${l}\n  ${' '.repeat(w)}  ${r}` : `  ${l.padEnd(w)}  ${r}`))
    .join('\n');
}

/** `--help` text: usage lines, a description, the flag table and free-form notes. */
export function formatHelp(usage: readonly string[], description: string, specs: FlagSpecs, notes = ''): string {
  return (
    [`Usage:\n${usage.map((u) => `  ${u}`).join('\n')}`, description, `Options:\n${flagTable(specs)}`, notes]
      .filter(Boolean)
      .join('\n\n') + '\n'
  );
}

/** A `--flag` value as a string (undefined when absent). */
export const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
