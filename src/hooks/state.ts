import { mkdirSync, readFileSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { appendLine, writeFileAtomic } from '../lib/atomic.js';
import { fastHash } from '../lib/hash.js';
import { isRecord } from '../lib/json.js';

/**
 * What the hooks remember between the short processes of one agent session, kept in the
 * repository's cache (`.agents/.cache/hooks/`, never committed): the learnings it was given, and
 * how often each failing tool call failed. Also the hook log and the queue of transcripts for forge.
 */
export interface SessionState {
  /** Learning ids already injected into this session. */
  injected: string[];
  /** Failing tool calls by fingerprint: how many times in a row each failed. */
  failures: Record<string, number>;
  /** Stops the gates have refused in a row (the stop stage failed); reset when it passes. */
  stopBlocks?: number;
}

export function hooksCacheDir(agentsDir: string): string {
  return join(agentsDir, '.cache', 'hooks');
}

function stateFile(agentsDir: string, sessionId: string): string {
  const safe = sessionId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
  const name = safe === sessionId ? safe : `${safe}-${fastHash(sessionId).slice(0, 8)}`;
  return join(hooksCacheDir(agentsDir), `session-${name}.json`);
}

export function loadState(agentsDir: string, sessionId: string | null): SessionState {
  const empty: SessionState = { injected: [], failures: {} };
  if (!sessionId) return empty;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(stateFile(agentsDir, sessionId), 'utf8'));
  } catch {
    return empty;
  }
  if (!isRecord(doc)) return empty;
  const injected = Array.isArray(doc.injected) ? doc.injected.filter((x): x is string => typeof x === 'string') : [];
  const failures: Record<string, number> = {};
  if (isRecord(doc.failures)) {
    for (const [key, n] of Object.entries(doc.failures)) if (typeof n === 'number') failures[key] = n;
  }
  const stopBlocks = typeof doc.stopBlocks === 'number' ? doc.stopBlocks : 0;
  return stopBlocks > 0 ? { injected, failures, stopBlocks } : { injected, failures };
}

export function saveState(agentsDir: string, sessionId: string | null, state: SessionState): void {
  if (!sessionId) return;
  mkdirSync(hooksCacheDir(agentsDir), { recursive: true });
  writeFileAtomic(stateFile(agentsDir, sessionId), JSON.stringify(state), { durable: false });
}

const STATE_MAX_AGE_MS = 14 * 24 * 3600 * 1000;

/** Forgets sessions untouched for two weeks (called at session start). */
export function sweepStates(agentsDir: string, now = Date.now()): void {
  const dir = hooksCacheDir(agentsDir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith('session-')) continue;
    const file = join(dir, name);
    try {
      if (now - statSync(file).mtimeMs > STATE_MAX_AGE_MS) unlinkSync(file);
    } catch {
      // Another process got there first.
    }
  }
}

/** Appends one JSON line to a file of the hooks' cache. */
export function appendCacheLine(agentsDir: string, name: string, value: unknown): void {
  mkdirSync(hooksCacheDir(agentsDir), { recursive: true });
  appendLine(join(hooksCacheDir(agentsDir), name), JSON.stringify(value));
}
