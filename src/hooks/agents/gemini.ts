import { str } from '../../lib/json.js';
import type { Action, Adapter, Answer, HookEvent, HookEventName } from '../types.js';
import { baseEvent, json, need, responseFailed } from './common.js';

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

function parse(event: HookEventName, payload: Record<string, unknown>): HookEvent {
  const base = baseEvent(event, payload, null);
  switch (event) {
    case 'session-start':
      return { ...base, ...(str(payload.source) ? { source: str(payload.source)! } : {}) };
    case 'user-prompt':
      return { ...base, prompt: need(payload, 'prompt') };
    case 'pre-tool':
      return { ...base, tool: { name: need(payload, 'tool_name'), input: payload.tool_input ?? {} } };
    case 'post-tool': {
      const response = payload.tool_response;
      return {
        ...base,
        tool: {
          name: need(payload, 'tool_name'),
          input: payload.tool_input ?? {},
          response,
          failed: responseFailed(response),
        },
      };
    }
    case 'stop':
      return { ...base, stopHookActive: payload.stop_hook_active === true };
    case 'session-end':
      return base;
  }
}

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

export const gemini: Adapter = { events: GEMINI_EVENTS, parse, render };
