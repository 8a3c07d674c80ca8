import type { LedgerEvent } from './ledger.js';
import type { Maturity } from './types.js';

/**
 * Flywheel health over a window of days, from the ledger alone (docs/knowledge.md):
 *
 * - retrieval rate σ: share of injections (prompts answered by `ao inject`) that surfaced at
 *   least one learning;
 * - citation rate ρ: share of (learning, session) injections that the session then cited;
 *   injections without a session id pair by learning alone;
 * - decay rate δ: share of the learnings live at the start of the window retired during it.
 *
 * The flywheel compounds when σ × ρ > δ: knowledge is used faster than it goes stale.
 */
export interface FlywheelInput {
  events: readonly LedgerEvent[];
  learnings: readonly { id: string; title: string; maturity: Maturity; created: string }[];
  windowDays: number;
  now: number;
  /** A learning injected at least this often and never cited is listed as unused. */
  unusedAfter: number;
}

export interface FlywheelReport {
  windowDays: number;
  injections: number;
  retrievalRate: number | null;
  citationRate: number | null;
  decayRate: number | null;
  /** σ × ρ − δ; positive when the flywheel compounds. */
  margin: number | null;
  healthy: boolean | null;
  learnings: { total: number; byMaturity: Record<string, number> };
  forge: { runs: number; candidates: number; accepted: number; held: number; merged: number; rejected: number };
  citations: { explicit: number; implicit: number };
  unused: { id: string; title: string; injected: number }[];
}

const DAY = 86_400_000;

export function flywheelReport(input: FlywheelInput): FlywheelReport {
  const from = input.now - input.windowDays * DAY;
  const inWindow = (ts: string): boolean => {
    const t = Date.parse(ts);
    return t >= from && t <= input.now;
  };
  let injections = 0;
  let withHits = 0;
  const injectedPairs = new Set<string>();
  const injectedIds = new Map<string, number>();
  const citedPairs = new Set<string>();
  const citedIds = new Set<string>();
  const citations = { explicit: 0, implicit: 0 };
  const forge = { runs: 0, candidates: 0, accepted: 0, held: 0, merged: 0, rejected: 0 };
  const retiredInWindow = new Set<string>();
  const allCited = new Set<string>();
  for (const e of input.events) {
    if (e.kind === 'cite') allCited.add(e.id);
    if (!inWindow(e.ts)) continue;
    switch (e.kind) {
      case 'inject':
        injections++;
        if (e.ids.length > 0) withHits++;
        for (const id of e.ids) {
          injectedPairs.add(`${id}\u0000${e.session ?? ''}`);
          injectedIds.set(id, (injectedIds.get(id) ?? 0) + 1);
        }
        break;
      case 'cite':
        citations[e.how]++;
        citedPairs.add(`${e.id}\u0000${e.session}`);
        citedIds.add(e.id);
        break;
      case 'forge':
        forge.runs++;
        forge.candidates += e.candidates;
        forge.accepted += e.accepted.length;
        forge.held += e.held;
        forge.merged += e.merged.length;
        forge.rejected += e.rejected;
        break;
      case 'retire':
        retiredInWindow.add(e.id);
        break;
      default:
        break;
    }
  }
  let cited = 0;
  for (const pair of injectedPairs) {
    const [id, session] = pair.split('\u0000') as [string, string];
    if (session ? citedPairs.has(pair) : citedIds.has(id)) cited++;
  }
  const live = input.learnings.filter((l) => l.maturity !== 'retired');
  const liveAtStart = input.learnings.filter(
    (l) => Date.parse(l.created) < from && (l.maturity !== 'retired' || retiredInWindow.has(l.id)),
  ).length;
  const retrievalRate = injections > 0 ? withHits / injections : null;
  const citationRate = injectedPairs.size > 0 ? cited / injectedPairs.size : null;
  const decayRate = liveAtStart > 0 ? retiredInWindow.size / liveAtStart : input.learnings.length > 0 ? 0 : null;
  const margin =
    retrievalRate !== null && citationRate !== null && decayRate !== null
      ? retrievalRate * citationRate - decayRate
      : null;
  const byMaturity: Record<string, number> = {};
  for (const l of input.learnings) byMaturity[l.maturity] = (byMaturity[l.maturity] ?? 0) + 1;
  const titles = new Map(input.learnings.map((l) => [l.id, l.title]));
  const unused = [...injectedIds]
    .filter(([id, n]) => n >= input.unusedAfter && !allCited.has(id) && titles.has(id))
    .sort((a, b) => b[1] - a[1])
    .map(([id, n]) => ({ id, title: titles.get(id) as string, injected: n }));
  return {
    windowDays: input.windowDays,
    injections,
    retrievalRate: round(retrievalRate),
    citationRate: round(citationRate),
    decayRate: round(decayRate),
    margin: round(margin),
    healthy: margin === null ? null : margin > 0,
    learnings: { total: live.length, byMaturity },
    forge,
    citations,
    unused,
  };
}

function round(n: number | null): number | null {
  return n === null ? null : Math.round(n * 1000) / 1000;
}
