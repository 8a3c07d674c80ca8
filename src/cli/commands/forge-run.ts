import { existsSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { takeForgeQueue } from '../../hooks/queue.js';
import { UserError } from '../../lib/errors.js';
import { openIndex } from '../../index/open.js';
import { listIndexed } from '../../index/list.js';
import { searchIndex } from '../../index/search.js';
import { forgeSessions, sessionKey, type ForgeReport } from '../../knowledge/forge/run.js';
import type { Runtime } from '../../runtimes/runtime.js';
import type { Workspace } from '../../lib/workspace.js';
import { readLedger, type InjectEvent } from '../../knowledge/ledger.js';
import { resolveRuntime } from '../../runtimes/resolve.js';
import { findSession, querySessions } from '../../sessions/query.js';
import type { SessionSummary } from '../../sessions/types.js';
import { type SessionArgValues, progressFor, queryOf, reportWarnings } from '../common.js';
import { storesOf, targetAgents, workspace } from '../knowledge.js';
import { createProgress } from '../progress.js';
import { dim, out, outJson, truncateText } from '../output.js';

export async function runForge(
  args: SessionArgValues & {
    session?: string;
    queued?: boolean;
    again?: boolean;
    'dry-run'?: boolean;
    runtime?: string;
    global?: boolean;
  },
): Promise<void> {
  const ws = workspace();
  const agents = targetAgents(ws, args.global);
  const runtime = args.runtime ? resolveRuntime(args.runtime) : undefined;
  const progress = progressFor(args);
  const result = await querySessions(queryOf(args, progress));
  progress.done();
  let sessions: SessionSummary[] = result.sessions;
  const queue = args.queued && ws.repoAgents ? takeForgeQueue(ws.repoAgents) : null;
  if (queue) {
    // The transcripts the hooks queued: found among the sessions read, or read on their own.
    const wanted = new Set(
      queue.entries.flatMap((e) => (e.transcript && existsSync(e.transcript) ? [resolve(e.transcript)] : [])),
    );
    sessions = sessions.filter((s) => wanted.delete(resolve(s.file)));
    for (const file of wanted) sessions.push(...(await querySessions({ ...queryOf(args), source: file })).sessions);
  } else if (args.session) sessions = [findSession(sessions, args.session)];
  else if (!args.source && !args.project && ws.root) {
    // By default a repository forges its own sessions: those that ran inside it.
    const root = resolve(ws.root);
    sessions = sessions.filter(
      (s) => s.project !== null && (resolve(s.project) === root || resolve(s.project).startsWith(root + sep)),
    );
    if (sessions.length === 0 && result.sessions.length > 0) {
      throw new UserError(`no session ran inside ${root}: use --source <path>, --project <text> or --session <id>`);
    }
  }
  sessions.sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? '') || a.file.localeCompare(b.file));
  const bar = createProgress('forging sessions', !args.json && Boolean(process.stdout.isTTY && process.stderr.isTTY));
  let report: ForgeReport;
  try {
    report = await forgeWorkspace(ws, sessions, {
      agents,
      runtime,
      dryRun: args['dry-run'],
      again: args.again,
      onProgress: (done, total) => bar.update(done, total),
    });
  } catch (error) {
    queue?.putBack();
    throw error;
  }
  if (args['dry-run']) queue?.putBack();
  else queue?.done();
  bar.done();
  if (args.json)
    return outJson({ dryRun: Boolean(args['dry-run']), store: agents, ...report, warnings: result.warnings });
  reportWarnings(result.warnings);
  const c = report.counts;
  for (const cand of report.candidates.filter((x) => x.verdict !== 'reject')) {
    const mark = { accept: 'accepted', hold: 'held   ', merge: 'merged ', reject: 'rejected' }[cand.verdict];
    out(`${mark}  ${cand.id ?? ''}  ${truncateText(cand.title, 90)}`);
    out(
      dim(
        `          ${cand.type} · ${cand.extractor} · score ${cand.score} · ${cand.source.session?.slice(0, 8) ?? ''}${cand.source.line ? `:${cand.source.line}` : ''}`,
      ),
    );
  }
  for (const cite of report.citations) out(`cited     ${cite.id} in ${cite.session.slice(0, 8)} (${cite.how})`);
  for (const p of report.problems) out(dim(`note: ${p}`));
  out(
    `${args['dry-run'] ? 'Dry run: ' : ''}${c.sessions} session${c.sessions === 1 ? '' : 's'} forged${c.skipped ? ` (${c.skipped} unchanged, skipped)` : ''}: ` +
      `${c.candidates} candidates, ${c.accepted} accepted, ${c.held} held for review, ${c.merged} merged, ${c.rejected} rejected; ${c.citations} citation${c.citations === 1 ? '' : 's'}.`,
  );
  if (c.held > 0) out(dim('Held candidates: `ao learn review`.'));
}

/** Forges sessions into a workspace's store, with the gate's neighbours from its index. */
export async function forgeWorkspace(
  ws: Workspace,
  sessions: readonly SessionSummary[],
  options: {
    agents: string;
    runtime?: Runtime | undefined;
    dryRun?: boolean | undefined;
    again?: boolean | undefined;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<ForgeReport> {
  const forged = new Map<string, string>();
  const injections: InjectEvent[] = [];
  const alreadyCited = new Set<string>();
  for (const { agents: dir } of storesOf(ws)) {
    for (const e of readLedger(dir).events) {
      if (e.kind === 'forge') forged.set(sessionKey({ id: e.session, file: e.transcript }), e.fingerprint);
      else if (e.kind === 'inject') injections.push(e);
      else if (e.kind === 'cite') alreadyCited.add(`${e.id}\u0000${e.session}`);
    }
  }
  const ix = await openIndex(ws, 'full');
  try {
    const learnings = new Map(
      listIndexed(ix.db).map((l) => [
        l.id,
        { id: l.id, title: l.title, body: l.body, sessions: l.source.session ? [l.source.session] : [] },
      ]),
    );
    return await forgeSessions(sessions, {
      ...options,
      neighbours: (text) =>
        searchIndex(ix.db, { query: text, limit: 5, includeRetired: true }).map((h) => ({
          id: h.id,
          title: h.title,
          body: h.body,
        })),
      learnings,
      injections,
      alreadyCited,
      forged,
    });
  } finally {
    ix.db.close();
  }
}
