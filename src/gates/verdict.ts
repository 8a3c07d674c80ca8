import { fastHash } from '../lib/hash.js';
import { betterOf } from './config.js';
import { appendGateEvents, readGateEvents } from './ledger.js';
import { judgeFigures, measuredOf, ratchetState, readRatchet, type RatchetJudgement } from './ratchet.js';
import type { GitState } from './git.js';
import type { CheckResult, GatesConfig, Judge, RatchetLockEvent, VerdictEvent } from './types.js';

/**
 * A stage's verdict: it passes when every check passed and no figure moved backward against the
 * ratchet. The verdict goes to the ledger with the judge (the pipeline and where it ran, never the
 * session whose work it judged); a passing verdict locks the figures it measured.
 */
export interface VerdictInput {
  agentsDir: string;
  config: GatesConfig;
  stage: string;
  checks: CheckResult[];
  durationMs: number;
  git: GitState;
  judge: Judge;
  author?: string;
  /** Compare figures with the ratchet (default true). */
  ratchet?: boolean;
  now?: Date;
}

export interface Decided {
  event: VerdictEvent;
  ratchet: RatchetJudgement;
}

export function decideVerdict(input: VerdictInput): Decided {
  const ts = (input.now ?? new Date()).toISOString();
  const measured = measuredOf(input.checks, (check, figure) => betterOf(input.config, check, figure));
  const ratchet =
    input.ratchet === false
      ? { regressions: [], allowed: [], locks: [] }
      : judgeFigures(measured, ratchetState(readRatchet(input.agentsDir)));
  const passed = input.checks.every((c) => c.status === 'pass') && ratchet.regressions.length === 0;
  const body = {
    stage: input.stage,
    verdict: passed ? ('pass' as const) : ('fail' as const),
    commit: input.git.commit,
    branch: input.git.branch,
    dirty: input.git.dirty,
    checks: input.checks,
    regressions: ratchet.regressions,
    judge: input.judge,
    ...(input.author ? { author: input.author } : {}),
    durationMs: input.durationMs,
  };
  const id = `V-${fastHash(`${ts}\0${JSON.stringify(body)}`).slice(0, 10)}`;
  return { event: { kind: 'verdict', ts, id, ...body }, ratchet };
}

/** Writes the verdict and, when it passed, the locks it earned. */
export function recordVerdict(agentsDir: string, decided: Decided): void {
  const { event, ratchet } = decided;
  const locks: RatchetLockEvent[] =
    event.verdict === 'pass'
      ? ratchet.locks.map((m) => ({
          kind: 'ratchet-lock',
          ts: event.ts,
          figure: m.figure,
          value: m.value,
          better: m.better,
          commit: event.commit,
          verdict: event.id,
        }))
      : [];
  appendGateEvents(agentsDir, [event, ...locks]);
}

export function readVerdicts(agentsDir: string): VerdictEvent[] {
  return readGateEvents(agentsDir, ['verdict']).events;
}
