/** The guard's vocabulary: what a tool call is, where it runs, and what the guard decides. */

export type Decision = 'allow' | 'ask' | 'deny';

/** What the guard decided, which rule decided it (a stable id) and a line a person understands. */
export interface Verdict {
  decision: Decision;
  rule: string;
  reason: string;
}

/** A tool call as the agent sent it (its own tool name and input), plus where it runs. */
export interface ToolCall {
  tool: string;
  input: unknown;
  cwd: string;
}

/** Where the guard's rules place the repository, the home folder and the writable temporary folders. */
export interface GuardEnv {
  /** Repository or worktree root. */
  root: string;
  /** The user's home folder. */
  home: string;
  /** Temporary folders writes may go to; default the machine's temp folder and /tmp. */
  tmp?: string[];
  /** The user's AgentOps folder (`AO_HOME`); default `<home>/.agents`. Its policy.yaml is protected. */
  aoHome?: string;
}

const RANK: Record<Decision, number> = { allow: 0, ask: 1, deny: 2 };

/** The stricter of two decisions (deny > ask > allow). */
export function stricter(a: Decision, b: Decision): Decision {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Whether `a` is strictly stricter than `b`. */
export function isStricter(a: Decision, b: Decision): boolean {
  return RANK[a] > RANK[b];
}
