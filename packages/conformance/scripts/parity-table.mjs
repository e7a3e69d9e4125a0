// Prints the method × backend table of worst errors against the torch goldens from a file written
// by the conformance suite with GRADSCOPE_PARITY_LOG set (one JSON line per golden case):
//   GRADSCOPE_PARITY_LOG=/tmp/parity.jsonl npx vitest run --project backend-tfjs --project backend-onnx
//   node packages/conformance/scripts/parity-table.mjs /tmp/parity.jsonl
// Each cell: worst max |map − torch map| over the method's cases / worst raw relative error.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node parity-table.mjs <parity.jsonl>');
  process.exit(2);
}
const records = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const backends = [...new Set(records.map((r) => r.backend))].sort();
const methods = [...new Set(records.map((r) => r.method))];
const worst = new Map();
for (const r of records) {
  const k = `${r.method}\u0000${r.backend}`;
  const w = worst.get(k) ?? { map: -1, raw: -1, cases: 0 };
  if (r.mapMaxAbs !== undefined) w.map = Math.max(w.map, r.mapMaxAbs);
  if (r.rawRelative !== undefined) w.raw = Math.max(w.raw, r.rawRelative);
  w.cases++;
  worst.set(k, w);
}
const fmt = (v) => (v < 0 ? '–' : v === 0 ? '0' : v.toExponential(1));
console.log(`| method | ${backends.join(' | ')} |`);
console.log(`|---|${backends.map(() => '---').join('|')}|`);
for (const m of methods) {
  const cells = backends.map((b) => {
    const w = worst.get(`${m}\u0000${b}`);
    return w ? `${fmt(w.map)} / ${fmt(w.raw)} (${w.cases})` : 'n/a';
  });
  console.log(`| ${m} | ${cells.join(' | ')} |`);
}
console.log('\nCells: worst map max-abs / worst raw relative error (number of golden cases).');
