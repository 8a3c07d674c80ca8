import {
  deriveStats,
  emptyCounters,
  parseCounters,
  DEFAULT_DECAY,
  type Counters,
  type DecayPolicy,
  type Stats,
} from '../knowledge/stats.js';
import type { LearningSource, LearningType } from '../knowledge/types.js';
import type { Db } from './db.js';
import { supersessions } from './search.js';

/** A learning as the index knows it, with the statistics the ledger gives it. */
export interface IndexedLearning {
  id: string;
  title: string;
  type: LearningType;
  store: 'repo' | 'user';
  file: string;
  tags: string[];
  scope: string[];
  supersedes: string[];
  created: string;
  expires: string | null;
  confidence: number;
  source: LearningSource;
  body: string;
  counters: Counters;
  stats: Stats;
}

interface Row {
  id: string;
  title: string;
  type: LearningType;
  store: 'repo' | 'user';
  file: string;
  tags: string;
  scope: string;
  supersedes: string;
  created: string;
  expires: string | null;
  confidence: number;
  source: string;
  body: string;
  data: string | null;
}

/** Every indexed learning with its statistics, repository store first, newest first. */
export function listIndexed(db: Db, now = Date.now(), policy: DecayPolicy = DEFAULT_DECAY): IndexedLearning[] {
  const rows = db
    .prepare(
      `SELECT l.id, l.title, l.type, l.store, l.file, l.tags, l.scope, l.supersedes, l.created, l.expires,
              l.confidence, l.source, l.body, c.data
       FROM learning l LEFT JOIN counters c ON c.id = l.id
       ORDER BY l.store = 'user', l.created DESC, l.id`,
    )
    .all() as Row[];
  const supersededBy = supersessions(db);
  return rows.map((r) => {
    const counters = r.data ? parseCounters(r.data) : emptyCounters();
    return {
      id: r.id,
      title: r.title,
      type: r.type,
      store: r.store,
      file: r.file,
      tags: JSON.parse(r.tags) as string[],
      scope: JSON.parse(r.scope) as string[],
      supersedes: JSON.parse(r.supersedes) as string[],
      created: r.created,
      expires: r.expires,
      confidence: r.confidence,
      source: JSON.parse(r.source) as LearningSource,
      body: r.body,
      counters,
      stats: deriveStats(r, counters, now, policy, supersededBy.get(r.id) ?? null),
    };
  });
}
