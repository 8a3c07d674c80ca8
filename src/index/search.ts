import {
  deriveStats,
  emptyCounters,
  parseCounters,
  DEFAULT_DECAY,
  type Counters,
  type DecayPolicy,
} from '../knowledge/stats.js';
import type { LearningSource, LearningType, Maturity } from '../knowledge/types.js';
import type { Db } from './db.js';
import { matchesAny, pathKeys } from './glob.js';
import { queryTerms } from '../lib/terms.js';
import { docFrequency, rankBm25, readPostings, type TermPostings } from './postings.js';
import { ftsTokens } from './tokenize.js';

/**
 * Ranking. A learning's score is its BM25 relevance (title weighted above tags above body),
 * scaled to the best hit of the query, times factors that each say why it ranks where it does:
 * scope (its globs match the files in play), freshness (decay since last use), utility (share
 * of injections that were cited), maturity, and store (the user's store ranks below the
 * repository's). Retired, superseded and expired learnings are left out unless asked for.
 */
export interface SearchOptions {
  query: string;
  /** Files in play, relative to the repository root. */
  paths?: readonly string[];
  limit?: number;
  includeRetired?: boolean;
  now?: number;
  policy?: DecayPolicy;
  /** Cosine similarity of the query to each learning, from an embeddings endpoint (optional). */
  vectors?: ReadonlyMap<string, number>;
}

export interface Why {
  bm25: number;
  /** Cosine similarity to the query, when vectors are configured. */
  vector: number | null;
  /** Relevance scaled to the best match of this query, 0..1. */
  relevance: number;
  matched: string[];
  scope: string | null;
  scopeFactor: number;
  freshness: number;
  utility: number;
  maturity: Maturity;
  maturityFactor: number;
  storeFactor: number;
}

export interface SearchHit {
  id: string;
  title: string;
  type: LearningType;
  store: 'repo' | 'user';
  file: string;
  body: string;
  tags: string[];
  scope: string[];
  source: LearningSource;
  created: string;
  score: number;
  retired: string | null;
  why: Why;
}

const MATURITY_FACTOR: Record<Maturity, number> = {
  established: 1.2,
  candidate: 1.05,
  provisional: 1,
  'anti-pattern': 0.9,
  retired: 0.5,
};
const USER_STORE_FACTOR = 0.8;
const CANDIDATE_LIMIT = 200;

/** What ranking needs of a learning; the body, tags and source are read for the hits returned. */
interface Row {
  rowid: number;
  id: string;
  store: 'repo' | 'user';
  file: string;
  title: string;
  type: LearningType;
  scope: string;
  supersedes: string;
  created: string;
  expires: string | null;
  bm25: number;
}

const ROW = 'rowid, id, store, file, title, type, scope, supersedes, created, expires';

/**
 * The query's words as phrases of the index (a word is one term, seldom several), less those
 * that cannot change a ranking: BM25's idf of a term in more than half the learnings is
 * floored at 1e-6, so such a term adds nothing to any score, but would make every learning
 * that holds it a candidate. When every term is that common, the rarest stays.
 */
function informativePhrases(db: Db, words: readonly string[]): { words: string[]; postings: TermPostings } {
  const phrases = words.flatMap((word) => ftsTokens(word).map((term) => ({ word, term })));
  const all = readPostings(
    db,
    phrases.map((p) => p.term),
  );
  let kept = phrases.map((_, i) => i).filter((i) => docFrequency(all.lists[i]!) * 2 <= all.docs);
  if (kept.length === 0 && phrases.length > 0) {
    const df = all.lists.map(docFrequency);
    kept = [df.indexOf(Math.min(...df))];
  }
  return {
    words: [...new Set(kept.map((i) => phrases[i]!.word))],
    postings: { ...all, lists: kept.map((i) => all.lists[i]!) },
  };
}

/** Searches the index; the best first. */
export function searchIndex(db: Db, options: SearchOptions): SearchHit[] {
  const now = options.now ?? Date.now();
  const paths = options.paths ?? [];
  const { words: terms, postings } = informativePhrases(db, queryTerms(`${options.query} ${paths.join(' ')}`));
  const rows = new Map<number, Row>();
  // Rank on the postings first and read the full rows of the best only: a common word can match
  // most of the store, and reading every matching body would cost more than the ranking.
  const ranked = rankBm25(postings, CANDIDATE_LIMIT);
  if (ranked.length > 0) {
    const bm25 = new Map(ranked.map((r) => [r.rowid, r.bm25]));
    const stmt = db.prepare(`SELECT ${ROW}, 0 AS bm25 FROM learning WHERE rowid IN (SELECT value FROM json_each(?))`);
    for (const row of stmt.all(JSON.stringify(ranked.map((r) => r.rowid))) as Row[]) {
      row.bm25 = bm25.get(row.rowid) ?? 0;
      rows.set(row.rowid, row);
    }
  }
  if (paths.length > 0) {
    // Learnings scoped to the files in play are candidates even when no word matched: those
    // whose globs' keys the paths yield (glob.ts), each checked in full.
    const scoped = db.prepare(
      `SELECT ${ROW}, 0 AS bm25 FROM learning WHERE rowid IN
         (SELECT rowid FROM scope_key WHERE key IN (SELECT value FROM json_each(?)))`,
    );
    for (const row of scoped.all(JSON.stringify(pathKeys(paths))) as Row[]) {
      if (rows.has(row.rowid) || !(JSON.parse(row.scope) as string[]).some((g) => matchesAny(g, paths))) continue;
      rows.set(row.rowid, row);
    }
  }
  const vectors = options.vectors;
  if (vectors && vectors.size > 0) {
    // The nearest learnings by meaning are candidates even when they share no word with the query.
    const nearest = [...vectors]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([id]) => id);
    const byId = db.prepare(`SELECT ${ROW}, 0 AS bm25 FROM learning WHERE id = ?`);
    for (const id of nearest)
      for (const row of byId.all(id) as Row[]) if (!rows.has(row.rowid)) rows.set(row.rowid, row);
  }
  if (rows.size === 0) return [];
  const supersededBy = supersessions(db);
  const counters = loadCounters(db, [...new Set([...rows.values()].map((r) => r.id))]);
  const best = Math.max(...[...rows.values()].map((r) => -r.bm25), 1e-9);
  const scored: { row: Row; score: number; retired: string | null; scope: string[]; why: Omit<Why, 'matched'> }[] = [];
  for (const row of rows.values()) {
    const scope = JSON.parse(row.scope) as string[];
    const c = counters.get(row.id) ?? emptyCounters();
    const stats = deriveStats(row, c, now, options.policy ?? DEFAULT_DECAY, supersededBy.get(row.id) ?? null);
    if (stats.retiredBecause && !options.includeRetired) continue;
    const scopeHit = paths.length > 0 ? (scope.find((g) => matchesAny(g, paths)) ?? null) : null;
    // A scoped learning with files in play but none under its scope is probably about other code.
    const scopeFactor = scopeHit ? 1.5 : scope.length > 0 && paths.length > 0 ? 0.7 : 1;
    const lexical = row.bm25 === 0 ? (vectors ? 0 : 0.35) : -row.bm25 / best;
    const cosine = vectors?.get(row.id) ?? null;
    // Fusion: lexical and semantic relevance weigh the same when both are known.
    const relevance = cosine === null ? lexical : 0.5 * lexical + 0.5 * Math.max(0, cosine);
    const maturityFactor = MATURITY_FACTOR[stats.maturity];
    const storeFactor = row.store === 'user' ? USER_STORE_FACTOR : 1;
    const utilityFactor = 0.75 + 0.5 * stats.utility;
    const score = relevance * scopeFactor * stats.freshness * utilityFactor * maturityFactor * storeFactor;
    scored.push({
      row,
      score: round(score),
      retired: stats.retiredBecause,
      scope,
      why: {
        bm25: Number((-row.bm25).toPrecision(3)),
        vector: cosine === null ? null : round(cosine),
        relevance: round(relevance),
        scope: scopeHit,
        scopeFactor,
        freshness: round(stats.freshness),
        utility: round(stats.utility),
        maturity: stats.maturity,
        maturityFactor,
        storeFactor,
      },
    });
  }
  // Ids are ASCII: a plain comparison orders them without starting ICU's collator.
  scored.sort((a, b) => b.score - a.score || (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0));
  // The same learning in both stores: the repository's copy wins.
  const seen = new Set<string>();
  const top = scored.filter((h) => !seen.has(h.row.id) && seen.add(h.row.id)).slice(0, options.limit ?? 10);
  // Only the hits returned are read in full.
  const rest = new Map(
    (
      db
        .prepare('SELECT rowid, tags, source, body FROM learning WHERE rowid IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify(top.map((h) => h.row.rowid))) as {
        rowid: number;
        tags: string;
        source: string;
        body: string;
      }[]
    ).map((r) => [r.rowid, r]),
  );
  return top.map(({ row, score, retired, scope, why: { bm25, vector, relevance, ...factors } }) => {
    const more = rest.get(row.rowid) ?? { tags: '[]', source: '{}', body: '' };
    const matched = matchedTerms(terms, `${row.title} ${more.tags} ${more.body}`);
    return {
      id: row.id,
      title: row.title,
      type: row.type,
      store: row.store,
      file: row.file,
      body: more.body,
      tags: JSON.parse(more.tags) as string[],
      scope,
      source: JSON.parse(more.source) as LearningSource,
      created: row.created,
      score,
      retired,
      why: { bm25, vector, relevance, matched, ...factors },
    };
  });
}

/** Old id → the live learning that supersedes it. */
export function supersessions(db: Db): Map<string, string> {
  const out = new Map<string, string>();
  for (const row of db.prepare("SELECT id, supersedes FROM learning WHERE supersedes <> '[]'").all() as {
    id: string;
    supersedes: string;
  }[]) {
    for (const old of JSON.parse(row.supersedes) as string[]) if (old !== row.id) out.set(old, row.id);
  }
  return out;
}

function loadCounters(db: Db, ids: readonly string[]): Map<string, Counters> {
  const rows = db
    .prepare('SELECT id, data FROM counters WHERE id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(ids)) as { id: string; data: string }[];
  return new Map(rows.map((r) => [r.id, parseCounters(r.data)]));
}

function matchedTerms(terms: readonly string[], text: string): string[] {
  const lower = text.toLowerCase();
  return terms.filter((t) => lower.includes(t.length > 4 ? t.slice(0, -1) : t)).slice(0, 12);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
