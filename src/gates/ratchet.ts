import { readGateEvents } from './ledger.js';
import type {
  Better,
  RatchetAllowEvent,
  RatchetEvent,
  RatchetLockEvent,
  RatchetMove,
  RatchetRegression,
} from './types.js';

/**
 * The ratchet: every figure a check measures has a lock, the best value a passing run has
 * recorded; a run that measures it worse fails, unless an attributed `allow` for that figure was
 * recorded after the lock. The state is derived from the ledger (`ratchet.jsonl`), never stored.
 */

/** One measured figure, named `<check>.<figure>`. */
export interface Measured {
  figure: string;
  value: number;
  better: Better;
}

export interface RatchetState {
  locks: Map<string, RatchetLockEvent>;
  /** Allows recorded after the figure's last lock: each lets one backward move through. */
  allows: Map<string, RatchetAllowEvent>;
}

/** Replays ratchet events (in time order) into the locks and the pending allows. */
export function ratchetState(events: readonly RatchetEvent[]): RatchetState {
  const locks = new Map<string, RatchetLockEvent>();
  const allows = new Map<string, RatchetAllowEvent>();
  for (const e of [...events].sort(byTs)) {
    if (e.kind === 'ratchet-lock') {
      locks.set(e.figure, e);
      allows.delete(e.figure);
    } else allows.set(e.figure, e);
  }
  return { locks, allows };
}

/** Whether `value` is worse than `locked` for a figure that improves in direction `better`. */
export function isWorse(value: number, locked: number, better: Better): boolean {
  return better === 'higher' ? value < locked : value > locked;
}

export interface RatchetJudgement {
  regressions: RatchetRegression[];
  /** Backward moves let through by an allow. */
  allowed: { figure: string; locked: number; value: number; allow: RatchetAllowEvent }[];
  /** What a passing run locks: new figures, improvements and allowed reversals. */
  locks: Measured[];
}

/** Compares measured figures with the state: what regressed, what an allow lets through, what to lock. */
export function judgeFigures(measured: readonly Measured[], state: RatchetState): RatchetJudgement {
  const judgement: RatchetJudgement = { regressions: [], allowed: [], locks: [] };
  for (const m of measured) {
    const lock = state.locks.get(m.figure);
    if (!lock) {
      judgement.locks.push(m);
      continue;
    }
    if (m.value === lock.value) continue;
    if (!isWorse(m.value, lock.value, m.better)) {
      judgement.locks.push(m);
      continue;
    }
    const allow = state.allows.get(m.figure);
    if (allow) {
      judgement.allowed.push({ figure: m.figure, locked: lock.value, value: m.value, allow });
      judgement.locks.push(m);
    } else {
      judgement.regressions.push({
        figure: m.figure,
        locked: lock.value,
        value: m.value,
        better: m.better,
        lockedAt: lock.commit,
      });
    }
  }
  return judgement;
}

/** Every figure of a verdict's checks, with the direction its spec gives. */
export function measuredOf(
  checks: readonly { name: string; figures: Record<string, number> }[],
  betterOf: (check: string, figure: string) => Better | undefined,
): Measured[] {
  const out: Measured[] = [];
  for (const c of checks) {
    for (const [name, value] of Object.entries(c.figures)) {
      const better = betterOf(c.name, name);
      if (better) out.push({ figure: `${c.name}.${name}`, value, better });
    }
  }
  return out;
}

export function readRatchet(agentsDir: string): RatchetEvent[] {
  return readGateEvents(agentsDir, ['ratchet-lock', 'ratchet-allow']).events;
}

/**
 * The figure movements recorded for verdicts on `commits` (for `ao risk`): regressions the
 * ratchet blocked, and locks that moved a figure forward or, after an allow, backward.
 */
export function ratchetMoves(agentsDir: string, commits: ReadonlySet<string>): RatchetMove[] {
  const moves: RatchetMove[] = [];
  const verdicts = readGateEvents(agentsDir, ['verdict']).events;
  for (const v of verdicts) {
    if (!v.commit || !commits.has(v.commit)) continue;
    for (const r of v.regressions ?? []) {
      moves.push({
        figure: r.figure,
        from: r.locked,
        to: r.value,
        better: r.better,
        commit: v.commit,
        kind: 'regressed',
      });
    }
  }
  const previous = new Map<string, RatchetLockEvent>();
  const pending = new Map<string, RatchetAllowEvent>();
  for (const e of [...readRatchet(agentsDir)].sort(byTs)) {
    if (e.kind === 'ratchet-allow') {
      pending.set(e.figure, e);
      continue;
    }
    const before = previous.get(e.figure);
    previous.set(e.figure, e);
    const allow = pending.get(e.figure);
    pending.delete(e.figure);
    if (!before || !e.commit || !commits.has(e.commit)) continue;
    const worse = isWorse(e.value, before.value, e.better);
    moves.push({
      figure: e.figure,
      from: before.value,
      to: e.value,
      better: e.better,
      commit: e.commit,
      kind: worse ? 'allowed' : 'improved',
      ...(worse && allow ? { reason: allow.reason } : {}),
    });
  }
  // A regression a later allow let through is that allowed move, not a standing regression.
  const allowed = new Set(moves.filter((m) => m.kind === 'allowed').map((m) => m.figure));
  return moves.filter((m) => m.kind !== 'regressed' || !allowed.has(m.figure));
}

function byTs(a: { ts: string }, b: { ts: string }): number {
  return a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0;
}
