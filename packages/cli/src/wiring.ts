import type { Backend, ImagePixels, Layout, Method, ModelSource, Tensor } from '@gradscope/core';
import type { Metric } from '@gradscope/metrics';
import type { Sidecar } from './sidecar.js';

/** The pictures the CLI writes, as 8-bit pixels plus a PNG encoder (render's API behind a seam). */
export interface CliRenderer {
  /** A `[H, W]` map in [0, 1] over `image` (same size) with the default colormap. */
  overlay(image: ImagePixels, map: Tensor): ImagePixels;
  /** An input-space attribution `[1, …]` in `layout`, scaled for viewing (its scale does not matter). */
  attribution(raw: Tensor, layout: Layout): ImagePixels;
  /** A labelled grid: one row per input, one column per label in `columns`. */
  grid(columns: readonly string[], rows: readonly { label: string; cells: readonly ImagePixels[] }[]): ImagePixels;
  encodePng(image: ImagePixels): Uint8Array;
}

/** The built-in demo: a model one of the backends can load, its sidecar facts and sample images. */
export interface DemoSet {
  readonly backend: string;
  readonly model: ModelSource;
  /** How the model is named in output (e.g. `built-in shapes CNN`). */
  readonly modelLabel: string;
  readonly sidecar: Sidecar;
  readonly samples: readonly { readonly name: string; readonly image: ImagePixels }[];
}

/** What the CLI is composed of. `defaultWiring()` builds the real one; tests may swap parts. */
export interface Wiring {
  readonly backends: readonly Backend[];
  /** The same backends with one runtime thread per model: `evaluate`'s workers, so records do not depend on `--workers`. */
  readonly singleThreadBackends?: () => readonly Backend[];
  readonly methods: readonly Method<any>[];
  /** The metrics `evaluate` and `explain --metrics` can compute (none when absent). */
  readonly metrics?: readonly Metric<any>[];
  /** Module URLs of the `--plugin`s this wiring includes (`evaluate --workers` loads them in each worker). */
  readonly plugins?: readonly string[];
  readonly render: CliRenderer;
  readonly demo: () => Promise<DemoSet>;
  /** Package versions for result.json (`{ '@gradscope/core': '0.1.0', node: '20.20.2', … }`). */
  readonly versions: () => Record<string, string>;
}
