/**
 * Independent checkers of the answers each coding agent accepts from a command hook, written from
 * the agents' own docs and sources (see test/fixtures/hooks/README.md), not from ao's code. Tests
 * replay the recorded payloads in test/fixtures/hooks through `ao hook` and judge the answers here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_FIXTURES } from './fixture-files.js';

export type HookAgent = 'claude' | 'codex' | 'gemini' | 'cursor' | 'opencode';
export type AoHookEvent = 'session-start' | 'user-prompt' | 'pre-tool' | 'post-tool' | 'stop' | 'session-end';
export type HookDecision = 'allow' | 'ask' | 'deny' | 'none';

/** What a hook process left behind. */
export interface HookAnswer {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export const HOOK_AGENTS: readonly HookAgent[] = ['claude', 'codex', 'gemini', 'cursor', 'opencode'];
export const AO_HOOK_EVENTS: readonly AoHookEvent[] = [
  'session-start',
  'user-prompt',
  'pre-tool',
  'post-tool',
  'stop',
  'session-end',
];

/** One agent event: which ao event it serves and what an answer to it may contain. */
interface EventSpec {
  ao: AoHookEvent;
  /** The agent takes a decision from the answer (session events only observe). */
  decides: boolean;
  /** Exit 2 has an effect (blocks, or feeds stderr back); elsewhere it is a mistake. */
  exit2: boolean;
  /** Top-level keys the answer may carry. */
  top: readonly string[];
  /** Keys of `hookSpecificOutput`; undefined when the event takes none. */
  specific?: readonly string[];
  /** Accepted values of a top-level `decision`. */
  decisions?: readonly string[];
  /** Plain (non-JSON) stdout on exit 0 becomes context. */
  plainText?: boolean;
  /** Dotted paths every stdin payload of this event carries. */
  input: readonly string[];
}

const CLAUDE_TOP = ['continue', 'suppressOutput', 'stopReason', 'systemMessage', 'hookSpecificOutput'];
const CLAUDE_BASE = ['session_id', 'transcript_path', 'cwd', 'hook_event_name'];
const CLAUDE: Record<string, EventSpec> = {
  SessionStart: {
    ao: 'session-start',
    decides: false,
    exit2: false,
    top: CLAUDE_TOP,
    specific: ['additionalContext', 'initialUserMessage', 'sessionTitle', 'watchPaths', 'reloadSkills'],
    plainText: true,
    input: [...CLAUDE_BASE, 'source'],
  },
  UserPromptSubmit: {
    ao: 'user-prompt',
    decides: true,
    exit2: true,
    top: [...CLAUDE_TOP, 'decision', 'reason'],
    specific: ['additionalContext', 'sessionTitle', 'suppressOriginalPrompt'],
    decisions: ['block'],
    plainText: true,
    input: [...CLAUDE_BASE, 'prompt'],
  },
  PreToolUse: {
    ao: 'pre-tool',
    decides: true,
    exit2: true,
    top: CLAUDE_TOP,
    specific: ['permissionDecision', 'permissionDecisionReason', 'updatedInput', 'additionalContext'],
    input: [...CLAUDE_BASE, 'tool_name', 'tool_input', 'tool_use_id'],
  },
  PostToolUse: {
    ao: 'post-tool',
    decides: true,
    exit2: true,
    top: [...CLAUDE_TOP, 'decision', 'reason'],
    specific: ['additionalContext', 'updatedMCPToolOutput', 'updatedToolOutput'],
    decisions: ['block'],
    input: [...CLAUDE_BASE, 'tool_name', 'tool_input', 'tool_response', 'tool_use_id'],
  },
  PostToolUseFailure: {
    ao: 'post-tool',
    decides: true,
    exit2: true,
    top: CLAUDE_TOP,
    specific: ['additionalContext'],
    input: [...CLAUDE_BASE, 'tool_name', 'tool_input', 'tool_use_id', 'error'],
  },
  Stop: {
    ao: 'stop',
    decides: true,
    exit2: true,
    top: [...CLAUDE_TOP.filter((k) => k !== 'hookSpecificOutput'), 'decision', 'reason'],
    decisions: ['block'],
    input: [...CLAUDE_BASE, 'stop_hook_active'],
  },
  SessionEnd: {
    ao: 'session-end',
    decides: false,
    exit2: false,
    top: ['suppressOutput', 'systemMessage'],
    input: [...CLAUDE_BASE, 'reason'],
  },
};

const CODEX_TOP = ['continue', 'stopReason', 'suppressOutput', 'systemMessage'];
const CODEX_BASE = ['session_id', 'transcript_path', 'cwd', 'hook_event_name', 'model', 'permission_mode'];
const CODEX: Record<string, EventSpec> = {
  SessionStart: {
    ao: 'session-start',
    decides: false,
    exit2: false,
    top: [...CODEX_TOP, 'hookSpecificOutput'],
    specific: ['additionalContext', 'env'],
    plainText: true,
    input: [...CODEX_BASE, 'source'],
  },
  UserPromptSubmit: {
    ao: 'user-prompt',
    decides: true,
    exit2: true,
    top: [...CODEX_TOP, 'decision', 'reason', 'hookSpecificOutput'],
    specific: ['additionalContext'],
    decisions: ['block'],
    plainText: true,
    input: [...CODEX_BASE, 'turn_id', 'prompt'],
  },
  PreToolUse: {
    ao: 'pre-tool',
    decides: true,
    exit2: true,
    top: [...CODEX_TOP, 'decision', 'reason', 'hookSpecificOutput'],
    specific: ['permissionDecision', 'permissionDecisionReason', 'updatedInput', 'additionalContext'],
    decisions: ['block'],
    input: [...CODEX_BASE, 'turn_id', 'tool_name', 'tool_input', 'tool_use_id'],
  },
  PostToolUse: {
    ao: 'post-tool',
    decides: true,
    exit2: true,
    top: [...CODEX_TOP, 'decision', 'reason', 'hookSpecificOutput'],
    specific: ['additionalContext', 'updatedToolOutput'],
    decisions: ['block'],
    input: [...CODEX_BASE, 'turn_id', 'tool_name', 'tool_input', 'tool_response', 'tool_use_id'],
  },
  Stop: {
    ao: 'stop',
    decides: true,
    exit2: true,
    top: [...CODEX_TOP, 'decision', 'reason'],
    decisions: ['block'],
    input: [...CODEX_BASE, 'turn_id', 'stop_hook_active', 'last_assistant_message'],
  },
};

const GEMINI_TOP = ['continue', 'stopReason', 'suppressOutput', 'systemMessage', 'decision', 'reason'];
const GEMINI_BASE = ['session_id', 'transcript_path', 'cwd', 'hook_event_name', 'timestamp'];
const GEMINI: Record<string, EventSpec> = {
  SessionStart: {
    ao: 'session-start',
    decides: false,
    exit2: false,
    top: ['suppressOutput', 'systemMessage', 'hookSpecificOutput'],
    specific: ['additionalContext'],
    input: [...GEMINI_BASE, 'source'],
  },
  BeforeAgent: {
    ao: 'user-prompt',
    decides: true,
    exit2: true,
    top: [...GEMINI_TOP, 'hookSpecificOutput'],
    specific: ['additionalContext'],
    decisions: ['allow', 'deny', 'block'],
    input: [...GEMINI_BASE, 'prompt'],
  },
  BeforeTool: {
    ao: 'pre-tool',
    decides: true,
    exit2: true,
    top: [...GEMINI_TOP, 'hookSpecificOutput'],
    specific: ['tool_input'],
    decisions: ['allow', 'deny', 'block', 'ask'],
    input: [...GEMINI_BASE, 'tool_name', 'tool_input'],
  },
  AfterTool: {
    ao: 'post-tool',
    decides: true,
    exit2: true,
    top: [...GEMINI_TOP, 'hookSpecificOutput'],
    specific: ['additionalContext', 'tool_output'],
    decisions: ['allow', 'deny', 'block'],
    input: [...GEMINI_BASE, 'tool_name', 'tool_input', 'tool_response'],
  },
  AfterAgent: {
    ao: 'stop',
    decides: true,
    exit2: true,
    top: [...GEMINI_TOP, 'hookSpecificOutput'],
    specific: ['clearContext'],
    decisions: ['allow', 'deny', 'block'],
    input: [...GEMINI_BASE, 'prompt', 'prompt_response', 'stop_hook_active'],
  },
  SessionEnd: {
    ao: 'session-end',
    decides: false,
    exit2: false,
    top: ['suppressOutput', 'systemMessage'],
    input: [...GEMINI_BASE, 'reason'],
  },
};

const CURSOR_BASE = ['conversation_id', 'generation_id', 'hook_event_name', 'workspace_roots'];
const cursorEvent = (ao: AoHookEvent, top: readonly string[], input: readonly string[], exit2 = false): EventSpec => ({
  ao,
  decides: ao !== 'session-start' && ao !== 'session-end',
  exit2,
  top,
  input: [...CURSOR_BASE, ...input],
});
const CURSOR: Record<string, EventSpec> = {
  sessionStart: cursorEvent('session-start', ['additional_context', 'env', 'continue', 'user_message'], []),
  beforeSubmitPrompt: cursorEvent('user-prompt', ['continue', 'user_message', 'additional_context'], ['prompt'], true),
  preToolUse: cursorEvent(
    'pre-tool',
    ['permission', 'user_message', 'agent_message', 'updated_input'],
    ['tool_name', 'tool_input'],
    true,
  ),
  beforeShellExecution: cursorEvent(
    'pre-tool',
    ['permission', 'user_message', 'agent_message'],
    ['command', 'cwd'],
    true,
  ),
  beforeMCPExecution: cursorEvent(
    'pre-tool',
    ['permission', 'user_message', 'agent_message'],
    ['tool_name', 'tool_input'],
    true,
  ),
  beforeReadFile: cursorEvent('pre-tool', ['permission', 'user_message'], ['file_path'], true),
  postToolUse: cursorEvent(
    'post-tool',
    ['additional_context', 'updated_mcp_tool_output'],
    ['tool_name', 'tool_input', 'tool_output'],
  ),
  postToolUseFailure: cursorEvent('post-tool', ['additional_context'], ['tool_name', 'tool_input', 'error_message']),
  afterShellExecution: cursorEvent('post-tool', [], ['command', 'output']),
  afterMCPExecution: cursorEvent('post-tool', ['updated_mcp_tool_output'], ['tool_name', 'tool_input', 'result_json']),
  afterFileEdit: cursorEvent('post-tool', [], ['file_path', 'edits']),
  stop: cursorEvent('stop', ['followup_message'], ['status', 'loop_count']),
  sessionEnd: cursorEvent('session-end', [], ['reason']),
};
/** Cursor hooks that answer with a `permission`, and the values each takes. */
const CURSOR_PERMISSIONS: Record<string, readonly string[]> = {
  preToolUse: ['allow', 'deny', 'ask'],
  beforeShellExecution: ['allow', 'deny', 'ask'],
  beforeMCPExecution: ['allow', 'deny', 'ask'],
  beforeReadFile: ['allow', 'deny'],
};
/** Cursor drops (does not cut) an additional_context longer than this, after trimming. */
const CURSOR_CONTEXT_LIMIT = 10_000;

const OPENCODE_ENVELOPE = ['hook', 'session_id', 'directory', 'worktree', 'input'];
const OPENCODE_TOP = ['decision', 'reason', 'context'];
const opencodeEvent = (ao: AoHookEvent, input: readonly string[]): EventSpec => ({
  ao,
  decides: ao !== 'session-start' && ao !== 'session-end',
  exit2: false,
  top: OPENCODE_TOP,
  input: [...OPENCODE_ENVELOPE, ...input],
});
const OPENCODE: Record<string, EventSpec> = {
  'session.created': opencodeEvent('session-start', ['input.info.id']),
  'chat.message': opencodeEvent('user-prompt', ['input.sessionID', 'output.message', 'output.parts']),
  'tool.execute.before': opencodeEvent('pre-tool', ['input.tool', 'input.sessionID', 'input.callID', 'output.args']),
  'tool.execute.after': opencodeEvent('post-tool', [
    'input.tool',
    'input.sessionID',
    'input.callID',
    'output.title',
    'output.output',
  ]),
  'session.idle': opencodeEvent('stop', ['input.sessionID']),
  'session.deleted': opencodeEvent('session-end', ['input.info.id']),
};

const SPECS: Record<HookAgent, Record<string, EventSpec>> = {
  claude: CLAUDE,
  codex: CODEX,
  gemini: GEMINI,
  cursor: CURSOR,
  opencode: OPENCODE,
};

/** The agent event names that feed one ao event (empty: the agent has no such event). */
export function agentEventsFor(agent: HookAgent, event: AoHookEvent): string[] {
  return Object.entries(SPECS[agent])
    .filter(([, spec]) => spec.ao === event)
    .map(([name]) => name);
}

/** The ao event an agent event maps to, or null for an event ao does not use. */
export function aoEventOf(agent: HookAgent, agentEvent: string): AoHookEvent | null {
  return SPECS[agent][agentEvent]?.ao ?? null;
}

/** Dotted paths every stdin payload of this agent event carries (README, "input"). */
export function inputFieldsOf(agent: HookAgent, agentEvent: string): readonly string[] {
  return SPECS[agent][agentEvent]?.input ?? [];
}

type Parsed =
  | { kind: 'empty' }
  | { kind: 'object'; value: Record<string, unknown> }
  | { kind: 'text'; text: string }
  | { kind: 'bad-json'; why: string };

function parseStdout(stdout: string): Parsed {
  const trimmed = stdout.trim();
  if (trimmed === '') return { kind: 'empty' };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) return { kind: 'bad-json', why: 'stdout is broken JSON' };
    return { kind: 'text', text: trimmed };
  }
  if (isRecord(value)) return { kind: 'object', value };
  return { kind: 'bad-json', why: 'stdout is JSON but not an object' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

const JSON_TYPES: Record<string, 'string' | 'boolean' | 'object' | 'string[]'> = {
  continue: 'boolean',
  suppressOutput: 'boolean',
  stopReason: 'string',
  systemMessage: 'string',
  reason: 'string',
  additionalContext: 'string',
  permissionDecisionReason: 'string',
  updatedInput: 'object',
  initialUserMessage: 'string',
  sessionTitle: 'string',
  watchPaths: 'string[]',
  reloadSkills: 'boolean',
  suppressOriginalPrompt: 'boolean',
  env: 'object',
  tool_input: 'object',
  clearContext: 'boolean',
  additional_context: 'string',
  user_message: 'string',
  agent_message: 'string',
  updated_input: 'object',
  followup_message: 'string',
  context: 'string',
};

/** Problems with unknown keys and with the JSON types of the known ones. */
function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (!allowed.includes(key)) {
      problems.push(`${where}: field "${key}" is not accepted here`);
      continue;
    }
    const type = JSON_TYPES[key];
    const ok =
      type === undefined ||
      (type === 'object'
        ? isRecord(value)
        : type === 'string[]'
          ? Array.isArray(value) && value.every((v) => typeof v === 'string')
          : typeof value === type);
    if (!ok) problems.push(`${where}: "${key}" must be ${type === 'string[]' ? 'an array of strings' : `a ${type}`}`);
  }
  return problems;
}

/** The common frame: exit code, stderr on exit 2, stdout's form. Returns the parsed stdout. */
function checkFrame(
  agent: HookAgent,
  agentEvent: string,
  spec: EventSpec,
  answer: HookAnswer,
  problems: string[],
): Parsed | null {
  if (agent === 'opencode') {
    if (answer.exitCode !== 0) problems.push(`exit code ${answer.exitCode}: the ao plugin protocol expects 0`);
  } else if (answer.exitCode === 2) {
    if (!spec.exit2) problems.push(`exit 2 has no blocking effect on ${agentEvent}`);
    if (answer.stderr.trim() === '') problems.push('exit 2 needs the reason on stderr');
    return null;
  } else if (answer.exitCode !== 0) {
    problems.push(`exit code ${answer.exitCode}: only 0 or 2 are meaningful (others are hook errors)`);
    return null;
  }
  const parsed = parseStdout(answer.stdout);
  if (parsed.kind === 'bad-json') problems.push(parsed.why);
  if (parsed.kind === 'text' && !spec.plainText) {
    problems.push(`stdout must be empty or one JSON object for ${agentEvent} (got plain text)`);
  }
  return parsed;
}

function checkSpecific(
  obj: Record<string, unknown>,
  agentEvent: string,
  spec: EventSpec,
  problems: string[],
): Record<string, unknown> | null {
  const hso = obj.hookSpecificOutput;
  if (hso === undefined) return null;
  if (!isRecord(hso)) {
    problems.push('hookSpecificOutput must be an object');
    return null;
  }
  if (hso.hookEventName !== agentEvent) {
    problems.push(
      `hookSpecificOutput.hookEventName must be "${agentEvent}" (got ${JSON.stringify(hso.hookEventName)})`,
    );
  }
  const rest = Object.fromEntries(Object.entries(hso).filter(([k]) => k !== 'hookEventName'));
  problems.push(...checkKeys(rest, spec.specific ?? [], 'hookSpecificOutput'));
  return hso;
}

function checkDecision(obj: Record<string, unknown>, spec: EventSpec, problems: string[], denyWords: string[]): void {
  if (obj.decision === undefined) return;
  if (typeof obj.decision !== 'string' || !(spec.decisions ?? []).includes(obj.decision)) {
    problems.push(`decision ${JSON.stringify(obj.decision)} is not one of ${JSON.stringify(spec.decisions ?? [])}`);
  } else if (denyWords.includes(obj.decision) && !nonEmpty(obj.reason)) {
    problems.push(`decision "${obj.decision}" needs a non-empty reason`);
  }
}

function checkClaude(agentEvent: string, spec: EventSpec, obj: Record<string, unknown>, problems: string[]): void {
  const rest = { ...obj };
  if (rest.additionalContext !== undefined) {
    problems.push('top-level additionalContext is dropped: it belongs in hookSpecificOutput');
    delete rest.additionalContext;
  }
  if (agentEvent === 'PreToolUse' && (rest.decision !== undefined || rest.reason !== undefined)) {
    problems.push('top-level decision/reason are deprecated for PreToolUse: use hookSpecificOutput.permissionDecision');
    delete rest.decision;
    delete rest.reason;
  }
  problems.push(...checkKeys(rest, spec.top, agentEvent));
  if (spec.decisions) checkDecision(obj, spec, problems, ['block']);
  const hso = checkSpecific(obj, agentEvent, spec, problems);
  if (hso && agentEvent === 'PreToolUse') {
    const pd = hso.permissionDecision;
    if (pd !== undefined && !['allow', 'deny', 'ask', 'defer'].includes(pd as string)) {
      problems.push(`permissionDecision ${JSON.stringify(pd)} is not allow, deny, ask or defer`);
    }
    if ((pd === 'deny' || pd === 'ask') && !nonEmpty(hso.permissionDecisionReason)) {
      problems.push(`permissionDecision "${pd}" needs a non-empty permissionDecisionReason`);
    }
  }
}

function checkCodex(agentEvent: string, spec: EventSpec, obj: Record<string, unknown>, problems: string[]): void {
  problems.push(...checkKeys(obj, spec.top, agentEvent));
  if (agentEvent === 'PreToolUse' && obj.decision === 'approve') {
    problems.push('Codex rejects decision "approve" for PreToolUse');
  } else {
    checkDecision(obj, spec, problems, ['block']);
  }
  const hsoDecides =
    isRecord(obj.hookSpecificOutput) &&
    ['permissionDecision', 'permissionDecisionReason', 'updatedInput'].some(
      (k) => (obj.hookSpecificOutput as Record<string, unknown>)[k] !== undefined,
    );
  const reasonAlone = obj.reason !== undefined && obj.decision === undefined;
  if (
    reasonAlone &&
    ((agentEvent === 'PreToolUse' && !hsoDecides) || (agentEvent === 'PostToolUse' && obj.continue !== false))
  ) {
    problems.push('Codex rejects a reason without a decision');
  }
  if (agentEvent === 'SessionStart' && obj.hookSpecificOutput === undefined) {
    problems.push('Codex SessionStart JSON must carry hookSpecificOutput (hookEventName "SessionStart")');
  }
  if (agentEvent === 'PreToolUse') {
    if (obj.continue === false) problems.push('Codex PreToolUse rejects continue:false');
    if (obj.stopReason !== undefined) problems.push('Codex PreToolUse rejects stopReason');
    if (obj.suppressOutput === true) problems.push('Codex PreToolUse rejects suppressOutput');
  }
  if (agentEvent === 'PostToolUse' && obj.suppressOutput === true)
    problems.push('Codex PostToolUse rejects suppressOutput');
  const hso = checkSpecific(obj, agentEvent, spec, problems);
  if (!hso) return;
  if (agentEvent === 'SessionStart' && hso.env !== undefined && isRecord(hso.env)) {
    if (!Object.values(hso.env).every((v) => typeof v === 'string'))
      problems.push('hookSpecificOutput.env values must be strings');
  }
  if (agentEvent === 'PreToolUse') {
    const pd = hso.permissionDecision;
    if (pd === 'ask') problems.push('Codex rejects permissionDecision "ask" (the hook fails and the call goes ahead)');
    else if (pd === 'allow' && hso.updatedInput === undefined) {
      problems.push('Codex rejects permissionDecision "allow" without updatedInput (say nothing to allow)');
    } else if (pd === 'deny' && !nonEmpty(hso.permissionDecisionReason)) {
      problems.push('Codex needs a non-empty permissionDecisionReason with permissionDecision "deny"');
    } else if (pd !== undefined && pd !== 'allow' && pd !== 'deny') {
      problems.push(`permissionDecision ${JSON.stringify(pd)} is not allow or deny`);
    }
    if (pd === undefined && hso.permissionDecisionReason !== undefined) {
      problems.push('Codex rejects permissionDecisionReason without permissionDecision');
    }
    if (hso.updatedInput !== undefined && pd !== 'allow') problems.push('Codex accepts updatedInput only with "allow"');
  }
}

function checkGemini(agentEvent: string, spec: EventSpec, obj: Record<string, unknown>, problems: string[]): void {
  problems.push(...checkKeys(obj, spec.top, agentEvent));
  checkDecision(obj, spec, problems, ['deny', 'block']);
  checkSpecific(obj, agentEvent, spec, problems);
}

function checkCursor(agentEvent: string, spec: EventSpec, obj: Record<string, unknown>, problems: string[]): void {
  problems.push(...checkKeys(obj, spec.top, agentEvent));
  const allowed = CURSOR_PERMISSIONS[agentEvent];
  if (allowed && obj.permission !== undefined) {
    if (!allowed.includes(obj.permission as string)) {
      problems.push(`permission ${JSON.stringify(obj.permission)} is not one of ${JSON.stringify(allowed)}`);
    } else if (obj.permission === 'deny' && !nonEmpty(obj.agent_message) && !nonEmpty(obj.user_message)) {
      problems.push('permission "deny" needs a non-empty agent_message or user_message');
    }
  }
  if (typeof obj.additional_context === 'string' && obj.additional_context.trim().length > CURSOR_CONTEXT_LIMIT) {
    problems.push(`additional_context over ${CURSOR_CONTEXT_LIMIT} characters is dropped by Cursor`);
  }
  if (isRecord(obj.env) && !Object.values(obj.env).every((v) => typeof v === 'string')) {
    problems.push('env values must be strings');
  }
}

function checkOpencode(spec: EventSpec, obj: Record<string, unknown>, problems: string[]): void {
  problems.push(...checkKeys(obj, spec.top, 'answer'));
  if (obj.decision !== undefined && !['allow', 'ask', 'deny'].includes(obj.decision as string)) {
    problems.push(`decision ${JSON.stringify(obj.decision)} is not allow, ask or deny`);
  }
}

/**
 * Every way the answer breaks the agent's documented contract for this event; empty when the
 * agent would accept it. A few rules are ours and stricter than the docs (a deny always carries a
 * reason; no unknown fields): README, "checker rules".
 */
export function checkAnswer(agent: HookAgent, agentEvent: string, answer: HookAnswer): string[] {
  const spec = SPECS[agent][agentEvent];
  if (!spec) return [`${agentEvent} is not a ${agent} event ao answers`];
  const problems: string[] = [];
  const parsed = checkFrame(agent, agentEvent, spec, answer, problems);
  if (parsed?.kind !== 'object') return problems;
  const obj = parsed.value;
  if (agent === 'claude') checkClaude(agentEvent, spec, obj, problems);
  else if (agent === 'codex') checkCodex(agentEvent, spec, obj, problems);
  else if (agent === 'gemini') checkGemini(agentEvent, spec, obj, problems);
  else if (agent === 'cursor') checkCursor(agentEvent, spec, obj, problems);
  else checkOpencode(spec, obj, problems);
  return problems;
}

function objectOf(answer: HookAnswer): Record<string, unknown> | null {
  if (answer.exitCode !== 0) return null;
  const parsed = parseStdout(answer.stdout);
  return parsed.kind === 'object' ? parsed.value : null;
}

function specificOf(obj: Record<string, unknown> | null): Record<string, unknown> {
  return obj && isRecord(obj.hookSpecificOutput) ? obj.hookSpecificOutput : {};
}

/**
 * Claude and Codex: exit 2 or `decision:"block"` objects to the event. Codex treats an answer it
 * cannot accept as a failed hook and goes ahead, so a malformed Codex answer reads as `allow`.
 */
function claudeLikeDecision(agent: 'claude' | 'codex', agentEvent: string, answer: HookAnswer): HookDecision {
  if (agent === 'codex' && checkAnswer(agent, agentEvent, answer).length > 0) return 'allow';
  if (answer.exitCode === 2) return 'deny';
  const obj = objectOf(answer);
  if (!obj) return 'allow';
  if (obj.continue === false || obj.decision === 'block') return 'deny';
  if (agentEvent === 'PreToolUse') {
    const pd = specificOf(obj).permissionDecision;
    if (pd === 'deny' || pd === 'ask') return pd;
  }
  return 'allow';
}

/**
 * The decision the agent takes from the answer. `none` for events that only observe (session
 * start and end); elsewhere saying nothing is `allow` (the agent's own permission flow goes on),
 * and for stop events `deny` means "keep working". Read best-effort from answers that fail
 * checkAnswer.
 */
export function decisionOf(agent: HookAgent, agentEvent: string, answer: HookAnswer): HookDecision {
  const spec = SPECS[agent][agentEvent];
  if (!spec || !spec.decides) return 'none';
  if (agent === 'claude' || agent === 'codex') return claudeLikeDecision(agent, agentEvent, answer);
  if (agent === 'gemini') {
    if (answer.exitCode === 2) return 'deny';
    const obj = objectOf(answer);
    if (!obj) return 'allow';
    if (obj.decision === 'deny' || obj.decision === 'block' || obj.continue === false) return 'deny';
    return obj.decision === 'ask' && agentEvent === 'BeforeTool' ? 'ask' : 'allow';
  }
  if (agent === 'cursor') {
    if (answer.exitCode === 2) return spec.exit2 ? 'deny' : 'allow';
    const obj = objectOf(answer);
    if (!obj) return 'allow';
    if (CURSOR_PERMISSIONS[agentEvent]) {
      if (obj.permission === 'deny') return 'deny';
      if (obj.permission === 'ask') return 'ask';
      return 'allow';
    }
    if (agentEvent === 'beforeSubmitPrompt' && obj.continue === false) return 'deny';
    if (agentEvent === 'stop' && nonEmpty(obj.followup_message)) return 'deny';
    return 'allow';
  }
  const obj = objectOf(answer);
  const decision = obj?.decision;
  return decision === 'deny' || decision === 'ask' ? decision : 'allow';
}

/** The text the answer injects into the agent's context, or null when it injects none. */
export function contextOf(agent: HookAgent, agentEvent: string, answer: HookAnswer): string | null {
  const spec = SPECS[agent][agentEvent];
  if (!spec || answer.exitCode !== 0) return null;
  const parsed = parseStdout(answer.stdout);
  if (parsed.kind === 'text') return spec.plainText ? parsed.text : null;
  if (parsed.kind !== 'object') return null;
  const obj = parsed.value;
  let text: unknown;
  if (agent === 'claude' || agent === 'codex' || agent === 'gemini') text = specificOf(obj).additionalContext;
  else if (agent === 'cursor') text = spec.top.includes('additional_context') ? obj.additional_context : undefined;
  else text = obj.context;
  return nonEmpty(text) ? text : null;
}

/** One recorded payload from test/fixtures/hooks/<agent>/<name>.json. */
export interface HookPayloadFixture {
  agent: HookAgent;
  name: string;
  path: string;
  event: AoHookEvent;
  agentEvent: string;
  expect: HookDecision;
  payload: Record<string, unknown>;
}

export const HOOK_FIXTURES = join(TEST_FIXTURES, 'hooks');

/** Every recorded payload, sorted by agent and file name. Throws on a malformed file. */
export function listHookPayloads(): HookPayloadFixture[] {
  const out: HookPayloadFixture[] = [];
  for (const agent of HOOK_AGENTS) {
    const dir = join(HOOK_FIXTURES, agent);
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const path = join(dir, file);
      const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (!isRecord(raw) || !isRecord(raw.payload)) throw new Error(`${path}: no payload object`);
      const { event, agentEvent, expect } = raw;
      if (typeof event !== 'string' || !(AO_HOOK_EVENTS as readonly string[]).includes(event)) {
        throw new Error(`${path}: event ${JSON.stringify(event)} is not an ao hook event`);
      }
      if (typeof agentEvent !== 'string') throw new Error(`${path}: agentEvent missing`);
      if (typeof expect !== 'string' || !['allow', 'ask', 'deny', 'none'].includes(expect)) {
        throw new Error(`${path}: expect ${JSON.stringify(expect)} is not allow, ask, deny or none`);
      }
      out.push({
        agent,
        name: file.slice(0, -'.json'.length),
        path,
        event: event as AoHookEvent,
        agentEvent,
        expect: expect as HookDecision,
        payload: raw.payload,
      });
    }
  }
  return out;
}

/** The value at a dotted path (`input.info.id`, `workspace_roots.0`), or undefined. */
export function valueAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
