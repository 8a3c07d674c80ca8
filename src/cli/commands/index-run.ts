import { performance } from 'node:perf_hooks';
import { openIndex, rebuildIndex, type OpenIndex } from '../../index/open.js';
import { reportProblems, workspace } from '../knowledge.js';
import { out, outJson } from '../output.js';

function counts(ix: OpenIndex): { learnings: number; repo: number; user: number; ledgerIds: number } {
  const rows = ix.db.prepare('SELECT store, count(*) AS n FROM learning GROUP BY store').all() as {
    store: string;
    n: number;
  }[];
  const repo = rows.find((r) => r.store === 'repo')?.n ?? 0;
  const user = rows.find((r) => r.store === 'user')?.n ?? 0;
  const ledgerIds = (ix.db.prepare('SELECT count(*) AS n FROM counters').get() as { n: number }).n;
  return { learnings: repo + user, repo, user, ledgerIds };
}

export async function runIndexRebuild(args: { json?: boolean }): Promise<void> {
  const started = performance.now();
  const ix = await rebuildIndex(workspace());
  try {
    const c = counts(ix);
    const ms = Math.round(performance.now() - started);
    if (args.json)
      return outJson({
        file: ix.location.dbFile,
        ...c,
        ledgerEvents: ix.refresh.ledgerEvents,
        problems: ix.refresh.problems,
        durationMs: ms,
      });
    reportProblems(ix.refresh.problems);
    out(
      `Indexed ${c.learnings} learnings (${c.repo} repository, ${c.user} user) and ${ix.refresh.ledgerEvents} ledger events in ${ms} ms.`,
    );
  } finally {
    ix.db.close();
  }
}

export async function runIndexStatus(args: { json?: boolean }): Promise<void> {
  const ix = await openIndex(workspace(), 'full');
  try {
    const c = counts(ix);
    const stores = ix.location.stores.map((s) => ({ store: s.store, agents: s.agents }));
    if (args.json) return outJson({ file: ix.location.dbFile, stores, ...c, problems: ix.refresh.problems });
    out(`Index: ${ix.location.dbFile}`);
    for (const s of stores) out(`  ${s.store} store: ${s.agents}`);
    out(`${c.learnings} learnings (${c.repo} repository, ${c.user} user); ledger statistics for ${c.ledgerIds} ids.`);
    if (ix.refresh.problems.length) out(`${ix.refresh.problems.length} file(s) skipped:`);
    reportProblems(ix.refresh.problems);
  } finally {
    ix.db.close();
  }
}
