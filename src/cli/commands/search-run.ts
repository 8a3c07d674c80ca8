import { loadConfig } from '../../lib/config.js';
import { UserError } from '../../lib/errors.js';
import { openIndex } from '../../index/open.js';
import { searchIndex } from '../../index/search.js';
import { decayPolicy, parseNumberArg, queryVectors, reportProblems, splitList, workspace } from '../knowledge.js';
import { dim, out, outJson, truncateText } from '../output.js';

export async function runSearch(args: {
  query: string;
  paths?: string;
  limit?: string;
  all?: boolean;
  json?: boolean;
}): Promise<void> {
  if (args.query.trim() === '') throw new UserError('the query is empty');
  const config = loadConfig();
  const { db, refresh } = await openIndex(workspace(), 'full');
  let hits;
  try {
    const vectors = await queryVectors(db, config.knowledge, args.query, args.json);
    hits = searchIndex(db, {
      vectors,
      query: args.query,
      paths: splitList(args.paths),
      limit: parseNumberArg(args.limit, 'limit', 1, 1000) ?? 10,
      includeRetired: args.all,
      policy: decayPolicy(config.knowledge),
    });
  } finally {
    db.close();
  }
  if (args.json) {
    return outJson(
      hits.map((h) => ({
        id: h.id,
        title: h.title,
        type: h.type,
        store: h.store,
        score: h.score,
        retired: h.retired,
        why: h.why,
        file: h.file,
      })),
    );
  }
  reportProblems(refresh.problems);
  if (hits.length === 0) return out(`No learning matches "${args.query}".`);
  for (const h of hits) {
    const w = h.why;
    const factors = [
      `bm25 ${w.bm25}`,
      w.vector !== null ? `vector ${w.vector}` : '',
      w.matched.length ? `matched ${w.matched.join(', ')}` : '',
      w.scope ? `scope ${w.scope}` : '',
      `fresh ${w.freshness}`,
      `utility ${w.utility}`,
      w.maturity,
      h.store === 'user' ? 'user store' : '',
      h.retired ?? '',
    ].filter(Boolean);
    out(`${h.score.toFixed(3)}  ${h.id}  ${truncateText(h.title, 80)}`);
    out(dim(`       ${factors.join(' · ')}`));
  }
}
