import { existsSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isRecord } from '../lib/json.js';
import { appendCacheLine, hooksCacheDir } from './state.js';

/**
 * Finished sessions waiting for forge: the stop and session-end hooks append one line per session to
 * `.agents/.cache/hooks/forge-queue.jsonl`; `ao forge --queued` takes the whole file (renamed
 * first, so a hook appending meanwhile starts a new one) and forges those transcripts.
 */
export interface QueuedSession {
  ts: string;
  session: string | null;
  transcript: string | null;
  cwd: string;
  reason: string;
}

const QUEUE = 'forge-queue.jsonl';

/** Queues a session once: a session that stops several times (sent back by the gates) waits once. */
export function queueForForge(agentsDir: string, entry: QueuedSession): void {
  const queued = readQueue(join(hooksCacheDir(agentsDir), QUEUE));
  if (queued.some((e) => e.session === entry.session && e.transcript === entry.transcript)) return;
  appendCacheLine(agentsDir, QUEUE, entry);
}

export function queuedCount(agentsDir: string): number {
  return readQueue(join(hooksCacheDir(agentsDir), QUEUE)).length;
}

/** Takes the queue: its entries, and `done()` to drop them or `putBack()` to return them. */
export function takeForgeQueue(agentsDir: string): { entries: QueuedSession[]; done(): void; putBack(): void } {
  const file = join(hooksCacheDir(agentsDir), QUEUE);
  const taken = `${file}.${process.pid}.taken`;
  if (!existsSync(file)) return { entries: [], done() {}, putBack() {} };
  renameSync(file, taken);
  const entries = readQueue(taken);
  return {
    entries,
    done: () => unlinkSync(taken),
    putBack: () => {
      for (const e of entries) queueForForge(agentsDir, e);
      unlinkSync(taken);
    },
  };
}

function readQueue(file: string): QueuedSession[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const entries: QueuedSession[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const e: unknown = JSON.parse(line);
      if (isRecord(e) && typeof e.ts === 'string') {
        entries.push({
          ts: e.ts,
          session: typeof e.session === 'string' ? e.session : null,
          transcript: typeof e.transcript === 'string' ? e.transcript : null,
          cwd: typeof e.cwd === 'string' ? e.cwd : '',
          reason: typeof e.reason === 'string' ? e.reason : '',
        });
      }
    } catch {
      // A torn line from a crashed hook: skipped.
    }
  }
  return entries;
}
