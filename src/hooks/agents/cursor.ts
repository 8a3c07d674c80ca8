import { isRecord, parseJson, str } from '../../lib/json.js';
import {
  PayloadError,
  type Action,
  type Adapter,
  type Answer,
  type HookEvent,
  type HookEventName,
  type ToolUse,
} from '../types.js';
import { json, need, responseFailed } from './common.js';

/**
 * Cursor: one `ao hook <event>` per neutral event, but several of Cursor's events map to one of
 * ours (pre-tool is beforeShellExecution, beforeMCPExecution, beforeReadFile and preToolUse), so
 * the payload's `hook_event_name` says which tool shape it carries. There is no transcript path;
 * the session is the conversation. Context goes in `additional_context` (session start, prompt,
 * after a tool); an allowed call gets `{}`, so Cursor's own approval settings still apply.
 */
export const CURSOR_EVENTS: Record<HookEventName, readonly string[]> = {
  'session-start': ['sessionStart'],
  'user-prompt': ['beforeSubmitPrompt'],
  'pre-tool': ['beforeShellExecution', 'beforeMCPExecution', 'beforeReadFile', 'preToolUse'],
  'post-tool': ['postToolUse', 'postToolUseFailure', 'afterShellExecution', 'afterMCPExecution', 'afterFileEdit'],
  stop: ['stop'],
  'session-end': ['sessionEnd'],
};

function cwdOf(payload: Record<string, unknown>): string {
  const roots = Array.isArray(payload.workspace_roots) ? payload.workspace_roots : [];
  const dir = str(payload.cwd) ?? roots.map(str).find((r) => r !== null) ?? null;
  if (!dir) throw new PayloadError('the payload has neither cwd nor workspace_roots');
  return dir;
}

/** MCP inputs arrive as a JSON string; other tools as objects. */
function inputOf(value: unknown): unknown {
  if (typeof value === 'string') return parseJson(value) ?? value;
  return value ?? {};
}

function toolOf(agentEvent: string, payload: Record<string, unknown>, cwd: string): ToolUse {
  switch (agentEvent) {
    case 'beforeShellExecution':
      return { name: 'Shell', input: { command: need(payload, 'command'), cwd } };
    case 'afterShellExecution': {
      const code = payload.exit_code ?? payload.exitCode;
      return {
        name: 'Shell',
        input: { command: need(payload, 'command'), cwd },
        response: { output: payload.output, exit_code: code },
        failed: typeof code === 'number' && code !== 0,
      };
    }
    case 'beforeReadFile':
      return { name: 'Read', input: { file_path: need(payload, 'file_path') } };
    case 'afterFileEdit':
      return { name: 'Edit', input: { file_path: need(payload, 'file_path') }, response: payload.edits, failed: false };
    case 'postToolUseFailure':
      return {
        name: need(payload, 'tool_name'),
        input: inputOf(payload.tool_input),
        response: payload.error_message,
        failed: true,
      };
    default: {
      const response = payload.tool_output ?? payload.result_json ?? payload.output;
      const parsed = inputOf(response);
      return {
        name: need(payload, 'tool_name'),
        input: inputOf(payload.tool_input),
        ...(agentEvent.startsWith('after') || agentEvent === 'postToolUse'
          ? { response: parsed, failed: responseFailed(parsed) || (isRecord(payload) && payload.success === false) }
          : {}),
      };
    }
  }
}

function parse(event: HookEventName, payload: Record<string, unknown>): HookEvent {
  const cwd = cwdOf(payload);
  const agentEvent = str(payload.hook_event_name) ?? CURSOR_EVENTS[event][0]!;
  const base: HookEvent = {
    event,
    sessionId: str(payload.conversation_id) ?? str(payload.session_id),
    cwd,
    transcriptPath: str(payload.transcript_path),
  };
  switch (event) {
    case 'user-prompt':
      return { ...base, prompt: need(payload, 'prompt') };
    case 'pre-tool':
    case 'post-tool':
      return { ...base, tool: toolOf(agentEvent, payload, cwd) };
    case 'stop':
      return { ...base, stopHookActive: typeof payload.loop_count === 'number' && payload.loop_count > 0 };
    default:
      return base;
  }
}

/** Cursor drops `additional_context` over 10,000 characters whole; ao's packets are far smaller. */
const CONTEXT_MAX = 10_000;

function context(text: string | undefined): Record<string, unknown> {
  return text ? { additional_context: text.length > CONTEXT_MAX ? `${text.slice(0, CONTEXT_MAX - 1)}…` : text } : {};
}

function render(event: HookEvent, action: Action, agentEvent: string | null): Answer {
  switch (event.event) {
    case 'session-start':
    case 'user-prompt':
      return json(context(action.context));
    case 'pre-tool': {
      const verdict = action.verdict;
      if (!verdict || verdict.decision === 'allow') return json({});
      const message = `${verdict.reason} (ao guard: ${verdict.rule})`;
      // beforeReadFile knows allow and deny only, and no agent_message.
      if (agentEvent === 'beforeReadFile') return json({ permission: 'deny', user_message: message });
      return json({ permission: verdict.decision, user_message: message, agent_message: message });
    }
    case 'post-tool':
      return json(agentEvent === 'postToolUse' || agentEvent === 'postToolUseFailure' ? context(action.block) : {});
    case 'stop':
      return json(action.block ? { followup_message: action.block } : {});
    case 'session-end':
      return json({});
  }
}

export const cursor: Adapter = { events: CURSOR_EVENTS, parse, render };
