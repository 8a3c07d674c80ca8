import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { WholeFormat } from '../parser.js';
import { readOpenCodeDb } from './db.js';
import { readOpenCodeLegacy } from './legacy.js';

/**
 * OpenCode's SQLite database, `~/.local/share/opencode/opencode.db`: every session in it, one
 * summary each. better-sqlite3 is loaded only when a database is actually read.
 */
export const openCodeDbFormat: WholeFormat = {
  agent: 'opencode',
  kind: 'whole',
  read: readOpenCodeDb,
};

/** OpenCode's legacy JSON tree; `ctx.file` is the `storage/` folder. */
export const openCodeLegacyFormat: WholeFormat = {
  agent: 'opencode',
  kind: 'whole',
  read: readOpenCodeLegacy,
};

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** OpenCode names its databases opencode.db (and opencode-<channel>.db for other channels). */
const DB_NAME = /^opencode.*\.db$/i;

/**
 * Which OpenCode source `path` is: 'db' for a SQLite file named like opencode*.db, 'legacy' for
 * a storage folder, null otherwise. `headBytes` are the file's first bytes (empty for a folder).
 */
export function sniffOpenCode(path: string, headBytes: Buffer): 'db' | 'legacy' | null {
  if (headBytes.length >= SQLITE_MAGIC.length && headBytes.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
    return DB_NAME.test(basename(path)) ? 'db' : null;
  }
  if (headBytes.length > 0) return null;
  return isOpenCodeStorageDir(path) ? 'legacy' : null;
}

/** A folder holding OpenCode's `session/` and `message/` subfolders. */
export function isOpenCodeStorageDir(dir: string): boolean {
  return isDir(join(dir, 'session')) && isDir(join(dir, 'message'));
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
