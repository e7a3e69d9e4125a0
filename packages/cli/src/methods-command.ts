import { createGradscope, missingCapabilities, type OptionSpec } from '@gradscope/core';
import type { CliIo } from './cli-io.js';
import { HELP_FLAGS } from './common-flags.js';
import { formatHelp, parseFlags, type FlagSpecs } from './flags.js';
import { optionFlag } from './method-flags.js';
import type { Wiring } from './wiring.js';

const FLAGS: FlagSpecs = {
  json: { type: 'boolean', help: 'print JSON: [{id, title, space, usesLayers, requires, backends, options}]' },
  ...HELP_FLAGS,
};

export const methodsHelp = (): string =>
  formatHelp(
    ['gradscope methods [--json]'],
    'Lists the registered methods: what each computes, the backend capabilities it needs, which registered backends can run it (by their declared capabilities; `cam` also needs a conv → global-average-pooling → dense head in the model), and its options as flags.',
    FLAGS,
  );

/** `enum (a|b)`, `number or zero`, `integer`: what a flag takes, for the listing. */
const typeText = (o: OptionSpec): string =>
  o.type === 'enum'
    ? `enum (${o.values.join('|')})`
    : o.type === 'number' && o.words?.length
      ? `number or ${o.words.join('|')}`
      : o.type;

/** `gradscope methods`: returns the exit code. */
export async function methodsCommand(args: readonly string[], io: CliIo, w: Wiring): Promise<number> {
  const { values } = parseFlags('methods', args, FLAGS, 0);
  if (values.help) {
    io.stdout.write(methodsHelp());
    return 0;
  }
  const gs = createGradscope({ backends: w.backends, methods: w.methods });
  try {
    const backends = gs.backends();
    const rows = gs.methods().map((m) => ({
      id: m.id,
      title: m.title,
      description: m.description,
      space: m.space,
      usesLayers: m.usesLayers,
      requires: [...m.requires],
      backends: backends.filter((b) => missingCapabilities(m, b.capabilities).length === 0).map((b) => b.id),
      options: Object.entries(m.options).map(([name, s]) => ({
        flag: `--${optionFlag(m.id, name)}`,
        name,
        ...(s as OptionSpec),
      })),
    }));
    if (values.json) {
      io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    const out: string[] = [
      `${rows.length} registered methods; registered backends: ${backends.map((b) => b.id).join(', ') || 'none'}`,
    ];
    for (const r of rows) {
      out.push(
        '',
        `${r.id} — ${r.title} (${r.space === 'layer' ? 'map at a layer' : 'input-space attribution'}${r.usesLayers ? ', uses --layer' : ''})`,
      );
      out.push(`  ${r.description.split('\n', 1)[0]}`);
      out.push(`  needs:    ${r.requires.join(', ') || 'nothing'}`);
      out.push(`  backends: ${r.backends.join(', ') || 'none registered'}`);
      for (const o of r.options)
        out.push(`  ${o.flag}  ${typeText(o)}, default ${String(o.default)}: ${o.description}`);
    }
    io.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } finally {
    await gs.dispose();
  }
}
