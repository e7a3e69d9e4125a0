import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
