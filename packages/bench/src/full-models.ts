import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TorchReference } from './suite.js';

/** A full-size torchvision network exported by `scripts/make-full-models.py`. */
export interface FullModel {
  /** File stem and torchvision name: `resnet18`, `mobilenet_v2`. */
  readonly name: string;
  readonly path: string;
  /** Grad-CAM layer (a PyTorch module path, as pytorch-grad-cam users pick it). */
  readonly layer: string;
  readonly torch?: TorchReference;
}

/** The full-size models, or why there are none. */
export type FullModels = { readonly models: readonly FullModel[] } | { readonly skipped: string };

/** The networks the script exports, with the layer Grad-CAM is taken at. */
export const FULL_MODELS: readonly { readonly name: string; readonly layer: string }[] = [
  { name: 'resnet18', layer: 'layer4' },
  { name: 'mobilenet_v2', layer: 'features' },
];

/**
 * What to do about the full-size models: `make` (export them and time torch; torch is available
 * and a model is missing), `retime` (models exist, torch is available: re-measure torch under the
 * current load), `cached` (models exist, no torch: use them, with the last torch timings if any),
 * `skip` (a model is missing and torch is not available).
 */
export type FullModelsPlan = 'make' | 'retime' | 'cached' | 'skip';

export function planFullModels(s: { readonly modelsExist: boolean; readonly torchAvailable: boolean }): FullModelsPlan {
  if (s.torchAvailable) return s.modelsExist ? 'retime' : 'make';
  return s.modelsExist ? 'cached' : 'skip';
}

/** Reads `torch-timings.json` (see the script) into per-model references; `{}` when it is absent. */
export function readTorchTimings(file: string, source: string): Record<string, TorchReference> {
  if (!existsSync(file)) return {};
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    torch?: string;
    measuredAt?: string;
    models?: Record<string, { forwardMs?: unknown; forwardBackwardMs?: unknown }>;
  };
  const out: Record<string, TorchReference> = {};
  for (const [name, t] of Object.entries(json.models ?? {})) {
    if (typeof t.forwardMs !== 'number' || typeof t.forwardBackwardMs !== 'number') continue;
    out[name] = {
      forwardMs: t.forwardMs,
      forwardBackwardMs: t.forwardBackwardMs,
      source: `torch ${json.torch ?? '?'}, 1 thread, ${source} ${json.measuredAt ?? ''}`.trim(),
    };
  }
  return out;
}

export interface PrepareOptions {
  /** Cache directory of the models (default `packages/bench/.models`, git-ignored). */
  readonly dir?: string;
  /** Python with torch and torchvision (default `$GRADSCOPE_PYTHON` or `/usr/bin/python3`). */
  readonly python?: string;
}

const DEFAULT_DIR = fileURLToPath(new URL('../.models', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../scripts/make-full-models.py', import.meta.url));

/**
 * Makes sure the full-size models exist, running `scripts/make-full-models.py` when a model is
 * missing (export + torch timings) or, when torch is importable, to re-time torch under the current
 * load. Without torch and without the models the rows are skipped, with the reason.
 */
export function prepareFullModels(o: PrepareOptions = {}): FullModels {
  const dir = o.dir ?? DEFAULT_DIR;
  const python = o.python ?? process.env.GRADSCOPE_PYTHON ?? '/usr/bin/python3';
  const modelsExist = FULL_MODELS.every((m) => existsSync(join(dir, `${m.name}.onnx`)));
  const torchAvailable = spawnSync(python, ['-c', 'import torch, torchvision'], { stdio: 'ignore' }).status === 0;
  const plan = planFullModels({ modelsExist, torchAvailable });
  if (plan === 'skip') {
    return {
      skipped: `the full-size ONNX rows (${FULL_MODELS.map((m) => m.name).join(', ')}) are skipped: PyTorch is not installed (${python} cannot import torch and torchvision), so ${dir} cannot be made`,
    };
  }
  if (plan === 'make' || plan === 'retime') {
    console.error(
      `bench: ${plan === 'make' ? 'exporting the full-size models and timing torch' : 'timing torch'} (${SCRIPT}) …`,
    );
    const r = spawnSync(python, [SCRIPT, '--out', dir, ...(plan === 'retime' ? ['--timings-only'] : [])], {
      stdio: ['ignore', 'inherit', 'pipe'],
      encoding: 'utf8',
    });
    if (r.status !== 0)
      throw new Error(
        `${SCRIPT} failed (exit ${r.status ?? r.signal}): ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`,
      );
  }
  const torch = readTorchTimings(join(dir, 'torch-timings.json'), plan === 'cached' ? 'cached from' : 'measured');
  return {
    models: FULL_MODELS.map((m) => ({
      ...m,
      path: join(dir, `${m.name}.onnx`),
      ...(torch[m.name] ? { torch: torch[m.name] } : {}),
    })),
  };
}
