import { isRecord, str } from '../../lib/json.js';
import { basename, sep } from 'node:path';
import { type BuilderState, SessionBuilder, count, toEpoch } from '../builder.js';
import type { LineFormat, LineParser, ParseContext, ParsedSource, ResumableState } from '../parser.js';
import { type ParseWarnings, emptyWarnings } from '../types.js';

/**
 * Cursor agent transcripts, `~/.cursor/projects/<cwd slug>/agent-transcripts/<id>/<id>.jsonl`.
 *
 * Lines, as observed in public parsers and a recorded cursor-agent probe (2026.10.01):
 *   {"role":"user","message":{"content":[{"type":"text","text":"<user_query>…</user_query>"}]}}
 *   {"role":"assistant","message":{"content":[{"type":"text",…},{"type":"tool_use","name":"Shell","input":{…}}]}}
 *   {"type":"turn_ended","status":"success"}
 * Content blocks follow the Anthropic API (`text`, `tool_use`, `tool_result`). Lines carry no
 * ids, timestamps, model or token usage, so a session usually has no billed replies: that is
 * the honest answer, not a gap to fill. Usage, timestamps and cwd are read when a line has them.
 */

interface CursorExtra {
  /** Tool calls still waiting for a result, oldest first (results may carry no id). */
  pending: string[];
  warnings: ParseWarnings;
}

type CursorState = ResumableState<CursorExtra>;

export const cursorFormat: LineFormat = {
  agent: 'cursor',
  kind: 'lines',
  create(ctx: ParseContext, state?: unknown): LineParser {
    return new CursorParser(ctx, asState(state));
  },
};

/** A first line that is a Cursor record: a `role`, and none of the Claude/Codex/Gemini envelope. */
export function sniffCursor(firstLine: string): boolean {
  let record: unknown;
  try {
    record = JSON.parse(firstLine);
  } catch {
    return false;
  }
  return (
    isRecord(record) &&
    typeof record['role'] === 'string' &&
    !('sessionId' in record) &&
    !('type' in record) &&
    !('payload' in record)
  );
}

/**
 * What to show for a transcript's project when no record names its cwd. The slug (cwd with
 * non-alphanumerics turned into `-`) cannot be turned back into a path, so it is shown as is.
 */
export function cursorSlugToHint(slug: string): string | null {
  const trimmed = slug.replace(/^-+|-+$/g, '');
  return trimmed === '' ? null : trimmed;
}

/** The `<cwd slug>` folder of a transcript path, or null when the path is not laid out that way. */
export function cursorSlugOf(file: string): string | null {
  const parts = file.split(sep);
  const at = parts.lastIndexOf('agent-transcripts');
  return at > 0 ? (parts[at - 1] ?? null) : null;
}

const ERROR_STATUSES = new Set(['error', 'failed', 'failure']);
const KNOWN_ROLES = new Set(['user', 'assistant', 'tool', 'system']);

class CursorParser implements LineParser {
  private readonly builder: SessionBuilder;
  private readonly detail: boolean;
  private readonly extra: CursorExtra;

  constructor(ctx: ParseContext, state: CursorState | null) {
    this.detail = ctx.detail;
    const id = basename(ctx.file).replace(/\.jsonl$/i, '');
    this.builder = new SessionBuilder({ id, agent: 'cursor', file: ctx.file }, ctx.detail, state?.builder);
    this.extra = state?.extra ?? { pending: [], warnings: emptyWarnings() };
  }

  line(text: string, lineNo: number): void {
    if (text.trim() === '') return;
    this.builder.atLine(lineNo);
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      this.extra.warnings.malformedLines++;
      return;
    }
    if (!isRecord(record)) {
      this.extra.warnings.malformedLines++;
      return;
    }
    const role = record['role'];
    if (typeof role === 'string' && KNOWN_ROLES.has(role)) this.message(record, role, lineNo);
    else if (record['type'] === 'turn_ended') this.turnEnded(record);
    else this.extra.warnings.unknownRecords++;
  }

  snapshot(): CursorState {
    // A copy: the cache serialises it later, and parsing may go on meanwhile.
    return structuredClone({ builder: this.builder.snapshot(), extra: this.extra });
  }

  finish(): ParsedSource {
    return {
      sessions: [this.builder.toSummary()],
      details: this.detail ? [this.builder.toDetail()] : [],
      warnings: { ...this.extra.warnings },
    };
  }

  private message(record: Record<string, unknown>, role: string, lineNo: number): void {
    const message = isRecord(record['message']) ? record['message'] : {};
    const time = this.builder.seen(stamp(record['timestamp'] ?? record['ts'] ?? message['timestamp']));
    const at = time === null ? null : new Date(time).toISOString();
    this.builder.setProject(str(record['cwd']) ?? str(message['cwd']));
    const model = str(message['model']) ?? str(record['model']);
    this.usage(
      record['usage'] ?? message['usage'],
      str(message['id']) ?? str(record['id']) ?? `line:${lineNo}`,
      model,
      time,
    );

    const content = message['content'] ?? record['content'];
    const blocks: unknown[] = typeof content === 'string' ? [{ type: 'text', text: content }] : asArray(content);
    const texts: string[] = [];
    blocks.forEach((block, index) => {
      if (!isRecord(block)) return;
      const type = block['type'];
      if (type === 'text' && typeof block['text'] === 'string') texts.push(block['text']);
      else if (type === 'tool_use' || type === 'tool_call') this.toolUse(block, `line:${lineNo}:${index}`, at);
      else if (type === 'tool_result') this.toolResult(block);
    });
    if (role === 'tool' && typeof content === 'string') this.resultFor(null, content, false);
    const text = texts.join('\n\n');
    if (role === 'user') {
      const prompt = userQuery(text);
      if (prompt) this.builder.prompt(prompt, at);
    } else if (role === 'assistant') {
      this.builder.assistantText(text, at, model);
    }
  }

  private toolUse(block: Record<string, unknown>, fallbackId: string, at: string | null): void {
    const id = str(block['id']) ?? str(block['tool_use_id']) ?? str(block['toolCallId']) ?? fallbackId;
    const name = str(block['name']) ?? str(block['tool']) ?? 'unknown';
    const input = block['input'] ?? block['args'] ?? null;
    this.builder.toolCall(id, name, input, at);
    this.extra.pending.push(id);
    if (this.detail) noteEffects(this.builder, name.toLowerCase(), input);
  }

  private toolResult(block: Record<string, unknown>): void {
    const id = str(block['tool_use_id']) ?? str(block['toolCallId']) ?? str(block['id']);
    this.resultFor(
      id,
      resultText(block['content'] ?? block['output']),
      block['is_error'] === true || block['isError'] === true,
    );
  }

  /** Results without an id answer the oldest call still waiting, as calls are answered in order. */
  private resultFor(id: string | null, text: string | null, isError: boolean): void {
    const pending = this.extra.pending;
    const at = id === null ? -1 : pending.indexOf(id);
    const callId = at >= 0 ? pending.splice(at, 1)[0] : id === null ? pending.shift() : id;
    this.builder.toolResult(callId ?? 'unmatched', text, isError);
  }

  private turnEnded(record: Record<string, unknown>): void {
    const status = str(record['status']);
    if (status && ERROR_STATUSES.has(status.toLowerCase())) {
      this.builder.error(str(record['error']) ?? str(record['message']) ?? `turn ended: ${status}`, null);
    }
    // A turn that ended leaves no call waiting; a later id-less result must not pair with these.
    this.extra.pending = [];
  }

  /** Cursor transcripts carry no usage today; if a line ever does, it is billed as it says. */
  private usage(usage: unknown, key: string, model: string | null, time: number | null): void {
    if (!isRecord(usage)) return;
    const input = count(usage['input_tokens'] ?? usage['inputTokens']);
    const output = count(usage['output_tokens'] ?? usage['outputTokens']);
    const cacheRead = count(usage['cache_read_input_tokens'] ?? usage['cacheReadTokens']);
    const cacheWrite = count(usage['cache_creation_input_tokens'] ?? usage['cacheWriteTokens']);
    if (input + output + cacheRead + cacheWrite === 0) return;
    this.builder.reply({
      key,
      model: model ?? 'unknown',
      time,
      inputTokens: input,
      outputTokens: output,
      cacheCreationTokens: cacheWrite,
      cacheReadTokens: cacheRead,
      reasoningTokens: 0,
      contextTokens: input + cacheRead + cacheWrite,
    });
  }
}

/** Cursor wraps what the user typed in <user_query>; the rest of the message is context it added. */
function userQuery(text: string): string {
  const queries = [...text.matchAll(/<user_query>([\s\S]*?)<\/user_query>/g)].map((m) => (m[1] ?? '').trim());
  return (queries.length > 0 ? queries.join('\n\n') : text).trim();
}

/** Tool names and inputs as Cursor writes them (Shell{command}, Write{path, contents}, …). */
function noteEffects(builder: SessionBuilder, tool: string, input: unknown): void {
  if (!isRecord(input)) return;
  const path = input['path'] ?? input['file_path'] ?? input['target_file'] ?? input['filePath'];
  if (tool === 'shell' || tool === 'run_terminal_cmd' || tool === 'bash') builder.command(input['command']);
  else if (tool === 'read' || tool === 'read_file') builder.fileRead(path);
  else if (['write', 'strreplace', 'edit', 'edit_file', 'search_replace', 'multiedit', 'delete'].includes(tool)) {
    builder.fileWritten(path);
  }
}

function resultText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  const texts = asArray(content).flatMap((c) => (isRecord(c) && typeof c['text'] === 'string' ? [c['text']] : []));
  return texts.length > 0 ? texts.join('\n') : null;
}

/** Resumed state is trusted only if it has the shape this parser writes; otherwise start over. */
function asState(state: unknown): CursorState | null {
  if (!isRecord(state) || !isRecord(state['builder']) || !isRecord(state['extra'])) return null;
  const builder = state['builder'];
  const extra = state['extra'];
  if (builder['agent'] !== 'cursor' || !isRecord(builder['replies']) || typeof builder['id'] !== 'string') return null;
  if (!isTime(builder['first']) || !isTime(builder['last'])) return null;
  if (!Array.isArray(extra['pending']) || !isRecord(extra['warnings'])) return null;
  return structuredClone({
    builder: builder as unknown as BuilderState,
    extra: {
      pending: extra['pending'].filter((p): p is string => typeof p === 'string'),
      warnings: { ...emptyWarnings(), ...(extra['warnings'] as Partial<ParseWarnings>) },
    },
  });
}

/** Latest time a Date can hold; anything past it would make toISOString throw. */
const MAX_EPOCH_MS = 8.64e15;

function stamp(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const time = toEpoch(value);
  return time !== null && time <= MAX_EPOCH_MS ? time : null;
}

function isTime(value: unknown): boolean {
  return value === null || (typeof value === 'number' && value > 0 && value <= MAX_EPOCH_MS);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
