import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from './ledger.js';
import { applyEvent, decayDue, DEFAULT_DECAY, deriveStats, emptyCounters, type Counters } from './stats.js';

const DAY = 86_400_000;
const NOW = Date.parse('2025-06-01T00:00:00.000Z');
const ID = 'L-aaaaaaaaaa';
const learning = { created: '2025-05-31T00:00:00.000Z', expires: null };

function at(daysAgo: number): string {
  return new Date(NOW - daysAgo * DAY).toISOString();
}

function countersOf(events: LedgerEvent[], id = ID): Counters {
  const all = new Map<string, Counters>();
  for (const e of events) applyEvent(all, e);
  return all.get(id) ?? emptyCounters();
}

const cite = (session: string, daysAgo = 1): LedgerEvent => ({
  kind: 'cite',
  ts: at(daysAgo),
  id: ID,
  session,
  how: 'explicit',
  evidence: '',
});
const feedback = (helpful: boolean): LedgerEvent => ({ kind: 'feedback', ts: at(1), id: ID, helpful, by: 'me' });
const inject = (ids: string[], daysAgo = 1): LedgerEvent => ({
  kind: 'inject',
  ts: at(daysAgo),
  ids,
  query: 'q',
  tokens: 1,
  budget: 10,
});

function maturity(events: LedgerEvent[], l: { created: string; expires: string | null } = learning, by?: string) {
  return deriveStats(l, countersOf(events), NOW, DEFAULT_DECAY, by ?? null);
}

describe('applyEvent', () => {
  it('counts injections, citations per session, feedback and the latest times', () => {
    const c = countersOf([
      inject([ID, 'L-bbbbbbbbbb'], 3),
      inject([ID], 2),
      cite('s1', 2),
      cite('s1', 1),
      cite('s2', 3),
      feedback(true),
      feedback(false),
      feedback(false),
    ]);
    expect(c).toMatchObject({
      injected: 2,
      cited: 3,
      citedSessions: ['s1', 's2'],
      lastCited: at(1),
      lastInjected: at(2),
      helpful: 1,
      harmful: 2,
    });
  });

  it('keeps at most 20 citing sessions', () => {
    const c = countersOf(Array.from({ length: 25 }, (_, i) => cite(`s${i}`)));
    expect(c.cited).toBe(25);
    expect(c.citedSessions).toHaveLength(20);
  });

  it('takes the earliest add or import as birth, and restores restart the clock', () => {
    const c = countersOf([
      { kind: 'add', ts: at(10), id: ID, via: 'human' },
      { kind: 'import', ts: at(20), id: ID, from: 'go', maturity: 'established', utility: 0.9, helpful: 2, harmful: 1 },
    ]);
    expect(c).toMatchObject({
      born: at(20),
      imported: { maturity: 'established', utility: 0.9 },
      helpful: 2,
      harmful: 1,
    });
    const restored = countersOf([
      { kind: 'add', ts: at(10), id: ID, via: 'human' },
      { kind: 'retire', ts: at(5), id: ID, reason: 'stale', by: 'me' },
      { kind: 'restore', ts: at(4), id: ID, by: 'me' },
    ]);
    expect(restored).toMatchObject({ born: at(4), retired: null });
  });

  it('ignores events about nothing it counts', () => {
    const all = new Map<string, Counters>();
    applyEvent(all, {
      kind: 'forge',
      ts: at(1),
      session: 's',
      agent: 'claude',
      transcript: 't',
      fingerprint: 'f',
      candidates: 0,
      accepted: [],
      merged: [],
      held: 0,
      rejected: 0,
    });
    expect(all.size).toBe(0);
  });
});

describe('maturity', () => {
  it('starts provisional', () => {
    expect(maturity([]).maturity).toBe('provisional');
    expect(maturity([inject([ID]), inject([ID])]).maturity).toBe('provisional');
  });

  it('becomes a candidate after one citation or one helpful rating', () => {
    expect(maturity([cite('s1')]).maturity).toBe('candidate');
    expect(maturity([feedback(true)]).maturity).toBe('candidate');
  });

  it('becomes established after citations from three sessions, not three citations of one', () => {
    expect(maturity([cite('s1'), cite('s1'), cite('s1')]).maturity).toBe('candidate');
    expect(maturity([cite('s1'), cite('s2')]).maturity).toBe('candidate');
    expect(maturity([cite('s1'), cite('s2'), cite('s3')]).maturity).toBe('established');
    // More harm than help holds it back.
    expect(maturity([cite('s1'), cite('s2'), cite('s3'), feedback(false)]).maturity).toBe('candidate');
  });

  it('becomes an anti-pattern after two harmful ratings outnumbering the helpful ones', () => {
    expect(maturity([feedback(false)]).maturity).toBe('provisional');
    expect(maturity([feedback(false), feedback(false)]).maturity).toBe('anti-pattern');
    expect(maturity([feedback(false), feedback(false), feedback(true), feedback(true)]).maturity).toBe('candidate');
    expect(maturity([cite('s1'), cite('s2'), cite('s3'), feedback(false), feedback(false)]).maturity).toBe(
      'anti-pattern',
    );
  });

  it('is retired by a retire event and live again after a restore', () => {
    const retire: LedgerEvent = { kind: 'retire', ts: at(2), id: ID, reason: 'wrong now', by: 'me' };
    expect(maturity([cite('s1'), retire])).toMatchObject({
      maturity: 'retired',
      retiredBecause: 'retired (wrong now)',
    });
    expect(maturity([cite('s1'), retire, { kind: 'restore', ts: at(1), id: ID, by: 'me' }])).toMatchObject({
      maturity: 'candidate',
      retiredBecause: null,
    });
  });

  it('is retired when a live learning supersedes it', () => {
    expect(maturity([cite('s1')], learning, 'L-bbbbbbbbbb')).toMatchObject({
      maturity: 'retired',
      retiredBecause: 'superseded by L-bbbbbbbbbb',
    });
  });

  it('is retired after its expiry date, not before', () => {
    expect(maturity([], { ...learning, expires: '2025-05-01' })).toMatchObject({
      maturity: 'retired',
      retiredBecause: 'expired 2025-05-01',
    });
    expect(maturity([], { ...learning, expires: '2025-07-01' }).retiredBecause).toBeNull();
    expect(maturity([], { ...learning, expires: 'not a date' }).retiredBecause).toBeNull();
  });

  it('takes an imported maturity', () => {
    for (const m of ['candidate', 'established', 'anti-pattern'] as const) {
      expect(maturity([{ kind: 'import', ts: at(1), id: ID, from: 'go', maturity: m }]).maturity).toBe(m);
    }
  });
});

describe('utility', () => {
  it('starts at the prior and moves with citations over injections', () => {
    expect(maturity([]).utility).toBe(0.5);
    // (2 × 0.5 + 0) / (2 + 4)
    expect(maturity([inject([ID]), inject([ID]), inject([ID]), inject([ID])]).utility).toBeCloseTo(1 / 6);
    // (1 + 2 cited) / (2 + max(2 injected, 2 cited))
    expect(maturity([inject([ID]), inject([ID]), cite('s1'), cite('s2')]).utility).toBeCloseTo(3 / 4);
    // (1 + 0 + 1 helpful) / (2 + 0 + 1 + 1)
    expect(maturity([feedback(true), feedback(false)]).utility).toBeCloseTo(0.5);
    // Imported utility is the prior: (2 × 0.9) / 2
    expect(maturity([{ kind: 'import', ts: at(1), id: ID, from: 'go', utility: 0.9 }]).utility).toBeCloseTo(0.9);
  });

  it('stays within 0..1', () => {
    const many = Array.from({ length: 30 }, (_, i) => cite(`s${i}`));
    const u = maturity([...many, feedback(true), feedback(true)]).utility;
    expect(u).toBeLessThanOrEqual(1);
    expect(u).toBeGreaterThan(0.9);
    expect(maturity([{ kind: 'import', ts: at(1), id: ID, from: 'go', utility: 7 }]).utility).toBe(1);
  });
});

describe('freshness and decay', () => {
  const born = (daysAgo: number) => ({ created: at(daysAgo), expires: null });

  it('is 1 when just used and halves its distance to 0.5 every half-life', () => {
    expect(deriveStats(born(0), emptyCounters(), NOW).freshness).toBe(1);
    expect(deriveStats(born(90), emptyCounters(), NOW).freshness).toBeCloseTo(0.75);
    expect(deriveStats(born(180), emptyCounters(), NOW).freshness).toBeCloseTo(0.625);
    const policy = { halfLifeDays: 10, retireAfterDays: 30 };
    expect(deriveStats(born(10), emptyCounters(), NOW, policy).freshness).toBeCloseTo(0.75);
    expect(deriveStats(born(20), emptyCounters(), NOW, policy).idleDays).toBeCloseTo(20);
  });

  it('counts idle time from the last citation, birth or restore, whichever is latest', () => {
    const c = countersOf([cite('s1', 5)]);
    expect(deriveStats(born(100), c, NOW).idleDays).toBeCloseTo(5);
    const r = countersOf([{ kind: 'restore', ts: at(2), id: ID, by: 'me' }]);
    expect(deriveStats(born(100), r, NOW).idleDays).toBeCloseTo(2);
  });

  it('is due for decay past retireAfterDays without use, unless retired already', () => {
    expect(decayDue(deriveStats(born(179), emptyCounters(), NOW))).toBe(false);
    expect(decayDue(deriveStats(born(181), emptyCounters(), NOW))).toBe(true);
    expect(decayDue(deriveStats(born(181), countersOf([cite('s1', 10)]), NOW))).toBe(false);
    const retired = countersOf([{ kind: 'retire', ts: at(200), id: ID, reason: 'x', by: 'me' }]);
    expect(decayDue(deriveStats(born(400), retired, NOW))).toBe(false);
    const policy = { halfLifeDays: 10, retireAfterDays: 30 };
    expect(decayDue(deriveStats(born(31), emptyCounters(), NOW, policy), policy)).toBe(true);
  });
});
