import type { Action, Adapter, Answer, HookEvent, HookEventName } from '../types.js';
import { parseClaudeLike } from './claude.js';
import { json } from './common.js';

/**
 * Gemini CLI: stdout must always be JSON, so "nothing to say" is `{}`. Context goes in
 * `hookSpecificOutput.additionalContext`; a refusal is `decision: "deny"` with a reason. AfterAgent
 * is its stop: `deny` sends the agent back to work.
 */
export const GEMINI_EVENTS: Record<HookEventName, readonly string[]> = {
  'session-start': ['SessionStart'],
  'user-prompt': ['BeforeAgent'],
  'pre-tool': ['BeforeTool'],
  'post-tool': ['AfterTool'],
  stop: ['AfterAgent'],
  'session-end': ['SessionEnd'],
};

function render(event: HookEvent, action: Action, agentEvent: string | null): Answer {
  const name = agentEvent ?? GEMINI_EVENTS[event.event][0]!;
  switch (event.event) {
    case 'session-start':
    case 'user-prompt':
      return json(
        action.context ? { hookSpecificOutput: { hookEventName: name, additionalContext: action.context } } : {},
      );
    case 'pre-tool': {
      const verdict = action.verdict;
      if (!verdict || verdict.decision === 'allow') return json({});
      return json({ decision: verdict.decision, reason: `${verdict.reason} (ao guard: ${verdict.rule})` });
    }
    case 'post-tool':
      return json(action.block ? { hookSpecificOutput: { hookEventName: name, additionalContext: action.block } } : {});
    case 'stop':
      return json(action.block ? { decision: 'deny', reason: action.block } : {});
    case 'session-end':
      return json({});
  }
}

/** Gemini's payload fields are Claude Code's (`session_id`, `tool_input`, `tool_response`, …). */
export const gemini: Adapter = {
  events: GEMINI_EVENTS,
  parse: (event, payload) => parseClaudeLike(event, payload),
  render,
};
