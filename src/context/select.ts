import type { KnowledgeConfig } from '../lib/config.js';
import { writableAgentsDir, type Workspace } from '../lib/workspace.js';
import { openIndex } from '../index/open.js';
import { vectorsForQuery } from '../index/query-vectors.js';
import { searchIndex } from '../index/search.js';
import { appendEvents, nowIso } from '../knowledge/ledger.js';
import { redact } from '../knowledge/redact.js';
import { decayPolicyOf } from '../knowledge/stats.js';
import { buildPacket, DEFAULT_BUDGET, type Packet } from './inject.js';

export interface SelectOptions {
  query: string;
  /** Files in play, relative to the repository root. */
  paths?: readonly string[];
  budget?: number;
  /** Learnings the session already has: left out of this packet. */
  exclude?: ReadonlySet<string>;
  knowledge: KnowledgeConfig;
  warn?: (message: string) => void;
}

/**
 * The packet for a prompt: the index refreshed in quick mode (this runs on every prompt a hook
 * sees), ranked, and cut to the budget. `ao inject` and the hooks share it.
 */
export async function selectPacket(ws: Workspace, options: SelectOptions): Promise<Packet> {
  const budget = Math.floor(options.budget ?? options.knowledge.injectBudget ?? DEFAULT_BUDGET);
  const { db } = await openIndex(ws, 'quick');
  let hits;
  try {
    const vectors = await vectorsForQuery(db, options.knowledge, options.query, options.warn);
    hits = searchIndex(db, {
      vectors,
      query: options.query,
      paths: options.paths ?? [],
      limit: 30,
      policy: decayPolicyOf(options.knowledge),
    });
  } finally {
    db.close();
  }
  const exclude = options.exclude;
  return buildPacket(exclude && exclude.size > 0 ? hits.filter((h) => !exclude.has(h.id)) : hits, budget);
}

/** Records in the ledger which learnings went to which session, for citations to be measured against. */
export function recordInjection(ws: Workspace, packet: Packet, query: string, session?: string | null): void {
  appendEvents(writableAgentsDir(ws), [
    {
      kind: 'inject',
      ts: nowIso(),
      ids: packet.learnings.map((l) => l.id),
      ...(session ? { session } : {}),
      query: redact(query.slice(0, 200)).text,
      tokens: packet.tokens,
      budget: packet.budget,
    },
  ]);
}
