import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { Listing, ListingCache } from './discover.js';
import { CONTEXT_TIERS } from './pricing.js';
import type { ParseWarnings, SessionSummary } from './types.js';

/**
 * The session cache: per source file, what it yielded and where its parser stopped, keyed by
 * file identity. Derived data only; deleting it costs one full read. Bump CACHE_VERSION when a
 * parser changes what it yields, so that stale entries are not trusted.
 *
 * Two files: an index (JSON, everything a warm run needs, read in one go without loading
 * SQLite) and the parser states (SQLite, large, needed only to resume an appended file).
 *
 * A warm run reads the whole index, so it is kept cheap to read: pure ASCII (read as latin1,
 * no UTF-8 decoding), reply-key hashes packed into one string per file and unpacked only when
 * de-duplication asks for them, and parsed objects used as they are rather than copied.
 */
export const CACHE_VERSION = 7;

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
  /**
   * Hashes of the first session's reply keys, for cross-file de-duplication (keys are not kept).
   * Read from the index they stay packed (base64) until `keyHashesOf` is asked for them.
   */
  keyHashes: Uint32Array | string;
  /**
   * Set on entries checked together and found free of replies repeated across files: sources
   * that all carry the same group are a subset of such a set, so a warm run skips the check.
   * An entry written afresh has none until it is checked again.
   */
  distinctGroup?: string;
}

export interface SessionCache {
  /** Every cached source, without parser state (cheap). */
  all(): Map<string, CachedSource>;
  /** Records that these sources, as fingerprinted, hold no reply repeated across them. */
  markDistinct(sources: { path: string; fingerprint: string }[]): void;
  /** Folder listings from earlier runs (see discover.ts); new ones are written on close. */
  listings(): ListingCache;
  /** Parser state saved at `offset` for this file, if one was kept at that very offset. */
  state(path: string, offset: number): unknown;
  put(entry: CachedSource, state: unknown): void;
  /** Writes what was put, then releases the cache. */
  close(): void;
}

/**
 * An entry as the index stores it, already in the shape the loader uses (filling in fields
 * would cost more than parsing them): summaries keep no reply keys (`[]`) and an empty `file`
 * when it is the source's path; hashes are base64 of their bytes (this machine's byte order:
 * the cache never leaves it).
 */
type StoredEntry = CachedSource & { keyHashes: string };

interface IndexFile {
  version: string;
  entries: StoredEntry[];
  /** Folder listings: path, mtimeMs, entries (see discover.ts). */
  dirs?: [string, number, string][];
}

interface Index {
  entries: Map<string, StoredEntry>;
  dirs: Map<string, Listing>;
}

const INDEX = 'sessions-index.json';
const STATES = 'session-states.db';
const version = (): string => `${CACHE_VERSION}:${CONTEXT_TIERS.join(',')}`;

export function openSessionCache(dir: string): SessionCache {
  mkdirSync(dir, { recursive: true });
  const indexPath = join(dir, INDEX);
  let db: BetterSqlite3.Database | null = null;
  let index: Index | null = null;
  let loaded: Map<string, CachedSource> | null = null;
  const pending: { entry: CachedSource; state: unknown }[] = [];
  let distinct: { path: string; fingerprint: string }[] = [];
  const newListings = new Map<string, Listing>();
  const read = (): Index => (index ??= readIndex(indexPath));

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
      if (!loaded) {
        loaded = read().entries;
        for (const entry of loaded.values()) for (const s of entry.summaries) if (s.file === '') s.file = entry.path;
      }
      return loaded;
    },
    markDistinct(sources) {
      distinct = sources;
    },
    listings() {
      return {
        get: (dir) => newListings.get(dir) ?? read().dirs.get(dir),
        set: (dir, listing) => void newListings.set(dir, listing),
      };
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
        }
        if (pending.length > 0 || distinct.length > 0 || newListings.size > 0) {
          // Merge into the index as it is now, so that entries another process wrote survive.
          const merged = readIndex(indexPath);
          for (const { entry } of pending) merged.entries.set(entry.path, pack(entry));
          // Only an entry still as it was checked joins the group (another process may have
          // rewritten it since); a member of an older group that is left out stays in that one.
          const group = `${Date.now().toString(36)}.${process.pid.toString(36)}`;
          for (const { path, fingerprint } of distinct) {
            const e = merged.entries.get(path);
            if (e && e.fingerprint === fingerprint) e.distinctGroup = group;
          }
          for (const [dir, listing] of newListings) merged.dirs.set(dir, listing);
          writeIndex(indexPath, merged);
        }
      } finally {
        pending.length = 0;
        distinct = [];
        newListings.clear();
        db?.close();
        db = null;
      }
    },
  };
}

function readIndex(path: string): Index {
  const index: Index = { entries: new Map(), dirs: new Map() };
  let file: IndexFile;
  try {
    // The index is ASCII (see writeIndex): latin1 reads it as is, several times faster than UTF-8.
    file = JSON.parse(readFileSync(path, 'latin1')) as IndexFile;
  } catch {
    return index; // missing or damaged: the cache starts empty, nothing else is lost
  }
  if (file.version !== version() || !Array.isArray(file.entries)) return index;
  for (const e of file.entries) index.entries.set(e.path, e);
  if (Array.isArray(file.dirs))
    for (const [dir, mtimeMs, entries] of file.dirs) index.dirs.set(dir, { mtimeMs, entries });
  return index;
}

function writeIndex(path: string, index: Index): void {
  const file: IndexFile = {
    version: version(),
    entries: [...index.entries.values()],
    dirs: [...index.dirs].map(([dir, l]) => [dir, l.mtimeMs, l.entries]),
  };
  // Write-then-rename: a reader sees the old index or the new one, never half of one.
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(file).replace(NON_ASCII, escapeChar));
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** JSON.stringify escapes lone surrogates already; every other non-ASCII character is escaped here. */
const NON_ASCII = /[\u007f-\uffff]/g;
const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

function pack(entry: CachedSource): StoredEntry {
  // Written afresh: whatever group the old content was in, this content has not been checked.
  const { keyHashes: _packed, summaries, distinctGroup: _group, ...rest } = entry;
  const hashes = keyHashesOf(entry);
  return {
    ...rest,
    // Reply keys are the bulk of a summary and only de-duplication needs them: keep hashes.
    summaries: summaries.map((s) => ({ ...s, file: s.file === entry.path ? '' : s.file, replyKeys: [] })),
    keyHashes: Buffer.from(hashes.buffer, hashes.byteOffset, hashes.byteLength).toString('base64'),
  };
}

/** An entry's reply-key hashes, unpacked (once) if they came from the index. */
export function keyHashesOf(entry: CachedSource): Uint32Array {
  if (typeof entry.keyHashes !== 'string') return entry.keyHashes;
  const bytes = Buffer.from(entry.keyHashes, 'base64');
  const hashes = new Uint32Array(bytes.length >>> 2);
  new Uint8Array(hashes.buffer).set(bytes.subarray(0, hashes.byteLength));
  entry.keyHashes = hashes;
  return hashes;
}
