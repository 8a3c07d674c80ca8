import { basename } from 'node:path';
import { compareText } from '../../lib/compare.js';
import { UserError } from '../../lib/errors.js';
import { priceAll, querySessions } from '../../sessions/query.js';
import type { PricedSession } from '../../sessions/report.js';
import { type SessionArgValues, progressFor, queryOf, reportWarnings } from '../common.js';
import {
  dim,
  formatCost,
  formatDuration,
  formatInt,
  formatPercent,
  formatTime,
  formatTokens,
  out,
  outJson,
  table,
  truncateText,
} from '../output.js';

export async function runSessionsList(args: SessionArgValues & { limit?: string }): Promise<void> {
  const limit = args.limit === undefined ? undefined : Number(args.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0)) {
    throw new UserError(`--limit "${args.limit}" is not a positive whole number`);
  }
  const progress = progressFor(args);
  const result = await querySessions(queryOf(args, progress));
  progress.done();
  const sessions = orderForDisplay(priceAll(result.sessions, result.book));
  const shown = limit === undefined ? sessions : sessions.slice(0, limit);
  reportWarnings(result.warnings);
  if (args.json) {
    outJson(shown.map(toJson));
    return;
  }
  if (shown.length === 0) {
    out(`No sessions found${args.source ? ` in ${args.source}` : ''}.`);
    if (!args.source) out(dim(`Looked in:\n  ${result.roots.join('\n  ')}`));
    return;
  }
  const rows = shown.map((s) => [
    (s.parentId ? '  ↳ ' : '') + shortId(s),
    s.agent,
    formatTime(s.startedAt),
    formatDuration(s.startedAt, s.endedAt),
    s.project ? basename(s.project) : '-',
    s.models.map(shortModel).join(',') || '-',
    formatTokens(
      s.tokens.inputTokens + s.tokens.outputTokens + s.tokens.cacheCreationTokens + s.tokens.cacheReadTokens,
    ),
    formatCost(s.costUSD, s.pricedCostUSD),
    `${formatPercent(s.peakContextRatio)} ${dim(formatTokens(s.peakContextTokens))}`,
    String(s.turnsOver40),
    formatInt(s.toolCalls),
    String(s.errors),
    truncateText(s.title ?? '', 40),
  ]);
  out(
    table(
      [
        'SESSION',
        'AGENT',
        'STARTED',
        'TIME',
        'PROJECT',
        'MODELS',
        'TOKENS',
        'COST',
        'PEAK CTX',
        '>40%',
        'TOOLS',
        'ERR',
        'TITLE',
      ],
      rows,
      [false, false, false, true, false, false, true, true, true, true, true, true, false],
    ),
  );
  const total = shown.reduce((n, s) => n + (s.costUSD ?? s.pricedCostUSD), 0);
  const unpriced = shown.some((s) => s.costUSD === null);
  out(
    dim(
      `${shown.length} session${shown.length === 1 ? '' : 's'}${limit !== undefined && sessions.length > shown.length ? ` of ${sessions.length}` : ''}, ` +
        `${unpriced ? 'at least ' : ''}$${total.toFixed(2)}` +
        (unpriced ? ' (* some models have no price: see --json unpricedModels)' : '') +
        '. PEAK CTX: largest prompt against the model window; >40%: replies past 40% of it.',
    ),
  );
}

/** Newest first, each subagent right under the session that started it. */
function orderForDisplay(sessions: PricedSession[]): PricedSession[] {
  const byStart = (a: PricedSession, b: PricedSession): number =>
    compareText(b.startedAt ?? '', a.startedAt ?? '') || compareText(a.id, b.id);
  const ids = new Set(sessions.map((s) => s.id));
  const children = new Map<string, PricedSession[]>();
  const top: PricedSession[] = [];
  for (const s of sessions) {
    if (s.parentId && ids.has(s.parentId)) {
      const list = children.get(s.parentId) ?? [];
      list.push(s);
      children.set(s.parentId, list);
    } else top.push(s);
  }
  return top.sort(byStart).flatMap((s) => [s, ...(children.get(s.id) ?? []).sort((a, b) => -byStart(a, b))]);
}

function shortId(s: PricedSession): string {
  if (s.parentId) return s.id.slice(s.id.lastIndexOf('/') + 1);
  return s.id.length > 12 ? s.id.slice(0, 8) : s.id;
}

function shortModel(model: string): string {
  return model.replace(/^claude-/, '').replace(/-\d{8}$/, '');
}

/** The `sessions list --json` contract; internal fields (buckets, samples, keys) stay out. */
export function toJson(s: PricedSession): Record<string, unknown> {
  return {
    id: s.id,
    agent: s.agent,
    project: s.project,
    gitBranch: s.gitBranch,
    title: s.title,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    models: s.models,
    tokens: s.tokens,
    costUSD: s.costUSD,
    pricedCostUSD: s.pricedCostUSD,
    unpricedModels: s.unpricedModels,
    peakContextTokens: s.peakContextTokens,
    contextWindow: s.contextWindow,
    peakContextRatio: s.peakContextRatio,
    turnsOver40: s.turnsOver40,
    turns: s.turns,
    userPrompts: s.userPrompts,
    toolCalls: s.toolCalls,
    errors: s.errors,
    compactions: s.compactions,
    parentId: s.parentId,
    file: s.file,
  };
}
