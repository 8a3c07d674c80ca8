import { buildPacket, DEFAULT_BUDGET } from '../../context/inject.js';
import { loadConfig } from '../../lib/config.js';
import { UserError } from '../../lib/errors.js';
import { writableAgentsDir } from '../../lib/workspace.js';
import { openIndex } from '../../index/open.js';
import { searchIndex } from '../../index/search.js';
import { appendEvents, nowIso } from '../../knowledge/ledger.js';
import { redact } from '../../knowledge/redact.js';
import { decayPolicy, parseNumberArg, queryVectors, splitList, workspace } from '../knowledge.js';
import { out, outJson } from '../output.js';

export async function runInject(args: {
  prompt: string;
  paths?: string;
  budget?: string;
  session?: string;
  record?: boolean;
  json?: boolean;
}): Promise<void> {
  if (args.prompt.trim() === '') throw new UserError('--prompt is empty: say what the task is');
  const config = await loadConfig();
  const budget = parseNumberArg(args.budget, 'budget', 50, 200_000) ?? config.knowledge.injectBudget ?? DEFAULT_BUDGET;
  const ws = workspace();
  // The hot path: hooks call this on every prompt, so the index is refreshed in quick mode.
  const { db } = await openIndex(ws, 'quick');
  let hits;
  try {
    const vectors = await queryVectors(db, config.knowledge, args.prompt, true);
    hits = searchIndex(db, {
      vectors,
      query: args.prompt,
      paths: splitList(args.paths),
      limit: 30,
      policy: decayPolicy(config.knowledge),
    });
  } finally {
    db.close();
  }
  const packet = buildPacket(hits, Math.floor(budget));
  if (args.record !== false) {
    appendEvents(writableAgentsDir(ws), [
      {
        kind: 'inject',
        ts: nowIso(),
        ids: packet.learnings.map((l) => l.id),
        ...(args.session ? { session: args.session } : {}),
        query: redact(args.prompt.slice(0, 200)).text,
        tokens: packet.tokens,
        budget: packet.budget,
      },
    ]);
  }
  if (args.json) {
    const { markdown, ...rest } = packet;
    return outJson({ ...rest, markdown });
  }
  if (packet.markdown) out(packet.markdown);
}
