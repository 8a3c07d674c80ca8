import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendEventLines, parseEventLines } from '../lib/jsonl.js';
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
  appendEventLines(join(agentsDir, 'ledger'), events, (event) => GATE_LEDGER_FILES[event.kind]);
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
    const read = parseEventLines(text.slice(0, text.lastIndexOf('\n') + 1));
    malformed += read.malformed;
    for (const e of read.events) if (wanted.has(e.kind)) events.push(e as Extract<GateEvent, { kind: K }>);
  }
  // Files merged by union keep each side's order; time orders the whole.
  events.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  return { events, malformed };
}
