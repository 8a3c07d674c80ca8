import { closeSync, openSync, readSync } from 'node:fs';

const TAIL_BYTES = 32;

/** Hex of the bytes just before `offset`: tells an appended file from a rewritten one. */
export function readTail(path: string, offset: number): string {
  const from = Math.max(0, offset - TAIL_BYTES);
  const buf = Buffer.alloc(offset - from);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    readSync(fd, buf, 0, buf.length, from);
    return buf.toString('hex');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
