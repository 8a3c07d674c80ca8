import type { LedgerEvent } from './ledger.js';
import type { Learning, Maturity } from './types.js';

/**
 * What the ledger says about one learning, accumulated event by event. The index keeps these
 * counters and applies only new ledger lines; maturity and utility are computed from them on
 * read (`deriveStats`), so the rules live in one place. The rules are documented in
 * docs/knowledge.md; change both together.
 */
export interface Counters {
  injected: number;
  cited: number;
  /** Distinct sessions that cited it (at most 20 kept: enough for every rule). */
  citedSessions: string[];
  lastCited: string | null;
  lastInjected: string | null;
  helpful: number;
  harmful: number;
  /** Set while the latest retire/restore event is a retirement. */
  retired: { reason: string; by: string; ts: string } | null;
  /** First time this ledger saw the learning (add or import): the start of its decay clock. */
  born: string | null;
  imported: { maturity?: string; utility?: number } | null;
}

export function emptyCounters(): Counters {
  return {
    injected: 0,
    cited: 0,
    citedSessions: [],
    lastCited: null,
    lastInjected: null,
    helpful: 0,
    harmful: 0,
    retired: null,
    born: null,
    imported: null,
  };
}

/** Counters as the index stores them (JSON), with fields added since filled by their defaults. */
export function parseCounters(data: string): Counters {
  return { ...emptyCounters(), ...(JSON.parse(data) as Partial<Counters>) };
}

/** Applies one event to the counters of the learnings it concerns. */
export function applyEvent(all: Map<string, Counters>, event: LedgerEvent): void {
  const get = (id: string): Counters => {
    let c = all.get(id);
    if (!c) {
      c = emptyCounters();
      all.set(id, c);
    }
    return c;
  };
  switch (event.kind) {
    case 'inject':
      for (const id of event.ids) {
        const c = get(id);
        c.injected++;
        c.lastInjected = later(c.lastInjected, event.ts);
      }
      return;
    case 'cite': {
      const c = get(event.id);
      c.cited++;
      c.lastCited = later(c.lastCited, event.ts);
      if (!c.citedSessions.includes(event.session) && c.citedSessions.length < 20) c.citedSessions.push(event.session);
      return;
    }
    case 'feedback': {
      const c = get(event.id);
      if (event.helpful) c.helpful++;
      else c.harmful++;
      return;
    }
    case 'retire':
      get(event.id).retired = { reason: event.reason, by: event.by, ts: event.ts };
      return;
    case 'restore': {
      const c = get(event.id);
      c.retired = null;
      // A restored learning starts its decay clock again.
      c.born = later(c.born, event.ts);
      return;
    }
    case 'add': {
      const c = get(event.id);
      c.born = c.born === null ? event.ts : earlier(c.born, event.ts);
      return;
    }
    case 'import': {
      const c = get(event.id);
      c.born = c.born === null ? event.ts : earlier(c.born, event.ts);
      c.imported = { maturity: event.maturity, utility: event.utility };
      c.helpful += event.helpful ?? 0;
      c.harmful += event.harmful ?? 0;
      return;
    }
    default:
      return;
  }
}

export interface DecayPolicy {
  /** Days for an unused learning's rank weight to halve (default 90). */
  halfLifeDays: number;
  /** Days without a citation after which decay retires a learning (default 180). */
  retireAfterDays: number;
}

export const DEFAULT_DECAY: DecayPolicy = { halfLifeDays: 90, retireAfterDays: 180 };

/** The decay policy the configuration sets (`knowledge.halfLifeDays`, `knowledge.retireAfterDays`). */
export function decayPolicyOf(k: { halfLifeDays?: number; retireAfterDays?: number }): DecayPolicy {
  return {
    halfLifeDays: k.halfLifeDays ?? DEFAULT_DECAY.halfLifeDays,
    retireAfterDays: k.retireAfterDays ?? DEFAULT_DECAY.retireAfterDays,
  };
}

export interface Stats {
  maturity: Maturity;
  /** 0..1: smoothed share of injections that were used. */
  utility: number;
  /** 0.5..1: rank weight from the time since the learning was last used (or born). */
  freshness: number;
  /** Days since last use (citation, restore, or birth). */
  idleDays: number;
  /** Why it is out of injection, when it is. */
  retiredBecause: string | null;
}

const DAY = 86_400_000;

/**
 * Maturity, utility and freshness of a learning from its counters. `supersededBy` is the id of a
 * live learning that replaces it, if any.
 */
export function deriveStats(
  learning: Pick<Learning, 'created' | 'expires'>,
  c: Counters,
  now: number,
  policy: DecayPolicy = DEFAULT_DECAY,
  supersededBy: string | null = null,
): Stats {
  const lastUse = Math.max(time(c.lastCited), time(c.born), time(learning.created));
  const idleDays = lastUse > 0 ? Math.max(0, (now - lastUse) / DAY) : 0;
  const freshness = 0.5 + 0.5 * Math.pow(0.5, idleDays / policy.halfLifeDays);
  const prior = clamp01(c.imported?.utility ?? 0.5);
  const trials = Math.max(c.injected, c.cited) + c.helpful + c.harmful;
  const utility = clamp01((2 * prior + c.cited + c.helpful) / (2 + trials));
  let retiredBecause: string | null = null;
  if (c.retired) retiredBecause = `retired (${c.retired.reason})`;
  else if (supersededBy) retiredBecause = `superseded by ${supersededBy}`;
  else if (learning.expires && time(learning.expires) > 0 && time(learning.expires) < now) {
    retiredBecause = `expired ${learning.expires.slice(0, 10)}`;
  }
  return { maturity: maturityOf(c, retiredBecause !== null), utility, freshness, idleDays, retiredBecause };
}

function maturityOf(c: Counters, retired: boolean): Maturity {
  if (retired) return 'retired';
  const imported = c.imported?.maturity;
  if ((c.harmful >= 2 && c.harmful > c.helpful) || imported === 'anti-pattern') return 'anti-pattern';
  if ((c.citedSessions.length >= 3 && c.helpful >= c.harmful) || imported === 'established') return 'established';
  if (c.cited >= 1 || c.helpful >= 1 || imported === 'candidate') return 'candidate';
  return 'provisional';
}

function time(iso: string | null | undefined): number {
  if (!iso) return 0;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

function later(a: string | null, b: string): string {
  return a === null || time(b) > time(a) ? b : a;
}

function earlier(a: string, b: string): string {
  return time(b) < time(a) ? b : a;
}

function clamp01(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0.5;
}

/** Whether decay retires a learning now: live, and unused for longer than the policy allows. */
export function decayDue(stats: Stats, policy: DecayPolicy = DEFAULT_DECAY): boolean {
  return stats.retiredBecause === null && stats.idleDays > policy.retireAfterDays;
}
