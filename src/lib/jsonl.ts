import { join } from 'node:path';
import { appendLine } from './atomic.js';

/**
 * The ledger's line format, shared by its families (knowledge, gates): one JSON event per line,
 * each with a `kind` and a `ts`. Readers count what is not an event and move on; writers group
 * events by file so that one call's lines stay together.
 */
export interface EventLine {
  kind: string;
  ts: string;
}

/** The events of complete JSONL text, and how many non-blank lines were not events. */
export function parseEventLines(text: string): { events: EventLine[]; malformed: number } {
  const events: EventLine[] = [];
  let malformed = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (isEventLine(value)) events.push(value);
      else malformed++;
    } catch {
      malformed++;
    }
  }
  return { events, malformed };
}

function isEventLine(value: unknown): value is EventLine {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.kind === 'string' && typeof v.ts === 'string';
}

/** Appends each event to `dir/<fileOf(event)>`, one write per file. */
export function appendEventLines<T>(dir: string, events: readonly T[], fileOf: (event: T) => string): void {
  const byFile = new Map<string, string[]>();
  for (const event of events) {
    const file = fileOf(event);
    const lines = byFile.get(file) ?? [];
    lines.push(JSON.stringify(event));
    byFile.set(file, lines);
  }
  for (const [file, lines] of byFile) appendLine(join(dir, file), lines.join('\n'));
}
