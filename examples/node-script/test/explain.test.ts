import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'gradscope-example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('the 20-line script explains a generated image and writes a 64×64 overlay PNG', () => {
  const out = join(dir, 'gradcam.png');
  const stdout = execFileSync(process.execPath, ['explain.mjs', out], {
    cwd: join(import.meta.dirname, '..'),
    encoding: 'utf8',
  });
  expect(stdout).toMatch(/^\w+ → predicted \w+ \(layer \w+\), wrote .*gradcam\.png\n$/);
  const png = PNG.sync.read(readFileSync(out));
  expect([png.width, png.height]).toEqual([64, 64]);
  // an overlay is a blend with the JET heat map: not a copy of the input, and not uniform
  const px = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4)
    px.add((png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!);
  expect(px.size).toBeGreaterThan(100);
});
