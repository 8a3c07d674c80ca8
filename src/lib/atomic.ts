import { closeSync, fsyncSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const TMP_PREFIX = '.tmp-';

/**
 * Writes a file so that readers see the old content or the new one, never a part: the bytes go
 * to a temporary file beside the target, are flushed, and the temporary file is renamed over it.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, options: { durable?: boolean } = {}): void {
  const tmp = join(dirname(file), `${TMP_PREFIX}${basename(file)}.${process.pid}.${randomSuffix()}`);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    // A cache file may skip the flush: after a power loss it may come back empty, which its
    // readers take as absent.
    if (options.durable !== false) fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkQuietly(tmp);
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(tmp, file);
  } catch (error) {
    unlinkQuietly(tmp);
    throw error;
  }
}

/**
 * Appends one line with a single `write` on a descriptor opened with O_APPEND, so concurrent
 * appenders never interleave inside a line (local file systems keep such writes whole).
 */
export function appendLine(file: string, line: string): void {
  const fd = openSync(file, 'a', 0o644);
  try {
    writeSync(fd, Buffer.from(line.endsWith('\n') ? line : `${line}\n`, 'utf8'));
  } finally {
    closeSync(fd);
  }
}

/** Whether a name is one of our temporary files (skipped by readers). */
export function isTempName(name: string): boolean {
  return name.startsWith(TMP_PREFIX);
}

/**
 * Removes temporary files a crashed writer left behind in `dir`, once they are older than
 * `maxAgeMs` (a live writer renames its file within milliseconds).
 */
export function sweepTempFiles(dir: string, maxAgeMs = 60_000, now = Date.now()): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!isTempName(name)) continue;
    const file = join(dir, name);
    try {
      if (now - statSync(file).mtimeMs > maxAgeMs) {
        unlinkSync(file);
        removed++;
      }
    } catch {
      // Gone already, or renamed by its writer.
    }
  }
  return removed;
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Nothing to clean up.
  }
}

function randomSuffix(): string {
  return Math.floor(Math.random() * 0x7fffffff).toString(36);
}
