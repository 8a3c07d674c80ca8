/**
 * Neutral session types. Everything past the per-agent parsers speaks only these;
 * nothing downstream knows which agent wrote a transcript.
 */

export type AgentName = 'claude' | 'codex' | 'gemini' | 'opencode' | 'cursor';

export const AGENTS: readonly AgentName[] = ['claude', 'codex', 'gemini', 'opencode', 'cursor'];

/** Token counts in the Anthropic convention: input excludes cache reads and cache writes. */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
}

/** Usage of one model within one UTC hour: the unit the cache stores and reports aggregate. */
export interface UsageBucket extends TokenCounts {
  /** Start of the UTC hour, epoch milliseconds. */
  hour: number;
  model: string;
  /** Part of outputTokens that was reasoning ("thinking"), where the agent reports it separately. */
  reasoningTokens: number;
  /** Number of billed model replies in this bucket. */
  replies: number;
  /** Price tier of these replies: the largest prompt-size threshold they crossed (0 for none). */
  tier: number;
}

/** Everything `ao sessions list` and `ao usage` need, small enough to cache per file. */
export interface SessionSummary {
  id: string;
  agent: AgentName;
  /** Transcript file (or database) this session was read from. */
  file: string;
  /** Working directory of the session, when the transcript says. */
  project: string | null;
  gitBranch: string | null;
  title: string | null;
  /** ISO timestamps; null for a transcript with no dated record. */
  startedAt: string | null;
  endedAt: string | null;
  models: string[];
  tokens: TokenCounts;
  usage: UsageBucket[];
  /** Largest context of one reply (input + cache tokens) and the model it ran on. */
  peakContextTokens: number;
  peakContextModel: string | null;
  /** Context size of every reply, to count the turns past any share of the window. */
  contextSamples: number[];
  turns: number;
  userPrompts: number;
  toolCalls: number;
  errors: number;
  compactions: number;
  /** Set on subagent sessions: the session that started them. */
  parentId: string | null;
  /** Tool call in the parent that started this subagent, when known. */
  parentToolUseId: string | null;
  /** Keys of the billed replies (agent-specific, stable), for de-duplication across files. */
  replyKeys: string[];
}

export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
  /** Result text, truncated for display. */
  result: string | null;
  isError: boolean;
  timestamp: string | null;
  /** Detail mode: 1-based transcript line of the record that carried the result, when known. */
  resultLine?: number;
}

/** `line`: 1-based transcript line of the record the event came from (detail mode, line formats). */
export type TimelineEvent =
  | { kind: 'prompt'; timestamp: string | null; text: string; line?: number }
  | { kind: 'assistant'; timestamp: string | null; text: string; model: string | null; line?: number }
  | { kind: 'tool'; timestamp: string | null; call: ToolCall; line?: number }
  | { kind: 'error'; timestamp: string | null; text: string; line?: number }
  | { kind: 'compaction'; timestamp: string | null; trigger: string | null; preTokens: number | null; line?: number }
  | { kind: 'subagent'; timestamp: string | null; agentId: string; toolUseId: string | null; line?: number };

/** A whole session, for `ao sessions show` and for knowledge extraction. */
export interface SessionDetail {
  summary: SessionSummary;
  timeline: TimelineEvent[];
  filesRead: string[];
  filesWritten: string[];
  commands: string[];
}

/** What was wrong with an input, counted rather than thrown. */
export interface ParseWarnings {
  malformedLines: number;
  unknownRecords: number;
  oversizedLines: number;
  binaryLines: number;
  unreadable: number;
}

export function emptyTokens(): TokenCounts {
  return { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0 };
}

export function emptyWarnings(): ParseWarnings {
  return { malformedLines: 0, unknownRecords: 0, oversizedLines: 0, binaryLines: 0, unreadable: 0 };
}

export function addTokens(into: TokenCounts, from: TokenCounts): void {
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  into.cacheCreationTokens += from.cacheCreationTokens;
  into.cacheReadTokens += from.cacheReadTokens;
}
