// Size of every file of the production build, raw and gzip (level 9), largest first.
// Usage: pnpm --filter @gradscope/playground build && node scripts/bundle-size.mjs [dist]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = process.argv[2] ?? new URL('../dist/', import.meta.url).pathname;
const walk = (d) =>
  readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
const rows = walk(root)
  .filter((f) => /\.(js|mjs|css|html|wasm)$/.test(f))
  .map((f) => {
    const b = readFileSync(f);
    return { file: relative(root, f), raw: b.length, gzip: gzipSync(b, { level: 9 }).length };
  })
  .sort((a, b) => b.gzip - a.gzip);
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
console.log('| file | raw | gzip |\n|---|---:|---:|');
for (const r of rows) console.log(`| ${r.file} | ${kb(r.raw)} | ${kb(r.gzip)} |`);
