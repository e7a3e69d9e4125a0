import { resolveOptions, type Method, type OptionSpec } from '@gradscope/core';
import { usageError } from './cli-error.js';
import type { FlagSpecs, FlagSpec } from './flags.js';

/** The flag of a method option: `--<method-id>.<option in kebab-case>` (`--scorecam.top-k` for option `topK` of `scorecam`). */
export const optionFlag = (methodId: string, option: string): string =>
  `${methodId}.${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function describe(spec: OptionSpec): Pick<FlagSpec, 'value' | 'default'> {
  switch (spec.type) {
    case 'boolean':
      return { default: String(spec.default) };
    case 'enum':
      return { value: `<${spec.values.join('|')}>`, default: spec.default };
    default: {
      const range =
        spec.min !== undefined || spec.max !== undefined ? ` in [${spec.min ?? '-∞'}, ${spec.max ?? '∞'}]` : '';
      const words = spec.type === 'number' ? (spec.words ?? []).map((w) => `|${w}`).join('') : '';
      return { value: `<${spec.type}${range}${words}>`, default: String(spec.default) };
    }
  }
}

/**
 * One flag per declared option of every method, generated from the declarations so flags cannot
 * drift from the methods: booleans are switches (`--no-<flag>` turns them off), the rest take a value.
 */
export function methodFlags(methods: readonly Method[]): FlagSpecs {
  const out: Record<string, FlagSpec> = {};
  for (const m of methods) {
    for (const [name, spec] of Object.entries(m.options) as [string, OptionSpec][]) {
      out[optionFlag(m.id, name)] = {
        type: spec.type === 'boolean' ? 'boolean' : 'string',
        help: spec.description,
        ...describe(spec),
      };
    }
  }
  return out;
}

/** A number flag's value: a finite number, or one of the option's declared words (`zero`) as given. */
function parseNumberOption(flag: string, spec: OptionSpec & { type: 'number' | 'integer' }, v: string | boolean) {
  const words = spec.type === 'number' ? (spec.words ?? []) : [];
  if (typeof v === 'string' && words.includes(v.trim())) return v.trim();
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n))
    throw usageError(`--${flag} expects a number${words.map((w) => ` or '${w}'`).join('')}, got '${String(v)}'`);
  return n;
}

/**
 * Reads the method-option flags for the selected methods and validates them with core's
 * `resolveOptions` (defaults filled, ranges and enum values checked) before any work is done.
 * A flag for a method that is not selected is a usage error.
 */
export function methodOptionsFromFlags(
  values: Readonly<Record<string, string | boolean | undefined>>,
  methods: readonly Method[],
  selected: readonly Method[],
): Map<string, Record<string, number | boolean | string>> {
  const chosen = new Set(selected.map((m) => m.id));
  const given = new Map<string, Record<string, unknown>>();
  for (const m of methods) {
    for (const [name, spec] of Object.entries(m.options) as [string, OptionSpec][]) {
      const flag = optionFlag(m.id, name);
      const v = values[flag];
      if (v === undefined) continue;
      if (!chosen.has(m.id))
        throw usageError(
          `--${flag} was given but method '${m.id}' is not selected (--method ${[...chosen].join(',') || 'none'})`,
        );
      const parsed = spec.type === 'number' || spec.type === 'integer' ? parseNumberOption(flag, spec, v) : v;
      given.set(m.id, { ...given.get(m.id), [name]: parsed });
    }
  }
  return new Map(
    selected.map((m) => [m.id, resolveOptions(m, given.get(m.id) ?? {}) as Record<string, number | boolean | string>]),
  );
}
