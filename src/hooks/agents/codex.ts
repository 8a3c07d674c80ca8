import type { Action, Adapter, HookEventName } from '../types.js';
import { parseClaudeLike, renderClaudeLike } from './claude.js';

/**
 * Codex CLI: the same payload and answer shapes as Claude Code, validated strictly: an event with
 * nothing to say prints nothing, and a pre-tool `ask` is rejected (the hook would count as failed
 * and the call go ahead), so the guard's `ask` is a refusal that says a person must approve.
 * It has no session-end event: the stop hook queues the transcript instead.
 */
export const CODEX_EVENTS: Partial<Record<HookEventName, readonly string[]>> = {
  'session-start': ['SessionStart'],
  'user-prompt': ['UserPromptSubmit'],
  'pre-tool': ['PreToolUse'],
  'post-tool': ['PostToolUse'],
  stop: ['Stop'],
};

export const codex: Adapter = {
  events: CODEX_EVENTS,
  parse: (event, payload) => parseClaudeLike(event, payload),
  render: (event, action, agentEvent) =>
    renderClaudeLike(event, withoutAsk(action), agentEvent ?? CODEX_EVENTS[event.event]?.[0] ?? event.event),
};

function withoutAsk(action: Action): Action {
  const verdict = action.verdict;
  if (verdict?.decision !== 'ask') return action;
  return {
    ...action,
    verdict: {
      ...verdict,
      decision: 'deny',
      reason: `${verdict.reason}; this needs a person's approval: ask the user to run it`,
    },
  };
}
