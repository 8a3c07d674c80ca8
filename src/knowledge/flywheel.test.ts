import { describe, expect, it } from 'vitest';
import { flywheelReport } from './flywheel.js';
import type { LedgerEvent } from './ledger.js';
import type { Maturity } from './types.js';

const DAY = 86_400_000;
const NOW = Date.parse('2025-06-01T00:00:00.000Z');
const ago = (days: number): string => new Date(NOW - days * DAY).toISOString();

const inject = (days: number, ids: string[], session?: string): LedgerEvent => ({
  kind: 'inject',
  ts: ago(days),
  ids,
  ...(session ? { session } : {}),
  query: 'q',
  tokens: 10,
  budget: 100,
});
const cite = (days: number, id: string, session: string, how: 'explicit' | 'implicit' = 'explicit'): LedgerEvent => ({
  kind: 'cite',
  ts: ago(days),
  id,
  session,
  how,
  evidence: '',
});
const forge = (days: number): LedgerEvent => ({
  kind: 'forge',
  ts: ago(days),
  session: 's',
  agent: 'claude',
  transcript: 't.jsonl',
  fingerprint: 'f',
  candidates: 5,
  accepted: ['L-x', 'L-y'],
  merged: ['L-z'],
  held: 1,
  rejected: 1,
});

const EVENTS: LedgerEvent[] = [
  inject(1, ['A'], 's1'),
  inject(2, ['A', 'B'], 's2'),
  inject(3, [], 's7'),
  inject(4, ['C']),
  inject(6, ['F', 'G'], 's4'),
  inject(7, ['F'], 's5'),
  inject(8, ['F', 'H'], 's6'),
  inject(9, ['H'], 's6'),
  inject(40, ['D'], 's0'),
  cite(1, 'A', 's1'),
  cite(2, 'C', 's9', 'implicit'),
  cite(2, 'B', 's3'),
  cite(60, 'G', 's0'),
  { kind: 'retire', ts: ago(5), id: 'D', reason: 'stale', by: 'decay' },
  { kind: 'retire', ts: ago(90), id: 'E', reason: 'stale', by: 'decay' },
  forge(3),
  forge(50),
];

const learning = (id: string, maturity: Maturity, createdDaysAgo = 100) => ({
  id,
  title: `Learning ${id}`,
  maturity,
  created: ago(createdDaysAgo),
});

const LEARNINGS = [
  learning('A', 'candidate'),
  learning('B', 'provisional'),
  learning('C', 'provisional', 10),
  learning('D', 'retired'),
  learning('E', 'retired'),
  learning('F', 'provisional'),
  learning('G', 'provisional'),
];

describe('flywheelReport', () => {
  const report = flywheelReport({ events: EVENTS, learnings: LEARNINGS, windowDays: 30, now: NOW, unusedAfter: 1 });

  it('computes σ from the injections of the window that surfaced anything', () => {
    expect(report.injections).toBe(8);
    expect(report.retrievalRate).toBe(0.875);
  });

  it('computes ρ over (learning, session) pairs, pairing session-less injections by learning', () => {
    // Pairs: A/s1 (cited), A/s2, B/s2 (B was cited in s3, not s2), C/- (cited), F/s4, G/s4, F/s5, F/s6, H/s6.
    expect(report.citationRate).toBe(0.222);
  });

  it('computes δ over the learnings live at the start of the window', () => {
    // Live at the start: A, B, D (retired during the window), F, G; C is newer, E retired before.
    expect(report.decayRate).toBe(0.2);
    expect(report.margin).toBe(-0.006);
    expect(report.healthy).toBe(false);
  });

  it('counts learnings, forge runs and citations of the window', () => {
    expect(report.learnings).toEqual({ total: 5, byMaturity: { candidate: 1, provisional: 4, retired: 2 } });
    expect(report.forge).toEqual({ runs: 1, candidates: 5, accepted: 2, held: 1, merged: 1, rejected: 1 });
    expect(report.citations).toEqual({ explicit: 2, implicit: 1 });
    expect(report.windowDays).toBe(30);
  });

  it('lists known learnings injected often and never cited', () => {
    // G was cited before the window; H is not a known learning.
    expect(report.unused).toEqual([{ id: 'F', title: 'Learning F', injected: 3 }]);
    const stricter = flywheelReport({ events: EVENTS, learnings: LEARNINGS, windowDays: 30, now: NOW, unusedAfter: 4 });
    expect(stricter.unused).toEqual([]);
  });

  it('is healthy when use outpaces decay', () => {
    const events = [inject(1, ['A'], 's1'), cite(1, 'A', 's1')];
    const r = flywheelReport({
      events,
      learnings: [learning('A', 'candidate')],
      windowDays: 30,
      now: NOW,
      unusedAfter: 1,
    });
    expect(r).toMatchObject({ retrievalRate: 1, citationRate: 1, decayRate: 0, margin: 1, healthy: true });
  });

  it('says nothing it cannot know', () => {
    const r = flywheelReport({ events: [], learnings: [], windowDays: 30, now: NOW, unusedAfter: 1 });
    expect(r).toMatchObject({
      injections: 0,
      retrievalRate: null,
      citationRate: null,
      decayRate: null,
      margin: null,
      healthy: null,
      unused: [],
    });
  });
});
