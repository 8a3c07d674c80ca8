import { isRecord, str } from '../../lib/json.js';
/**
 * OpenCode's records, narrowed from unknown JSON to the fields the session summary and timeline
 * use. The same shapes come from the SQLite tables and from the legacy JSON tree, so both readers
 * produce these and share one assembler.
 *
 * Shapes: anomalyco/opencode (formerly sst/opencode) `packages/opencode/src/session/message-v2.ts`
 * (User / Assistant messages, Text / Tool / StepFinish / Compaction … parts) and
 * `packages/opencode/src/session/session.ts` (session Info).
 */

export interface OcSession {
  id: string;
  parentId: string | null;
  /** Working directory the session ran in. */
  directory: string | null;
  title: string | null;
  created: number | null;
  updated: number | null;
}

export interface OcMessage {
  id: string;
  sessionId: string;
  role: string;
  created: number | null;
  completed: number | null;
  modelId: string | null;
  /** `{input, output, reasoning, cache{read, write}, total?}` on assistant messages. */
  tokens: unknown;
  /** `{name, data{message}}` when the reply failed. */
  error: unknown;
  cwd: string | null;
}

export interface OcPart {
  id: string;
  messageId: string;
  type: string;
  text: string | null;
  synthetic: boolean;
  ignored: boolean;
  tool: string | null;
  callId: string | null;
  /** Tool state: pending, running, completed or error. */
  status: string | null;
  input: unknown;
  output: string | null;
  error: string | null;
  /** Child session a `task` tool started (state.metadata.sessionId). */
  childSessionId: string | null;
  /** Usage of one model step, on step-finish parts. */
  tokens: unknown;
  /** Compaction parts: whether OpenCode compacted on its own. */
  auto: boolean;
  time: number | null;
}

/** Part types OpenCode writes today; anything else is counted as unknown. */
export { isRecord, str };

export const KNOWN_PART_TYPES = new Set([
  'text',
  'subtask',
  'reasoning',
  'file',
  'tool',
  'step-start',
  'step-finish',
  'snapshot',
  'patch',
  'agent',
  'retry',
  'compaction',
]);

/** Latest time a Date can hold; anything past it would make toISOString throw downstream. */
const MAX_EPOCH_MS = 8.64e15;

/** An epoch-ms time OpenCode wrote, or null for anything a Date cannot represent. */
export function epoch(value: unknown): number | null {
  return typeof value === 'number' && value > 0 && value <= MAX_EPOCH_MS ? value : null;
}

function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

/** A legacy `storage/session/<projectID>/<sessionID>.json` file. */
export function sessionFromJson(value: unknown, fallbackId: string): OcSession | null {
  if (!isRecord(value)) return null;
  return {
    id: str(value['id']) ?? fallbackId,
    parentId: str(value['parentID']),
    directory: str(value['directory']),
    title: str(value['title']),
    created: epoch(field(value['time'], 'created')),
    updated: epoch(field(value['time'], 'updated')),
  };
}

/**
 * A message's JSON: the `message.data` column (which omits id and sessionID, kept in their own
 * columns: `session.sql.ts`, `InfoData`) or a legacy `storage/message/<sessionID>/msg_*.json` file.
 */
export function messageFromJson(value: unknown, id: string, sessionId: string): OcMessage | null {
  if (!isRecord(value)) return null;
  const time = value['time'];
  return {
    id: str(value['id']) ?? id,
    sessionId: str(value['sessionID']) ?? sessionId,
    role: str(value['role']) ?? '',
    created: epoch(field(time, 'created')),
    completed: epoch(field(time, 'completed')),
    modelId: str(value['modelID']),
    tokens: value['tokens'],
    error: value['error'],
    cwd: str(field(value['path'], 'cwd')),
  };
}

/** A part's JSON: the `part.data` column or a legacy `storage/part/<messageID>/prt_*.json` file. */
export function partFromJson(value: unknown, id: string, messageId: string): OcPart | null {
  if (!isRecord(value)) return null;
  const state = value['state'];
  const time = field(value, 'time');
  const output = field(state, 'output');
  return {
    id: str(value['id']) ?? id,
    messageId: str(value['messageID']) ?? messageId,
    type: str(value['type']) ?? '',
    text: typeof value['text'] === 'string' ? value['text'] : null,
    synthetic: value['synthetic'] === true,
    ignored: value['ignored'] === true,
    tool: str(value['tool']),
    callId: str(value['callID']),
    status: str(field(state, 'status')),
    input: field(state, 'input'),
    output: typeof output === 'string' ? output : null,
    error: str(field(state, 'error')),
    childSessionId: str(field(field(state, 'metadata'), 'sessionId')),
    tokens: value['tokens'],
    auto: value['auto'] === true,
    time: epoch(field(field(state, 'time'), 'start')) ?? epoch(field(time, 'start')),
  };
}

/** One usage record in the Anthropic convention, ready for `SessionBuilder.reply`. */
export interface StepTokens {
  input: number;
  /** Billed output: includes the reasoning exactly once. */
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
  context: number;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/**
 * Maps an OpenCode `tokens` object. `input` already excludes cache reads and writes (getUsage
 * subtracts them), so it is the Anthropic convention as stored.
 *
 * Reasoning: since the AI SDK v6 upgrade, getUsage (`packages/opencode/src/session/session.ts`)
 * stores `output: outputTokens - reasoningTokens` and bills `reasoning` beside it at the output
 * rate, so billed output = output + reasoning; a real opencode.db has `total = input + output +
 * reasoning + cache` in 684 of 688 rows (pingdotgg/t3code PR #10926). Earlier builds stored the
 * SDK's outputTokens whole, which for OpenAI already held the reasoning (anomalyco/opencode
 * #17566), and then `total = input + cache + output`. `total` tells the two apart; without it the
 * current convention is assumed.
 */
export function stepTokens(tokens: unknown): StepTokens | null {
  if (!isRecord(tokens)) return null;
  const input = count(tokens['input']);
  const output = count(tokens['output']);
  const reasoning = count(tokens['reasoning']);
  const cacheRead = count(field(tokens['cache'], 'read'));
  const cacheWrite = count(field(tokens['cache'], 'write'));
  if (input + output + reasoning + cacheRead + cacheWrite === 0) return null;
  const total = count(tokens['total']);
  const context = input + cacheRead + cacheWrite;
  const reasoningInsideOutput = reasoning > 0 && reasoning <= output && total === context + output;
  return {
    input,
    output: reasoningInsideOutput ? output : output + reasoning,
    reasoning,
    cacheRead,
    cacheWrite,
    context,
  };
}

/** Session titles OpenCode writes before it names a session (`isDefaultTitle` in session.ts). */
const DEFAULT_TITLE = /^(New session - |Child session - )\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function isDefaultTitle(title: string): boolean {
  return DEFAULT_TITLE.test(title);
}
