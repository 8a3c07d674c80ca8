import { isRecord, str } from '../../lib/json.js';
import { PayloadError, type Action, type Adapter, type Answer, type HookEvent, type HookEventName } from '../types.js';
import { json, responseFailed } from './common.js';

/**
 * OpenCode has no hook protocol of its own: the plugin `ao init` writes (opencode-plugin.ts)
 * forwards its plugin hooks' input and output objects as `{hook, session_id, directory,
 * worktree, input, output}`, and reads back `{decision, reason, context}`: a refusal, or text
 * to add (to the prompt, to a tool's output, or as the next prompt when the session goes idle).
 */
export const OPENCODE_EVENTS: Record<HookEventName, readonly string[]> = {
  'session-start': ['session.created'],
  'user-prompt': ['chat.message'],
  'pre-tool': ['tool.execute.before'],
  'post-tool': ['tool.execute.after'],
  stop: ['session.idle'],
  'session-end': ['session.deleted'],
};

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function promptOf(output: Record<string, unknown>): string {
  const parts = Array.isArray(output.parts) ? output.parts : [];
  const text = parts
    .filter(isRecord)
    .filter((p) => p.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text as string)
    .join('\n');
  if (text === '') throw new PayloadError('the chat message has no text part');
  return text;
}

function parse(event: HookEventName, payload: Record<string, unknown>): HookEvent {
  const cwd = str(payload.directory) ?? str(payload.worktree);
  if (!cwd) throw new PayloadError('the payload has no directory');
  const input = record(payload.input);
  const output = record(payload.output);
  const base: HookEvent = {
    event,
    sessionId: str(payload.session_id) ?? str(input.sessionID),
    cwd,
    transcriptPath: null,
  };
  const tool = str(input.tool);
  switch (event) {
    case 'user-prompt':
      return { ...base, prompt: promptOf(output) };
    case 'pre-tool':
      if (!tool) throw new PayloadError('the payload has no input.tool');
      return { ...base, tool: { name: tool, input: output.args ?? input.args ?? {} } };
    case 'post-tool': {
      if (!tool) throw new PayloadError('the payload has no input.tool');
      const metadata = record(output.metadata);
      const failed = responseFailed(metadata) || (typeof metadata.exit === 'number' && metadata.exit !== 0);
      return { ...base, tool: { name: tool, input: input.args ?? {}, response: output.output, failed } };
    }
    default:
      return base;
  }
}

function render(event: HookEvent, action: Action): Answer {
  const verdict = action.verdict;
  if (event.event === 'pre-tool' && verdict && verdict.decision !== 'allow') {
    return json({ decision: verdict.decision, reason: `${verdict.reason} (ao guard: ${verdict.rule})` });
  }
  // After a tool, the plugin appends the context to the tool's output; on idle, it sends it as
  // the next prompt, which keeps the agent working.
  const context = action.block ?? action.context;
  return json(context ? { context } : {});
}

export const opencode: Adapter = { events: OPENCODE_EVENTS, parse, render: (event, action) => render(event, action) };
