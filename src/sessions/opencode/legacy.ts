import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ParseContext, ParsedSource } from '../parser.js';
import { type ParseWarnings, emptyWarnings } from '../types.js';
import { assembleOpenCode } from './assemble.js';
import {
  type OcMessage,
  type OcPart,
  type OcSession,
  messageFromJson,
  partFromJson,
  sessionFromJson,
} from './records.js';

/**
 * Reads the JSON tree OpenCode kept before its SQLite database (and still leaves behind after
 * migrating): `storage/session/<projectID>/<sessionID>.json`,
 * `storage/message/<sessionID>/msg_*.json`, `storage/part/<messageID>/prt_*.json`.
 * `ctx.file` is the `storage` folder.
 */
export function readOpenCodeLegacy(ctx: ParseContext): Promise<ParsedSource> {
  // Synchronous reads: thousands of tiny files go faster than with an await each.
  return new Promise((resolve) => resolve(readTree(ctx)));
}

function readTree(ctx: ParseContext): ParsedSource {
  const warnings = emptyWarnings();
  const root = ctx.file;
  const sessionRoot = listDir(join(root, 'session'), warnings);
  const messageRoot = listDir(join(root, 'message'), warnings);
  if (sessionRoot === null && messageRoot === null) {
    warnings.unreadable++;
    return { sessions: [], details: [], warnings };
  }

  const sessions: OcSession[] = [];
  for (const project of sessionRoot ?? []) {
    for (const name of jsonFiles(join(root, 'session', project), warnings)) {
      const value = readJson(join(root, 'session', project, name), warnings);
      if (value === undefined) continue;
      const session = sessionFromJson(value, basename(name, '.json'));
      if (session) sessions.push(session);
      else warnings.malformedLines++;
    }
  }

  const messages: OcMessage[] = [];
  const parts = new Map<string, OcPart[]>();
  for (const sessionId of messageRoot ?? []) {
    for (const name of jsonFiles(join(root, 'message', sessionId), warnings)) {
      const value = readJson(join(root, 'message', sessionId, name), warnings);
      if (value === undefined) continue;
      const message = messageFromJson(value, basename(name, '.json'), sessionId);
      if (!message) {
        warnings.malformedLines++;
        continue;
      }
      messages.push(message);
      parts.set(message.id, readParts(root, message.id, warnings));
    }
  }

  return assembleOpenCode({ file: ctx.file, detail: ctx.detail, sessions, messages, parts, warnings });
}

function readParts(root: string, messageId: string, warnings: ParseWarnings): OcPart[] {
  const dir = join(root, 'part', messageId);
  const parts: OcPart[] = [];
  // A message without parts has no folder at all.
  for (const name of jsonFiles(dir, warnings)) {
    const value = readJson(join(dir, name), warnings);
    if (value === undefined) continue;
    const part = partFromJson(value, basename(name, '.json'), messageId);
    if (part) parts.push(part);
    else warnings.malformedLines++;
  }
  return parts;
}

/** Entries of a folder; null when it is missing or not a folder, counted when it cannot be read. */
function listDir(dir: string, warnings: ParseWarnings): string[] | null {
  try {
    return readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') warnings.unreadable++;
    return null;
  }
}

function jsonFiles(dir: string, warnings: ParseWarnings): string[] {
  return (listDir(dir, warnings) ?? []).filter((name) => name.endsWith('.json'));
}

/** Parsed JSON, or undefined (counted) when the file is unreadable or not JSON. */
function readJson(path: string, warnings: ParseWarnings): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    warnings.unreadable++;
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    warnings.malformedLines++;
    return undefined;
  }
}
