import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { loadSqlite, type OpenDatabase } from '../lib/sqlite.js';
import type { Workspace } from '../lib/workspace.js';
import { storeDirs, type StoreDir } from '../knowledge/store.js';
import { sha256Hex } from '../lib/sha256.js';

/**
 * The knowledge index: SQLite under `.agents/.cache/` (or the user's cache outside a repository),
 * with the learnings, their postings for full-text search (postings.ts), the keys of their scope
 * globs (glob.ts), the ledger's counters and any embeddings. Derived from the learning files and the ledger, never the truth: a corrupt or
 * outdated file is deleted and rebuilt.
 */
export type Db = BetterSqlite3.Database;

export const SCHEMA_VERSION = '7';

export interface IndexLocation {
  dbFile: string;
  /** Stores in rank order: the repository's first, then the user's. */
  stores: StoreDir[];
}

/** Where the index of a workspace lives and which stores it covers. */
export function indexLocation(ws: Workspace): IndexLocation {
  const stores = storeDirs(ws);
  // A repository that has no .agents/ yet is not given one by a read: its index waits in the user's cache.
  const dbFile =
    ws.repoAgents && existsSync(ws.repoAgents)
      ? join(ws.repoAgents, '.cache', 'index.db')
      : ws.root
        ? join(ws.userAgents, 'cache', `index-${sha256Hex(ws.root).slice(0, 12)}.db`)
        : join(ws.userAgents, 'cache', 'index.db');
  return { dbFile, stores };
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS learning (
  rowid INTEGER PRIMARY KEY,
  file TEXT NOT NULL UNIQUE,
  id TEXT NOT NULL,
  store TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime REAL NOT NULL,
  title TEXT NOT NULL,
  type TEXT NOT NULL,
  tags TEXT NOT NULL,
  scope TEXT NOT NULL,
  supersedes TEXT NOT NULL,
  created TEXT NOT NULL,
  expires TEXT,
  confidence REAL NOT NULL,
  source TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS learning_id ON learning(id);
CREATE INDEX IF NOT EXISTS learning_superseding ON learning(supersedes, id) WHERE supersedes <> '[]';
CREATE TABLE IF NOT EXISTS posting (term TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS scope_key (key TEXT NOT NULL, rowid INTEGER NOT NULL, PRIMARY KEY (key, rowid)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS scope_key_rowid ON scope_key(rowid);
CREATE TABLE IF NOT EXISTS problem (
  file TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime REAL NOT NULL, line INTEGER, message TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ledger_file (path TEXT PRIMARY KEY, ino INTEGER NOT NULL, offset INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS vector (
  id TEXT NOT NULL, model TEXT NOT NULL, text_hash TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (id, model)
);
`;

/** Opens (creating or replacing as needed) the index database. */
export async function openDb(dbFile: string): Promise<Db> {
  mkdirSync(dirname(dbFile), { recursive: true });
  const open = await loadSqlite();
  try {
    return connect(open, dbFile);
  } catch {
    // A damaged index is only a cache: start again from the files.
    removeDb(dbFile);
    return connect(open, dbFile);
  }
}

function connect(open: OpenDatabase, dbFile: string): Db {
  const db = open(dbFile, { timeout: 10_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const version = readVersion(db);
    if (version !== SCHEMA_VERSION) {
      db.transaction(() => {
        if (version !== null) dropAll(db);
        db.exec(SCHEMA);
        db.prepare('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)').run('schema', SCHEMA_VERSION);
      }).immediate();
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function readVersion(db: Db): string | null {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
  if (!has) return null;
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string } | undefined;
  return row?.value ?? 'none';
}

function dropAll(db: Db): void {
  // learning_fts: the FTS5 table of schema 5 and before, replaced by posting.
  for (const t of [
    'meta',
    'learning',
    'learning_fts',
    'posting',
    'scope_key',
    'problem',
    'counters',
    'ledger_file',
    'vector',
  ]) {
    db.exec(`DROP TABLE IF EXISTS ${t}`);
  }
}

/** Deletes the index files (the database, its WAL and shared memory). */
export function removeDb(dbFile: string): void {
  for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
}

export function getMeta(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)').run(key, value);
}
