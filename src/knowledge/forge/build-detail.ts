/**
 * Builds a SessionDetail from a compact script of events, numbering transcript lines in order.
 * For tests and examples of the extractors; real sessions come from `loadSessionDetail`.
 */

import { emptyTokens } from '../../sessions/types.js';
import type { AgentName, SessionDetail, TimelineEvent } from '../../sessions/types.js';

export type ScriptEvent =
  | { user: string }
  | { agent: string }
  | { tool: string; input: unknown; result?: string; error?: boolean }
  | { bash: string; result?: string; error?: boolean };

export interface ScriptOptions {
  id?: string;
  agent?: AgentName;
  project?: string;
  parentId?: string;
}

export function buildDetail(script: ScriptEvent[], options: ScriptOptions = {}): SessionDetail {
  const timeline: TimelineEvent[] = [];
  let line = 0;
  const time = (): string => new Date(Date.UTC(2026, 0, 1, 12, 0, line)).toISOString();
  for (const step of script) {
    line += 1;
    if ('user' in step) timeline.push({ kind: 'prompt', timestamp: time(), text: step.user, line });
    else if ('agent' in step)
      timeline.push({ kind: 'assistant', timestamp: time(), text: step.agent, model: 'm', line });
    else {
      const name = 'bash' in step ? 'Bash' : step.tool;
      const input = 'bash' in step ? { command: step.bash } : step.input;
      timeline.push({
        kind: 'tool',
        timestamp: time(),
        line,
        call: {
          id: `t${line}`,
          name,
          input,
          result: step.result ?? '',
          isError: step.error === true,
          timestamp: time(),
          resultLine: line + 1,
        },
      });
      line += 1;
    }
  }
  const agent = options.agent ?? 'claude';
  return {
    summary: {
      id: options.id ?? 'test-session',
      agent,
      file: `/transcripts/${options.id ?? 'test-session'}.jsonl`,
      project: options.project ?? '/repo',
      gitBranch: null,
      title: null,
      startedAt: null,
      endedAt: null,
      models: [],
      tokens: emptyTokens(),
      usage: [],
      peakContextTokens: 0,
      peakContextModel: null,
      contextSamples: [],
      turns: 0,
      userPrompts: 0,
      toolCalls: 0,
      errors: 0,
      compactions: 0,
      parentId: options.parentId ?? null,
      parentToolUseId: null,
      replyKeys: [],
    },
    timeline,
    filesRead: [],
    filesWritten: [],
    commands: [],
  };
}
