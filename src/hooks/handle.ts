import { currentBranch } from '../lib/git.js';
import { fastHash } from '../lib/hash.js';
import type { Workspace } from '../lib/workspace.js';
import type { Action, HookEvent, ToolUse } from './types.js';
import { queueForForge } from './queue.js';
import { appendCacheLine, loadState, saveState, sweepStates } from './state.js';

/** What a hook acts in: the repository (or the user's folder outside one) and where its cache is. */
export interface HookContext {
  ws: Workspace;
  /** The `.agents/` the hooks write their cache and ledger entries to. */
  agentsDir: string;
  now: number;
  /** The agent whose hook this is (for the record of who ran a gate). */
  agent?: string;
  /** Aborted when the hook's time bound passes: long work (the stop stage's checks) stops with it. */
  signal?: AbortSignal;
}

/** After this many failures in a row of the same call, the agent is told to stop repeating it. */
export const LOOP_THRESHOLD = 3;

/**
 * Acts on a neutral event; the adapter turns the action into the agent's answer. Each event
 * loads only what it needs (the guard runs on every tool call and must start fast).
 */
export async function act(event: HookEvent, ctx: HookContext): Promise<Action> {
  switch (event.event) {
    case 'session-start':
      return sessionStart(event, ctx);
    case 'user-prompt':
      return userPrompt(event, ctx);
    case 'pre-tool':
      return preTool(event, ctx);
    case 'post-tool':
      return postTool(event, ctx);
    case 'stop':
    case 'session-end':
      return sessionDone(event, ctx);
  }
}

async function sessionStart(event: HookEvent, ctx: HookContext): Promise<Action> {
  const { sessionStartContext } = await import('../context/session-start.js');
  const { loadConfig } = await import('../lib/config.js');
  const config = loadConfig(event.cwd);
  const start = await sessionStartContext(ctx.ws, {
    branch: ctx.ws.root ? currentBranch(ctx.ws.root) : null,
    knowledge: config.knowledge,
  });
  sweepStates(ctx.agentsDir, ctx.now);
  // A new, cleared or compacted context has none of what was injected before.
  const ids = start.packet?.learnings.map((l) => l.id) ?? [];
  saveState(ctx.agentsDir, event.sessionId, { ...loadState(ctx.agentsDir, event.sessionId), injected: ids });
  if (start.packet) {
    const { recordInjection } = await import('../context/select.js');
    recordInjection(ctx.ws, start.packet, `session start${event.source ? ` (${event.source})` : ''}`, event.sessionId);
  }
  return start.text ? { context: start.text } : {};
}

async function userPrompt(event: HookEvent, ctx: HookContext): Promise<Action> {
  const prompt = event.prompt ?? '';
  if (prompt.trim() === '') return {};
  const { selectPacket, recordInjection } = await import('../context/select.js');
  const { loadConfig } = await import('../lib/config.js');
  const config = loadConfig(event.cwd);
  const state = loadState(ctx.agentsDir, event.sessionId);
  const packet = await selectPacket(ctx.ws, {
    query: prompt,
    knowledge: config.knowledge,
    exclude: new Set(state.injected),
  });
  if (packet.learnings.length === 0) return {};
  recordInjection(ctx.ws, packet, prompt, event.sessionId);
  saveState(ctx.agentsDir, event.sessionId, {
    ...state,
    injected: [...state.injected, ...packet.learnings.map((l) => l.id)],
  });
  return { context: packet.markdown };
}

async function preTool(event: HookEvent, ctx: HookContext): Promise<Action> {
  const tool = event.tool!;
  const { guardCall } = await import('./guard.js');
  const { verdict, problems } = guardCall(tool, event.cwd, ctx);
  return problems.length > 0 ? { verdict, problems } : { verdict };
}

/** A failing call's fingerprint: the tool and its input, so a loop of the same call is seen. */
export function callKey(tool: ToolUse): string {
  return fastHash(`${tool.name}\0${JSON.stringify(tool.input ?? null)}`);
}

async function postTool(event: HookEvent, ctx: HookContext): Promise<Action> {
  const tool = event.tool!;
  const key = callKey(tool);
  const state = loadState(ctx.agentsDir, event.sessionId);
  if (!tool.failed) {
    if (key in state.failures) {
      delete state.failures[key];
      saveState(ctx.agentsDir, event.sessionId, state);
    }
    return {};
  }
  const count = (state.failures[key] ?? 0) + 1;
  state.failures[key] = count;
  saveState(ctx.agentsDir, event.sessionId, state);
  // Recorded for forge: sessions without a transcript (Cursor, OpenCode) still leave their failures.
  const { redact } = await import('../knowledge/redact.js');
  appendCacheLine(ctx.agentsDir, 'failures.jsonl', {
    ts: new Date(ctx.now).toISOString(),
    session: event.sessionId,
    transcript: event.transcriptPath,
    tool: tool.name,
    input: redact(JSON.stringify(tool.input ?? null).slice(0, 2000)).text,
    response: redact(JSON.stringify(tool.response ?? null).slice(0, 2000)).text,
    count,
  });
  if (count < LOOP_THRESHOLD) return {};
  return {
    block:
      `This exact ${tool.name} call has now failed ${count} times in a row in this session. ` +
      'Repeating it will not change the result: read the error, change the approach, or ask the user.',
  };
}

async function sessionDone(event: HookEvent, ctx: HookContext): Promise<Action> {
  if (event.event === 'stop') {
    const { stopGate } = await import('./stop-gate.js');
    const gated = await stopGate(event, ctx);
    // The agent goes back to work: its session is not over.
    if (gated.block) return gated;
    if (gated.problems) return { ...queued(event, ctx), ...gated };
  }
  return queued(event, ctx);
}

function queued(event: HookEvent, ctx: HookContext): Action {
  if (event.transcriptPath || event.sessionId) {
    queueForForge(ctx.agentsDir, {
      ts: new Date(ctx.now).toISOString(),
      session: event.sessionId,
      transcript: event.transcriptPath,
      cwd: event.cwd,
      reason: event.event,
    });
  }
  return {};
}
