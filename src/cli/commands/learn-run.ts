import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { loadConfig } from '../../lib/config.js';
import { UserError } from '../../lib/errors.js';
import { writeFileAtomic } from '../../lib/atomic.js';
import { listIndexed, type IndexedLearning } from '../../index/list.js';
import { openIndex } from '../../index/open.js';
import { formatLearning, parseLearning } from '../../knowledge/learning-file.js';
import {
  actor,
  addLearning,
  agentsOf,
  rateLearning,
  requireLearning,
  restoreLearning,
  retireLearning,
} from '../../knowledge/learn.js';
import { appendEvents, nowIso } from '../../knowledge/ledger.js';
import { decayDue } from '../../knowledge/stats.js';
import { loadLearnings, readLearningFile, removeFile, saveLearning } from '../../knowledge/store.js';
import {
  LEARNING_TYPES,
  MATURITIES,
  type Learning,
  type LearningType,
  type StoredLearning,
} from '../../knowledge/types.js';
import {
  decayPolicy,
  parseNumberArg,
  reportProblems,
  splitList,
  storesOf,
  targetAgents,
  workspace,
} from '../knowledge.js';
import { dim, out, outJson, table, truncateText } from '../output.js';
import { loadYaml } from '../../lib/yaml-doc.js';

function typeArg(value: string | undefined): LearningType | undefined {
  if (value === undefined) return undefined;
  if (!(LEARNING_TYPES as readonly string[]).includes(value))
    throw new UserError(`--type must be one of ${LEARNING_TYPES.join(', ')}, not "${value}"`);
  return value as LearningType;
}

function dateArg(value: string | undefined, name: string): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'never' || value === '') return null;
  if (Number.isNaN(Date.parse(value))) throw new UserError(`--${name} must be a date (YYYY-MM-DD), not "${value}"`);
  return value;
}

export function runLearnAdd(args: {
  text: string;
  title?: string;
  type?: string;
  tags?: string;
  scope?: string;
  confidence?: string;
  supersedes?: string;
  expires?: string;
  global?: boolean;
  json?: boolean;
}): void {
  if (args.text.trim() === '') throw new UserError('the learning text is empty: say what was learned');
  const ws = workspace();
  const agents = targetAgents(ws, args.global);
  const { learning, file, created } = addLearning(
    agents,
    {
      text: args.text,
      title: args.title,
      type: typeArg(args.type),
      tags: splitList(args.tags),
      scope: splitList(args.scope),
      confidence: parseNumberArg(args.confidence, 'confidence', 0, 1),
      supersedes: splitList(args.supersedes),
      expires: dateArg(args.expires, 'expires'),
      source: { agent: 'human', time: nowIso() },
    },
    'learn add',
  );
  if (args.json) return outJson({ id: learning.id, file, created, learning });
  out(created ? `Added ${learning.id}: ${learning.title}` : `Already known as ${learning.id}: ${learning.title}`);
  out(dim(`  ${learning.type}${learning.tags.length ? ` · ${learning.tags.join(', ')}` : ''} · ${file}`));
}

async function indexed(all: boolean): Promise<IndexedLearning[]> {
  const ws = workspace();
  const config = loadConfig();
  const { db, refresh } = await openIndex(ws, 'full');
  try {
    reportProblems(refresh.problems);
    const rows = listIndexed(db, Date.now(), decayPolicy(config.knowledge));
    return all ? rows : rows.filter((r) => r.stats.retiredBecause === null);
  } finally {
    db.close();
  }
}

export async function runLearnList(args: {
  type?: string;
  tag?: string;
  maturity?: string;
  store?: string;
  all?: boolean;
  limit?: string;
  json?: boolean;
}): Promise<void> {
  typeArg(args.type);
  if (args.maturity && !(MATURITIES as readonly string[]).includes(args.maturity))
    throw new UserError(`--maturity must be one of ${MATURITIES.join(', ')}`);
  if (args.store && args.store !== 'repo' && args.store !== 'user') throw new UserError('--store must be repo or user');
  const limit = parseNumberArg(args.limit, 'limit', 1, 1e9);
  let rows = await indexed(Boolean(args.all) || args.maturity === 'retired');
  if (args.type) rows = rows.filter((r) => r.type === args.type);
  if (args.tag) rows = rows.filter((r) => r.tags.includes(args.tag as string));
  if (args.maturity) rows = rows.filter((r) => r.stats.maturity === args.maturity);
  if (args.store) rows = rows.filter((r) => r.store === args.store);
  if (limit !== undefined) rows = rows.slice(0, limit);
  if (args.json) return outJson(rows.map(summaryOf));
  if (rows.length === 0) return out('No learnings yet: `ao learn add "<text>"`, `ao forge` or `ao import`.');
  out(
    table(
      ['ID', 'TYPE', 'MATURITY', 'UTILITY', 'INJ', 'CITED', 'TITLE'],
      rows.map((r) => [
        r.id,
        r.type,
        r.stats.maturity,
        r.stats.utility.toFixed(2),
        String(r.counters.injected),
        String(r.counters.cited),
        truncateText(r.title, 70) + (r.store === 'user' ? dim(' (user)') : ''),
      ]),
      [false, false, false, true, true, true, false],
    ),
  );
}

function summaryOf(r: IndexedLearning): Record<string, unknown> {
  return {
    id: r.id,
    title: r.title,
    type: r.type,
    store: r.store,
    tags: r.tags,
    scope: r.scope,
    created: r.created,
    maturity: r.stats.maturity,
    utility: round(r.stats.utility),
    injected: r.counters.injected,
    cited: r.counters.cited,
    retired: r.stats.retiredBecause,
    file: r.file,
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/**
 * Finds a learning by id or prefix through the index (one query, not a parse of every file), then
 * reads its own file for the fields the index does not keep.
 */
async function lookup(query: string): Promise<{ row: IndexedLearning; found: StoredLearning }> {
  const row = requireLearning(await indexed(true), query);
  let read = readLearningFile(row.file, row.store);
  if (read.needsYaml) read = readLearningFile(row.file, row.store, loadYaml().parse);
  if (!read.learning) throw new UserError(`${row.file}: ${read.problem?.message ?? 'cannot be read'}`);
  return { row, found: read.learning };
}

export async function runLearnShow(args: { id: string; json?: boolean }): Promise<void> {
  const { row, found } = await lookup(args.id);
  const stats = {
    ...row.stats,
    utility: round(row.stats.utility),
    freshness: round(row.stats.freshness),
    idleDays: Math.round(row.stats.idleDays),
  };
  if (args.json) return outJson({ ...found, stats, counters: row.counters });
  out(`${found.id}  ${found.title}`);
  out(
    dim(
      `${found.type} · ${stats.maturity} · utility ${stats.utility} · injected ${row.counters.injected} · cited ${row.counters.cited}${stats.retiredBecause ? ` · ${stats.retiredBecause}` : ''}`,
    ),
  );
  if (found.tags.length) out(dim(`tags: ${found.tags.join(', ')}`));
  if (found.scope.length) out(dim(`scope: ${found.scope.join(', ')}`));
  const s = found.source;
  out(
    dim(
      `source: ${s.agent}${s.session ? ` session ${s.session}` : ''}${s.transcript ? ` ${s.transcript}${s.line ? `:${s.line}` : ''}` : ''} · created ${found.created.slice(0, 10)}`,
    ),
  );
  out(dim(found.file));
  out('');
  out(found.body);
}

export async function runLearnEdit(args: {
  id: string;
  title?: string;
  text?: string;
  type?: string;
  tags?: string;
  scope?: string;
  confidence?: string;
  expires?: string;
  json?: boolean;
}): Promise<void> {
  const { found } = await lookup(args.id);
  const byOption = [args.title, args.text, args.type, args.tags, args.scope, args.confidence, args.expires].some(
    (v) => v !== undefined,
  );
  let next: Learning;
  if (byOption) {
    const expires = dateArg(args.expires, 'expires');
    next = {
      ...found,
      title: args.title?.trim() || found.title,
      body: args.text?.trim() || found.body,
      type: typeArg(args.type) ?? found.type,
      tags: splitList(args.tags) ?? found.tags,
      scope: splitList(args.scope) ?? found.scope,
      confidence: parseNumberArg(args.confidence, 'confidence', 0, 1) ?? found.confidence,
      expires: expires === undefined ? found.expires : expires,
    };
    writeFileAtomic(found.file, formatLearning(stripStored(next)));
  } else {
    next = editInEditor(found.file);
  }
  if (args.json) return outJson({ id: next.id, file: found.file, learning: stripStored(next) });
  out(`Edited ${next.id}: ${next.title}`);
}

function stripStored(l: Learning & { file?: string; store?: string }): Learning {
  const { file: _file, store: _store, ...rest } = l;
  return rest;
}

/** Opens the file in $EDITOR on a copy; the original is replaced only by a valid result. */
function editInEditor(file: string): Learning {
  const editor = process.env.VISUAL || process.env.EDITOR;
  if (!editor || !process.stdin.isTTY)
    throw new UserError(
      'no editor: set $EDITOR and run in a terminal, or edit by option (--title, --text, --tags, ...)',
    );
  const copy = join(tmpdir(), `ao-edit-${process.pid}-${basename(file)}`);
  copyFileSync(file, copy);
  const res = spawnSync(`${editor} "${copy}"`, { stdio: 'inherit', shell: true });
  if (res.status !== 0) throw new UserError(`the editor exited with ${res.status ?? res.signal}; ${file} is unchanged`);
  const text = readFileSync(copy, 'utf8');
  const parsed = parseLearning(text, copy);
  if (!parsed.ok) {
    throw new UserError(
      `the edit is not a valid learning (${parsed.problem.message}, line ${parsed.problem.line ?? 1}); ${file} is unchanged and your edit is kept in ${copy}`,
    );
  }
  writeFileAtomic(file, text);
  rmSync(copy, { force: true });
  return parsed.learning;
}

export async function runLearnRetire(args: { id: string; reason?: string }): Promise<void> {
  const stores = storesOf(workspace());
  const { row: found } = await lookup(args.id);
  retireLearning(agentsOf(found, stores), found.id, args.reason ?? 'retired by hand', actor());
  out(`Retired ${found.id}: ${found.title}`);
}

export async function runLearnRestore(args: { id: string }): Promise<void> {
  const stores = storesOf(workspace());
  const { row: found } = await lookup(args.id);
  restoreLearning(agentsOf(found, stores), found.id, actor());
  out(`Restored ${found.id}: ${found.title}`);
}

export async function runLearnRate(args: {
  id: string;
  helpful?: boolean;
  harmful?: boolean;
  note?: string;
}): Promise<void> {
  if (Boolean(args.helpful) === Boolean(args.harmful)) throw new UserError('say --helpful or --harmful');
  const stores = storesOf(workspace());
  const { row: found } = await lookup(args.id);
  rateLearning(agentsOf(found, stores), found.id, Boolean(args.helpful), actor(), args.note);
  out(`Recorded ${args.helpful ? 'helpful' : 'harmful'} for ${found.id}`);
}

export function runLearnReview(args: { accept?: string; reject?: string; json?: boolean }): void {
  const ws = workspace();
  const agents = targetAgents(ws);
  const { learnings: held, problems } = loadLearnings([{ agents, store: 'repo' }], 'review');
  reportProblems(problems);
  const pick = (list: string | undefined): Learning[] =>
    (splitList(list) ?? []).map((q) => {
      const hit = held.filter((h) => h.id === q || h.id.startsWith(q) || h.id.startsWith(`L-${q}`));
      if (hit.length !== 1)
        throw new UserError(hit.length === 0 ? `no held candidate "${q}"` : `"${q}" matches ${hit.length} candidates`);
      return hit[0] as Learning;
    });
  const accept = pick(args.accept);
  const reject = pick(args.reject);
  const by = actor();
  for (const c of accept) {
    const { file: _f, store: _s, ...learning } = c as Learning & { file: string; store: string };
    const { extra, ...rest } = learning;
    const keep = Object.fromEntries(Object.entries(extra ?? {}).filter(([k]) => !k.startsWith('gate')));
    saveLearning(agents, { ...rest, ...(Object.keys(keep).length ? { extra: keep } : {}) });
    appendEvents(agents, [
      { kind: 'review', ts: nowIso(), candidate: c.id, decision: 'accept', id: c.id, by },
      { kind: 'add', ts: nowIso(), id: c.id, via: 'review' },
    ]);
    removeFile((c as Learning & { file: string }).file);
  }
  for (const c of reject) {
    appendEvents(agents, [{ kind: 'review', ts: nowIso(), candidate: c.id, decision: 'reject', by }]);
    removeFile((c as Learning & { file: string }).file);
  }
  const done = new Set([...accept, ...reject].map((c) => c.id));
  const left = held.filter((h) => !done.has(h.id));
  if (args.json) {
    return outJson({
      accepted: accept.map((c) => c.id),
      rejected: reject.map((c) => c.id),
      held: left.map((h) => ({
        id: h.id,
        title: h.title,
        type: h.type,
        gate: h.extra?.gate ?? null,
        source: h.source,
        body: h.body,
      })),
    });
  }
  for (const c of accept) out(`Accepted ${c.id}: ${c.title}`);
  for (const c of reject) out(`Rejected ${c.id}: ${c.title}`);
  if (left.length === 0)
    return out(accept.length + reject.length === 0 ? 'Nothing held for review.' : 'Nothing else held for review.');
  out(`${left.length} held for review (accept with --accept <id>, reject with --reject <id>):`);
  for (const h of left) {
    const gate = h.extra?.gate as { score?: number; reasons?: string[] } | undefined;
    out(`\n${h.id}  ${h.title}`);
    out(
      dim(
        `  ${h.type}${gate?.score !== undefined ? ` · gate score ${gate.score}` : ''}${gate?.reasons ? ` · ${gate.reasons.at(-1)}` : ''}`,
      ),
    );
    out(dim(`  ${truncateText(h.body.replace(/\s+/g, ' '), 160)}`));
  }
}

export async function runLearnDecay(args: { 'dry-run'?: boolean; json?: boolean }): Promise<void> {
  const ws = workspace();
  const config = loadConfig();
  const policy = decayPolicy(config.knowledge);
  const rows = await indexed(false);
  const due = rows.filter((r) => decayDue(r.stats, policy));
  if (!args['dry-run']) {
    const stores = storesOf(ws);
    for (const r of due) {
      const store = stores.find((s) => r.file.startsWith(s.agents));
      if (store) retireLearning(store.agents, r.id, `unused for ${Math.round(r.stats.idleDays)} days`, 'decay');
    }
  }
  if (args.json)
    return outJson({
      dryRun: Boolean(args['dry-run']),
      retireAfterDays: policy.retireAfterDays,
      retired: due.map((r) => ({ id: r.id, title: r.title, idleDays: Math.round(r.stats.idleDays) })),
    });
  if (due.length === 0) return out(`Nothing unused for more than ${policy.retireAfterDays} days.`);
  for (const r of due)
    out(
      `${args['dry-run'] ? 'Would retire' : 'Retired'} ${r.id} (unused ${Math.round(r.stats.idleDays)} days): ${r.title}`,
    );
}
