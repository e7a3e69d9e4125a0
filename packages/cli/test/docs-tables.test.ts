import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { embedMethodTable, methodTable } from '../src/docs/method-table.js';
import { defaultWiring } from '../src/index.js';

// The method × backend tables of the README and docs/parity.md are generated from the registered
// methods and backends: this fails when they are stale. Regenerate with
//   GRADSCOPE_UPDATE_DOCS=1 npx vitest run --project cli docs-tables
const DOCS = ['../../../README.md', '../../../docs/parity.md', '../../methods/README.md'].map((p) =>
  fileURLToPath(new URL(p, import.meta.url)),
);

describe('generated method × backend tables', () => {
  it.each(DOCS)('%s is up to date', async (file) => {
    const w = await defaultWiring();
    const table = methodTable(w.methods, w.backends);
    const doc = readFileSync(file, 'utf8');
    const fresh = embedMethodTable(doc, table);
    if (process.env.GRADSCOPE_UPDATE_DOCS) writeFileSync(file, fresh);
    else expect(doc, `stale table in ${file}: regenerate with GRADSCOPE_UPDATE_DOCS=1`).toBe(fresh);
    for (const m of w.methods) expect(fresh).toContain(`\`${m.id}\``);
  });
});
