import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What a published package carries (issue 10, item 14): the licence file, engines, files without
// build caches, and README links that still work on the registry's page.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const published = readdirSync(join(ROOT, 'packages'))
  .map((d) => join(ROOT, 'packages', d))
  .filter((d) => existsSync(join(d, 'package.json')))
  .map((d) => ({ dir: d, json: JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) }))
  .filter((p) => !p.json.private);

describe('published packages', () => {
  it('there are some', () => expect(published.length).toBeGreaterThan(5));
  for (const { dir, json } of published) {
    describe(json.name, () => {
      it('Apache-2.0 with the LICENSE file, engines.node, files without .tsbuildinfo', () => {
        expect(json.license).toBe('Apache-2.0');
        expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toBe(readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
        expect(json.engines?.node).toMatch(/^>=\d+/);
        expect(json.files).toContain('!dist/.tsbuildinfo');
      });
      it('README links are absolute (relative ones break on the registry page)', () => {
        const readme = join(dir, 'README.md');
        if (!existsSync(readme)) return;
        const links = [...readFileSync(readme, 'utf8').matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!);
        expect(links.filter((l) => !/^(https?:|#|mailto:)/.test(l))).toEqual([]);
      });
    });
  }
  it('npm pack leaves out .tsbuildinfo and includes LICENSE (dry run of @gradscope/core)', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json'], {
      cwd: join(ROOT, 'packages/core'),
      encoding: 'utf8',
    });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toContain('LICENSE');
    expect(files.filter((f) => f.endsWith('.tsbuildinfo'))).toEqual([]);
  }, 60_000);
});
