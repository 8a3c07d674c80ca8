import { str } from '../../lib/json.js';
import { NOTHING, type Action, type Adapter, type Answer, type HookEvent, type HookEventName } from '../types.js';
import { baseEvent, json, need, responseFailed } from './common.js';

/**
 * Claude Code: the payload's fields are snake_case (`session_id`, `tool_input`, …); answers are
 * JSON on stdout with exit 0. The guard answers through `permissionDecision` rather than exit 2,
 * which some versions ignore for Write and Edit. An allowed call gets no answer at all, so the
 * agent's own permission prompts still apply: the guard only ever narrows.
 */
export const CLAUDE_EVENTS: Record<HookEventName, readonly string[]> = {
  'session-start': ['SessionStart'],
  'user-prompt': ['UserPromptSubmit'],
  'pre-tool': ['PreToolUse'],
  'post-tool': ['PostToolUse', 'PostToolUseFailure'],
  stop: ['Stop'],
  'session-end': ['SessionEnd'],
};

export function parseClaudeLike(
  event: HookEventName,
  payload: Record<string, unknown>,
  cwd: string | null = null,
): HookEvent {
  const base = baseEvent(event, payload, cwd);
  switch (event) {
    case 'session-start':
      return { ...base, ...(str(payload.source) ? { source: str(payload.source)! } : {}) };
    case 'user-prompt':
      return { ...base, prompt: need(payload, 'prompt') };
    case 'pre-tool':
      return { ...base, tool: { name: need(payload, 'tool_name'), input: payload.tool_input ?? {} } };
    case 'post-tool': {
      const response = payload.tool_response;
      const failed =
        payload.hook_event_name === 'PostToolUseFailure' ||
        typeof payload.error === 'string' ||
        responseFailed(response);
      return { ...base, tool: { name: need(payload, 'tool_name'), input: payload.tool_input ?? {}, response, failed } };
    }
    case 'stop':
      return { ...base, stopHookActive: payload.stop_hook_active === true };
    case 'session-end':
      return base;
  }
}

/** Claude Code's and Codex's shared answer shapes; `ask` is how the agent's `ask` is spelled. */
export function renderClaudeLike(event: HookEvent, action: Action, agentEvent: string): Answer {
  const name = agentEvent;
  switch (event.event) {
    case 'session-start':
    case 'user-prompt':
      return action.context
        ? json({ hookSpecificOutput: { hookEventName: name, additionalContext: action.context } })
        : NOTHING;
    case 'pre-tool': {
      const verdict = action.verdict;
      if (!verdict || verdict.decision === 'allow') return NOTHING;
      return json({
        hookSpecificOutput: {
          hookEventName: name,
          permissionDecision: verdict.decision,
          permissionDecisionReason: `${verdict.reason} (ao guard: ${verdict.rule})`,
        },
      });
    }
    case 'post-tool':
      // The tool has run: the message is context for the agent's next step.
      return action.block
        ? json({ hookSpecificOutput: { hookEventName: name, additionalContext: action.block } })
        : NOTHING;
    case 'stop':
      return action.block ? json({ decision: 'block', reason: action.block }) : NOTHING;
    case 'session-end':
      return NOTHING;
  }
}

export const claude: Adapter = {
  events: CLAUDE_EVENTS,
  parse: (event, payload) => parseClaudeLike(event, payload),
  render: (event, action, agentEvent) => renderClaudeLike(event, action, agentEvent ?? CLAUDE_EVENTS[event.event][0]!),
};
