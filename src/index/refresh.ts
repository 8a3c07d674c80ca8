import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { KNOWLEDGE_LEDGER_FILES, readLedgerFile, type LedgerEvent } from '../knowledge/ledger.js';
import { applyEvent, emptyCounters, parseCounters, type Counters } from '../knowledge/stats.js';
import { learningFiles, readLearningFile, type StoreDir } from '../knowledge/store.js';
import type { StoreProblem, StoredLearning } from '../knowledge/types.js';
import { getMeta, setMeta, type Db } from './db.js';
import { scopeKey } from './glob.js';
import { type PostingDoc, searchText, updatePostings } from './postings.js';
import { loadYaml } from '../lib/yaml-doc.js';

/**
 * Brings the index up to date with the learning files and the ledger.
 *
 * `quick` (the hot path of hooks and `ao inject`) rescans a store only when its `learnings/`
 * folder changed: creating, deleting or renaming a file (git, our atomic writes, most editors)
 * changes it. Editors that rewrite a file in place are caught by `full`, which stats every file
 * (other commands), and by `ao index rebuild`. The ledger is read incrementally: only lines
 * appended since the last refresh, unless a file was replaced (a git merge), then all of it.
 *
 * `quick` also leaves a short backlog of new ledger lines unwritten (see QUICK_LEDGER_BACKLOG):
 * it applies them in memory, to a temporary view that stands in for the `counters` table on
 * this connection only, and a later refresh writes them.
 */
export interface RefreshResult {
  added: number;
  updated: number;
  removed: number;
  /** Ledger events written into the index's counters. */
  ledgerEvents: number;
  /** Ledger events applied on this connection only, in quick mode (written by a later refresh). */
  ledgerPending: number;
  problems: StoreProblem[];
}

/**
 * The most bytes of new ledger lines a quick refresh leaves unwritten. Every prompt's injection
 * appends a line; writing it at the next prompt took a write transaction and a WAL checkpoint
 * when the connection closed, ~7 ms of each hook. Reading 32 KB (about a hundred injections)
 * takes well under a millisecond, and past it the backlog is written in one transaction.
 */
const QUICK_LEDGER_BACKLOG = 32 * 1024;

interface FileStat {
  file: string;
  size: number;
  mtime: number;
  store: 'repo' | 'user';
}

export function refreshIndex(db: Db, stores: readonly StoreDir[], mode: 'quick' | 'full'): RefreshResult {
  const result: RefreshResult = { added: 0, updated: 0, removed: 0, ledgerEvents: 0, ledgerPending: 0, problems: [] };
  const dirStamps = stores.map((s) => ({
    key: `dir:${join(s.agents, 'learnings')}`,
    stamp: dirStamp(join(s.agents, 'learnings')),
  }));
  const dirsChanged = dirStamps.some((d) => getMeta(db, d.key) !== d.stamp);
  if (mode === 'full' || dirsChanged) syncFiles(db, stores, result);
  syncLedger(db, stores, result, mode === 'quick' && !dirsChanged);
  if (dirsChanged || mode === 'full') {
    db.transaction(() => {
      for (const d of dirStamps) setMeta(db, d.key, d.stamp);
    }).immediate();
  }
  result.problems = listProblems(db);
  return result;
}

function dirStamp(dir: string): string {
  try {
    const st = statSync(dir);
    return `${st.ino}:${st.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

function syncFiles(db: Db, stores: readonly StoreDir[], result: RefreshResult): void {
  const onDisk = new Map<string, FileStat>();
  for (const { agents, store } of stores) {
    for (const file of learningFiles(agents)) {
      try {
        const st = statSync(file);
        onDisk.set(file, { file, size: st.size, mtime: st.mtimeMs, store });
      } catch {
        // Deleted between the listing and the stat.
      }
    }
  }
  const known = new Map<string, { size: number; mtime: number }>();
  for (const row of db
    .prepare('SELECT file, size, mtime FROM learning UNION ALL SELECT file, size, mtime FROM problem')
    .all() as { file: string; size: number; mtime: number }[]) {
    known.set(row.file, row);
  }
  const changed = [...onDisk.values()].filter((f) => {
    const k = known.get(f.file);
    return !k || k.size !== f.size || k.mtime !== f.mtime;
  });
  const gone = [...known.keys()].filter((f) => !onDisk.has(f));
  if (changed.length === 0 && gone.length === 0) return;
  // Parse outside the write transaction; the YAML library loads only for files that need it.
  const parsed: { stat: FileStat; learning?: StoredLearning; problem?: StoreProblem }[] = [];
  let yamlParse: ((text: string) => unknown) | undefined;
  for (const stat of changed) {
    let r = readLearningFile(stat.file, stat.store, yamlParse);
    if (r.needsYaml) {
      yamlParse ??= loadYaml().parse;
      r = readLearningFile(stat.file, stat.store, yamlParse);
    }
    parsed.push({ stat, learning: r.learning, problem: r.problem });
  }
  const del = db.prepare('DELETE FROM learning WHERE file = ? RETURNING rowid, title, body, tags, type');
  const delProblem = db.prepare('DELETE FROM problem WHERE file = ?');
  const insert = db.prepare(
    `INSERT INTO learning(file, id, store, size, mtime, title, type, tags, scope, supersedes, created, expires, confidence, source, body)
     VALUES (@file, @id, @store, @size, @mtime, @title, @type, @tags, @scope, @supersedes, @created, @expires, @confidence, @source, @body)`,
  );
  const insertProblem = db.prepare(
    'INSERT OR REPLACE INTO problem(file, size, mtime, line, message) VALUES (?, ?, ?, ?, ?)',
  );
  // What leaves and enters the postings, written once per term at the end.
  const removed: PostingDoc[] = [];
  const added: PostingDoc[] = [];
  const delScope = db.prepare('DELETE FROM scope_key WHERE rowid = ?');
  const insertScope = db.prepare('INSERT OR IGNORE INTO scope_key(key, rowid) VALUES (?, ?)');
  const removeFile = (file: string): boolean => {
    delProblem.run(file);
    const row = del.get(file) as { rowid: number; title: string; body: string; tags: string; type: string } | undefined;
    if (!row) return false;
    removed.push({ rowid: row.rowid, text: searchText({ ...row, tags: JSON.parse(row.tags) as string[] }) });
    delScope.run(row.rowid);
    return true;
  };
  db.transaction(() => {
    for (const file of gone) if (removeFile(file)) result.removed++;
    for (const { stat, learning, problem } of parsed) {
      const existed = removeFile(stat.file);
      if (learning) {
        const info = insert.run({
          file: stat.file,
          id: learning.id,
          store: stat.store,
          size: stat.size,
          mtime: stat.mtime,
          title: learning.title,
          type: learning.type,
          tags: JSON.stringify(learning.tags),
          scope: JSON.stringify(learning.scope),
          supersedes: JSON.stringify(learning.supersedes),
          created: learning.created,
          expires: learning.expires,
          confidence: learning.confidence,
          source: JSON.stringify(learning.source),
          body: learning.body,
        });
        const rowid = Number(info.lastInsertRowid);
        added.push({ rowid, text: searchText(learning) });
        for (const glob of learning.scope) insertScope.run(scopeKey(glob), rowid);
        if (existed) result.updated++;
        else result.added++;
      } else if (problem) {
        if (existed) result.removed++;
        insertProblem.run(stat.file, stat.size, stat.mtime, problem.line ?? null, problem.message);
      }
    }
    updatePostings(db, removed, added);
  }).immediate();
}

function listProblems(db: Db): StoreProblem[] {
  const rows = db.prepare('SELECT file, line, message FROM problem ORDER BY file').all() as {
    file: string;
    line: number | null;
    message: string;
  }[];
  return rows.map((r) => ({ file: r.file, line: r.line ?? undefined, message: r.message }));
}

interface LedgerFileState {
  path: string;
  ino: number;
  size: number;
}

function ledgerFiles(stores: readonly StoreDir[]): LedgerFileState[] {
  const out: LedgerFileState[] = [];
  for (const { agents } of stores) {
    const dir = join(agents, 'ledger');
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      if (!KNOWLEDGE_LEDGER_FILES.has(name)) continue;
      try {
        const st = statSync(join(dir, name));
        out.push({ path: join(dir, name), ino: st.ino, size: st.size });
      } catch {
        // Removed meanwhile.
      }
    }
  }
  return out;
}

/** How far each ledger file was read, by path, and the inode it had then. */
function savedOffsets(db: Db): Map<string, { ino: number; offset: number }> {
  const rows = db.prepare('SELECT path, ino, offset FROM ledger_file').all() as {
    path: string;
    ino: number;
    offset: number;
  }[];
  return new Map(rows.map((r) => [r.path, { ino: r.ino, offset: r.offset }]));
}

/**
 * Applies the ledger lines appended since the last write. With `mayDefer` (a quick refresh that
 * writes nothing else), a backlog under QUICK_LEDGER_BACKLOG is applied on this connection only.
 */
function syncLedger(db: Db, stores: readonly StoreDir[], result: RefreshResult, mayDefer: boolean): void {
  const files = ledgerFiles(stores);
  const saved = savedOffsets(db);
  const current = new Set(files.map((f) => f.path));
  // A file replaced, shrunk or removed cannot be patched: recount everything from the start.
  const rewrite =
    [...saved.keys()].some((p) => !current.has(p)) ||
    files.some((f) => {
      const s = saved.get(f.path);
      return s !== undefined && (s.ino !== f.ino || f.size < s.offset);
    });
  const pending = files.filter((f) => rewrite || (saved.get(f.path)?.offset ?? 0) < f.size);
  if (!rewrite && pending.length === 0) return;
  const backlog = pending.reduce((n, f) => n + f.size - (saved.get(f.path)?.offset ?? 0), 0);
  if (mayDefer && !rewrite && backlog <= QUICK_LEDGER_BACKLOG) {
    // Offsets and counters from one snapshot: another process may write the backlog meanwhile.
    db.transaction(() => overlayCounters(db, readNewEvents(pending, savedOffsets(db)).events, result))();
    return;
  }
  db.transaction(() => {
    // Re-read inside the lock: another process may have applied these lines meanwhile.
    const offsets = savedOffsets(db);
    if (rewrite) {
      db.exec('DELETE FROM main.counters; DELETE FROM ledger_file;');
      offsets.clear();
    }
    const setFile = db.prepare('INSERT OR REPLACE INTO ledger_file(path, ino, offset) VALUES (?, ?, ?)');
    const read = readNewEvents(rewrite ? files : pending, offsets);
    for (const f of read.files) setFile.run(f.path, f.ino, f.offset);
    result.ledgerEvents += read.events.length;
    const put = db.prepare('INSERT OR REPLACE INTO main.counters(id, data) VALUES (?, ?)');
    for (const [id, c] of countersAfter(db, read.events)) put.run(id, JSON.stringify(c));
  }).immediate();
}

/** The events of each file from where the index last read it (its start if it was replaced). */
function readNewEvents(
  files: readonly LedgerFileState[],
  offsets: ReadonlyMap<string, { ino: number; offset: number }>,
): { events: LedgerEvent[]; files: { path: string; ino: number; offset: number }[] } {
  const events: LedgerEvent[] = [];
  const read: { path: string; ino: number; offset: number }[] = [];
  for (const f of files) {
    const from = offsets.get(f.path);
    const r = readLedgerFile(f.path, from && from.ino === f.ino ? from.offset : 0);
    for (const event of r.events) events.push(event);
    read.push({ path: f.path, ino: f.ino, offset: r.offset });
  }
  return { events, files: read };
}

/** The written counters of the learnings these events touch, with the events applied. */
function countersAfter(db: Db, events: readonly LedgerEvent[]): Map<string, Counters> {
  const counters = new Map<string, Counters>();
  const get = db.prepare('SELECT data FROM main.counters WHERE id = ?').pluck();
  for (const event of events) {
    for (const id of eventIds(event)) {
      if (counters.has(id)) continue;
      const data = get.get(id) as string | undefined;
      counters.set(id, data ? parseCounters(data) : emptyCounters());
    }
  }
  for (const event of events) applyEvent(counters, event);
  return counters;
}

/**
 * Counters with unwritten events applied, for this connection only: a temporary view named
 * `counters` comes before the table of that name (SQLite looks in `temp` first), so every
 * reader sees them, and nothing is written to the index file.
 */
function overlayCounters(db: Db, events: readonly LedgerEvent[], result: RefreshResult): void {
  if (events.length === 0) return;
  const counters = countersAfter(db, events);
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS pending_counters (id TEXT PRIMARY KEY, data TEXT NOT NULL);
    DELETE FROM temp.pending_counters;
    CREATE TEMP VIEW IF NOT EXISTS counters AS
      SELECT id, data FROM temp.pending_counters
      UNION ALL SELECT id, data FROM main.counters WHERE id NOT IN (SELECT id FROM temp.pending_counters);
  `);
  const put = db.prepare('INSERT INTO temp.pending_counters(id, data) VALUES (?, ?)');
  for (const [id, c] of counters) put.run(id, JSON.stringify(c));
  result.ledgerPending += events.length;
}

function eventIds(event: LedgerEvent): string[] {
  if (event.kind === 'inject') return event.ids;
  if (event.kind === 'forge') return [];
  if (event.kind === 'review') return event.id ? [event.id] : [];
  return [event.id];
}
