/**
 * Browser parity: Grad-CAM and guided backprop computed by the tfjs backend on WebGL (and WebGPU) in
 * headless Chromium equal PyTorch's, for the conformance fixtures `tiny-cnn` (MaxPool, BatchNorm, a
 * residual block, a stride-2 conv) and `tiny-mobile` (ReLU6, depthwise convs, inverted residual).
 * The torch goldens come from packages/conformance/scripts/make-fixtures.py; the Node/wasm tests
 * compare with the same goldens, so passing here means WebGL/WebGPU agree with Node/wasm too.
 * Fixtures are fetched over HTTP: vitest.browser.config.ts serves packages/conformance/fixtures at `/`.
 */
import * as tf from '@tensorflow/tfjs';
import {
  createGradscope,
  decodeNpy,
  nchwToNhwc,
  nhwcToNchw,
  type Model,
  type Target,
  type Tensor,
} from '@gradscope/core';
import { tfjsBackend, useTfjsBackend } from '@gradscope/backend-tfjs';
import { builtinMethods } from '@gradscope/methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FIXTURES = ['tiny-cnn', 'tiny-mobile'] as const;
const RUNTIMES = ['webgl', 'webgpu'] as const;
/** Max |Δ| allowed on the [0, 1] CAM map (WebGL and WebGPU compute in float32 on SwiftShader). */
const CAM_MAP_TOLERANCE = 1e-4;

interface Manifest {
  readonly formats: { readonly tfjs: string };
  readonly layers: Record<string, { readonly tfjs: string }>;
  readonly targets: Record<string, Target>;
  readonly inputs: Record<string, { readonly input: string; readonly logits: string }>;
  readonly methods: readonly {
    readonly method: string;
    readonly input: string;
    readonly target: string;
    readonly layers: readonly string[];
    readonly map: string | null;
    readonly raw: string | null;
    readonly options?: Record<string, unknown>;
  }[];
  readonly tolerances: {
    readonly logits: { readonly maxAbs: number };
    readonly gradients: { readonly relative: number; readonly cosine: number };
    readonly camMap: { readonly maxAbs: number };
    readonly camRaw: { readonly relative: number; readonly cosine: number };
  };
}

async function fetchOk(url: string): Promise<Response> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`GET ${url}: HTTP ${r.status}`);
  return r;
}
const npyAt = async (url: string): Promise<Tensor> =>
  decodeNpy(new Uint8Array(await (await fetchOk(url)).arrayBuffer()));

function maxAbsDiff(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}
const maxAbs = (a: Tensor) => a.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
function cosine(a: Tensor, b: Tensor): number {
  let ab = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < a.data.length; i++) {
    ab += a.data[i]! * b.data[i]!;
    aa += a.data[i]! ** 2;
    bb += b.data[i]! ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}
/** `max|a − b| / max|b|`: the error relative to the reference's scale. */
const relative = (a: Tensor, b: Tensor) => maxAbsDiff(a, b) / maxAbs(b);

/** Worst errors seen per backend and quantity, printed after each suite (the report's numbers). */
const worst = new Map<string, number>();
const note = (key: string, v: number) => worst.set(key, Math.max(worst.get(key) ?? 0, v));

type Case = Manifest['methods'][number];
const caseName = (c: Case) =>
  `${c.method} ${c.input} ${c.target}${c.layers.length ? ` @ ${c.layers.join('+')}` : ''}${c.options ? ` ${JSON.stringify(c.options)}` : ''}`;

for (const fixture of FIXTURES) {
  const base = `/${fixture}/`;
  const npy = (path: string) => npyAt(base + path);
  const manifest: Manifest = await (await fetchOk(`${base}manifest.json`)).json();
  const inputs = new Map<string, Tensor>();
  for (const [id, spec] of Object.entries(manifest.inputs)) inputs.set(id, nchwToNhwc(await npy(spec.input)));
  // Grad-CAM (every target and layer combination of the fixture) and guided backprop.
  const cases = manifest.methods.filter((c) => c.method === 'gradcam' || c.method === 'guided-backprop');

  it(`${fixture}: has Grad-CAM maps and guided-backprop gradients among its goldens`, () => {
    expect(cases.filter((c) => c.method === 'gradcam' && c.map).length).toBeGreaterThanOrEqual(3);
    expect(cases.filter((c) => c.method === 'guided-backprop' && c.raw).length).toBeGreaterThanOrEqual(1);
  });

  for (const runtime of RUNTIMES) {
    describe(`${fixture} on tfjs ${runtime} in Chromium matches PyTorch`, () => {
      const gs = createGradscope({ methods: builtinMethods });
      const key = `${fixture} ${runtime}`;
      let model: Model;

      beforeAll(async () => {
        await useTfjsBackend(runtime);
        expect(tf.getBackend()).toBe(runtime);
        model = await tfjsBackend.load(new URL(base + manifest.formats.tfjs, location.href));
      });

      afterAll(async () => {
        await model?.dispose();
        await gs.dispose();
        console.log(
          `${key}: worst errors vs torch ${JSON.stringify(Object.fromEntries([...worst].filter(([k]) => k.startsWith(key))))}`,
        );
      });

      it('computes the logits on the requested backend', async () => {
        for (const [id, spec] of Object.entries(manifest.inputs)) {
          const logits = await model.forward(inputs.get(id)!);
          const err = maxAbsDiff(logits, await npy(spec.logits));
          note(`${key} logits maxAbs`, err);
          expect(err).toBeLessThanOrEqual(manifest.tolerances.logits.maxAbs);
        }
        // tfjs falls back to cpu silently when a backend fails to initialise.
        expect(tf.getBackend()).toBe(runtime);
      });

      it.each(cases.map((k) => [caseName(k), k] as const))('%s', async (_name, k) => {
        const layer = k.layers.map((l) => manifest.layers[l]!.tfjs);
        const e = await gs.explain(model, inputs.get(k.input)!, {
          method: k.method,
          target: manifest.targets[k.target]!,
          ...(layer.length ? { layer } : {}),
          ...(k.options ? { options: k.options } : {}),
        });
        expect(tf.getBackend()).toBe(runtime);
        if (k.map) {
          const err = maxAbsDiff(e.map, await npy(k.map));
          note(`${key} ${k.method} map maxAbs`, err);
          expect(err).toBeLessThanOrEqual(Math.min(CAM_MAP_TOLERANCE, manifest.tolerances.camMap.maxAbs));
        }
        if (k.raw) {
          const want = await npy(k.raw);
          const got = e.space === 'input' ? nhwcToNchw(e.raw) : e.raw;
          const tol = e.space === 'input' ? manifest.tolerances.gradients : manifest.tolerances.camRaw;
          const rel = relative(got, want);
          note(`${key} ${k.method} raw relative`, rel);
          expect(rel).toBeLessThanOrEqual(tol.relative);
          expect(cosine(got, want)).toBeGreaterThanOrEqual(tol.cosine);
        }
      });
    });
  }
}
