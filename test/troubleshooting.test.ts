import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// docs/troubleshooting.md quotes the messages gradscope prints in ```text blocks, one per line,
// with `<…>` for the values that vary. A message is often assembled (the CLI's `gradscope: ` prefix,
// an error's text, a hint after `; `), so each line is cut at the placeholders and at `: ` and `; `,
// and every piece must occur verbatim in the sources: packages/*/src, apps/*/src, the generated
// table of docs/bad-inputs.md (real runs), and tsyringe for its own message. A reworded message
// leaves a piece that occurs nowhere.
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

function corpus(): string {
  const roots = ['packages', 'apps'].flatMap((top) =>
    readdirSync(join(ROOT, top)).map((d) => join(ROOT, top, d, 'src')),
  );
  const files = roots.filter((r) => statSync(r, { throwIfNoEntry: false })?.isDirectory()).flatMap(tsFiles);
  const tsyringe = createRequire(join(ROOT, 'packages/core/package.json')).resolve('tsyringe');
  files.push(join(dirname(tsyringe), '..', 'esm5', 'index.js'), join(ROOT, 'docs/bad-inputs.md'));
  // string escapes (\" \' \`) as the message prints them
  return files.map((f) => readFileSync(f, 'utf8').replace(/\\(["'`])/g, '$1')).join('\n');
}

/** The quoted messages: every line of every ```text block. */
function quotedMessages(markdown: string): string[] {
  return [...markdown.matchAll(/^[ \t]*```text\n([\s\S]*?)^[ \t]*```/gm)].flatMap((m) =>
    m[1]!
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );
}

/** The pieces of a quoted message (without placeholders, separators and enclosing punctuation). */
function pieces(message: string): string[] {
  return message
    .split(/<[^<>]+>|: |; /)
    .map((p) => p.replace(/^[^\p{L}\p{N}-]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter(Boolean);
}

/** The pieces of `message` that occur nowhere in `sources`. */
function missingPieces(message: string, sources: string): string[] {
  return pieces(message).filter((p) => !sources.includes(p));
}

describe('docs/troubleshooting.md', () => {
  const doc = readFileSync(join(ROOT, 'docs/troubleshooting.md'), 'utf8');
  const sources = corpus();
  const messages = quotedMessages(doc);

  it('quotes messages', () => expect(messages.length).toBeGreaterThan(10));
  it.each(messages)('still printed: %s', (message) => expect(missingPieces(message, sources)).toEqual([]));

  it('the check notices a reworded message', () => {
    const real = 'cannot differentiate ONNX operator';
    expect(sources).toContain(real);
    expect(missingPieces(`gradscope: ${real} '<op>'`, sources)).toEqual([]);
    expect(missingPieces(`gradscope: cannot differentiate the ONNX operator '<op>'`, sources)).toEqual([
      'cannot differentiate the ONNX operator',
    ]);
    expect(missingPieces(`gradscope: ${real} '<op>'; it has no gradient rules`, sources)).toEqual([
      'it has no gradient rules',
    ]);
  });
});
