import { SessionBuilder } from '../builder.js';
import { type ParsedSource, summariesOf } from '../parser.js';
import type { ParseWarnings } from '../types.js';
import {
  KNOWN_PART_TYPES,
  type OcMessage,
  type OcPart,
  type OcSession,
  type StepTokens,
  isDefaultTitle,
  isRecord,
  str,
  stepTokens,
} from './records.js';

export interface OpenCodeRecords {
  file: string;
  detail: boolean;
  sessions: OcSession[];
  messages: OcMessage[];
  /** Parts by message id. */
  parts: Map<string, OcPart[]>;
  warnings: ParseWarnings;
}

/** Turns one source's sessions, messages and parts into one summary (and detail) per session. */
export function assembleOpenCode(records: OpenCodeRecords): ParsedSource {
  const { file, detail, warnings } = records;
  const builders = new Map<string, SessionBuilder>();
  const sessions = [...records.sessions].sort((a, b) => (a.created ?? 0) - (b.created ?? 0) || byId(a, b));
  for (const session of sessions) {
    if (builders.has(session.id)) continue;
    const builder = new SessionBuilder({ id: session.id, agent: 'opencode', file }, detail);
    builder.setProject(session.directory);
    // A default title says nothing; leaving it unset lets the first prompt name the session.
    if (session.title && !isDefaultTitle(session.title)) builder.setTitle(session.title);
    builder.setParent(session.parentId);
    builder.seen(session.created);
    builders.set(session.id, builder);
  }

  const bySession = new Map<string, OcMessage[]>();
  for (const message of records.messages) {
    const list = bySession.get(message.sessionId);
    if (list) list.push(message);
    else bySession.set(message.sessionId, [message]);
  }

  const taskCalls = new Map<string, string>();
  for (const [sessionId, messages] of bySession) {
    let builder = builders.get(sessionId);
    if (!builder) {
      // Messages whose session record is gone still hold billed usage.
      builder = new SessionBuilder({ id: sessionId, agent: 'opencode', file }, detail);
      builders.set(sessionId, builder);
    }
    // OpenCode ids sort by creation time (Identifier.ascending), which breaks ties in time.
    messages.sort((a, b) => (a.created ?? 0) - (b.created ?? 0) || byId(a, b));
    for (const message of messages) {
      const parts = [...(records.parts.get(message.id) ?? [])].sort(byId);
      applyMessage(builder, message, parts, warnings, taskCalls);
    }
  }

  for (const session of sessions) {
    const builder = builders.get(session.id);
    if (!builder) continue;
    // `time.updated` also moves on renames and archiving, so it only dates a session with no messages.
    if (!bySession.has(session.id)) builder.seen(session.updated);
    if (session.parentId) builder.setParent(session.parentId, taskCalls.get(session.id) ?? null);
  }

  return { ...summariesOf([...builders.values()], detail), warnings };
}

function applyMessage(
  builder: SessionBuilder,
  message: OcMessage,
  parts: OcPart[],
  warnings: ParseWarnings,
  taskCalls: Map<string, string>,
): void {
  builder.seen(message.created);
  builder.seen(message.completed);
  const at = iso(message.created);
  for (const part of parts) if (!KNOWN_PART_TYPES.has(part.type)) warnings.unknownRecords++;
  if (message.role === 'user') applyUser(builder, parts, at);
  else if (message.role === 'assistant') applyAssistant(builder, message, parts, at, taskCalls);
  else warnings.unknownRecords++;
}

function applyUser(builder: SessionBuilder, parts: OcPart[], at: string | null): void {
  // Synthetic text is OpenCode's own (file contents it inlined, tool notes), not the user's words.
  const texts = parts
    .filter((p) => p.type === 'text' && !p.synthetic && !p.ignored && p.text?.trim())
    .map((p) => p.text ?? '');
  if (texts.length > 0) builder.prompt(texts.join('\n\n'), at);
  for (const part of parts) {
    if (part.type === 'compaction') builder.compaction(at, part.auto ? 'auto' : 'manual', null);
  }
}

function applyAssistant(
  builder: SessionBuilder,
  message: OcMessage,
  parts: OcPart[],
  at: string | null,
  taskCalls: Map<string, string>,
): void {
  builder.setProject(message.cwd);
  const tokens = replyTokens(message, parts);
  if (tokens) {
    builder.reply({
      key: message.id,
      model: message.modelId ?? 'unknown',
      time: message.created,
      inputTokens: tokens.input,
      outputTokens: tokens.output,
      cacheCreationTokens: tokens.cacheWrite,
      cacheReadTokens: tokens.cacheRead,
      reasoningTokens: tokens.reasoning,
      contextTokens: tokens.context,
    });
  }
  for (const part of parts) {
    const when = iso(part.time) ?? at;
    if (part.type === 'text' && !part.synthetic && part.text) {
      builder.assistantText(part.text, when, message.modelId);
    } else if (part.type === 'tool') {
      applyTool(builder, part, when, taskCalls);
    }
  }
  const failure = errorText(message.error);
  if (failure) builder.error(failure, iso(message.completed) ?? at);
}

/**
 * The message's own `tokens` hold only its last model step (the processor assigns, not adds, on
 * each finish-step), so a message with several step-finish parts is billed from their sum.
 */
function replyTokens(message: OcMessage, parts: OcPart[]): StepTokens | null {
  const steps: StepTokens[] = [];
  for (const part of parts) {
    if (part.type !== 'step-finish') continue;
    const step = stepTokens(part.tokens);
    if (step) steps.push(step);
  }
  if (steps.length < 2) return stepTokens(message.tokens) ?? steps[0] ?? null;
  const sum: StepTokens = { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0, context: 0 };
  for (const step of steps) {
    sum.input += step.input;
    sum.output += step.output;
    sum.reasoning += step.reasoning;
    sum.cacheRead += step.cacheRead;
    sum.cacheWrite += step.cacheWrite;
    sum.context = Math.max(sum.context, step.context);
  }
  return sum;
}

function applyTool(builder: SessionBuilder, part: OcPart, when: string | null, taskCalls: Map<string, string>): void {
  const id = part.callId ?? part.id;
  const name = part.tool ?? 'unknown';
  builder.toolCall(id, name, part.input ?? null, when);
  if (part.status === 'completed') builder.toolResult(id, part.output, false);
  else if (part.status === 'error') builder.toolResult(id, part.error, true);
  if (part.childSessionId) {
    builder.subagent(part.childSessionId, id, when);
    taskCalls.set(part.childSessionId, id);
  }
  noteEffects(builder, name.toLowerCase(), part.input);
}

/** Tool parameter names from packages/opencode/src/tool/{bash,read,edit,write,apply_patch}.ts. */
function noteEffects(builder: SessionBuilder, tool: string, input: unknown): void {
  if (!isRecord(input)) return;
  if (tool === 'bash') builder.command(input['command']);
  else if (tool === 'read') builder.fileRead(input['filePath']);
  else if (tool === 'edit' || tool === 'write' || tool === 'multiedit') builder.fileWritten(input['filePath']);
  else if (tool === 'apply_patch' || tool === 'patch') {
    const patch = input['patchText'];
    if (typeof patch !== 'string') return;
    for (const match of patch.matchAll(/^\*\*\* (?:Add|Update|Delete) File: (.+)$/gm)) {
      builder.fileWritten(match[1]?.trim());
    }
  }
}

/**
 * An assistant error as text. An abort is the user pressing Escape, not a failure, so it is not
 * counted (MessageAbortedError in message-v2.ts).
 */
function errorText(error: unknown): string | null {
  if (!isRecord(error)) return null;
  const name = str(error['name']) ?? 'Error';
  if (name === 'MessageAbortedError') return null;
  const data = error['data'];
  const message = isRecord(data) ? str(data['message']) : null;
  return message ? `${name}: ${message}` : name;
}

/** Code-unit order, as SQLite sorts ids: ids mix cases, which locale order would fold. */
function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Times were narrowed by `epoch`, so every one is a valid Date. */
function iso(time: number | null): string | null {
  return time === null ? null : new Date(time).toISOString();
}
