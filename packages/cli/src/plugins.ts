import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Method } from '@gradscope/core';
import type { Metric } from '@gradscope/metrics';
import { CliError, usageError } from './cli-error.js';

/** Whether `v` has the shape of a gradscope method (what `defineMethod` / `camMethod` return). */
function isMethod(v: unknown): v is Method<any> {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e['id'] === 'string' &&
    typeof e['explain'] === 'function' &&
    Array.isArray(e['requires']) &&
    typeof e['options'] === 'object' &&
    (e['space'] === 'layer' || e['space'] === 'input')
  );
}

/** Whether `v` has the shape of a gradscope metric (what `defineMetric` returns). */
function isMetric(v: unknown): v is Metric<any> {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e['id'] === 'string' &&
    typeof e['compute'] === 'function' &&
    Array.isArray(e['needs']) &&
    typeof e['options'] === 'object' &&
    (e['higherIsBetter'] === true || e['higherIsBetter'] === false || e['higherIsBetter'] === null)
  );
}

/** The module URL of `spec`: a path (relative to `cwd`) or a package name resolved from `cwd`. */
function moduleUrl(spec: string, cwd: string): string {
  if (spec.startsWith('.') || isAbsolute(spec)) return pathToFileURL(resolve(cwd, spec)).href;
  try {
    return pathToFileURL(createRequire(resolve(cwd, 'package.json')).resolve(spec)).href;
  } catch {
    throw new CliError(
      `cannot find plugin '${spec}' from ${cwd} (give a path like ./my-plugin.js, or install the package)`,
    );
  }
}

/** What `--plugin`s add: methods, and metrics for `evaluate` / `explain --metrics`. */
export interface PluginContents {
  readonly methods: Method<any>[];
  readonly metrics: Metric<any>[];
  /** The module URL of each plugin (worker threads load them again). */
  readonly urls: string[];
}

/**
 * Loads the methods and metrics of `--plugin <module>` flags: every exported Method or Metric, and
 * those in exported arrays (e.g. `export const methods = [...]`, or a default export). A module that
 * exports none, or fails to load, is a one-line error. `cwd` resolves paths and package names; a
 * `file:` URL is taken as is.
 */
export async function loadPlugins(specs: readonly string[], cwd: string): Promise<PluginContents> {
  const methods: Method<any>[] = [];
  const metrics: Metric<any>[] = [];
  const urls: string[] = [];
  for (const spec of specs) {
    const url = spec.startsWith('file:') ? spec : moduleUrl(spec, cwd);
    urls.push(url);
    let mod: Record<string, unknown>;
    try {
      mod = (await import(url)) as Record<string, unknown>;
    } catch (e) {
      throw new CliError(`cannot load plugin '${spec}': ${(e as Error).message.split('\n')[0]}`);
    }
    const found = new Set<Method<any>>();
    const foundMetrics = new Set<Metric<any>>();
    for (const v of Object.values(mod))
      for (const x of Array.isArray(v) ? v : [v]) {
        if (isMethod(x)) found.add(x);
        else if (isMetric(x)) foundMetrics.add(x);
      }
    if (!found.size && !foundMetrics.size)
      throw new CliError(
        `plugin '${spec}' exports no gradscope methods (objects made with defineMethod or camMethod) or metrics (defineMetric)`,
      );
    methods.push(...found);
    metrics.push(...foundMetrics);
  }
  return { methods, metrics, urls };
}

/** Splits `--plugin <module>` / `--plugin=<module>` (repeatable) out of a command line. */
export function takePluginFlags(args: readonly string[]): { plugins: string[]; rest: string[] } {
  const plugins: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--plugin') {
      const v = args[i + 1];
      if (v === undefined || v.startsWith('--'))
        throw usageError('--plugin needs a value (a module path or package name)');
      plugins.push(v);
      i++;
    } else if (a.startsWith('--plugin=')) plugins.push(a.slice('--plugin='.length));
    else rest.push(a);
  }
  return { plugins, rest };
}
