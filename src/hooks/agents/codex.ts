import type { Adapter, HookEventName } from '../types.js';
import { parseClaudeLike, renderClaudeLike } from './claude.js';

/**
 * Codex CLI: the same payload and answer shapes as Claude Code (it validates answers strictly,
 * so an event with nothing to say prints nothing). It has no session-end event: the stop hook
 * queues the transcript instead.
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
    renderClaudeLike(event, action, agentEvent ?? CODEX_EVENTS[event.event]?.[0] ?? event.event),
};
