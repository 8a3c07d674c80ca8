import { mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../test-support/fixture-files.js';
import { appendLine, isTempName, sweepTempFiles, writeFileAtomic } from './atomic.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary file', () => {
    const dir = temp.make();
    const file = join(dir, 'a.md');
    writeFileAtomic(file, 'first');
    writeFileAtomic(file, new TextEncoder().encode('second'));
    expect(readFileSync(file, 'utf8')).toBe('second');
    expect(readdirSync(dir)).toEqual(['a.md']);
  });

  it('throws and cleans up when the target cannot be written', () => {
    const dir = temp.make();
    expect(() => writeFileAtomic(join(dir, 'missing', 'a.md'), 'x')).toThrow();
    // A non-empty folder in the way: the rename fails after the temporary file was written.
    const folder = join(dir, 'taken');
    mkdirSync(folder);
    writeFileSync(join(folder, 'x'), '');
    expect(() => writeFileAtomic(folder, 'x')).toThrow();
    expect(readdirSync(dir).filter(isTempName)).toEqual([]);
  });
});

describe('appendLine', () => {
  it('adds a newline only when the line has none', () => {
    const file = join(temp.make(), 'l.jsonl');
    appendLine(file, 'one');
    appendLine(file, 'two\n');
    appendLine(file, 'three\nfour');
    expect(readFileSync(file, 'utf8')).toBe('one\ntwo\nthree\nfour\n');
  });
});

describe('sweepTempFiles', () => {
  it('removes only temporary files older than the limit', () => {
    const dir = temp.make();
    const now = Date.now();
    const old = join(dir, '.tmp-a.md.1.x');
    writeFileSync(old, 'crashed writer');
    utimesSync(old, new Date(now - 120_000), new Date(now - 120_000));
    writeFileSync(join(dir, '.tmp-b.md.2.y'), 'live writer');
    const oldReal = join(dir, 'c.md');
    writeFileSync(oldReal, 'a learning');
    utimesSync(oldReal, new Date(now - 120_000), new Date(now - 120_000));
    expect(sweepTempFiles(dir, 60_000, now)).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['.tmp-b.md.2.y', 'c.md']);
    expect(sweepTempFiles(join(dir, 'missing'))).toBe(0);
  });
});
