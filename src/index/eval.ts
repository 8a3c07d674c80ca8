import type { Db } from './db.js';
import { searchIndex } from './search.js';

/**
 * Retrieval evaluation: for each labeled prompt, where do the learnings it should surface rank?
 * A label names a learning by id or by a case-insensitive piece of its title, so a set survives
 * a store being rebuilt (ids are content hashes and change when the content does).
 */
export interface EvalQuery {
  prompt: string;
  paths?: string[];
  relevant: EvalLabel[];
}

export type EvalLabel = { id: string } | { title: string };

export interface EvalSet {
  k: number;
  queries: EvalQuery[];
}

export interface QueryResult {
  prompt: string;
  /** Ids the labels resolved to; a label that names no stored learning is listed in `unresolved`. */
  relevant: string[];
  unresolved: string[];
  top: { id: string; title: string; score: number; relevant: boolean }[];
  recall: number;
  reciprocalRank: number;
  ndcg: number;
}

export interface EvalReport {
  k: number;
  queries: number;
  recallAtK: number;
  mrr: number;
  ndcgAtK: number;
  results: QueryResult[];
}

export function evaluate(db: Db, set: EvalSet, now?: number): EvalReport {
  const all = db.prepare('SELECT DISTINCT id, title FROM learning').all() as { id: string; title: string }[];
  const results: QueryResult[] = [];
  for (const q of set.queries) {
    const relevant = new Set<string>();
    const unresolved: string[] = [];
    for (const label of q.relevant) {
      const ids =
        'id' in label
          ? all.filter((l) => l.id === label.id)
          : all.filter((l) => l.title.toLowerCase().includes(label.title.toLowerCase()));
      if (ids.length === 0) unresolved.push('id' in label ? label.id : `title~${label.title}`);
      for (const l of ids) relevant.add(l.id);
    }
    const hits = searchIndex(db, { query: q.prompt, paths: q.paths, limit: set.k, ...(now ? { now } : {}) });
    const top = hits.map((h) => ({ id: h.id, title: h.title, score: h.score, relevant: relevant.has(h.id) }));
    // Labels that resolve to nothing still count against recall: the set expects them.
    const expected = relevant.size + unresolved.length;
    const found = top.filter((t) => t.relevant).length;
    const first = top.findIndex((t) => t.relevant);
    const dcg = top.reduce((sum, t, i) => sum + (t.relevant ? 1 / Math.log2(i + 2) : 0), 0);
    const ideal = Array.from({ length: Math.min(expected, set.k) }, (_, i) => 1 / Math.log2(i + 2)).reduce(
      (a, b) => a + b,
      0,
    );
    results.push({
      prompt: q.prompt,
      relevant: [...relevant],
      unresolved,
      top,
      recall: expected === 0 ? 0 : Math.min(1, found / Math.min(expected, set.k)),
      reciprocalRank: first === -1 ? 0 : 1 / (first + 1),
      ndcg: ideal === 0 ? 0 : dcg / ideal,
    });
  }
  const mean = (f: (r: QueryResult) => number): number =>
    results.length === 0 ? 0 : round(results.reduce((s, r) => s + f(r), 0) / results.length);
  return {
    k: set.k,
    queries: results.length,
    recallAtK: mean((r) => r.recall),
    mrr: mean((r) => r.reciprocalRank),
    ndcgAtK: mean((r) => r.ndcg),
    results,
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Validates a parsed set file, collecting every problem with its path. */
export function readEvalSet(doc: unknown): { set?: EvalSet; problems: string[] } {
  const problems: string[] = [];
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return { problems: ['expected a mapping with `queries`'] };
  const d = doc as Record<string, unknown>;
  const k = d.k === undefined ? 5 : d.k;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) problems.push('k: expected a positive integer');
  if (!Array.isArray(d.queries)) return { problems: [...problems, 'queries: expected a list'] };
  const queries: EvalQuery[] = [];
  d.queries.forEach((raw: unknown, i) => {
    const at = `queries[${i}]`;
    if (typeof raw !== 'object' || raw === null) return void problems.push(`${at}: expected a mapping`);
    const q = raw as Record<string, unknown>;
    if (typeof q.prompt !== 'string' || q.prompt.trim() === '') problems.push(`${at}.prompt: expected text`);
    if (q.paths !== undefined && !(Array.isArray(q.paths) && q.paths.every((p) => typeof p === 'string')))
      problems.push(`${at}.paths: expected a list of paths`);
    const labels: EvalLabel[] = [];
    if (!Array.isArray(q.relevant) || q.relevant.length === 0)
      problems.push(`${at}.relevant: expected a non-empty list`);
    else {
      q.relevant.forEach((l: unknown, j) => {
        if (typeof l === 'string') labels.push(l.startsWith('L-') ? { id: l } : { title: l });
        else if (typeof l === 'object' && l !== null && typeof (l as { id?: unknown }).id === 'string')
          labels.push({ id: (l as { id: string }).id });
        else if (typeof l === 'object' && l !== null && typeof (l as { title?: unknown }).title === 'string')
          labels.push({ title: (l as { title: string }).title });
        else problems.push(`${at}.relevant[${j}]: expected an id, a title piece, {id} or {title}`);
      });
    }
    queries.push({
      prompt: typeof q.prompt === 'string' ? q.prompt : '',
      ...(Array.isArray(q.paths) ? { paths: q.paths as string[] } : {}),
      relevant: labels,
    });
  });
  return problems.length > 0 ? { problems } : { set: { k: k as number, queries }, problems };
}
