import { usageError } from './cli-error.js';
import { processIo, type CliIo } from './cli-io.js';
import { describeError } from './describe-error.js';
import { loadPlugins, takePluginFlags, type PluginContents } from './plugins.js';
import { packageVersions } from './versions.js';
import type { Wiring } from './wiring.js';

/** The wiring with a plugin's methods and metrics added (their module URLs kept for worker threads). */
const withPlugins = (base: Wiring, p: PluginContents): Wiring => ({
  ...base,
  methods: [...base.methods, ...p.methods],
  metrics: [...(base.metrics ?? []), ...p.metrics],
  plugins: [...(base.plugins ?? []), ...p.urls],
});

type Command = (args: readonly string[], io: CliIo, w: Wiring) => Promise<number>;

/**
 * Each command's module is imported when that command runs: `explain` on an ONNX model should not
 * pay for `gain`'s tfjs (≈0.35 s of a 1.5 s cold start) or the queue's Redis client.
 */
const COMMANDS: Readonly<Record<string, { load: () => Promise<Command>; summary: string }>> = {
  explain: {
    load: async () => (await import('./explain-command.js')).explainCommand,
    summary: 'explain predictions for images or .npy tensors (--model required)',
  },
  evaluate: {
    load: async () => (await import('./evaluate/evaluate-command.js')).evaluateCommand,
    summary: 'score explanations over a folder or manifest of images with metrics (results.jsonl, report.html)',
  },
  layers: {
    load: async () => (await import('./layers-command.js')).layersCommand,
    summary: 'list the layers a CAM can use, marking the auto choice',
  },
  methods: {
    load: async () => (await import('./methods-command.js')).methodsCommand,
    summary: 'list the registered methods, their needs and the backends that run them',
  },
  demo: {
    load: async () => (await import('./demo-command.js')).demoCommand,
    summary: 'run every method on the built-in shapes model and its samples',
  },
  gain: {
    load: async () => (await import('./gain-command.js')).gainCommand,
    summary: 'GAIN: train a classifier so its Grad-CAM covers the object, or evaluate it',
  },
  worker: {
    load: async () => (await import('./queue/worker-command.js')).workerCommand,
    summary: 'run the jobs of `evaluate --queue` submissions from a Redis queue (BullMQ)',
  },
};

export const topHelp = (): string => `Usage: gradscope <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([n, c]) => `  ${n.padEnd(8)}  ${c.summary}`)
  .join('\n')}

Run 'gradscope <command> --help' for a command's options. Every command takes
--plugin <module> (repeatable): methods from a plugin package or file, e.g.
'gradscope explain cat.png --model m.onnx --plugin gradscope-plugin-normgrad --method gradcam,normgrad'.
Errors print one line ('gradscope: <reason>') and exit 1 (2 for a bad command line); --debug or
GRADSCOPE_DEBUG=1 also prints the stack.
`;

/**
 * Runs the gradscope command line `argv` (without `node` and the script) and resolves to the exit
 * code: 0 on success, 1 when the work failed, 2 for a bad command line. Never throws: errors are
 * printed to `io.stderr` as `gradscope: <one line>` (plus the stack with --debug / GRADSCOPE_DEBUG=1).
 * `wiring` defaults to the real packages (tfjs backend, built-in methods, render, shapes).
 */
export async function main(
  argv: readonly string[],
  io: CliIo = processIo(),
  wiring?: Wiring | (() => Promise<Wiring>),
): Promise<number> {
  const debug = argv.includes('--debug') || io.env?.GRADSCOPE_DEBUG === '1';
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') {
      (cmd === undefined ? io.stderr : io.stdout).write(topHelp());
      return cmd === undefined ? 2 : 0;
    }
    if (cmd === '--version' || cmd === '-v') {
      io.stdout.write(`${packageVersions()['@gradscope/cli'] ?? 'unknown'}\n`);
      return 0;
    }
    const command = COMMANDS[cmd];
    if (!command) throw usageError(`unknown command '${cmd}'; commands: ${Object.keys(COMMANDS).join(', ')}`);
    const { plugins, rest: args } = takePluginFlags(rest);
    const base =
      typeof wiring === 'function'
        ? await wiring()
        : (wiring ?? (await (await import('./default-wiring.js')).defaultWiring()));
    const w = plugins.length ? withPlugins(base, await loadPlugins(plugins, io.cwd ?? process.cwd())) : base;
    const run = await command.load();
    return await run(args, io, w);
  } catch (e) {
    const d = describeError(e);
    io.stderr.write(`gradscope: ${d.message}\n`);
    if (debug) io.stderr.write(`error code: ${d.code}\n`);
    if (debug && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
    return d.exitCode;
  }
}
