import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import { createOnnxBackend, type OrtRuntime } from '@gradscope/backend-onnx/node';
import { fixtureDir, fixturePath, type FixtureManifest } from '@gradscope/conformance';
import { decodeNpy, encodeNpy, type Tensor } from '@gradscope/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWiring, main, type Wiring } from '../src/index.js';
import { memoryIo } from './fake-wiring.js';

// `explain` reads the top-5 and the target from the logits of the methods' shared capture: on an
// ONNX model, Grad-CAM (or several methods side by side) costs ONE onnxruntime session and ONE run,
// no plain forward session (≈0.3 s and ≈260 MB of a ResNet-50 cold start).
const FIX = fixtureDir('tiny-cnn');
const manifest = JSON.parse(readFileSync(join(FIX, 'manifest.json'), 'utf8')) as FixtureManifest;
const npy = (file: string): Tensor => decodeNpy(new Uint8Array(readFileSync(file)));
const ort = ortNode as unknown as OrtRuntime;
let dir: string;
let base: Wiring;

/** onnxruntime with every session create and run counted. */
function countingOrt() {
  const counts = { created: 0, runs: 0 };
  const wrapped: OrtRuntime = {
    ...ort,
    Tensor: ort.Tensor,
    InferenceSession: {
      async create(bytes, opts) {
        const s = await ort.InferenceSession.create(bytes, opts);
        counts.created++;
        return {
          inputNames: s.inputNames,
          outputNames: s.outputNames,
          run: (f) => (counts.runs++, s.run(f)),
          release: () => s.release(),
        };
      },
    },
  };
  return { ort: wrapped, counts };
}

beforeAll(async () => {
  base = await defaultWiring();
  dir = mkdtempSync(join(tmpdir(), 'gradscope-cli-sessions-'));
  writeFileSync(join(dir, 'x0.npy'), encodeNpy(npy(join(FIX, 'inputs', 'x0.npy'))));
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

async function explain(methods: string, out: string) {
  const { ort: counted, counts } = countingOrt();
  const wiring: Wiring = { ...base, backends: [createOnnxBackend({ ort: counted })] };
  const m = memoryIo(dir);
  const args = ['explain', 'x0.npy', '--model', fixturePath('tiny-cnn', 'onnx'), '--method', methods, '--out', out];
  const code = await main(args, m.io, wiring);
  expect(code, m.stderr()).toBe(0);
  expect(m.stderr()).not.toMatch(/gradscope:/); // a long method's progress line is all it may print
  return { counts, res: JSON.parse(readFileSync(join(dir, out, 'result.json'), 'utf8')) };
}

/** top-5 agrees with PyTorch's logits of x0 (the fixture's golden) and its top-1. */
function expectTorchTop5(res: { top5: { index: number; logit: number }[] }) {
  const want = npy(join(FIX, manifest.inputs['x0']!.logits));
  expect(res.top5[0]!.index).toBe(manifest.inputs['x0']!.top1);
  const order = [...want.data.keys()].sort((a, b) => want.data[b]! - want.data[a]!);
  expect(res.top5.map((t) => t.index)).toEqual(order.slice(0, 5));
  for (const t of res.top5) expect(t.logit).toBeCloseTo(want.data[t.index]!, 4);
}

describe('gradscope explain on ONNX: no forward session of its own', () => {
  it('Grad-CAM: one session, one run; top-5 and target from that run', async () => {
    const { counts, res } = await explain('gradcam', 'one');
    expect(counts).toEqual({ created: 1, runs: 1 });
    expectTorchTop5(res);
    expect(res.forwardMs).toBe(0);
    expect(res.target.classIndex).toBe(res.methods[0].target.classIndex);
    expect(res.target.score).toBe(res.methods[0].target.score);
  });

  it('four methods side by side: still one session and one run', async () => {
    const { counts, res } = await explain('gradcam,guided-backprop,deconvnet,saliency', 'four');
    expect(counts).toEqual({ created: 1, runs: 1 });
    expectTorchTop5(res);
    for (const m of res.methods) expect(m.target.score).toBe(res.target.score);
  });

  it('a method that captures nothing (occlusion): the forward session gives the top-5', async () => {
    const { counts, res } = await explain('occlusion', 'occ');
    expect(counts.created).toBe(1);
    expectTorchTop5(res);
    expect(res.forwardMs).toBeGreaterThan(0);
  });
});
