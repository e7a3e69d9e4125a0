import { describe, expect, it } from 'vitest';
import { isGradscopeError } from '@gradscope/core';
import { parseSidecar, sidecarPath } from '../src/sidecar.js';

describe('sidecar (<model>.gradscope.json)', () => {
  it('accepts inputSize as {height,width} or [H, W]', () => {
    expect(parseSidecar('{"inputSize":{"height":32,"width":48}}', 's').inputSize).toEqual({ height: 32, width: 48 });
    expect(parseSidecar('{"inputSize":[32,48]}', 's').inputSize).toEqual({ height: 32, width: 48 });
  });
  it('rejects malformed sizes and JSON with one-line model-load errors', () => {
    for (const bad of [
      '{"inputSize":[32]}',
      '{"inputSize":[0,4]}',
      '{"inputSize":{"height":2.5,"width":4}}',
      '{not json',
    ]) {
      let err: unknown;
      try {
        parseSidecar(bad, 'm.gradscope.json');
      } catch (e) {
        err = e;
      }
      expect(isGradscopeError(err, 'model-load'), bad).toBe(true);
      expect((err as Error).message).not.toContain('\n');
    }
  });
  it('names the sidecar after model.json', () => {
    expect(sidecarPath('a/b/model.json')).toBe('a/b/model.gradscope.json');
    expect(sidecarPath('https://x/m/model.json?v=2')).toBe('https://x/m/model.gradscope.json?v=2');
  });
});
