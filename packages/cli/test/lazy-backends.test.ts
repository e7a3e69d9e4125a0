import { describe, expect, it } from 'vitest';
import { createOnnxBackend, type OrtRuntime } from '@gradscope/backend-onnx/node';
import { tfjsNodeBackend } from '@gradscope/backend-tfjs/node';
import * as ort from 'onnxruntime-node';
import { CLI_BACKEND_CAPABILITIES, cliBackends } from '../src/default-wiring.js';

describe('the CLI backends, imported on first load', () => {
  it('state the capabilities the real backends declare', () => {
    const real = { tfjs: tfjsNodeBackend, onnx: createOnnxBackend({ ort: ort as unknown as OrtRuntime }) };
    for (const b of cliBackends()) {
      const id = b.id as 'tfjs' | 'onnx';
      expect([...b.capabilities].sort()).toEqual([...real[id].capabilities].sort());
      expect([...CLI_BACKEND_CAPABILITIES[id]].sort()).toEqual([...real[id].capabilities].sort());
    }
  });
});
