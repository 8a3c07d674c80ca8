import { closeSync, existsSync, fstatSync, openSync, readSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { appendEventLines, parseEventLines } from '../lib/jsonl.js';
import { ensureAgentsDir } from '../lib/workspace.js';

/**
 * The ledger: append-only JSONL files under `.agents/ledger/`, merged by union in git. Each event
 * is one line; statistics are derived from them (see stats.ts), never edited in place.
 */
export type LedgerEvent =
  | ForgeEvent
  | InjectEvent
  | CiteEvent
  | { kind: 'add'; ts: string; id: string; via: string }
  | { kind: 'retire'; ts: string; id: string; reason: string; by: string }
  | { kind: 'restore'; ts: string; id: string; by: string }
  | { kind: 'feedback'; ts: string; id: string; helpful: boolean; by: string; note?: string }
  | ImportEvent
  | { kind: 'review'; ts: string; candidate: string; decision: 'accept' | 'reject'; id?: string; by: string };

export interface ForgeEvent {
  kind: 'forge';
  ts: string;
  session: string;
  agent: string;
  transcript: string;
  /** Size and mtime of the transcript when forged: a grown transcript is forged again. */
  fingerprint: string;
  candidates: number;
  accepted: string[];
  merged: string[];
  held: number;
  rejected: number;
}

export interface InjectEvent {
  kind: 'inject';
  ts: string;
  ids: string[];
  /** The agent session the packet went to, when a hook says. */
  session?: string;
  /** The first 200 characters of the (redacted) prompt the packet answered. */
  query: string;
  tokens: number;
  budget: number;
}

export interface CiteEvent {
  kind: 'cite';
  ts: string;
  id: string;
  session: string;
  how: 'explicit' | 'implicit';
  evidence: string;
}

export interface ImportEvent {
  kind: 'import';
  ts: string;
  id: string;
  from: string;
  maturity?: string;
  utility?: number;
  helpful?: number;
  harmful?: number;
}

/** Which file an event goes to: one family per file keeps merges and incremental reads simple. */
export function ledgerFileOf(kind: LedgerEvent['kind']): string {
  switch (kind) {
    case 'forge':
      return 'forge.jsonl';
    case 'inject':
      return 'injections.jsonl';
    case 'cite':
      return 'citations.jsonl';
    default:
      return 'learnings.jsonl';
  }
}

/** The knowledge flywheel's files; the rest of `ledger/` (verdicts, ratchet, councils) is the gates'. */
export const KNOWLEDGE_LEDGER_FILES: ReadonlySet<string> = new Set([
  'forge.jsonl',
  'injections.jsonl',
  'citations.jsonl',
  'learnings.jsonl',
]);

/** Appends events to the ledger of `agentsDir`, creating the folder on first use. */
export function appendEvents(agentsDir: string, events: readonly LedgerEvent[]): void {
  if (events.length === 0) return;
  const dir = join(agentsDir, 'ledger');
  // The hot path (an injection per prompt) only checks that the ledger folder is there.
  if (!existsSync(dir)) ensureAgentsDir(agentsDir);
  // One write per file: lines of one call stay together even with concurrent writers.
  appendEventLines(dir, events, (event) => ledgerFileOf(event.kind));
}

export interface LedgerRead {
  events: LedgerEvent[];
  malformed: number;
  /** Bytes consumed: complete lines only, so a line being written is read next time. */
  offset: number;
}

/** Reads one ledger file from `offset` (0 for all of it). */
export function readLedgerFile(file: string, offset = 0): LedgerRead {
  if (!existsSync(file)) return { events: [], malformed: 0, offset: 0 };
  const fd = openSync(file, 'r');
  let buf: Buffer;
  try {
    const size = fstatSync(fd).size;
    if (size <= offset) return { events: [], malformed: 0, offset: Math.min(offset, size) };
    buf = Buffer.allocUnsafe(size - offset);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    buf = buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
  const end = buf.lastIndexOf(10) + 1;
  const { events, malformed } = parseEventLines(buf.toString('utf8', 0, end));
  return { events: events as LedgerEvent[], malformed, offset: offset + end };
}

/** Every event of every ledger file in `agentsDir`, in file order. */
export function readLedger(agentsDir: string): { events: LedgerEvent[]; malformed: number } {
  const dir = join(agentsDir, 'ledger');
  let names: string[] = [];
  try {
    names = readdirSync(dir)
      .filter((n) => KNOWLEDGE_LEDGER_FILES.has(n))
      .sort();
  } catch {
    return { events: [], malformed: 0 };
  }
  const events: LedgerEvent[] = [];
  let malformed = 0;
  for (const name of names) {
    const read = readLedgerFile(join(dir, name));
    for (const e of read.events) events.push(e);
    malformed += read.malformed;
  }
  return { events, malformed };
}

export function nowIso(): string {
  return new Date().toISOString();
}
