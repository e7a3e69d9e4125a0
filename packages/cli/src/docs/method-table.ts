import { missingCapabilities, type Backend, type Capability, type Method } from '@gradscope/core';

/** How each capability reads in the table. */
const NEEDS: Record<Capability, string> = {
  activations: 'activations',
  'layer-gradients': 'layer gradients',
  'input-gradients': 'input gradients',
  'relu-guided': 'guided ReLU',
  'relu-deconvnet': 'deconvnet ReLU',
  'relu-only-rectifiers': 'ReLU-only rectifiers',
  'run-from-layer': 'run from a layer',
  'batched-forward': 'batched forward',
  'linear-head': 'a conv → GAP → dense head',
  'hessian-vector': 'Hessian-vector products',
  'bias-gradients': 'bias gradients',
  training: 'training',
  'randomize-weights': 'weight re-initialisation',
};

/** Capabilities a backend declares but each loaded model may still lack (a property of the network). */
const PER_MODEL: ReadonlySet<Capability> = new Set(['linear-head', 'training']);

/**
 * The method × backend table, generated from the methods' requirements and the backends' declared
 * capabilities (docs/parity.md and the README embed it between `<!-- methods-table -->` markers; a
 * test fails when they are stale). ✓ = the backend runs it; ✓* = on models that have the per-model
 * capability (e.g. classic CAM's linear head).
 */
export function methodTable(methods: readonly Method<any>[], backends: readonly Backend[]): string {
  const rows = methods.map((m) => [
    `\`${m.id}\``,
    m.title,
    m.requires.map((r) => NEEDS[r]).join(', ') || 'the input image only',
    ...backends.map((b) =>
      missingCapabilities(m, b.capabilities).length ? '—' : m.requires.some((r) => PER_MODEL.has(r)) ? '✓*' : '✓',
    ),
  ]);
  const head = ['method', 'title', 'needs', ...backends.map((b) => b.id)];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]!].length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c + ' '.repeat(width[i]! - [...c].length)).join(' | ')} |`;
  return [line(head), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Replaces what stands between `<!-- methods-table -->` and `<!-- /methods-table -->` in `doc`. */
export function embedMethodTable(doc: string, table: string): string {
  const re = /(<!-- methods-table -->\n\n)[\s\S]*?(\n\n<!-- \/methods-table -->)/;
  if (!re.test(doc))
    throw new Error(
      'the document has no <!-- methods-table --> … <!-- /methods-table --> section (blank lines inside)',
    );
  return doc.replace(re, `$1${table}$2`);
}
