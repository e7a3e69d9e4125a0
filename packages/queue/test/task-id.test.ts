import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentRef, ContentVerifier, parseQueueUrl, taskId } from '../src/index.js';

describe('task ids, URLs and content refs (no Redis)', () => {
  it('canonical JSON ignores key order at every level; ids change with any value', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(taskId({ a: 1, b: [2, 3] })).toBe(taskId({ b: [2, 3], a: 1 }));
    expect(taskId({ a: 1, b: [2, 3] })).not.toBe(taskId({ a: 1, b: [3, 2] }));
    const expected = createHash('sha256').update('{"m":"gradcam"}').digest('hex');
    expect(taskId({ m: 'gradcam' })).toBe(`gs-${expected}`);
  });

  it('parses redis:// URLs and hides the password in the label', () => {
    expect(parseQueueUrl('redis://127.0.0.1:6390/3')).toEqual({
      label: 'redis://127.0.0.1:6390/3',
      host: '127.0.0.1',
      port: 6390,
      db: 3,
    });
    expect(parseQueueUrl('redis://q')).toMatchObject({ host: 'q', port: 6379, db: 0 });
    const u = parseQueueUrl('redis://me:s3cret@q:1/0');
    expect(u).toMatchObject({ username: 'me', password: 's3cret', label: 'redis://me:***@q:1/0' });
    expect(() => parseQueueUrl('http://q')).toThrow(/^cannot reach the queue at http:\/\/q: expected a redis:\/\/ URL/);
    expect(() => parseQueueUrl('redis://q/x')).toThrow(/bad database number/);
  });

  it('a changed or missing file is refused with the path; an unchanged one is hashed once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gs-ref-'));
    const file = join(dir, 'image.png');
    writeFileSync(file, 'first');
    const ref = await contentRef(file);
    expect(ref).toEqual({ path: file, sha256: createHash('sha256').update('first').digest('hex'), size: 5 });
    const v = new ContentVerifier();
    await v.verify(ref);
    writeFileSync(file, 'other');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    await expect(v.verify(ref)).rejects.toMatchObject({ code: 'content-mismatch', path: file });
    await expect(v.verify({ ...ref, path: join(dir, 'gone.png') })).rejects.toThrow(/not found on this worker/);
  });
});
