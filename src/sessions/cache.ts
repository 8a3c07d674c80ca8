import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { CONTEXT_TIERS } from './pricing.js';
import type { ParseWarnings, SessionSummary } from './types.js';

/**
 * The session cache: per source file, what it yielded and where its parser stopped, keyed by
 * file identity. Derived data only; deleting it costs one full read. Bump CACHE_VERSION when a
 * parser changes what it yields, so that stale entries are not trusted.
 *
 * Two files: an index (JSON, everything a warm run needs, read in one go without loading
 * SQLite) and the parser states (SQLite, large, needed only to resume an appended file).
 */
export const CACHE_VERSION = 5;

export interface CachedSource {
  path: string;
  format: string;
  /** dev:ino:size:mtimeMs at the time of the read. */
  fingerprint: string;
  size: number;
  offset: number;
  lineNo: number;
  /** Hex of the bytes just before `offset`, to tell an appended file from a rewritten one. */
  tail: string;
  summaries: SessionSummary[];
  warnings: ParseWarnings;
  /** Hashes of the first session's reply keys, for cross-file de-duplication (keys are not kept). */
  keyHashes: Uint32Array;
}

export interface SessionCache {
  /** Every cached source, without parser state (cheap). */
  all(): Map<string, CachedSource>;
  /** Parser state saved at `offset` for this file, if one was kept at that very offset. */
  state(path: string, offset: number): unknown;
  put(entry: CachedSource, state: unknown): void;
  /** Writes what was put, then releases the cache. */
  close(): void;
}

type IndexEntry = Omit<CachedSource, 'keyHashes'> & { keyHashes: number[] };

interface IndexFile {
  version: string;
  entries: IndexEntry[];
}

const INDEX = 'sessions-index.json';
const STATES = 'session-states.db';
const version = (): string => `${CACHE_VERSION}:${CONTEXT_TIERS.join(',')}`;

export function openSessionCache(dir: string): SessionCache {
  mkdirSync(dir, { recursive: true });
  const indexPath = join(dir, INDEX);
  let db: BetterSqlite3.Database | null = null;
  let loaded: Map<string, CachedSource> | null = null;
  const pending: { entry: CachedSource; state: unknown }[] = [];

  const states = (): BetterSqlite3.Database => {
    if (db) return db;
    // Loaded on first use only: a warm run never needs the native module.
    const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    db = new Database(join(dir, STATES), { timeout: 5000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    const stored = db.prepare(`SELECT value FROM meta WHERE key = 'version'`).pluck().get() as string | undefined;
    if (stored !== version()) {
      db.exec(`DROP TABLE IF EXISTS states`);
      db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('version', ?)`).run(version());
    }
    db.exec(`CREATE TABLE IF NOT EXISTS states (path TEXT PRIMARY KEY, offset INTEGER NOT NULL, state TEXT NOT NULL)`);
    return db;
  };

  return {
    all() {
      loaded ??= readIndex(indexPath);
      return loaded;
    },
    state(path, offset) {
      const row = states().prepare(`SELECT offset, state FROM states WHERE path = ?`).get(path) as
        | { offset: number; state: string }
        | undefined;
      // Another process may have saved a later state than the index entry describes.
      return row && row.offset === offset ? (JSON.parse(row.state) as unknown) : undefined;
    },
    put(entry, state) {
      pending.push({ entry, state });
    },
    close() {
      try {
        if (pending.length > 0) {
          const s = states();
          const upsert = s.prepare(`INSERT OR REPLACE INTO states (path, offset, state) VALUES (?, ?, ?)`);
          const drop = s.prepare(`DELETE FROM states WHERE path = ?`);
          s.transaction(() => {
            for (const { entry, state } of pending) {
              if (state === null || state === undefined) drop.run(entry.path);
              else upsert.run(entry.path, entry.offset, JSON.stringify(state));
            }
          })();
          // Merge into the index as it is now, so that entries another process wrote survive.
          const merged = readIndex(indexPath);
          for (const { entry } of pending) merged.set(entry.path, entry);
          writeIndex(indexPath, merged);
        }
      } finally {
        pending.length = 0;
        db?.close();
        db = null;
      }
    },
  };
}

function readIndex(path: string): Map<string, CachedSource> {
  const map = new Map<string, CachedSource>();
  let file: IndexFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as IndexFile;
  } catch {
    return map; // missing or damaged: the cache starts empty, nothing else is lost
  }
  if (file.version !== version() || !Array.isArray(file.entries)) return map;
  for (const e of file.entries) map.set(e.path, { ...e, keyHashes: Uint32Array.from(e.keyHashes) });
  return map;
}

function writeIndex(path: string, entries: Map<string, CachedSource>): void {
  const file: IndexFile = {
    version: version(),
    // Reply keys are the bulk of a summary and only de-duplication needs them: keep hashes.
    entries: [...entries.values()].map((e) => ({
      ...e,
      summaries: e.summaries.map((s) => ({ ...s, replyKeys: [] })),
      keyHashes: Array.from(e.keyHashes),
    })),
  };
  // Write-then-rename: a reader sees the old index or the new one, never half of one.
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(file));
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}
