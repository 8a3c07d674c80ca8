import type { CouncilVerdict, JudgeResult } from './types.js';

export interface Aggregate {
  verdict: CouncilVerdict;
  /** Why, when the answers alone do not say it: no judge answered, or some judges failed. */
  reason?: string;
}

/**
 * The council's verdict: FAIL when any judge that answered says FAIL; otherwise WARN when any
 * says WARN or any judge failed (a missing voice is never a pass); PASS only when every judge
 * answered PASS. With no answer at all the verdict is FAIL: nothing was reviewed.
 */
export function aggregateVerdict(judges: readonly Pick<JudgeResult, 'status' | 'verdict'>[]): Aggregate {
  const answered = judges.filter((j) => j.status === 'answered');
  const failed = judges.length - answered.length;
  if (answered.length === 0) return { verdict: 'FAIL', reason: 'no judge answered' };
  if (answered.some((j) => j.verdict === 'FAIL')) return { verdict: 'FAIL' };
  if (answered.some((j) => j.verdict === 'WARN')) return { verdict: 'WARN' };
  if (failed > 0) return { verdict: 'WARN', reason: `${failed} of ${judges.length} judges gave no usable answer` };
  return { verdict: 'PASS' };
}
