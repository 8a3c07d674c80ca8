import Database from 'better-sqlite3';

/**
 * Builds an OpenCode database for tests, so no binary fixture is committed. The tables are
 * OpenCode's first migration as written:
 * anomalyco/opencode packages/opencode/migration/20260127222353_familiar_lady_ursula/migration.sql
 * (the columns later migrations added are not read by the parser).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS project (
  id text PRIMARY KEY,
  worktree text NOT NULL,
  vcs text,
  name text,
  icon_url text,
  icon_color text,
  time_created integer NOT NULL,
  time_updated integer NOT NULL,
  time_initialized integer,
  sandboxes text NOT NULL
);
CREATE TABLE IF NOT EXISTS message (
  id text PRIMARY KEY,
  session_id text NOT NULL,
  time_created integer NOT NULL,
  time_updated integer NOT NULL,
  data text NOT NULL,
  CONSTRAINT fk_message_session_id_session_id_fk FOREIGN KEY (session_id) REFERENCES session(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS part (
  id text PRIMARY KEY,
  message_id text NOT NULL,
  session_id text NOT NULL,
  time_created integer NOT NULL,
  time_updated integer NOT NULL,
  data text NOT NULL,
  CONSTRAINT fk_part_message_id_message_id_fk FOREIGN KEY (message_id) REFERENCES message(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS session (
  id text PRIMARY KEY,
  project_id text NOT NULL,
  parent_id text,
  slug text NOT NULL,
  directory text NOT NULL,
  title text NOT NULL,
  version text NOT NULL,
  share_url text,
  summary_additions integer,
  summary_deletions integer,
  summary_files integer,
  summary_diffs text,
  revert text,
  permission text,
  time_created integer NOT NULL,
  time_updated integer NOT NULL,
  time_compacting integer,
  time_archived integer,
  CONSTRAINT fk_session_project_id_project_id_fk FOREIGN KEY (project_id) REFERENCES project(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS message_session_idx ON message (session_id);
CREATE INDEX IF NOT EXISTS part_message_idx ON part (message_id);
CREATE INDEX IF NOT EXISTS part_session_idx ON part (session_id);
CREATE INDEX IF NOT EXISTS session_project_idx ON session (project_id);
CREATE INDEX IF NOT EXISTS session_parent_idx ON session (parent_id);
`;

export interface OpenCodeDbSession {
  id: string;
  projectId: string;
  parentId?: string | null;
  directory: string;
  title: string;
  timeCreated: number;
  timeUpdated: number;
}

/** `data` is the message as OpenCode's API shows it; id and sessionID are moved to columns. */
export interface OpenCodeDbMessage {
  id: string;
  sessionId: string;
  timeCreated: number;
  /** An object, or a raw string to store malformed data. */
  data: Record<string, unknown> | string;
}

export interface OpenCodeDbPart {
  id: string;
  messageId: string;
  sessionId: string;
  timeCreated: number;
  data: Record<string, unknown> | string;
}

export interface OpenCodeDbRows {
  projects?: { id: string; worktree: string }[];
  sessions: OpenCodeDbSession[];
  messages: OpenCodeDbMessage[];
  parts: OpenCodeDbPart[];
}

/** Creates `path` with OpenCode's tables and rows; `wal` switches it to WAL mode as OpenCode does. */
export function createOpenCodeDb(path: string, rows: OpenCodeDbRows, options: { wal?: boolean } = {}): void {
  const db = new Database(path);
  try {
    if (options.wal) db.pragma('journal_mode = WAL');
    db.exec(SCHEMA);
    const projects = new Map((rows.projects ?? []).map((p) => [p.id, p.worktree]));
    for (const session of rows.sessions) {
      if (!projects.has(session.projectId)) projects.set(session.projectId, session.directory);
    }
    const insertProject = db.prepare(
      'INSERT INTO project (id, worktree, vcs, time_created, time_updated, sandboxes) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertSession = db.prepare(
      `INSERT INTO session (id, project_id, parent_id, slug, directory, title, version, time_created, time_updated)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertMessage = db.prepare(
      'INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?)',
    );
    const insertPart = db.prepare(
      'INSERT INTO part (id, message_id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?, ?)',
    );
    db.transaction(() => {
      for (const [id, worktree] of projects) insertProject.run(id, worktree, 'git', 0, 0, '[]');
      for (const s of rows.sessions) {
        insertSession.run(
          s.id,
          s.projectId,
          s.parentId ?? null,
          s.id.slice(-8),
          s.directory,
          s.title,
          '1.1.0',
          s.timeCreated,
          s.timeUpdated,
        );
      }
      for (const m of rows.messages) {
        insertMessage.run(m.id, m.sessionId, m.timeCreated, m.timeCreated, stripIds(m.data, ['id', 'sessionID']));
      }
      for (const p of rows.parts) {
        const data = stripIds(p.data, ['id', 'sessionID', 'messageID']);
        insertPart.run(p.id, p.messageId, p.sessionId, p.timeCreated, p.timeCreated, data);
      }
    })();
  } finally {
    db.close();
  }
}

/** OpenCode stores the ids in columns, not in `data` (session.sql.ts, InfoData and PartData). */
function stripIds(data: Record<string, unknown> | string, keys: string[]): string {
  if (typeof data === 'string') return data;
  const copy = { ...data };
  for (const key of keys) delete copy[key];
  return JSON.stringify(copy);
}
