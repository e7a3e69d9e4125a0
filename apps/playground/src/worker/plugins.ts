import * as core from '@gradscope/core';
import * as methods from '@gradscope/methods';
import type { Method } from '@gradscope/core';

/** Whether `v` has the shape of a gradscope method (the same test as the CLI's `--plugin`). */
export function isMethod(v: unknown): v is Method<any> {
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

const shared: Record<string, Record<string, unknown>> = { '@gradscope/core': core, '@gradscope/methods': methods };
const shims = new Map<string, string>();

/** A module URL that re-exports the app's own copy of a gradscope package (plugins share it). */
function shimUrl(spec: string): string {
  let url = shims.get(spec);
  if (!url) {
    const names = Object.keys(shared[spec]!).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
    const code = `const m = globalThis.__gradscopeShared[${JSON.stringify(spec)}];\nexport const { ${names.join(', ')} } = m;\n`;
    url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    shims.set(spec, url);
  }
  return url;
}

/**
 * Evaluates a plugin module's source and returns its methods: every exported Method and Methods in
 * exported arrays, as the CLI's `--plugin` does. Imports of `@gradscope/core` and `@gradscope/methods`
 * resolve to the app's copies; any other import must be bundled into the plugin file.
 */
export async function pluginMethods(name: string, source: string): Promise<Method<any>[]> {
  (globalThis as { __gradscopeShared?: unknown }).__gradscopeShared = shared;
  const code = source.replace(
    /(from\s*|import\s*\(?\s*)(['"])(@gradscope\/(?:core|methods))\2/g,
    (_, kw: string, q: string, spec: string) => `${kw}${q}${shimUrl(spec)}${q}`,
  );
  const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  let mod: Record<string, unknown>;
  try {
    mod = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
  } catch (e) {
    throw new core.GradscopeError('bad-input', `cannot load plugin '${name}': ${(e as Error).message.split('\n')[0]}`);
  } finally {
    URL.revokeObjectURL(url);
  }
  const found = new Set<Method<any>>();
  for (const v of Object.values(mod)) for (const x of Array.isArray(v) ? v : [v]) if (isMethod(x)) found.add(x);
  if (!found.size)
    throw new core.GradscopeError(
      'bad-input',
      `plugin '${name}' exports no gradscope methods (objects made with defineMethod or camMethod)`,
    );
  return [...found];
}
