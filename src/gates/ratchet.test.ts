import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendGateEvents } from './ledger.js';
import { judgeFigures, ratchetMoves, ratchetState, type Measured } from './ratchet.js';
import type { RatchetEvent, VerdictEvent } from './types.js';

const lock = (figure: string, value: number, ts: string, commit = 'c1'): RatchetEvent => ({
  kind: 'ratchet-lock',
  ts,
  figure,
  value,
  better: figure.endsWith('failed') ? 'lower' : 'higher',
  commit,
  verdict: `V-${ts}`,
});
const allow = (figure: string, ts: string): RatchetEvent => ({
  kind: 'ratchet-allow',
  ts,
  figure,
  reason: 'tests moved to another package',
  by: 'lead@example.com',
  commit: 'c2',
});
const m = (figure: string, value: number): Measured => ({
  figure,
  value,
  better: figure.endsWith('failed') ? 'lower' : 'higher',
});

describe('the ratchet', () => {
  it('locks new figures and improvements, holds equal ones, blocks regressions', () => {
    const state = ratchetState([lock('t.passed', 10, '2026-01-01'), lock('t.failed', 2, '2026-01-01')]);
    const j = judgeFigures([m('t.passed', 12), m('t.failed', 2), m('lint.warnings_fixed', 1)], state);
    expect(j.regressions).toEqual([]);
    expect(j.locks.map((x) => x.figure)).toEqual(['t.passed', 'lint.warnings_fixed']);
    const worse = judgeFigures([m('t.passed', 9), m('t.failed', 3)], state);
    expect(worse.regressions).toEqual([
      { figure: 't.passed', locked: 10, value: 9, better: 'higher', lockedAt: 'c1' },
      { figure: 't.failed', locked: 2, value: 3, better: 'lower', lockedAt: 'c1' },
    ]);
    expect(worse.locks).toEqual([]);
  });

  it('lets a figure back once after an allow, and the next lock uses the allow up', () => {
    const events = [lock('t.passed', 10, '2026-01-01'), allow('t.passed', '2026-01-02')];
    const j = judgeFigures([m('t.passed', 8)], ratchetState(events));
    expect(j.regressions).toEqual([]);
    expect(j.allowed[0]).toMatchObject({ figure: 't.passed', locked: 10, value: 8 });
    expect(j.locks).toEqual([m('t.passed', 8)]);
    // Locked at 8 after the allow: going lower again is a regression.
    const after = ratchetState([...events, lock('t.passed', 8, '2026-01-03', 'c2')]);
    expect(judgeFigures([m('t.passed', 7)], after).regressions).toHaveLength(1);
    // An allow older than the lock does not count.
    const stale = ratchetState([allow('t.passed', '2025-12-01'), lock('t.passed', 10, '2026-01-01')]);
    expect(judgeFigures([m('t.passed', 8)], stale).regressions).toHaveLength(1);
  });

  it('lists the moves recorded for a set of commits', () => {
    const dir = mkdtempSync(join(os.tmpdir(), 'ao-ratchet-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const verdict: VerdictEvent = {
      kind: 'verdict',
      ts: '2026-01-02T00:00:00.000Z',
      id: 'V-1',
      stage: 'ci',
      verdict: 'fail',
      commit: 'c3',
      branch: 'main',
      dirty: false,
      checks: [],
      regressions: [{ figure: 't.passed', locked: 10, value: 9, better: 'higher', lockedAt: 'c1' }],
      judge: { by: 'ao gate', via: 'cli' },
      durationMs: 1,
    };
    appendGateEvents(dir, [
      lock('t.passed', 10, '2026-01-01T00:00:00.000Z', 'c1'),
      verdict,
      lock('t.passed', 11, '2026-01-03T00:00:00.000Z', 'c2'),
      allow('t.passed', '2026-01-04T00:00:00.000Z'),
      lock('t.passed', 7, '2026-01-05T00:00:00.000Z', 'c4'),
    ]);
    expect(ratchetMoves(dir, new Set(['c3']))).toEqual([
      { figure: 't.passed', from: 10, to: 9, better: 'higher', commit: 'c3', kind: 'regressed' },
    ]);
    expect(ratchetMoves(dir, new Set(['c2', 'c4']))).toEqual([
      { figure: 't.passed', from: 10, to: 11, better: 'higher', commit: 'c2', kind: 'improved' },
      {
        figure: 't.passed',
        from: 11,
        to: 7,
        better: 'higher',
        commit: 'c4',
        kind: 'allowed',
        reason: 'tests moved to another package',
      },
    ]);
  });
});
