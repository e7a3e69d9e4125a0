import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  autoLayer,
  CAPABILITIES,
  createGradscope,
  isGradscopeError,
  toChannelsFirst,
  type CaptureRequest,
  type LayerHook,
  type Model,
  type Target,
  type Tensor,
} from '@gradscope/core';
import { mismatch } from './compare.js';
import { backendLayerNames, layerName, layerNamesOf } from './layer-names.js';
import { FIXTURE_NAMES, openFixture, type Fixture } from './open-fixture.js';
import { PER_MODEL_CAPABILITIES } from './per-model-capabilities.js';
import { probeMethod } from './probe-method.js';
import { errorOf, resolveSetup, type BackendSetup, type SetupInput, type SuiteOptions } from './setup.js';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Batch item `i` of a tensor, keeping a batch axis of 1. */
function item(t: Tensor, i: number): Tensor {
  const n = t.data.length / t.shape[0]!;
  return { data: t.data.subarray(i * n, (i + 1) * n), shape: [1, ...t.shape.slice(1)] };
}

/**
 * The backend conformance suite, run against each fixture (default: all of `FIXTURE_NAMES`) and
 * its PyTorch goldens.
 * Which tests exist depends only on `setup.backend.capabilities`: each declared capability is
 * exercised against the goldens, each undeclared one must be refused by core's `explain`
 * (MissingCapabilityError). The model's capabilities must be the backend's, less at most
 * per-model ones (`PER_MODEL_CAPABILITIES`); checks of those are gated on the model's own set.
 * Always checked: metadata, forward logits, target resolution, BadTargetError, repeatable captures
 * that release resources, and `dispose`.
 */
export function describeBackend(name: string, setup: SetupInput, options: SuiteOptions = {}): void {
  const s = resolveSetup(setup);
  for (const f of options.fixtures ?? FIXTURE_NAMES) describeOn(name, s, openFixture(f));
}

function describeOn(name: string, s: BackendSetup, fx: Fixture): void {
  const caps = s.backend.capabilities;
  const m = fx.manifest;
  const tol = m.tolerances;

  describe(`conformance: backend '${name}' on ${fx.name}`, () => {
    let model: Model;
    let names: Map<string, string>;
    const L = (logical: string) => layerName(names, logical, model);
    const x = (id: string) => fx.input(id, model.input.layout);
    const capture = async (
      id: string,
      req: Partial<CaptureRequest> & Pick<CaptureRequest, 'targets'>,
    ): Promise<LayerHook> => model.capture(x(id), { layers: [], gradients: false, inputGradient: false, ...req });
    const expectBadTarget = async (f: () => unknown, what: string) => {
      const e = await errorOf(f);
      expect(isGradscopeError(e, 'bad-target'), `${what}: expected BadTargetError, got ${String(e)}`).toBe(true);
    };

    beforeAll(async () => {
      model = await s.loadFixture(fx.name);
      names = backendLayerNames(m, model);
    });
    afterAll(async () => {
      await model?.dispose();
    });

    it("identifies itself and declares known capabilities: the model's are the backend's, less at most per-model ones", () => {
      expect(s.backend.id).toMatch(KEBAB);
      expect(model.backend).toBe(s.backend.id);
      for (const c of caps) expect(CAPABILITIES).toContain(c);
      const extra = [...model.capabilities].filter((c) => !caps.has(c));
      expect(extra, 'capabilities the model declares but the backend does not').toEqual([]);
      const dropped = [...caps].filter((c) => !model.capabilities.has(c) && !PER_MODEL_CAPABILITIES.includes(c));
      expect(dropped, 'backend-wide capabilities the model lacks').toEqual([]);
    });

    it('describes the input, the classes and the golden layers (channels-first spatial info)', () => {
      const { input } = model;
      expect(['NCHW', 'NHWC']).toContain(input.layout);
      expect([input.height, input.width, input.channels]).toEqual([m.input.height, m.input.width, m.input.channels]);
      const { channels: C, height: Hh, width: Ww } = m.input;
      const want = input.layout === 'NCHW' ? [C, Hh, Ww] : [Hh, Ww, C];
      expect(input.shape.slice(1)).toEqual(want);
      expect([-1, 1]).toContain(input.shape[0]);
      expect(model.numClasses).toBe(m.numClasses);
      for (const logical of m.goldenLayers) {
        const info = model.layers.find((l) => l.name === L(logical))!;
        const [, C, h, w] = m.layerShapes[logical]!;
        expect(info.spatial, logical).toEqual({ height: h, width: w, channels: C });
        expect(
          info.outputShape.slice(1).reduce((a, b) => a * b, 1),
          logical,
        ).toBe(C! * h! * w!);
      }
      expect(layerNamesOf(m, m.head.featureLayer), 'auto layer').toContain(autoLayer(model.layers)?.name);
    });

    for (const id of Object.keys(m.inputs)) {
      it(`forward of ${id} gives the torch logits`, async () => {
        const y = await model.forward(x(id));
        expect(mismatch(y, fx.array(m.inputs[id]!.logits), tol.logits, 'logits')).toBeNull();
      });
    }

    it('resolves every target kind like torch (class, score, d score/d logits)', async () => {
      for (const c of m.captures) {
        const hook = await capture(c.input, { targets: [fx.target(c.target)] });
        try {
          const what = `${c.input}/${c.target}`;
          expect(mismatch(hook.logits, fx.array(m.inputs[c.input]!.logits), tol.logits, `${what} logits`)).toBeNull();
          expect(hook.targets).toHaveLength(1);
          const t = hook.targets[0]!;
          expect(t.classIndex, what).toBe(c.classIndex);
          expect(Math.abs(t.score - c.score), `${what} score`).toBeLessThan(1e-4);
          expect(
            mismatch({ data: t.seed, shape: [t.seed.length] }, fx.array(c.seed), { maxAbs: 1e-5 }, `${what} seed`),
          ).toBeNull();
        } finally {
          hook.dispose();
        }
      }
    });

    it('rejects bad targets with BadTargetError', async () => {
      const bad: [string, Target[]][] = [
        ['class out of range', [{ kind: 'class', index: m.numClasses }]],
        ['negative class', [{ kind: 'softmax', index: -1 }]],
        ['seed of the wrong length', [{ kind: 'seed', seed: [1, 0, 0] }]],
        ['non-finite seed', [{ kind: 'seed', seed: Array.from({ length: m.numClasses }, (_, i) => (i ? 0 : NaN)) }]],
        ['two targets for one image', [{ kind: 'class' }, { kind: 'class' }]],
        ['no target', []],
      ];
      for (const [what, targets] of bad) await expectBadTarget(() => capture('x0', { targets }), what);
    });

    if (caps.has('activations')) {
      it('captures channels-first activations equal to torch', async () => {
        for (const id of Object.keys(m.inputs)) {
          const layers = m.goldenLayers.map(L);
          const hook = await capture(id, { layers, targets: [{ kind: 'class' }] });
          try {
            for (const logical of m.goldenLayers) {
              const a = hook.activations.get(L(logical));
              expect(a, `${id} ${logical}`).toBeDefined();
              expect(
                mismatch(
                  a!,
                  fx.array(m.inputs[id]!.activations[logical]!),
                  tol.activations,
                  `${id} ${logical} activation`,
                ),
              ).toBeNull();
            }
          } finally {
            hook.dispose();
          }
        }
      });

      it('rejects an unknown layer with UnknownLayerError', async () => {
        const e = await errorOf(() => capture('x0', { layers: ['no-such-layer'], targets: [{ kind: 'class' }] }));
        expect(isGradscopeError(e, 'unknown-layer'), String(e)).toBe(true);
      });
    }

    if (caps.has('layer-gradients')) {
      for (const c of m.captures) {
        it(`layer gradients of ${c.input}/${c.target} equal torch's`, async () => {
          const hook = await capture(c.input, {
            layers: m.goldenLayers.map(L),
            gradients: true,
            targets: [fx.target(c.target)],
          });
          try {
            for (const logical of m.goldenLayers) {
              const g = hook.gradients.get(L(logical));
              expect(g, logical).toBeDefined();
              expect(mismatch(g!, fx.array(c.gradients[logical]!), tol.gradients, `${logical} gradient`)).toBeNull();
            }
          } finally {
            hook.dispose();
          }
        });
      }
    }

    const modes = [
      ['input-gradients', 'standard'],
      ['relu-guided', 'guided'],
      ['relu-deconvnet', 'deconvnet'],
    ] as const;
    for (const [cap, mode] of modes) {
      if (!caps.has(cap) || !caps.has('input-gradients')) continue;
      for (const c of m.captures.filter((c) => c.inputGradient[mode])) {
        it(`${mode} input gradient of ${c.input}/${c.target} equals torch's (input layout)`, async () => {
          const hook = await capture(c.input, { inputGradient: true, reluMode: mode, targets: [fx.target(c.target)] });
          try {
            const g = hook.inputGradient;
            expect(g, 'inputGradient').toBeDefined();
            expect(g!.shape).toEqual([1, ...model.input.shape.slice(1)]);
            const nchw = toChannelsFirst(g!, model.input.layout);
            expect(
              mismatch(nchw, fx.array(c.inputGradient[mode]!), tol.gradients, `${mode} input gradient`),
            ).toBeNull();
          } finally {
            hook.dispose();
          }
        });
      }
    }

    if (caps.has('run-from-layer')) {
      it('runs the tail from a layer: a round trip and a golden ablation', async () => {
        expect(typeof model.runFromLayer).toBe('function');
        for (const [id, inp] of Object.entries(m.inputs)) {
          for (const logical of m.goldenLayers) {
            const a = fx.array(inp.activations[logical]!);
            const same = await model.runFromLayer!(x(id), L(logical), a);
            expect(mismatch(same, fx.array(inp.logits), tol.logits, `${id} from ${logical}`)).toBeNull();
            const zeroed = Float32Array.from(a.data);
            const hw = a.shape[2]! * a.shape[3]!;
            zeroed.fill(0, 0, 4 * hw);
            const y = await model.runFromLayer!(x(id), L(logical), { data: zeroed, shape: a.shape });
            expect(
              mismatch(
                y,
                fx.array(inp.runFromLayerZero4[logical]!),
                tol.logits,
                `${id} from ${logical}, 4 channels zeroed`,
              ),
            ).toBeNull();
          }
        }
      });
    }

    if (caps.has('batched-forward')) {
      it('forwards a batch in one call', async () => {
        const y = await model.forward(x('batch'));
        expect(mismatch(y, fx.array(m.batch.logits), tol.logits, 'batch logits')).toBeNull();
      });

      it('captures a batch with one target per image', async () => {
        const ids = m.batch.inputs;
        const layer = m.head.featureLayer;
        const hook = await model.capture(x('batch'), {
          layers: caps.has('activations') ? [L(layer)] : [],
          gradients: caps.has('layer-gradients'),
          inputGradient: caps.has('input-gradients'),
          targets: ids.map(() => fx.target('top1')),
        });
        try {
          expect(hook.targets.map((t) => t.classIndex)).toEqual(ids.map((id) => m.inputs[id]!.top1));
          expect(mismatch(hook.logits, fx.array(m.batch.logits), tol.logits, 'batch logits')).toBeNull();
          ids.forEach((id, i) => {
            const golden = fx.capture(id, 'top1')!;
            if (caps.has('activations')) {
              expect(
                mismatch(
                  item(hook.activations.get(L(layer))!, i),
                  fx.array(m.inputs[id]!.activations[layer]!),
                  tol.activations,
                  `${id} activation`,
                ),
              ).toBeNull();
            }
            if (caps.has('layer-gradients')) {
              expect(
                mismatch(
                  item(hook.gradients.get(L(layer))!, i),
                  fx.array(golden.gradients[layer]!),
                  tol.gradients,
                  `${id} gradient`,
                ),
              ).toBeNull();
            }
            if (caps.has('input-gradients')) {
              const g = toChannelsFirst(item(hook.inputGradient!, i), model.input.layout);
              expect(
                mismatch(g, fx.array(golden.inputGradient.standard!), tol.gradients, `${id} input gradient`),
              ).toBeNull();
            }
          });
        } finally {
          hook.dispose();
        }
      });
    }

    if (caps.has('linear-head')) {
      it('exposes a head exactly when the model declares linear-head (feature layer and dense weights)', () => {
        if (!model.capabilities.has('linear-head')) {
          expect(model.head, 'a head on a model without linear-head').toBeUndefined();
          return;
        }
        expect(model.head).toBeDefined();
        expect(layerNamesOf(m, m.head.featureLayer), 'head.featureLayer').toContain(model.head!.featureLayer);
        expect(mismatch(model.head!.weights, fx.array(m.head.weights), { maxAbs: 1e-6 }, 'head weights')).toBeNull();
      });

      // Every fixture is conv → GAP → dense (manifest `head`): dropping linear-head here is a miss.
      it("recognises the fixture's conv → GAP → dense head (the model declares linear-head)", () => {
        expect(
          model.capabilities.has('linear-head'),
          `no linear-head on ${fx.name}, whose ${m.head.featureLayer} → gap → fc is a classic CAM head`,
        ).toBe(true);
      });
    }

    // Undeclared on the backend (listed in the title) or dropped by this model (per-model ones).
    const undeclared = CAPABILITIES.filter((c) => !caps.has(c));
    const maybeDropped = PER_MODEL_CAPABILITIES.filter((c) => caps.has(c));
    if (undeclared.length || maybeDropped.length) {
      const title = undeclared.length ? ` (${undeclared.join(', ')})` : '';
      it(`is refused by explain for capabilities the model does not declare${title}`, async () => {
        const gs = createGradscope();
        try {
          for (const c of CAPABILITIES.filter((c) => !model.capabilities.has(c))) {
            const probe = probeMethod(c);
            gs.register([probe]);
            const e = await errorOf(() => gs.explain(model, x('x0'), { method: probe.id }));
            expect(isGradscopeError(e, 'missing-capability'), `${c}: ${String(e)}`).toBe(true);
            expect((e as { missing?: readonly string[] }).missing).toEqual([c]);
          }
        } finally {
          await gs.dispose();
        }
      });
    }

    it('repeats a capture identically, disposes hooks twice safely and leaks nothing', async () => {
      const req = {
        layers: caps.has('activations') ? m.goldenLayers.map(L) : [],
        gradients: caps.has('layer-gradients'),
        inputGradient: caps.has('input-gradients'),
        targets: [fx.target('top1')],
      };
      const once = async () => {
        const hook = await capture('x0', req);
        const snap = [
          hook.logits,
          ...hook.activations.values(),
          ...hook.gradients.values(),
          ...(hook.inputGradient ? [hook.inputGradient] : []),
        ].map((t) => Float32Array.from(t.data));
        hook.dispose();
        hook.dispose();
        return snap;
      };
      const first = await once();
      const before = s.resources?.();
      for (let i = 0; i < 4; i++) {
        const again = await once();
        expect(again.length).toBe(first.length);
        again.forEach((a, k) =>
          expect(
            mismatch(
              { data: a, shape: [a.length] },
              { data: first[k]!, shape: [a.length] },
              { relative: 1e-6 },
              'repeat',
            ),
          ).toBeNull(),
        );
      }
      if (before !== undefined) expect(s.resources!()).toBe(before);
    });

    it('loads and disposes a second model (twice) without disturbing the first', async () => {
      const before = s.resources?.();
      const other = await s.loadFixture(fx.name);
      await other.forward(x('x1'));
      await other.dispose();
      await other.dispose();
      if (before !== undefined) expect(s.resources!()).toBe(before);
      const y = await model.forward(x('x0'));
      expect(mismatch(y, fx.array(m.inputs.x0!.logits), tol.logits, 'logits after disposing another model')).toBeNull();
    });
  });
}
