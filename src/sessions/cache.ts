import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { CONTEXT_TIERS } from './pricing.js';
import type { ParseWarnings, SessionSummary } from './types.js';

/**
 * The session cache: per source file, what it yielded and where its parser stopped, keyed by
 * file identity. Derived data only; deleting it costs one full read. Bump CACHE_VERSION when a
 * parser changes what it yields, so that stale rows are not trusted.
 */
export const CACHE_VERSION = 4;

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
  /** Parser state to resume an appended file, if one was kept. */
  state(path: string): unknown;
  put(entry: CachedSource, state: unknown): void;
  /** Drops rows whose files were not seen in a full scan of their roots. */
  forget(paths: string[]): void;
  close(): void;
}

interface Row {
  path: string;
  format: string;
  fingerprint: string;
  size: number;
  offset: number;
  line_no: number;
  tail: string;
  summaries: string;
  warnings: string;
  key_hashes: Buffer | null;
}

export async function openSessionCache(file: string): Promise<SessionCache> {
  const { default: Database } = await import('better-sqlite3');
  mkdirSync(dirname(file), { recursive: true });
  const db: BetterSqlite3.Database = new Database(file, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  const version = db.prepare(`SELECT value FROM meta WHERE key = 'version'`).pluck().get() as string | undefined;
  // Buckets are split at the price tiers, so a change of tiers invalidates them too.
  const expected = `${CACHE_VERSION}:${CONTEXT_TIERS.join(',')}`;
  if (version !== expected) {
    db.exec(`DROP TABLE IF EXISTS sources`);
    db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('version', ?)`).run(expected);
  }
  db.exec(`CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY, format TEXT NOT NULL, fingerprint TEXT NOT NULL, size INTEGER NOT NULL,
    offset INTEGER NOT NULL, line_no INTEGER NOT NULL, tail TEXT NOT NULL,
    summaries TEXT NOT NULL, warnings TEXT NOT NULL, key_hashes BLOB, state TEXT)`);

  const upsert = db.prepare(`INSERT OR REPLACE INTO sources
    (path, format, fingerprint, size, offset, line_no, tail, summaries, warnings, key_hashes, state)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const pending: CachedSource[] = [];
  const pendingState = new Map<string, unknown>();
  const flush = db.transaction(() => {
    for (const e of pending) {
      const state = pendingState.get(e.path);
      upsert.run(
        e.path,
        e.format,
        e.fingerprint,
        e.size,
        e.offset,
        e.lineNo,
        e.tail,
        // Reply keys are the bulk of a summary and only de-duplication needs them: keep hashes.
        JSON.stringify(e.summaries.map((s) => ({ ...s, replyKeys: [] }))),
        JSON.stringify(e.warnings),
        Buffer.from(e.keyHashes.buffer, e.keyHashes.byteOffset, e.keyHashes.byteLength),
        state === undefined ? null : JSON.stringify(state),
      );
    }
  });

  return {
    all() {
      const rows = db
        .prepare(
          `SELECT path, format, fingerprint, size, offset, line_no, tail, summaries, warnings, key_hashes FROM sources`,
        )
        .all() as Row[];
      const map = new Map<string, CachedSource>();
      for (const r of rows) {
        map.set(r.path, {
          path: r.path,
          format: r.format,
          fingerprint: r.fingerprint,
          size: r.size,
          offset: r.offset,
          lineNo: r.line_no,
          tail: r.tail,
          summaries: JSON.parse(r.summaries) as SessionSummary[],
          warnings: JSON.parse(r.warnings) as ParseWarnings,
          keyHashes: r.key_hashes
            ? new Uint32Array(new Uint8Array(r.key_hashes).buffer, 0, r.key_hashes.length >> 2)
            : new Uint32Array(0),
        });
      }
      return map;
    },
    state(path) {
      const text = db.prepare(`SELECT state FROM sources WHERE path = ?`).pluck().get(path) as
        | string
        | null
        | undefined;
      return text ? (JSON.parse(text) as unknown) : undefined;
    },
    put(entry, state) {
      pending.push(entry);
      pendingState.set(entry.path, state);
    },
    forget(paths) {
      const del = db.prepare(`DELETE FROM sources WHERE path = ?`);
      db.transaction(() => {
        for (const p of paths) del.run(p);
      })();
    },
    close() {
      if (pending.length > 0) {
        try {
          flush();
        } finally {
          pending.length = 0;
          pendingState.clear();
        }
      }
      db.close();
    },
  };
}
