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
import { matchesAny } from './glob.js';
import { matchExpression, queryTerms } from '../lib/terms.js';

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

const WEIGHTS = { title: 4, body: 1, tags: 2.5 };
const MATURITY_FACTOR: Record<Maturity, number> = {
  established: 1.2,
  candidate: 1.05,
  provisional: 1,
  'anti-pattern': 0.9,
  retired: 0.5,
};
const USER_STORE_FACTOR = 0.8;
const CANDIDATE_LIMIT = 200;

interface Row {
  rowid: number;
  id: string;
  store: 'repo' | 'user';
  file: string;
  title: string;
  type: LearningType;
  tags: string;
  scope: string;
  supersedes: string;
  created: string;
  expires: string | null;
  source: string;
  body: string;
  bm25: number;
}

/**
 * The query terms that can change a ranking. FTS5's BM25 gives a term found in more than half
 * the documents an idf of 1e-6 (the formula's log turns negative there), so such a term adds
 * nothing to any score, yet matching it makes FTS5 rank most of the store: in a large store,
 * common words cost more than the rest of the search. They are left out of the match; when
 * every term is that common, the rarest one stays. Counting a term's documents is cheap: FTS5
 * walks its list without ranking.
 */
function informativeTerms(db: Db, terms: readonly string[]): string[] {
  if (terms.length < 2) return [...terms];
  const total = (db.prepare('SELECT count(*) AS n FROM learning').get() as { n: number }).n;
  const count = db.prepare('SELECT count(*) AS n FROM learning_fts WHERE learning_fts MATCH ?');
  const df = terms.map((t) => (count.get(matchExpression([t])) as { n: number }).n);
  const kept = terms.filter((_, i) => df[i]! * 2 <= total);
  if (kept.length > 0) return kept;
  const rarest = df.indexOf(Math.min(...df));
  return [terms[rarest]!];
}

/** Searches the index; the best first. */
export function searchIndex(db: Db, options: SearchOptions): SearchHit[] {
  const now = options.now ?? Date.now();
  const paths = options.paths ?? [];
  const terms = informativeTerms(db, queryTerms(`${options.query} ${paths.join(' ')}`));
  const rows = new Map<number, Row>();
  if (terms.length > 0) {
    // Rank inside FTS5 first and join the full rows of the best only: a common word can match
    // most of the store, and reading every matching body would cost more than the ranking.
    const stmt = db.prepare(
      `SELECT l.rowid AS rowid, l.id, l.store, l.file, l.title, l.type, l.tags, l.scope, l.supersedes, l.created,
              l.expires, l.source, l.body, f.rank AS bm25
       FROM (SELECT rowid, bm25(learning_fts, ${WEIGHTS.title}, ${WEIGHTS.body}, ${WEIGHTS.tags}) AS rank
             FROM learning_fts WHERE learning_fts MATCH ? ORDER BY rank LIMIT ${CANDIDATE_LIMIT}) f
       JOIN learning l ON l.rowid = f.rowid`,
    );
    for (const row of stmt.all(matchExpression(terms)) as Row[]) rows.set(row.rowid, row);
  }
  if (paths.length > 0) {
    // Learnings scoped to the files in play are candidates even when no word matched.
    // Scopes come from a partial index; full rows are read only for the scopes that match.
    const scoped = db.prepare("SELECT rowid, scope FROM learning WHERE scope <> '[]'");
    const full = db.prepare(
      `SELECT rowid, id, store, file, title, type, tags, scope, supersedes, created, expires, source, body, 0 AS bm25
       FROM learning WHERE rowid = ?`,
    );
    for (const { rowid, scope } of scoped.all() as { rowid: number; scope: string }[]) {
      if (rows.has(rowid) || !(JSON.parse(scope) as string[]).some((g) => matchesAny(g, paths))) continue;
      const row = full.get(rowid) as Row | undefined;
      if (row) rows.set(rowid, row);
    }
  }
  const vectors = options.vectors;
  if (vectors && vectors.size > 0) {
    // The nearest learnings by meaning are candidates even when they share no word with the query.
    const nearest = [...vectors]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([id]) => id);
    const byId = db.prepare(
      `SELECT rowid, id, store, file, title, type, tags, scope, supersedes, created, expires, source, body, 0 AS bm25
       FROM learning WHERE id = ?`,
    );
    for (const id of nearest)
      for (const row of byId.all(id) as Row[]) if (!rows.has(row.rowid)) rows.set(row.rowid, row);
  }
  if (rows.size === 0) return [];
  const supersededBy = supersessions(db);
  const counters = loadCounters(db, [...new Set([...rows.values()].map((r) => r.id))]);
  const best = Math.max(...[...rows.values()].map((r) => -r.bm25), 1e-9);
  const hits: SearchHit[] = [];
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
    hits.push({
      id: row.id,
      title: row.title,
      type: row.type,
      store: row.store,
      file: row.file,
      body: row.body,
      tags: JSON.parse(row.tags) as string[],
      scope,
      source: JSON.parse(row.source) as LearningSource,
      created: row.created,
      score: round(score),
      retired: stats.retiredBecause,
      why: {
        bm25: Number((-row.bm25).toPrecision(3)),
        vector: cosine === null ? null : round(cosine),
        relevance: round(relevance),
        matched: matchedTerms(terms, `${row.title} ${row.tags} ${row.body}`),
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
  hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // The same learning in both stores: the repository's copy wins.
  const seen = new Set<string>();
  const unique = hits.filter((h) => !seen.has(h.id) && seen.add(h.id));
  return unique.slice(0, options.limit ?? 10);
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

export function loadCounters(db: Db, ids: readonly string[]): Map<string, Counters> {
  const out = new Map<string, Counters>();
  const stmt = db.prepare('SELECT data FROM counters WHERE id = ?');
  for (const id of ids) {
    const row = stmt.get(id) as { data: string } | undefined;
    if (row) out.set(id, parseCounters(row.data));
  }
  return out;
}

function matchedTerms(terms: readonly string[], text: string): string[] {
  const lower = text.toLowerCase();
  return terms.filter((t) => lower.includes(t.length > 4 ? t.slice(0, -1) : t)).slice(0, 12);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
