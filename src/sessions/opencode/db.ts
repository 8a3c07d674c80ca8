import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { loadSqlite, type Database } from '../../lib/sqlite.js';
import type { ParseContext, ParsedSource } from '../parser.js';
import { type ParseWarnings, emptyWarnings } from '../types.js';
import { assembleOpenCode } from './assemble.js';
import {
  type OcMessage,
  type OcPart,
  type OcSession,
  epoch,
  isRecord,
  messageFromJson,
  partFromJson,
  str,
} from './records.js';

/** Largest WAL-mode database copied into memory rather than opened in place (see openReadOnly). */
const SNAPSHOT_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Reads `opencode.db` (tables from packages/opencode/src/session/session.sql.ts and the first
 * migration, packages/opencode/migration/20260127222353_familiar_lady_ursula/migration.sql).
 * Never writes; a database that cannot be opened or queried is counted as unreadable.
 */
export async function readOpenCodeDb(ctx: ParseContext): Promise<ParsedSource> {
  const warnings = emptyWarnings();
  let db: Database;
  try {
    db = await openReadOnly(ctx.file);
  } catch {
    warnings.unreadable++;
    return { sessions: [], details: [], warnings };
  }
  try {
    const sessions = readSessions(db);
    const messages = readMessages(db, warnings);
    const parts = ctx.detail ? readParts(db, warnings) : readLeanParts(db, warnings);
    return assembleOpenCode({ file: ctx.file, detail: ctx.detail, sessions, messages, parts, warnings });
  } catch {
    // Locked, corrupt, or not OpenCode's schema after all.
    warnings.unreadable++;
    return { sessions: [], details: [], warnings };
  } finally {
    db.close();
  }
}

/**
 * In WAL mode SQLite creates `-wal` and `-shm` beside the database even for a read-only
 * connection, and leaves them behind when it is the last to close. No `-wal` means no one has
 * the database open and every page is in the main file, so a copy in memory reads the same data
 * without touching OpenCode's folder. If OpenCode starts meanwhile, its writes go to a new WAL
 * and reach the main file only at a checkpoint (SQLite's default waits for ~1000 pages), so the
 * copy is an older but consistent snapshot.
 */
async function openReadOnly(file: string): Promise<Database> {
  const open = await loadSqlite();
  if (isIdleWal(file)) {
    const image = readFileSync(file);
    // An in-memory database cannot be in WAL mode; 1/1 marks the rollback-journal format.
    image[18] = 1;
    image[19] = 1;
    return open(image, { readonly: true });
  }
  return open(file, { readonly: true, fileMustExist: true });
}

function isIdleWal(file: string): boolean {
  const header = Buffer.alloc(20);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  return header[18] === 2 && !existsSync(`${file}-wal`) && statSync(file).size <= SNAPSHOT_MAX_BYTES;
}

function columnsOf(db: Database, table: string): Set<string> {
  const names = new Set<string>();
  for (const row of db.prepare(`PRAGMA table_info(${table})`).all()) {
    if (isRecord(row) && typeof row['name'] === 'string') names.add(row['name']);
  }
  return names;
}

/** Columns come and go across OpenCode versions, so only those present are selected. */
function readSessions(db: Database): OcSession[] {
  const have = columnsOf(db, 'session');
  if (!have.has('id')) throw new Error('no session table');
  const col = (name: string): string => (have.has(name) ? name : 'NULL');
  const sql =
    `SELECT id, ${col('parent_id')} AS parentId, ${col('directory')} AS directory, ${col('title')} AS title,` +
    ` ${col('time_created')} AS created, ${col('time_updated')} AS updated FROM session`;
  const sessions: OcSession[] = [];
  for (const row of db.prepare(sql).all()) {
    if (!isRecord(row)) continue;
    const id = str(row['id']);
    if (!id) continue;
    sessions.push({
      id,
      parentId: str(row['parentId']),
      directory: str(row['directory']),
      title: str(row['title']),
      created: epoch(row['created']),
      updated: epoch(row['updated']),
    });
  }
  return sessions;
}

function readMessages(db: Database, warnings: ParseWarnings): OcMessage[] {
  const messages: OcMessage[] = [];
  const rows = db.prepare('SELECT id, session_id AS sessionId, time_created AS created, data FROM message');
  for (const row of rows.iterate()) {
    const message = isRecord(row) ? messageOfRow(row) : null;
    if (message) messages.push(message);
    else warnings.malformedLines++;
  }
  return messages;
}

function messageOfRow(row: Record<string, unknown>): OcMessage | null {
  const id = str(row['id']);
  const sessionId = str(row['sessionId']);
  if (!id || !sessionId) return null;
  const message = messageFromJson(parseJson(row['data']), id, sessionId);
  if (!message) return null;
  // The row's columns are authoritative: `data` omits id and sessionID by design.
  message.id = id;
  message.sessionId = sessionId;
  message.created ??= epoch(row['created']);
  return message;
}

/** Detail mode: whole parts, tool inputs and outputs included. */
function readParts(db: Database, warnings: ParseWarnings): Map<string, OcPart[]> {
  const parts = new Map<string, OcPart[]>();
  for (const row of db.prepare('SELECT id, message_id AS messageId, data FROM part').iterate()) {
    const part = isRecord(row) ? partOfRow(row) : null;
    if (part) add(parts, part);
    else warnings.malformedLines++;
  }
  return parts;
}

function partOfRow(row: Record<string, unknown>): OcPart | null {
  const id = str(row['id']);
  const messageId = str(row['messageId']);
  if (!id || !messageId) return null;
  const part = partFromJson(parseJson(row['data']), id, messageId);
  if (!part) return null;
  part.id = id;
  part.messageId = messageId;
  return part;
}

/**
 * Summary mode: tool outputs and file contents dominate the part table, so SQLite extracts the
 * few fields a summary needs and the rest never reaches JavaScript. The nested CASE keeps
 * json_extract away from rows that are not JSON objects (it would abort the whole query).
 */
const LEAN_PARTS_SQL = `
SELECT id, message_id AS messageId, d IS NOT NULL AS ok,
  json_extract(d, '$.type') AS type,
  CASE json_extract(d, '$.type') WHEN 'text' THEN substr(json_extract(d, '$.text'), 1, 4000) END AS text,
  json_extract(d, '$.synthetic') AS synthetic,
  json_extract(d, '$.ignored') AS ignored,
  json_extract(d, '$.tool') AS tool,
  json_extract(d, '$.callID') AS callId,
  json_extract(d, '$.state.status') AS status,
  substr(json_extract(d, '$.state.error'), 1, 2000) AS error,
  json_extract(d, '$.state.metadata.sessionId') AS childSessionId,
  json_extract(d, '$.tokens') AS tokens,
  json_extract(d, '$.auto') AS auto,
  coalesce(json_extract(d, '$.state.time.start'), json_extract(d, '$.time.start')) AS time
FROM (
  SELECT id, message_id,
    CASE WHEN json_valid(data) THEN CASE WHEN json_type(data) = 'object' THEN data END END AS d
  FROM part
)`;

function readLeanParts(db: Database, warnings: ParseWarnings): Map<string, OcPart[]> {
  const parts = new Map<string, OcPart[]>();
  for (const row of db.prepare(LEAN_PARTS_SQL).iterate()) {
    if (!isRecord(row)) continue;
    const id = str(row['id']);
    const messageId = str(row['messageId']);
    if (!id || !messageId || row['ok'] !== 1) {
      warnings.malformedLines++;
      continue;
    }
    add(parts, {
      id,
      messageId,
      type: str(row['type']) ?? '',
      text: typeof row['text'] === 'string' ? row['text'] : null,
      synthetic: row['synthetic'] === 1,
      ignored: row['ignored'] === 1,
      tool: str(row['tool']),
      callId: str(row['callId']),
      status: str(row['status']),
      input: null,
      output: null,
      error: str(row['error']),
      childSessionId: str(row['childSessionId']),
      tokens: parseJson(row['tokens']),
      auto: row['auto'] === 1,
      time: epoch(row['time']),
    });
  }
  return parts;
}

function add(parts: Map<string, OcPart[]>, part: OcPart): void {
  const list = parts.get(part.messageId);
  if (list) list.push(part);
  else parts.set(part.messageId, [part]);
}

/** Parsed JSON, or undefined when the column holds something else. */
function parseJson(value: unknown): unknown {
  const text = typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : null;
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
