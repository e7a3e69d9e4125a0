import { BadOptionError } from './errors.js';
import type { Method, OptionSpec, OptionValues } from './method.js';

function checkOption(methodId: string, name: string, spec: OptionSpec, v: unknown): number | boolean | string {
  const bad = (msg: string) => new BadOptionError(methodId, name, msg);
  switch (spec.type) {
    case 'boolean':
      if (typeof v !== 'boolean') throw bad(`expected true or false, got ${JSON.stringify(v)}`);
      return v;
    case 'enum':
      if (typeof v !== 'string' || !spec.values.includes(v))
        throw bad(`expected one of ${spec.values.join(', ')}, got ${JSON.stringify(v)}`);
      return v;
    case 'number':
    case 'integer': {
      const words = spec.type === 'number' ? (spec.words ?? []) : [];
      if (typeof v === 'string' && words.includes(v)) return v;
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw bad(`expected a number${words.map((w) => ` or ${w}`).join('')}, got ${JSON.stringify(v)}`);
      if (spec.type === 'integer' && !Number.isInteger(v)) throw bad(`expected an integer, got ${v}`);
      if (spec.min !== undefined && v < spec.min) throw bad(`${v} is below the minimum ${spec.min}`);
      if (spec.max !== undefined && v > spec.max) throw bad(`${v} is above the maximum ${spec.max}`);
      return v;
    }
  }
}

/** Fills defaults and validates given options against a method's (or a metric's) declarations. */
export function resolveOptions<O extends OptionValues>(
  method: Pick<Method<O>, 'id' | 'options'>,
  given: Readonly<Record<string, unknown>> = {},
): O {
  const out: Record<string, number | boolean | string> = {};
  for (const k of Object.keys(given)) {
    if (!(k in method.options))
      throw new BadOptionError(
        method.id,
        k,
        `unknown option; declared: ${Object.keys(method.options).join(', ') || 'none'}`,
      );
  }
  for (const [k, spec] of Object.entries(method.options) as [string, OptionSpec][]) {
    out[k] = given[k] === undefined ? spec.default : checkOption(method.id, k, spec, given[k]);
  }
  return out as O;
}
