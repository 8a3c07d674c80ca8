import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from './atomic.js';

/**
 * A value derived from a few files, cached as JSON keyed by each file's path, size, mtime, ctime
 * and inode: a warm load is one read, one JSON.parse and a stat per file (the guard's policy and
 * the gates skip loading the YAML library this way). A cache that cannot be read or written only
 * costs the next load its parse.
 */
export interface FileKey {
  path: string;
  /** Absent when the file does not exist. */
  size?: number;
  mtimeMs?: number;
  ctimeMs?: number;
  ino?: number;
}

interface CacheFile<T> {
  version: number | string;
  keys: FileKey[];
  value: T;
}

export function fileKey(path: string): FileKey {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st || !st.isFile()) return { path };
    return { path, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
  } catch {
    return { path };
  }
}

/** The cached value for these keys, or null when the cache is missing, stale or of another version. */
export function readFileCache<T>(file: string, version: number | string, keys: readonly FileKey[]): T | null {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const c = data as Partial<CacheFile<T>>;
  if (c.version !== version || !Array.isArray(c.keys) || c.value === undefined || !sameKeys(c.keys, keys)) return null;
  return c.value;
}

export function writeFileCache<T>(file: string, version: number | string, keys: readonly FileKey[], value: T): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileAtomic(file, JSON.stringify({ version, keys, value }), { durable: false });
  } catch {
    // A read-only or missing cache folder only costs the next load a parse.
  }
}

function sameKeys(a: readonly FileKey[], b: readonly FileKey[]): boolean {
  return (
    a.length === b.length &&
    a.every((k, i) => {
      const o = b[i];
      return (
        o !== undefined &&
        k.path === o.path &&
        k.size === o.size &&
        k.mtimeMs === o.mtimeMs &&
        k.ctimeMs === o.ctimeMs &&
        k.ino === o.ino
      );
    })
  );
}
