import type { Backend } from '@gradscope/core';
import type { DeviceId, DeviceSupport } from '../protocol.js';

/** Where the app serves its runtime files and built-in assets (same origin; nothing from a CDN). */
export const BASE = new URL(import.meta.env.BASE_URL, self.location.origin).href;

async function webgpu(): Promise<string | undefined> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu)
    return 'this browser exposes no WebGPU (navigator.gpu is missing; Chromium needs a GPU or --enable-unsafe-webgpu)';
  try {
    if (!(await gpu.requestAdapter())) return 'WebGPU is present but offers no adapter (no usable GPU)';
  } catch (e) {
    return `WebGPU adapter request failed: ${(e as Error).message}`;
  }
  return undefined;
}

function webgl(): string | undefined {
  if (typeof OffscreenCanvas === 'undefined') return 'no OffscreenCanvas in workers, so no WebGL off the main thread';
  const c = new OffscreenCanvas(1, 1);
  return c.getContext('webgl2') || c.getContext('webgl')
    ? undefined
    : 'WebGL is unavailable (GPU blocklisted or disabled)';
}

/** Which devices this browser can run, and why the others are missing. */
export async function probeDevices(): Promise<DeviceSupport[]> {
  const wasm = typeof WebAssembly === 'object' ? undefined : 'WebAssembly is unavailable';
  const gpu = await webgpu();
  const gl = webgl();
  const row = (id: DeviceId, why: string | undefined): DeviceSupport =>
    why ? { id, ok: false, why } : { id, ok: true };
  return [
    row('tfjs-webgl', gl),
    row('tfjs-webgpu', gpu),
    row('tfjs-wasm', wasm),
    row('onnx-wasm', wasm),
    row('onnx-webgpu', gpu ?? wasm),
  ];
}

/**
 * The gradscope Backend for a device, with its runtime loaded on demand (each runtime is its own
 * chunk, so the first heatmap waits only for the one it uses). tfjs has one global active backend:
 * switching device re-activates it.
 */
export async function backendFor(device: DeviceId): Promise<Backend> {
  if (device.startsWith('tfjs-')) {
    const { tfjsBackend, useTfjsBackend } = await import('@gradscope/backend-tfjs');
    const name = device.slice('tfjs-'.length) as 'webgl' | 'webgpu' | 'wasm';
    await useTfjsBackend(name, { wasmPaths: `${BASE}wasm/` });
    activeTfjs = device;
    return tfjsBackend;
  }
  // The wasm-only build (14 MB of wasm) unless WebGPU is asked for (its JSEP build is 28 MB).
  const [{ createOnnxBackend }, ort] = await Promise.all([
    import('@gradscope/backend-onnx'),
    device === 'onnx-webgpu' ? import('onnxruntime-web/webgpu') : import('onnxruntime-web/wasm'),
  ]);
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = `${BASE}wasm/`;
  const executionProviders = device === 'onnx-webgpu' ? ['webgpu'] : ['wasm'];
  return createOnnxBackend({ ort: ort as never, sessionOptions: { executionProviders } });
}

/** The tfjs device last made tfjs's active backend. */
let activeTfjs: DeviceId | null = null;

/** Makes a tfjs device tfjs's active backend again (tfjs has one; ONNX sessions need nothing). */
export async function activate(device: DeviceId): Promise<void> {
  if (device.startsWith('tfjs-') && device !== activeTfjs) await backendFor(device);
}
