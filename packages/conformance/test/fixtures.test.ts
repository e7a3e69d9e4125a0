import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  argmax,
  channelMeans,
  minMaxScale,
  relu,
  resizeBilinear,
  resolveTarget,
  weightedChannelSum,
  type Tensor,
} from '@gradscope/core';
import { closeness, FIXTURE_NAMES, fixturePath, mismatch, openFixture } from '../src/index.js';

// Python-free checks that each committed fixture is complete and self-consistent, recomputing what
// can be recomputed with core's plain-array ops (PARITY steps 3–6, target seeds, classic CAM).
for (const name of FIXTURE_NAMES) {
  const fx = openFixture(name);
  const m = fx.manifest;
  const [H, W] = [m.input.height, m.input.width];
  const a = (p: string) => fx.array(p);
  const plane = (t: Tensor) => ({ C: t.shape[1]!, h: t.shape[2]!, w: t.shape[3]! });
  const pooled = m.head.featureLayer;

  /** PARITY steps 4–5 with core's ops: ReLU, min-max, bilinear half-pixel resize. */
  const scaleCam = (raw: Float32Array, h: number, w: number) => resizeBilinear(minMaxScale(relu(raw)), h, w, H, W);
  /** PARITY step 6, for one layer as for several: ReLU, mean over layers, min-max again. */
  const aggregate = (maps: readonly Float32Array[]) => {
    const mean = new Float32Array(H * W);
    for (const mp of maps) for (let i = 0; i < mean.length; i++) mean[i] = mean[i]! + Math.max(mp[i]!, 0) / maps.length;
    return minMaxScale(mean);
  };

  describe(`${name} fixture files`, () => {
    it('ships the manifest, both model formats and the sidecar', () => {
      for (const f of [
        'manifest.json',
        'model.onnx',
        'tfjs/model.json',
        'tfjs/weights.bin',
        'tfjs/model.gradscope.json',
      ]) {
        expect(existsSync(join(fx.dir, f)), f).toBe(true);
      }
      expect(existsSync(join(fx.dir, 'tfjs/gradscope.json')), 'the sidecar under its old name').toBe(false);
      expect(fixturePath(name, 'onnx')).toBe(join(fx.dir, 'model.onnx'));
      expect(fixturePath(name, 'tfjs')).toBe(join(fx.dir, 'tfjs', 'model.json'));
    });

    it('decodes every listed array to its listed shape, finite', () => {
      const files = Object.entries(m.files);
      expect(files.length).toBeGreaterThan(100);
      for (const [p, shape] of files) {
        const t = a(p);
        expect(t.shape, p).toEqual(shape);
        expect(t.data.every(Number.isFinite), p).toBe(true);
      }
    });

    it('lists every array the manifest refers to', () => {
      const refs = [
        m.head.weights,
        m.batch.input,
        m.batch.logits,
        ...Object.values(m.inputs).flatMap((i) => [
          i.input,
          i.logits,
          ...Object.values(i.activations),
          ...Object.values(i.runFromLayerZero4),
        ]),
        ...m.captures.flatMap((c) => [c.seed, ...Object.values(c.gradients), ...Object.values(c.inputGradient)]),
        ...m.methods.flatMap((c) => [c.map, c.raw]).filter((p): p is string => p !== null),
      ];
      for (const r of refs) expect(m.files[r], r).toBeDefined();
    });

    it('has the documented shapes', () => {
      for (const [id, inp] of Object.entries(m.inputs)) {
        expect(a(inp.input).shape, id).toEqual([1, 3, H, W]);
        expect(a(inp.logits).shape).toEqual([1, m.numClasses]);
        for (const l of m.goldenLayers) expect(a(inp.activations[l]!).shape).toEqual(m.layerShapes[l]);
      }
      for (const c of m.captures) {
        expect(a(c.seed).shape).toEqual([m.numClasses]);
        for (const l of m.goldenLayers) expect(a(c.gradients[l]!).shape).toEqual(m.layerShapes[l]);
        for (const p of Object.values(c.inputGradient)) expect(a(p).shape).toEqual([1, 3, H, W]);
      }
      for (const c of m.methods) {
        if (c.map) expect(a(c.map).shape, c.map).toEqual([H, W]);
        if (c.raw && c.layers.length === 1 && !['guided-gradcam'].includes(c.method)) {
          expect(a(c.raw).shape, c.raw).toEqual(m.layerShapes[c.layers[0]!]!.slice(2));
        }
      }
      expect(a(m.batch.input).shape).toEqual([m.batch.inputs.length, 3, H, W]);
    });

    // 1.1 MB before issue 9, whose input-space goldens (occlusion, RISE, IG rules, SmoothGrad, …) add ~190 kB;
    // shapley-cam and fullgrad (issue 8: incl. ONNX's folded-BN variants) add ~48 kB to tiny-cnn
    it('keeps the committed fixture small (< 1.35 MB)', () => {
      let bytes = statSync(join(fx.dir, 'manifest.json')).size + statSync(fixturePath(name, 'onnx')).size;
      bytes += statSync(join(fx.dir, 'tfjs/weights.bin')).size + statSync(fixturePath(name, 'tfjs')).size;
      for (const p of Object.keys(m.files)) bytes += statSync(join(fx.dir, p)).size;
      expect(bytes).toBeLessThan(1.35e6);
    });
  });

  describe(`${name} tfjs and ONNX copies`, () => {
    const json = JSON.parse(readFileSync(fixturePath(name, 'tfjs'), 'utf8'));
    const tfLayers: { config: { name: string } }[] = json.modelTopology.config.layers;

    it('the tfjs model has every mapped layer and a weights.bin of the declared size', () => {
      const names = new Set(tfLayers.map((l) => l.config.name));
      for (const l of Object.values(m.layers)) expect(names.has(l.tfjs), l.tfjs).toBe(true);
      const specs: { shape: number[]; dtype: string }[] = json.weightsManifest[0].weights;
      const floats = specs.reduce((s, w) => s + w.shape.reduce((x, y) => x * y, 1), 0);
      expect(statSync(join(fx.dir, 'tfjs/weights.bin')).size).toBe(floats * 4);
    });

    it('the tfjs dense kernel is the torch fc weight transposed', () => {
      const specs: { name: string; shape: number[] }[] = json.weightsManifest[0].weights;
      const bin = readFileSync(join(fx.dir, 'tfjs/weights.bin'));
      let off = 0;
      let kernel: Float32Array | undefined;
      for (const s of specs) {
        const n = s.shape.reduce((x, y) => x * y, 1);
        if (s.name === 'fc/kernel')
          kernel = new Float32Array(bin.buffer.slice(bin.byteOffset + off, bin.byteOffset + off + n * 4));
        off += n * 4;
      }
      const w = a(m.head.weights);
      const [K, C] = w.shape as [number, number];
      const t = new Float32Array(K * C);
      for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) t[c * K + k] = w.data[k * C + c]!;
      expect(kernel).toEqual(t);
    });

    // `<model>.gradscope.json` is what backend-tfjs and the CLI read next to model.json; both reject
    // `normalization: null` or a malformed inputSize (loading it is covered by backend-tfjs's run).
    it('the sidecar model.gradscope.json gives the input size, no normalization, and repeats the layer mapping', () => {
      const side = JSON.parse(readFileSync(join(fx.dir, 'tfjs/model.gradscope.json'), 'utf8'));
      expect(Object.keys(side).sort()).toEqual(['inputSize', 'source', 'torchToTfjsLayers']);
      expect(side.inputSize).toEqual({ height: H, width: W });
      for (const l of Object.values(m.layers)) expect(side.torchToTfjsLayers[l.torch]).toBe(l.tfjs);
    });

    it('the ONNX file names the mapped nodes and tensors', () => {
      const bytes = readFileSync(fixturePath(name, 'onnx')).toString('latin1');
      for (const l of Object.values(m.layers)) {
        if (!l.onnx) continue;
        expect(bytes.includes(l.onnx.node), l.onnx.node).toBe(true);
        expect(bytes.includes(l.onnx.output), l.onnx.output).toBe(true);
      }
    });
  });

  describe(`${name} goldens agree with core`, () => {
    it('top-1 classes are the argmax of the logits, and batch logits repeat the single ones', () => {
      const batch = a(m.batch.logits);
      m.batch.inputs.forEach((id, i) => {
        const y = a(m.inputs[id]!.logits);
        expect(argmax(y.data)).toBe(m.inputs[id]!.top1);
        expect(closeness(batch.data.subarray(i * m.numClasses, (i + 1) * m.numClasses), y.data).maxAbs).toBeLessThan(
          1e-5,
        );
      });
      expect(new Set(Object.values(m.inputs).map((i) => i.top1)).size).toBeGreaterThan(1);
      // the explicit class target differs from every top-1 class
      const cls = Object.values(m.targets).find((t) => t.kind === 'class' && t.index !== undefined) as {
        index: number;
      };
      expect(Object.values(m.inputs).map((i) => i.top1)).not.toContain(cls.index);
    });

    it("every capture's class, score and seed equal core's resolveTarget", () => {
      for (const c of m.captures) {
        const r = resolveTarget(fx.target(c.target), a(m.inputs[c.input]!.logits).data);
        expect(r.classIndex, `${c.input}/${c.target}`).toBe(c.classIndex);
        expect(Math.abs(r.score - c.score)).toBeLessThan(1e-6);
        expect(closeness(r.seed, a(c.seed).data).maxAbs).toBeLessThan(1e-7);
      }
    });

    it('Grad-CAM goldens follow PARITY with core ops (weights, weighted sum, ReLU, min-max, resize, final layer mean and min-max)', () => {
      const cases = m.methods.filter((c) => c.method === 'gradcam' && !c.options);
      expect(cases.length).toBeGreaterThanOrEqual(m.captures.length * 3);
      for (const c of cases) {
        const cap = fx.capture(c.input, c.target)!;
        const maps = c.layers.map((l) => {
          const act = a(m.inputs[c.input]!.activations[l]!);
          const { C, h, w } = plane(act);
          const raw = weightedChannelSum(act.data, channelMeans(a(cap.gradients[l]!).data, C));
          if (c.layers.length === 1)
            expect(mismatch({ data: raw, shape: [h, w] }, a(c.raw!), { relative: 1e-5 }, `${c.raw}`)).toBeNull();
          return scaleCam(raw, h, w);
        });
        const map = aggregate(maps);
        expect(
          mismatch({ data: map, shape: [H, W] }, a(c.map!), { maxAbs: 1e-5 }, `${c.map} (core resize vs cv2)`),
        ).toBeNull();
      }
    });

    it('classic CAM goldens are the dense weights of the class on the pooled layer', () => {
      const fc = a(m.head.weights);
      for (const c of m.methods.filter((k) => k.method === 'cam')) {
        const act = a(m.inputs[c.input]!.activations[m.head.featureLayer]!);
        const { C, h, w } = plane(act);
        const cls = fx.capture(c.input, c.target)!.classIndex!;
        const raw = weightedChannelSum(act.data, fc.data.subarray(cls * C, (cls + 1) * C));
        expect(mismatch({ data: raw, shape: [h, w] }, a(c.raw!), { relative: 1e-5 }, 'cam raw')).toBeNull();
        expect(
          mismatch({ data: aggregate([scaleCam(raw, h, w)]), shape: [H, W] }, a(c.map!), { maxAbs: 1e-5 }, 'cam map'),
        ).toBeNull();
      }
    });

    if (m.methods.some((k) => k.method === 'ablationcam'))
      it('Ablation-CAM goldens match the closed form of a GAP → dense head: w_c = W[class, c]·mean(A_c)/|s0|', () => {
        const fc = a(m.head.weights);
        // the closed form holds at the pooled layer, where gradscope's ablation value is 0 (ReLU output)
        const cases = m.methods.filter(
          (k) => k.method === 'ablationcam' && k.layers[0] === m.head.featureLayer && !k.options?.['pgcCompatible'],
        );
        expect(cases.length).toBeGreaterThan(0);
        for (const c of cases) {
          const act = a(m.inputs[c.input]!.activations[m.head.featureLayer]!);
          const { C } = plane(act);
          const cap = fx.capture(c.input, c.target)!;
          const means = channelMeans(act.data, C);
          const w = means.map((v, k) => (fc.data[cap.classIndex! * C + k]! * v) / Math.abs(cap.score));
          const raw = a(c.raw!);
          expect(
            mismatch(
              { data: weightedChannelSum(act.data, w), shape: raw.shape },
              raw,
              { relative: 1e-4 },
              'ablationcam raw',
            ),
          ).toBeNull();
        }
      });

    it('Guided Grad-CAM goldens are guided backprop times the Grad-CAM map, per channel', () => {
      for (const c of m.methods.filter((k) => k.method === 'guided-gradcam')) {
        const gb = a(fx.capture(c.input, c.target)!.inputGradient.guided!);
        const cam = a(
          m.methods.find(
            (k) =>
              k.method === 'gradcam' &&
              !k.options &&
              k.input === c.input &&
              k.target === c.target &&
              k.layers.join() === pooled,
          )!.map!,
        );
        const want = gb.data.map((v, i) => v * cam.data[i % (H * W)]!);
        expect(mismatch(a(c.raw!), { data: want, shape: gb.shape }, { maxAbs: 1e-7 }, 'guided-gradcam')).toBeNull();
      }
    });

    it('the counterfactual target negates the top-1 gradients exactly', () => {
      const top = fx.capture('x0', 'top1')!,
        cf = fx.capture('x0', 'counterfactual')!;
      for (const l of m.goldenLayers) {
        const g = a(top.gradients[l]!);
        expect(
          mismatch(a(cf.gradients[l]!), { data: g.data.map((v) => -v), shape: g.shape }, { maxAbs: 0 }, l),
        ).toBeNull();
      }
    });

    if (m.reluModes.includes('guided'))
      it('the ReLU modes give input gradients that the tolerances tell apart', () => {
        const tol = m.tolerances.gradients;
        for (const c of m.captures.filter((k) => k.inputGradient.guided)) {
          const [s, g, d] = (['standard', 'guided', 'deconvnet'] as const).map((k) => a(c.inputGradient[k]!));
          expect(mismatch(g!, s!, tol, 'guided vs standard')).not.toBeNull();
          expect(mismatch(d!, g!, tol, 'deconvnet vs guided')).not.toBeNull();
          expect(mismatch(d!, s!, tol, 'deconvnet vs standard')).not.toBeNull();
        }
      });

    // (scaled to [0, 1] before the 2–4× bilinear upsampling, so an isolated peak ends at ≥ 0.5625)
    it('CAM maps lie in [0, 1] and are not empty', () => {
      for (const c of m.methods.filter((k) => k.map)) {
        const t = a(c.map!);
        let lo = Infinity,
          hi = -Infinity;
        for (const v of t.data) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        expect(lo, c.map!).toBeGreaterThanOrEqual(0);
        expect(hi, c.map!).toBeGreaterThan(0.5);
        expect(hi, c.map!).toBeLessThanOrEqual(1);
      }
    });
  });
}
