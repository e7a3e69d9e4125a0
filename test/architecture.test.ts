import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// STYLE principle 4, enforced: which packages each package's SOURCE may import at runtime.
// (`import type` is free: it leaves no runtime edge.)
const ROOT = resolve(import.meta.dirname, '..');
const RULES: Record<string, { allow: RegExp; why: string }> = {
  core: { allow: /^(tsyringe|reflect-metadata)$/, why: 'core knows no runtime and no other gradscope package' },
  methods: { allow: /^@gradscope\/core$/, why: 'methods depend on core only, never on a runtime' },
  render: { allow: /^node:/, why: 'render has no runtime dependencies' },
  'backend-tfjs': {
    allow: /^(@gradscope\/core|@tensorflow\/tfjs(-backend-(wasm|webgpu))?|node:.*)$/,
    why: 'a backend uses core and its runtime, never methods',
  },
  'backend-onnx': {
    allow: /^(@gradscope\/(core|onnx-proto)|node:.*)$/,
    why: 'the onnx backend takes its runtime injected and never imports methods',
  },
  'onnx-proto': {
    allow: /^(onnx-proto|protobufjs\/minimal\.js)$/,
    why: 'the ONNX protobuf wrapper knows no runtime and no other gradscope package',
  },
  'tfjs-to-onnx': {
    allow: /^(@gradscope\/(core|onnx-proto)|node:.*)$/,
    why: 'the converter reads tfjs artifacts without tfjs and writes ONNX without onnxruntime',
  },
  gain: {
    allow: /^(@gradscope\/core|@gradscope\/backend-tfjs(\/training)?|@tensorflow\/tfjs)$/,
    why: 'gain trains with core, backend-tfjs (and its training kernels) and @tensorflow/tfjs only',
  },
  image: {
    allow: /^(@gradscope\/core|pngjs|jpeg-js|node:.*)$/,
    why: 'image decoding depends on core only, never on a runtime',
  },
  metrics: {
    allow: /^@gradscope\/core$/,
    why: "metrics run on any backend through core's Model; they never import a runtime or a method",
  },
  queue: {
    allow: /^(@gradscope\/core|bullmq|ioredis|node:.*)$/,
    why: 'the queue moves JSON tasks and verifies files; what a task computes is injected by the CLI',
  },
  conformance: {
    allow: /^(@gradscope\/core|vitest|node:.*)$/,
    why: 'the suite takes the methods it checks as an argument',
  },
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Runtime import specifiers of a file: static imports/exports that are not `import type`, and dynamic imports. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^;=()]*?from\s+'([^']+)'/gm))
    if (!m[2]) out.push(m[3]!);
  for (const m of text.matchAll(/^\s*import\s+'([^']+)'/gm)) out.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) out.push(m[1]!);
  return out;
}

/** A package's `src/` as a graph: each file → the files it imports at runtime (relative imports only). */
function importGraph(src: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of sources(src).sort()) {
    const targets = runtimeImports(f)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => {
        const base = resolve(dirname(f), spec);
        return [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p));
      })
      .filter((p): p is string => p !== undefined && p.startsWith(src + sep));
    graph.set(f, [...new Set(targets)]);
  }
  return graph;
}

/**
 * Import cycles of `graph`, each as the files along it with the first repeated at the end
 * (`a → b → a`): one per back edge of a depth-first walk. At least one is listed whenever a cycle
 * exists (a cycle that re-enters already finished files may hide behind a listed one until that is fixed).
 */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (f: string) => {
    stack.push(f);
    for (const g of graph.get(f) ?? []) {
      const at = stack.indexOf(g);
      if (at >= 0) cycles.push([...stack.slice(at), g]);
      else if (!done.has(g)) visit(g);
    }
    stack.pop();
    done.add(f);
  };
  for (const f of graph.keys()) if (!done.has(f)) visit(f);
  return cycles;
}

describe('dependency direction (STYLE principle 4)', () => {
  for (const [pkg, rule] of Object.entries(RULES)) {
    it(`${pkg}: ${rule.why}`, () => {
      const bad: string[] = [];
      for (const f of sources(join(ROOT, 'packages', pkg, 'src'))) {
        for (const spec of runtimeImports(f))
          if (!spec.startsWith('.') && !rule.allow.test(spec))
            bad.push(`${f.slice(ROOT.length + 1)} imports '${spec}'`);
      }
      expect(bad).toEqual([]);
    });
  }

  it("render's browser entry reaches no Node built-in", () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of runtimeImports(file)) {
        expect(spec.startsWith('node:'), `${file} imports ${spec}`).toBe(false);
        if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      }
    };
    visit(join(ROOT, 'packages/render/src/index.ts'));
    expect(seen.size).toBeGreaterThan(5);
  });

  it('the import scanner sees runtime imports and skips type-only ones', () => {
    const f = join(ROOT, 'packages/backend-tfjs/src/use-tfjs-backend.ts');
    expect(runtimeImports(f)).toEqual(
      expect.arrayContaining(['@tensorflow/tfjs', '@gradscope/core', '@tensorflow/tfjs-backend-wasm']),
    );
    expect(runtimeImports(join(ROOT, 'packages/core/src/tokens.ts'))).toEqual([]);
  });
});

// STYLE: "no two files import each other". Counted edges are runtime ones: `import type` / `export
// type` statements are erased, so a cycle through them cannot change load order. An inline
// `import { type X }` still counts: under `verbatimModuleSyntax` it stays as `import {} from`.
describe('no import cycles in any package src/', () => {
  const packages = readdirSync(join(ROOT, 'packages')).filter((p) => existsSync(join(ROOT, 'packages', p, 'src')));

  for (const pkg of packages) {
    it(`${pkg}: src/ has no runtime import cycle`, () => {
      const src = join(ROOT, 'packages', pkg, 'src');
      const cycles = importCycles(importGraph(src)).map((c) => c.map((f) => f.slice(src.length + 1)).join(' → '));
      expect(cycles).toEqual([]);
    });
  }

  it('the cycle finder lists each cycle and ignores shared dependencies that are not cycles', () => {
    const g = new Map([
      ['a', ['b', 'd']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['d', 'e']],
    ]);
    expect(importCycles(g)).toEqual([
      ['a', 'b', 'c', 'a'],
      ['e', 'e'],
    ]);
    expect(
      importCycles(
        new Map([
          ['a', ['b']],
          ['b', []],
          ['c', ['a', 'b']],
        ]),
      ),
    ).toEqual([]);
  });

  it('the import graph follows relative runtime imports and skips type-only ones', () => {
    const src = join(ROOT, 'packages/backend-tfjs/src');
    const edges = (f: string) =>
      importGraph(src)
        .get(join(src, f))!
        .map((t) => t.slice(src.length + 1));
    // graph-model.ts imports graph-model-state.ts with `import type` only.
    expect(edges('graph/graph-model.ts')).toEqual(
      expect.arrayContaining(['graph/graph-model-capture.ts', 'capabilities.ts', 'spatial-of.ts']),
    );
    expect(edges('graph/graph-model.ts')).not.toContain('graph/graph-model-state.ts');
  });
});
