import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { appendLine } from '../lib/atomic.js';
import { isRecord, parseJson } from '../lib/json.js';
import { findWorkspace, writableAgentsDir } from '../lib/workspace.js';
import { ADAPTERS } from './agents/index.js';
import { act } from './handle.js';
import { PayloadError, type Action, type AgentName, type Answer, type HookEvent, type HookEventName } from './types.js';

export interface HookRun {
  answer: Answer;
  /** One line for `.agents/.cache/hooks.log`. */
  log: Record<string, unknown>;
  /** The work was cut off at the time bound: the caller exits without waiting for it. */
  timedOut: boolean;
}

export interface HookRunOptions {
  /** Time bound in ms; the guard's default is 2 s, the stop hook's 25 min (it runs the gates), every other event's 5 s. */
  timeoutMs?: number;
  /** Let a guard that cannot decide allow the call (the default denies it). */
  guardFailOpen?: boolean;
  now?: number;
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const GUARD_TIMEOUT_MS = 2000;
/** The stop hook runs the gates' stop stage: its checks have their own time-outs, this bounds the whole. */
export const STOP_TIMEOUT_MS = 25 * 60 * 1000;

export function timeoutOf(event: HookEventName): number {
  return event === 'pre-tool' ? GUARD_TIMEOUT_MS : event === 'stop' ? STOP_TIMEOUT_MS : DEFAULT_TIMEOUT_MS;
}

/**
 * One hook invocation: the agent's payload in, the agent's answer out. A hook never breaks the
 * agent: its own errors and time-outs give the answer "nothing to say" (fail open), except the
 * guard, which refuses the call it could not judge (fail closed) unless told otherwise.
 */
export async function runHook(
  event: HookEventName,
  agent: AgentName,
  stdin: string,
  options: HookRunOptions = {},
): Promise<HookRun> {
  const started = Date.now();
  const now = options.now ?? started;
  const adapter = ADAPTERS[agent];
  const payload = parseJson(stdin);
  const agentEvent =
    isRecord(payload) && typeof payload.hook_event_name === 'string'
      ? payload.hook_event_name
      : isRecord(payload) && typeof payload.hook === 'string'
        ? payload.hook
        : null;
  const log: Record<string, unknown> = {
    ts: new Date(now).toISOString(),
    agent,
    event,
    ...(agentEvent ? { agentEvent } : {}),
  };
  let neutral: HookEvent = { event, sessionId: null, cwd: process.cwd(), transcriptPath: null };
  let action: Action;
  let timedOut = false;
  try {
    if (!isRecord(payload))
      throw new PayloadError(stdin.trim() === '' ? 'no payload on stdin' : 'the payload is not a JSON object');
    neutral = adapter.parse(event, payload);
    log.session = neutral.sessionId;
    const ws = findWorkspace(neutral.cwd);
    log.agentsDir = writableAgentsDir(ws);
    const abort = new AbortController();
    const work = act(neutral, { ws, agentsDir: writableAgentsDir(ws), now, agent, signal: abort.signal });
    const limit = options.timeoutMs ?? timeoutOf(event);
    const outcome = await withTimeout(work, limit);
    if (outcome === TIMED_OUT) {
      timedOut = true;
      // Long work (the stop stage's checks) is stopped with its process groups.
      abort.abort();
      throw new Error(`no answer within ${limit} ms`);
    }
    action = outcome;
  } catch (error) {
    log.error = error instanceof Error ? error.message : String(error);
    action = failureAction(event, log.error as string, options.guardFailOpen === true);
  }
  log.agentsDir ??= writableAgentsDir(findWorkspace(neutral.cwd));
  const answer = adapter.render(neutral, action, agentEvent);
  log.ms = Date.now() - started;
  log.outcome = outcomeOf(action);
  if (action.verdict) log.rule = action.verdict.rule;
  if (action.problems) log.problems = action.problems;
  return { answer, log, timedOut };
}

function failureAction(event: HookEventName, message: string, guardFailOpen: boolean): Action {
  if (event !== 'pre-tool' || guardFailOpen) return {};
  return {
    verdict: {
      decision: 'deny',
      rule: 'deny:guard-failed',
      reason: `the guard could not judge this call (${message}), so it is refused`,
    },
  };
}

function outcomeOf(action: Action): string {
  if (action.verdict) return action.verdict.decision;
  if (action.block) return 'block';
  if (action.context) return 'context';
  return 'none';
}

const TIMED_OUT = Symbol('timed out');

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([work, bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** Appends the run to the hook log (`.agents/.cache/hooks.log`); a log that cannot be written is skipped. */
export function writeHookLog(entry: Record<string, unknown>): void {
  const agentsDir = typeof entry.agentsDir === 'string' ? entry.agentsDir : null;
  if (!agentsDir) return;
  const { agentsDir: _omit, ...line } = entry;
  try {
    mkdirSync(join(agentsDir, '.cache'), { recursive: true });
    appendLine(join(agentsDir, '.cache', 'hooks.log'), JSON.stringify(line));
  } catch {
    // Logging never breaks a hook.
  }
}
