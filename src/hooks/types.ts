import type { Verdict } from '../guard/types.js';

/**
 * The neutral hook events. Each agent's adapter (agents/<name>.ts) translates its own payload
 * into a `HookEvent` and an `Action` back into its own output shape; nothing between the two
 * edges knows which agent it was.
 */
export const HOOK_EVENTS = ['session-start', 'user-prompt', 'pre-tool', 'post-tool', 'stop', 'session-end'] as const;
export type HookEventName = (typeof HOOK_EVENTS)[number];

export const AGENTS = ['claude', 'codex', 'gemini', 'cursor', 'opencode'] as const;
export type AgentName = (typeof AGENTS)[number];

export interface ToolUse {
  /** The tool's name as the agent calls it (`Bash`, `run_shell_command`, `Shell`, `bash`, …). */
  name: string;
  input: unknown;
  /** Post-tool: what the tool returned, and whether it failed. */
  response?: unknown;
  failed?: boolean;
}

export interface HookEvent {
  event: HookEventName;
  sessionId: string | null;
  /** Where the agent runs; the repository is found from here. */
  cwd: string;
  transcriptPath: string | null;
  /** User prompt (user-prompt). */
  prompt?: string;
  /** Why the session started: startup, resume, clear, compact (session-start). */
  source?: string;
  tool?: ToolUse;
  /** Stop: the agent is already continuing because of a stop hook. */
  stopHookActive?: boolean;
}

/** What `ao` does in answer to an event; the adapter renders it in the agent's shape. */
export interface Action {
  /** Text to add to the agent's context. */
  context?: string;
  /** Pre-tool: the guard's verdict. */
  verdict?: Verdict;
  /** Post-tool or stop: a message that sends the agent back to work (a loop flagged, a gate failed). */
  block?: string;
  /** For the hook log only: what went wrong on the way (a policy file with problems). */
  problems?: string[];
}

/** The agent-facing answer: what goes to stdout and stderr, and the exit code. */
export interface Answer {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface Adapter {
  /** The agent's own event names for each neutral event it supports (for install and parsing). */
  events: Partial<Record<HookEventName, readonly string[]>>;
  /** Payload → neutral event; throws `PayloadError` when the payload is not the agent's shape. */
  parse(event: HookEventName, payload: Record<string, unknown>): HookEvent;
  /** Neutral action → the agent's answer. `agentEvent` is the payload's own event name, if any. */
  render(event: HookEvent, action: Action, agentEvent: string | null): Answer;
}

export class PayloadError extends Error {}

export const NOTHING: Answer = { stdout: '', stderr: '', exitCode: 0 };
