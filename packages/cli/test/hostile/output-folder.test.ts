import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWiring, main, type Wiring } from '../../src/index.js';
import { outputError } from '../../src/output-error.js';
import { memoryIo } from '../fake-wiring.js';
import { png } from './bad-input-cases.js';
import { saveTinyModel } from '../tiny-tfjs-model.js';

let dir: string;
let wiring: Wiring;

async function explain(out: string) {
  const m = memoryIo(dir);
  const exit = await main(['explain', 'in.png', '--model', 'model.json', '--out', out], m.io, wiring);
  return { exit, stderr: m.stderr() };
}

beforeAll(async () => {
  wiring = await defaultWiring();
  dir = mkdtempSync(join(tmpdir(), 'gradscope-outdir-'));
  await saveTinyModel(dir);
  writeFileSync(join(dir, 'in.png'), png(8, 8));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const REFUSED = /holds files gradscope did not write or that changed since \((.*)\); nothing was replaced/;

describe('an output folder is replaced only when it holds exactly what gradscope wrote', () => {
  it('the marker lists every file with its SHA-256; a second run replaces the first', async () => {
    expect((await explain('a')).exit).toBe(0);
    const marker = readFileSync(join(dir, 'a', '.gradscope-output'), 'utf8').split('\n');
    const listed = marker
      .slice(1)
      .filter(Boolean)
      .map((l) => l.split('  ')[1]);
    expect(listed.sort()).toEqual(
      readdirSync(join(dir, 'a'))
        .filter((f) => f !== '.gradscope-output')
        .sort(),
    );
    expect(marker[1]).toMatch(/^[0-9a-f]{64} {2}\S+$/);
    expect((await explain('a')).exit).toBe(0);
  });

  it('a file the user added makes the run refuse, and survives', async () => {
    expect((await explain('b')).exit).toBe(0);
    writeFileSync(join(dir, 'b', 'notes.txt'), 'mine');
    const r = await explain('b');
    expect(r.exit).toBe(1);
    expect(r.stderr).toMatch(REFUSED);
    expect(r.stderr).toContain('notes.txt');
    expect(readFileSync(join(dir, 'b', 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(dir, 'b', 'gradcam.png'))).toBe(true);
  });

  it('a file the user edited makes the run refuse, and keeps the edit', async () => {
    expect((await explain('c')).exit).toBe(0);
    writeFileSync(join(dir, 'c', 'result.json'), '{"edited": true}');
    const r = await explain('c');
    expect(r.stderr).toMatch(REFUSED);
    expect(readFileSync(join(dir, 'c', 'result.json'), 'utf8')).toBe('{"edited": true}');
  });

  it('a forged marker (old format, or listing the user files with wrong hashes) deletes nothing', async () => {
    for (const marker of [
      'written by gradscope; a later run may replace this folder\n',
      `written by gradscope; a later run replaces this folder only if it holds exactly these files (sha256, path):\n${'0'.repeat(64)}  thesis.docx\n${'0'.repeat(64)}  photos/cat.jpg\n`,
    ]) {
      const d = join(dir, 'forged');
      mkdirSync(join(d, 'photos'), { recursive: true });
      writeFileSync(join(d, '.gradscope-output'), marker);
      writeFileSync(join(d, 'thesis.docx'), 'years of work');
      writeFileSync(join(d, 'photos', 'cat.jpg'), 'a cat');
      const r = await explain('forged');
      expect(r.exit).toBe(1);
      expect(r.stderr).toMatch(REFUSED);
      expect(readFileSync(join(d, 'thesis.docx'), 'utf8')).toBe('years of work');
      expect(readFileSync(join(d, 'photos', 'cat.jpg'), 'utf8')).toBe('a cat');
      rmSync(d, { recursive: true });
    }
  });

  it('a marker with a path leaving the folder is not a marker', async () => {
    const d = join(dir, 'escape');
    mkdirSync(d);
    writeFileSync(
      join(d, '.gradscope-output'),
      `written by gradscope; a later run replaces this folder only if it holds exactly these files (sha256, path):\n${'0'.repeat(64)}  ../in.png\n`,
    );
    writeFileSync(join(d, 'x'), 'x');
    expect((await explain('escape')).stderr).toMatch(REFUSED);
    expect(existsSync(join(dir, 'in.png'))).toBe(true);
  });
});

describe('file-system errors on --out are one typed line', () => {
  it.each([
    ['EROFS', 'the file system is read-only'],
    ['EACCES', 'permission denied'],
    ['EPERM', 'operation not permitted'],
    ['ENOTDIR', 'a part of the path is a file, not a folder'],
  ])('%s', (code, reason) => {
    const e = Object.assign(new Error(`${code}: raw text, mkdir '/x/o'`), { code, syscall: 'mkdir' });
    expect((outputError(e, '/x/o') as Error).message).toBe(`cannot write the output folder '/x/o': ${reason}`);
  });

  it('other errors pass through', () => {
    const e = new RangeError('not fs');
    expect(outputError(e, '/x/o')).toBe(e);
  });
});
