import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendLine } from '../lib/atomic.js';
import { ensureAgentsDir } from '../lib/workspace.js';
import type { RatchetEvent, VerdictEvent } from './types.js';
import type { CouncilEvent } from './council/types.js';

/**
 * The gates' part of the ledger (`.agents/ledger/`, append-only, merged by union in git): one file
 * per family, apart from the knowledge files so that neither side reads the other's lines.
 */
export const GATE_LEDGER_FILES = {
  verdict: 'verdicts.jsonl',
  'ratchet-lock': 'ratchet.jsonl',
  'ratchet-allow': 'ratchet.jsonl',
  council: 'council.jsonl',
} as const;

export type GateEvent = VerdictEvent | RatchetEvent | CouncilEvent;

export function appendGateEvents(agentsDir: string, events: readonly GateEvent[]): void {
  if (events.length === 0) return;
  ensureAgentsDir(agentsDir);
  const byFile = new Map<string, string[]>();
  for (const event of events) {
    const file = GATE_LEDGER_FILES[event.kind];
    byFile.set(file, [...(byFile.get(file) ?? []), JSON.stringify(event)]);
  }
  for (const [file, lines] of byFile) appendLine(join(agentsDir, 'ledger', file), lines.join('\n'));
}

/** Every event of one family, in file order; lines that are not events are counted, not fatal. */
export function readGateEvents<K extends GateEvent['kind']>(
  agentsDir: string,
  kinds: readonly K[],
): { events: Extract<GateEvent, { kind: K }>[]; malformed: number } {
  const files = new Set(kinds.map((k) => GATE_LEDGER_FILES[k]));
  const wanted = new Set<string>(kinds);
  const events: Extract<GateEvent, { kind: K }>[] = [];
  let malformed = 0;
  for (const name of files) {
    const file = join(agentsDir, 'ledger', name);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    // A line being written (no newline yet) is left for the next reader.
    const end = text.lastIndexOf('\n') + 1;
    for (const line of text.slice(0, end).split('\n')) {
      if (line.trim() === '') continue;
      try {
        const value = JSON.parse(line) as { kind?: unknown; ts?: unknown };
        if (typeof value.kind === 'string' && typeof value.ts === 'string') {
          if (wanted.has(value.kind)) events.push(value as Extract<GateEvent, { kind: K }>);
        } else malformed++;
      } catch {
        malformed++;
      }
    }
  }
  // Files merged by union keep each side's order; time orders the whole.
  events.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  return { events, malformed };
}
