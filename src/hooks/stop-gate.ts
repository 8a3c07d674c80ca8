import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { VerdictEvent } from '../gates/types.js';
import type { HookContext } from './handle.js';
import { loadState, saveState } from './state.js';
import type { Action, HookEvent } from './types.js';

/**
 * The agents' stop hook runs the gates' `stop` stage: while it fails, the agent is sent back to
 * work with the failing output as the reason, up to `settings.stop-retries` times in a row; then
 * it may stop (and the failed verdict stays in the ledger). A gates file with problems blocks
 * nothing: its problems go to the hook log.
 */
export const STOP_STAGE = 'stop';
/** Characters of each failing check's output the agent is shown. */
const REASON_OUTPUT_CHARS = 2500;

export async function stopGate(event: HookEvent, ctx: HookContext): Promise<Action> {
  const root = ctx.ws.root;
  if (!root || !existsSync(join(root, '.agents', 'gates.yaml'))) return {};
  const { loadGates } = await import('../gates/config.js');
  const read = loadGates(root);
  if (read.problems.length > 0) return { problems: read.problems };
  const checks = read.config.stages[STOP_STAGE];
  if (!checks || checks.length === 0) return {};

  const state = loadState(ctx.agentsDir, event.sessionId);
  const bound = read.config.settings.stopRetries;
  // Without a session id nothing can be counted: the agent's own "already sent back" flag bounds it to one retry.
  const blocks = event.sessionId ? (state.stopBlocks ?? 0) : event.stopHookActive ? bound : 0;
  if (bound > 0 && blocks >= bound) {
    // The bound is reached: let the agent stop; the next stop starts counting again.
    saveState(ctx.agentsDir, event.sessionId, { ...state, stopBlocks: 0 });
    return { problems: [`stop stage still failing after ${blocks} attempts: the agent was let stop`] };
  }
  const { runGate } = await import('../gates/gate.js');
  const run = await runGate({
    root,
    agentsDir: ctx.agentsDir,
    config: read.config,
    stage: STOP_STAGE,
    via: `stop-hook${ctx.agent ? `:${ctx.agent}` : ''}`,
    ...(event.sessionId ? { author: event.sessionId } : {}),
    signal: ctx.signal,
  });
  if (run.event.verdict === 'pass') {
    if (blocks > 0) saveState(ctx.agentsDir, event.sessionId, { ...state, stopBlocks: 0 });
    return {};
  }
  // stop-retries: 0 records the verdict and never sends the agent back.
  if (ctx.signal?.aborted || bound === 0) return {};
  saveState(ctx.agentsDir, event.sessionId, { ...state, stopBlocks: blocks + 1 });
  return { block: stopReason(run.event, blocks + 1, bound) };
}

/** What the agent reads: which checks failed, their output's tail, and how many tries are left. */
export function stopReason(verdict: VerdictEvent, attempt: number, bound: number): string {
  const lines = [
    `ao gate: the stop stage failed (verdict ${verdict.id}, attempt ${attempt} of ${bound}). The work is not done: fix what follows, then finish.`,
  ];
  for (const c of verdict.checks) {
    if (c.status === 'pass') continue;
    const how = c.status === 'fail' ? `exit ${c.exitCode ?? c.signal ?? '?'}` : c.status;
    lines.push('', `## ${c.name} (${how}): ${c.command}`);
    for (const note of c.notes) lines.push(`- ${note}`);
    if (c.outputTail) {
      const tail =
        c.outputTail.length > REASON_OUTPUT_CHARS ? `…${c.outputTail.slice(-REASON_OUTPUT_CHARS)}` : c.outputTail;
      lines.push('```', tail, '```');
    }
  }
  for (const r of verdict.regressions) {
    lines.push(
      '',
      `## ratchet: ${r.figure} went from ${r.locked} to ${r.value} (${r.better} is better).`,
      'Bring it back, or ask a person to record why it may go back (`ao ratchet allow`).',
    );
  }
  return lines.join('\n');
}
