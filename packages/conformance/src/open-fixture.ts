import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeNpy, fromChannelsFirst, type Layout, type Target, type Tensor } from '@gradscope/core';
import { fixtureDir } from './fixture-path.js';
import type { FixtureCapture, FixtureManifest } from './manifest.js';

/**
 * The committed fixtures: `tiny-cnn` (ReLU, MaxPool, residual block, BN; goldens for every ReLU
 * mode and many CAM variants) and `tiny-mobile` (ReLU6, depthwise convs, an inverted residual whose
 * output is an Add; goldens for every ReLU mode under gradscope's ReLU6 rule).
 */
export const FIXTURE_NAMES = ['tiny-cnn', 'tiny-mobile'] as const;

/** A committed fixture: its manifest and lazily decoded golden arrays (Node only). */
export interface Fixture {
  readonly name: string;
  readonly dir: string;
  readonly manifest: FixtureManifest;
  /** A golden array by its manifest path, as stored (NCHW). */
  array(path: string): Tensor;
  /** One fixture input (`x0`, …) or the whole `batch`, converted to `layout`. */
  input(id: string, layout: Layout): Tensor;
  /** A named target (`top1`, `class2`, `softmax`, `counterfactual`, `seed`). */
  target(key: string): Target;
  /** The torch capture of `input` explained for `target`, if the fixture has one. */
  capture(input: string, target: string): FixtureCapture | undefined;
}

/** Opens `fixtures/<name>`: reads the manifest now, decodes `.npy` files on first use. */
export function openFixture(name: string): Fixture {
  const dir = fixtureDir(name);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as FixtureManifest;
  const cache = new Map<string, Tensor>();
  const array = (path: string): Tensor => {
    let t = cache.get(path);
    if (!t) {
      t = decodeNpy(new Uint8Array(readFileSync(join(dir, path))));
      cache.set(path, t);
    }
    return t;
  };
  return {
    name,
    dir,
    manifest,
    array,
    input: (id, layout) =>
      fromChannelsFirst(array(id === 'batch' ? manifest.batch.input : manifest.inputs[id]!.input), layout),
    target: (key) => {
      const t = manifest.targets[key];
      if (!t) throw new Error(`fixture '${name}' has no target '${key}'`);
      return t;
    },
    capture: (input, target) => manifest.captures.find((c) => c.input === input && c.target === target),
  };
}
