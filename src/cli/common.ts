import type { ArgsDef } from 'citty';
import type { LoadWarnings } from '../sessions/load.js';
import type { SessionQuery } from '../sessions/query.js';
import { err, yellow } from './output.js';
import { createProgress, type Progress } from './progress.js';

/** Arguments every session-reading command takes. */
export const sessionArgs = {
  source: { type: 'string', description: 'read this folder or file instead of the agents\u2019 default places' },
  agent: {
    type: 'string',
    description: 'only these agents (claude, codex, gemini, opencode, cursor; comma-separated)',
  },
  project: { type: 'string', description: 'only sessions whose working directory contains this text' },
  since: { type: 'string', description: 'from this day (YYYY-MM-DD) or time (ISO)' },
  until: { type: 'string', description: 'up to this day (inclusive) or time' },
  json: { type: 'boolean', description: 'print JSON', default: false },
  cache: { type: 'boolean', description: 'use the session cache; --no-cache reads everything afresh', default: true },
} as const satisfies ArgsDef;

export interface SessionArgValues {
  source?: string;
  agent?: string;
  project?: string;
  since?: string;
  until?: string;
  json?: boolean;
  cache?: boolean;
}

export function queryOf(args: SessionArgValues, progress?: Progress): SessionQuery {
  return {
    source: args.source,
    agent: args.agent,
    project: args.project,
    since: args.since,
    until: args.until,
    noCache: args.cache === false,
    onProgress: progress ? (done, total) => progress.update(done, total) : undefined,
  };
}

export function progressFor(args: SessionArgValues): Progress {
  return createProgress('reading sessions', !args.json && Boolean(process.stdout.isTTY && process.stderr.isTTY));
}

/** One line about what could not be read, on stderr; the details are in --json. */
export function reportWarnings(w: LoadWarnings): void {
  const parts: string[] = [];
  if (w.malformedLines) parts.push(`${w.malformedLines} malformed line${w.malformedLines === 1 ? '' : 's'}`);
  if (w.binaryLines) parts.push(`${w.binaryLines} binary line${w.binaryLines === 1 ? '' : 's'}`);
  if (w.oversizedLines) parts.push(`${w.oversizedLines} oversized line${w.oversizedLines === 1 ? '' : 's'}`);
  if (w.unknownRecords) parts.push(`${w.unknownRecords} unknown record${w.unknownRecords === 1 ? '' : 's'}`);
  if (w.unreadable) parts.push(`${w.unreadable} unreadable path${w.unreadable === 1 ? '' : 's'}`);
  if (parts.length === 0) return;
  const files = w.files.length > 0 ? ` in ${w.files.length} file${w.files.length === 1 ? '' : 's'}` : '';
  err(yellow(`warning: skipped ${parts.join(', ')}${files} (details: --json)`));
}
