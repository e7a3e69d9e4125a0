import type { Target } from '@gradscope/core';

/** A comparison tolerance: passes when ANY given criterion holds. */
export interface Tolerance {
  /** max |actual − expected| ≤ maxAbs. */
  readonly maxAbs?: number;
  /** max |actual − expected| / max |expected| ≤ relative. */
  readonly relative?: number;
  /** cosine(actual, expected) ≥ cosine. */
  readonly cosine?: number;
}

/** One network layer under its names in every format (absent where a format has no such tensor). */
export interface FixtureLayer {
  readonly torch: string;
  readonly tfjs: string;
  readonly onnx?: { readonly node: string; readonly output: string; readonly op: string };
  /** Other torch module paths whose output is the very same tensor (e.g. `head` for `head.act`). */
  readonly aliases?: readonly string[];
}

/** Per input: the image and the target-independent goldens. Paths are relative to the fixture dir. */
export interface FixtureInput {
  readonly input: string;
  readonly logits: string;
  readonly top1: number;
  /** Logical layer → `[1, C, h, w]` activation. */
  readonly activations: Readonly<Record<string, string>>;
  /** Logical layer → logits when the first four channels of that layer's output are zeroed. */
  readonly runFromLayerZero4: Readonly<Record<string, string>>;
}

/** One forward/backward of torch: an input explained for one target (standard ReLU unless noted). */
export interface FixtureCapture {
  readonly input: string;
  /** Key into `targets`. */
  readonly target: string;
  readonly classIndex: number | null;
  readonly score: number;
  /** d score / d logits, `[numClasses]`. */
  readonly seed: string;
  /** Logical layer → `[1, C, h, w]` gradient. */
  readonly gradients: Readonly<Record<string, string>>;
  /** ReLU mode → `[1, 3, H, W]` input gradient (guided and deconvnet only for class targets). */
  readonly inputGradient: Readonly<Partial<Record<'standard' | 'guided' | 'deconvnet', string>>>;
}

/** A golden explanation: method id, input, target, logical layers, options, expected map and raw. */
export interface FixtureMethodCase {
  readonly method: string;
  readonly input: string;
  readonly target: string;
  readonly layers: readonly string[];
  /** `[H, W]` map in [0, 1] (CAM methods), or null. */
  readonly map: string | null;
  /** CAM: `[h, w]` raw map (single layer); input-space methods: `[1, 3, H, W]` NCHW attribution. */
  readonly raw: string | null;
  /** Method options the case needs; run only when the method declares them all. */
  readonly options?: Readonly<Record<string, number | boolean | string>>;
  /** The raw map is defined up to sign (principal components). */
  readonly upToSign?: boolean;
  /**
   * Backend ids the case holds for, when the formats differ (FullGrad: an ONNX export folds BN into
   * the conv before it, so it sees one bias where torch and tfjs see two); absent = every backend.
   */
  readonly backends?: readonly string[];
  /**
   * A looser bound than the fixture's for this case, with the reason in the generating script
   * (DFF: the reference NMF runs in float32, gradscope's in float64).
   */
  readonly tolerance?: Tolerance;
}

/** `fixtures/<name>/manifest.json`, written by scripts/make-fixtures.py. */
export interface FixtureManifest {
  readonly name: string;
  readonly description: string;
  readonly generator: string;
  /** Layout of every golden array: always NCHW (as torch produces them). */
  readonly layout: 'NCHW';
  readonly input: {
    readonly shape: readonly number[];
    readonly height: number;
    readonly width: number;
    readonly channels: number;
  };
  readonly numClasses: number;
  readonly formats: Readonly<Record<string, string>>;
  /** Logical layer name (the torch module path) → its names per format. */
  readonly layers: Readonly<Record<string, FixtureLayer>>;
  /** Logical layers that have goldens. */
  readonly goldenLayers: readonly string[];
  /** ReLU rules with input-gradient goldens (`standard`, `guided`, `deconvnet`; the last two also on ReLU6). */
  readonly reluModes: readonly string[];
  /** Logical layer → `[1, C, h, w]`. */
  readonly layerShapes: Readonly<Record<string, readonly number[]>>;
  /** Classic CAM: the layer that is globally pooled and the dense weights `[numClasses, C]`. */
  readonly head: { readonly featureLayer: string; readonly weights: string };
  /** Named targets, in core's `Target` shape. */
  readonly targets: Readonly<Record<string, Target>>;
  readonly inputs: Readonly<Record<string, FixtureInput>>;
  readonly batch: { readonly inputs: readonly string[]; readonly input: string; readonly logits: string };
  readonly captures: readonly FixtureCapture[];
  readonly methods: readonly FixtureMethodCase[];
  readonly tolerances: {
    readonly logits: Tolerance;
    readonly activations: Tolerance;
    readonly gradients: Tolerance;
    readonly camMap: Tolerance;
    readonly camRaw: Tolerance;
  };
  /** Every array file → its shape. */
  readonly files: Readonly<Record<string, readonly number[]>>;
}
