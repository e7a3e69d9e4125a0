import { describe, expect, it } from 'vitest';
import { isGradscopeError } from '@gradscope/core';
import { createOnnxBackend } from '../src/index.js';
import { fixtureBytes, runtimes } from './helpers.js';

describe('model sources of the main (browser-safe) entry', () => {
  const bytes = fixtureBytes('squeezenet');
  const backend = createOnnxBackend({ ort: runtimes.web });
  const check = async (source: Parameters<typeof backend.load>[0], name: string) => {
    const model = await backend.load(source);
    expect(model.name).toBe(name);
    expect(model.numClasses).toBe(10);
    await model.dispose();
  };

  it('loads bytes, an ArrayBuffer, a URL (fetch), File lists and { kind: files }', async () => {
    await check(bytes, '<bytes>');
    await check(bytes.slice().buffer, '<bytes>');
    const url = new URL(`data:application/octet-stream;base64,${Buffer.from(bytes).toString('base64')}`);
    const m = await backend.load(url);
    expect(m.numClasses).toBe(10);
    await m.dispose();
    const file = new File([bytes], 'squeeze.onnx');
    await check([new File(['{}'], 'classes.json'), file], 'squeeze');
    await check({ kind: 'files', files: [file] }, 'squeeze');
  });

  it('refuses a file list without an .onnx file and an unreachable URL with ModelLoadError', async () => {
    const e1 = await backend.load([new File(['a'], 'a.txt'), new File(['b'], 'b.txt')]).catch((e) => e);
    expect(isGradscopeError(e1, 'model-load')).toBe(true);
    expect(String(e1.message)).toMatch(/no \.onnx file/);
    const e2 = await backend.load('http://127.0.0.1:9/none.onnx').catch((e) => e);
    expect(isGradscopeError(e2, 'model-load')).toBe(true);
  });
});
