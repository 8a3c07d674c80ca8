import { compareText } from '../lib/compare.js';
import { type PriceBook, costOf } from './pricing.js';
import { type SessionSummary, type TokenCounts, type UsageBucket, addTokens, emptyTokens } from './types.js';

/** The share of the window past which quality falls off (the "40% rule"). */
export const CONTEXT_WARN_RATIO = 0.4;

/** A session with its cost and context use worked out. */
export interface PricedSession extends SessionSummary {
  /** Null when some model it used has no price: never a silent zero. */
  costUSD: number | null;
  /** Cost of the part that could be priced. */
  pricedCostUSD: number;
  unpricedModels: string[];
  contextWindow: number | null;
  peakContextRatio: number | null;
  turnsOver40: number;
}

export interface UsageFilter {
  /** Inclusive bounds, epoch ms. */
  since?: number;
  until?: number;
}

export function priceSession(session: SessionSummary, book: PriceBook, filter: UsageFilter = {}): PricedSession {
  let priced = 0;
  const unpriced = new Set<string>();
  for (const bucket of bucketsIn(session, filter)) {
    const price = book.lookup(bucket.model);
    if (price) priced += costOf(bucket, price);
    else if (bucket.inputTokens + bucket.outputTokens + bucket.cacheCreationTokens + bucket.cacheReadTokens > 0) {
      unpriced.add(bucket.model);
    }
  }
  const window = contextWindowOf(session, book);
  const threshold = window ? window * CONTEXT_WARN_RATIO : Infinity;
  return {
    ...session,
    costUSD: unpriced.size > 0 ? null : round(priced),
    pricedCostUSD: round(priced),
    unpricedModels: [...unpriced].sort(),
    contextWindow: window,
    peakContextRatio: window ? Math.round((session.peakContextTokens / window) * 10_000) / 10_000 : null,
    turnsOver40: session.contextSamples.filter((c) => c > threshold).length,
  };
}

/**
 * The window a session actually ran with. Claude models with a 1M window run at 200k unless
 * the long-context option is chosen, so 200k holds until a prompt shows otherwise.
 */
export function contextWindowOf(session: SessionSummary, book: PriceBook): number | null {
  const model = session.peakContextModel;
  const price = model ? book.lookup(model) : null;
  if (!model || !price?.contextWindow) return null;
  let window = price.contextWindow;
  if (price.provider === 'anthropic' && !model.includes('[1m]')) window = Math.min(window, DEFAULT_CLAUDE_WINDOW);
  // A prompt larger than the window means a long-context option was on.
  if (session.peakContextTokens > window) window = Math.max(price.contextWindow, 1_000_000);
  return window;
}

const DEFAULT_CLAUDE_WINDOW = 200_000;

export function bucketsIn(session: SessionSummary, filter: UsageFilter): UsageBucket[] {
  if (filter.since === undefined && filter.until === undefined) return session.usage;
  return session.usage.filter(
    (b) =>
      (filter.since === undefined || b.hour + 3_600_000 > filter.since) &&
      (filter.until === undefined || b.hour <= filter.until),
  );
}

export type GroupBy = 'day' | 'session' | 'model' | 'project' | 'agent';

export interface UsageRow extends TokenCounts {
  key: string;
  reasoningTokens: number;
  replies: number;
  costUSD: number | null;
  pricedCostUSD: number;
  unpricedModels: string[];
  models: string[];
  sessions: number;
}

export interface UsageTotals extends TokenCounts {
  totalTokens: number;
  reasoningTokens: number;
  replies: number;
  costUSD: number | null;
  pricedCostUSD: number;
  unpricedModels: string[];
  sessions: number;
}

/** Totals and rows grouped one way; days are calendar days in `timeZone`. */
export function summarizeUsage(
  sessions: SessionSummary[],
  book: PriceBook,
  by: GroupBy,
  options: UsageFilter & { timeZone?: string } = {},
): { totals: UsageTotals; rows: UsageRow[] } {
  const rows = new Map<string, UsageRow & { sessionIds: Set<string> }>();
  const dayOf = dayFormatter(options.timeZone);
  const totals: UsageTotals = {
    ...emptyTokens(),
    totalTokens: 0,
    reasoningTokens: 0,
    replies: 0,
    costUSD: 0,
    pricedCostUSD: 0,
    unpricedModels: [],
    sessions: 0,
  };
  const unpricedAll = new Set<string>();
  for (const session of sessions) {
    const buckets = bucketsIn(session, options);
    if (buckets.length > 0) totals.sessions++;
    for (const bucket of buckets) {
      const key =
        by === 'day'
          ? dayOf(bucket.hour)
          : by === 'session'
            ? session.id
            : by === 'model'
              ? bucket.model
              : by === 'agent'
                ? session.agent
                : (session.project ?? '(unknown)');
      let row = rows.get(key);
      if (!row) {
        row = {
          key,
          ...emptyTokens(),
          reasoningTokens: 0,
          replies: 0,
          costUSD: 0,
          pricedCostUSD: 0,
          unpricedModels: [],
          models: [],
          sessions: 0,
          sessionIds: new Set(),
        };
        rows.set(key, row);
      }
      addTokens(row, bucket);
      addTokens(totals, bucket);
      row.reasoningTokens += bucket.reasoningTokens;
      totals.reasoningTokens += bucket.reasoningTokens;
      row.replies += bucket.replies;
      totals.replies += bucket.replies;
      row.sessionIds.add(session.id);
      if (!row.models.includes(bucket.model)) row.models.push(bucket.model);
      const price = book.lookup(bucket.model);
      if (price) {
        const cost = costOf(bucket, price);
        row.pricedCostUSD += cost;
        totals.pricedCostUSD += cost;
      } else if (bucket.inputTokens + bucket.outputTokens + bucket.cacheCreationTokens + bucket.cacheReadTokens > 0) {
        if (!row.unpricedModels.includes(bucket.model)) row.unpricedModels.push(bucket.model);
        unpricedAll.add(bucket.model);
      }
    }
  }
  totals.totalTokens = totals.inputTokens + totals.outputTokens + totals.cacheCreationTokens + totals.cacheReadTokens;
  totals.unpricedModels = [...unpricedAll].sort();
  totals.pricedCostUSD = round(totals.pricedCostUSD);
  totals.costUSD = unpricedAll.size > 0 ? null : totals.pricedCostUSD;
  const out: UsageRow[] = [...rows.values()].map(({ sessionIds, ...row }) => ({
    ...row,
    sessions: sessionIds.size,
    models: row.models.sort(),
    pricedCostUSD: round(row.pricedCostUSD),
    costUSD: row.unpricedModels.length > 0 ? null : round(row.pricedCostUSD),
  }));
  out.sort((a, b) =>
    by === 'day' ? compareText(a.key, b.key) : b.pricedCostUSD - a.pricedCostUSD || compareText(a.key, b.key),
  );
  return { totals, rows: out };
}

function dayFormatter(timeZone: string | undefined): (time: number) => string {
  // Intl costs tens of milliseconds to set up: the machine's zone and UTC do without it.
  let format: (time: number) => string;
  if (timeZone === undefined) format = (t) => isoDay(new Date(t), false);
  else if (timeZone === 'UTC' || timeZone === 'Etc/UTC') format = (t) => isoDay(new Date(t), true);
  else {
    const intl = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    format = (t) => intl.format(t);
  }
  const memo = new Map<number, string>();
  return (time) => {
    let day = memo.get(time);
    if (day === undefined) {
      day = format(time);
      memo.set(time, day);
    }
    return day;
  };
}

function isoDay(d: Date, utc: boolean): string {
  const y = utc ? d.getUTCFullYear() : d.getFullYear();
  const m = (utc ? d.getUTCMonth() : d.getMonth()) + 1;
  const day = utc ? d.getUTCDate() : d.getDate();
  return `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Cents are not enough for small sessions; eight decimals hide float noise. */
function round(usd: number): number {
  return Math.round(usd * 1e8) / 1e8;
}
