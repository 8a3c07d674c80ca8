import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { type BuilderState, SessionBuilder, count, toEpoch } from '../builder.js';
import type { LineFormat, LineParser, ParseContext, ParsedSource, ResumableState, WholeFormat } from '../parser.js';
import { type ParseWarnings, emptyWarnings } from '../types.js';
import {
  type Json,
  isRecord,
  noteEffects,
  parseJson,
  partsText,
  resultText,
  str,
  toolCallsOf,
  userText,
} from './parts.js';

/** What one live message adds to the session: user prompts, tool calls, errors. */
type Counts = [prompts: number, tools: number, errors: number];

interface GeminiExtra {
  /** Live message ids in first-append order: `$rewindTo` cuts this list, re-appends keep their place. */
  order: string[];
  /** Keyed `m:<id>` so that no message id can name an Object.prototype member. */
  counts: Record<string, Counts>;
  /** Last model named by a gemini message, for a message that names none. */
  model: string | null;
  records: number;
  warnings: ParseWarnings;
}

const MESSAGE_TYPES = new Set(['user', 'gemini', 'info', 'error', 'warning']);

/**
 * Tells a Gemini CLI chat file from the start of its text: 'jsonl' when the first line is the
 * metadata record, 'json' for a legacy whole-file ConversationRecord, else null.
 */
export function sniffGemini(text: string): 'jsonl' | 'json' | null {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{')) return null;
  const end = trimmed.indexOf('\n');
  const first = parseJson(end === -1 ? trimmed : trimmed.slice(0, end));
  if (isRecord(first)) {
    if (typeof first['sessionId'] !== 'string') return null;
    if (Array.isArray(first['messages'])) return 'json';
    return typeof first['projectHash'] === 'string' ? 'jsonl' : null;
  }
  // a pretty-printed legacy record, possibly cut short by the caller's read
  const whole = parseJson(trimmed);
  if (isRecord(whole))
    return typeof whole['sessionId'] === 'string' && Array.isArray(whole['messages']) ? 'json' : null;
  const head = trimmed.slice(0, 4096);
  return /"sessionId"\s*:/.test(head) && /"projectHash"\s*:/.test(head) ? 'json' : null;
}

/** Gemini CLI JSONL chats (`~/.gemini/tmp/<project>/chats/session-*.jsonl`). */
export const geminiJsonlFormat: LineFormat = {
  agent: 'gemini',
  kind: 'lines',
  create: (ctx, state) => new GeminiParser(ctx, state),
};

/** Legacy Gemini CLI chats: one ConversationRecord per `.json` file, read whole. */
export const geminiLegacyFormat: WholeFormat = {
  agent: 'gemini',
  kind: 'whole',
  read: readLegacy,
};

async function readLegacy(ctx: ParseContext): Promise<ParsedSource> {
  let text: string;
  try {
    text = await readFile(ctx.file, 'utf8');
  } catch {
    return { sessions: [], details: [], warnings: { ...emptyWarnings(), unreadable: 1 } };
  }
  const parser = new GeminiParser(ctx);
  const record = parseJson(text);
  if (!isRecord(record) || typeof record['sessionId'] !== 'string') {
    parser.warnings.malformedLines++;
    return parser.finish();
  }
  parser.metadata(record);
  const messages = Array.isArray(record['messages']) ? (record['messages'] as unknown[]) : [];
  messages.forEach((message, i) => {
    // old records may lack ids; a position-based one still keys the reply stably
    const keyed =
      isRecord(message) && typeof message['id'] !== 'string'
        ? { ...message, id: `${String(record['sessionId'])}#${i}` }
        : message;
    parser.record(keyed);
  });
  return parser.finish();
}

class GeminiParser implements LineParser {
  private readonly ctx: ParseContext;
  private readonly builder: SessionBuilder;
  private readonly x: GeminiExtra;
  /** Detail mode only: the live message bodies, replayed in order into the timeline at finish. */
  private readonly bodies = new Map<string, Json>();
  /** Detail mode only: the transcript line of each live message body, for provenance. */
  private readonly lines = new Map<string, number>();
  private lineNo: number | undefined;

  constructor(ctx: ParseContext, state?: unknown) {
    this.ctx = ctx;
    const resumed = readState(state);
    const id = basename(ctx.file).replace(/\.jsonl?$/, '');
    this.builder = new SessionBuilder({ id, agent: 'gemini', file: ctx.file }, ctx.detail, resumed?.builder);
    this.x = resumed ? resumed.extra : { order: [], counts: {}, model: null, records: 0, warnings: emptyWarnings() };
  }

  get warnings(): ParseWarnings {
    return this.x.warnings;
  }

  line(text: string, lineNo?: number): void {
    if (!text.trim()) return;
    this.lineNo = lineNo;
    const rec = parseJson(text);
    if (!isRecord(rec)) this.x.warnings.malformedLines++;
    else this.record(rec);
  }

  /** Dispatches one record in the order gemini-cli's own loader tests them. */
  record(rec: unknown): void {
    if (!isRecord(rec)) {
      this.x.warnings.unknownRecords++;
    } else if (typeof rec['$rewindTo'] === 'string') {
      this.x.records++;
      this.rewind(rec['$rewindTo']);
    } else if (typeof rec['id'] === 'string') {
      this.x.records++;
      this.message(rec['id'], rec);
    } else if (isRecord(rec['$set'])) {
      this.x.records++;
      this.metadata(rec['$set']);
    } else if (typeof rec['sessionId'] === 'string' && typeof rec['projectHash'] === 'string') {
      this.x.records++;
      this.metadata(rec);
    } else {
      this.x.warnings.unknownRecords++;
    }
  }

  /**
   * The metadata line, a `$set` patch or a legacy record. `$set.messages` (gemini-cli's
   * history sync after masking or compression) is not applied: it repeats recorded ids, and
   * the line-by-line view already holds them.
   */
  metadata(meta: Json): void {
    const id = str(meta['sessionId']);
    if (id) this.builder.setId(id);
    this.builder.seen(str(meta['startTime']));
    this.builder.seen(str(meta['lastUpdated']));
    const dirs = meta['directories'];
    // projectHash is a hash, not a path: only the workspace directories name the project
    if (Array.isArray(dirs)) this.builder.setProject(str(dirs[0]));
    this.builder.setTitle(str(meta['summary']));
    const parent = basename(dirname(this.ctx.file));
    // subagent chats live in chats/<parent session id>/<session id>.jsonl
    if (meta['kind'] === 'subagent' && parent !== 'chats') this.builder.setParent(parent);
  }

  snapshot(): ResumableState<GeminiExtra> {
    const builder = structuredClone(this.builder.snapshot());
    [builder.userPrompts, builder.toolCalls, builder.errors] = this.totals(() => true);
    return { builder, extra: structuredClone(this.x) };
  }

  finish(): ParsedSource {
    const warnings = { ...this.x.warnings };
    if (this.x.records === 0) return { sessions: [], details: [], warnings };
    // counts come from the live messages; in detail mode those with a body are replayed instead
    const state = structuredClone(this.builder.snapshot());
    [state.userPrompts, state.toolCalls, state.errors] = this.totals((id) => !this.bodies.has(id));
    const out = new SessionBuilder({ id: state.id, agent: 'gemini', file: state.file }, this.ctx.detail, state);
    if (this.ctx.detail) {
      for (const id of this.x.order) {
        const body = this.bodies.get(id);
        if (!body) continue;
        out.atLine(this.lines.get(id));
        replay(out, body);
      }
    }
    return { sessions: [out.toSummary()], details: this.ctx.detail ? [out.toDetail()] : [], warnings };
  }

  private totals(include: (id: string) => boolean): Counts {
    const sum: Counts = [0, 0, 0];
    for (const id of this.x.order) {
      const c = this.x.counts[`m:${id}`];
      if (!c || !include(id)) continue;
      sum[0] += c[0];
      sum[1] += c[1];
      sum[2] += c[2];
    }
    return sum;
  }

  /** A re-appended message replaces the earlier copy (last wins) but keeps its place. */
  private message(id: string, m: Json): void {
    const type = m['type'];
    if (typeof type !== 'string' || !MESSAGE_TYPES.has(type)) this.x.warnings.unknownRecords++;
    const ts = str(m['timestamp']);
    this.builder.seen(ts);
    if (!Object.hasOwn(this.x.counts, `m:${id}`)) this.x.order.push(id);
    this.x.counts[`m:${id}`] = countsOf(m);
    if (this.ctx.detail) {
      this.bodies.set(id, m);
      if (this.lineNo !== undefined) this.lines.set(id, this.lineNo);
    }
    if (type === 'user' && !this.builder.snapshot().title) this.builder.setTitle(userText(m)?.split('\n', 1)[0]);
    if (type === 'gemini') this.tokens(id, m, ts);
  }

  /**
   * `$rewindTo` drops that message and everything after it from the conversation, or all of it
   * when the id is unknown (as gemini-cli's loader does). Their replies stay: those tokens were
   * billed when the model answered, and undoing the conversation does not refund them.
   */
  private rewind(id: string): void {
    const at = this.x.order.indexOf(id);
    const removed = this.x.order.splice(at === -1 ? 0 : at);
    for (const gone of removed) {
      delete this.x.counts[`m:${gone}`];
      this.bodies.delete(gone);
      this.lines.delete(gone);
    }
  }

  /**
   * Gemini reports promptTokenCount (`input`) including cachedContentTokenCount (`cached`);
   * toolUsePromptTokenCount (`tool`) is prompt sent on top of it and thoughtsTokenCount
   * (`thoughts`) is output billed on top of candidatesTokenCount (`output`).
   */
  private tokens(id: string, m: Json, ts: string | null): void {
    const model = str(m['model']);
    if (model) this.x.model = model;
    const t = m['tokens'];
    if (!isRecord(t)) return; // not reported yet: a later copy of this message will carry them
    const [input, output, cached, thoughts, tool, total] = [
      'input',
      'output',
      'cached',
      'thoughts',
      'tool',
      'total',
    ].map((k) => count(t[k])) as [number, number, number, number, number, number];
    const inclusive = input + output + thoughts + tool;
    // a writer that left the cache out of `input` shows it in the total (ccusage's check)
    const exclusive = cached > 0 && total === inclusive + cached;
    const cacheRead = exclusive ? cached : Math.min(cached, input);
    const fresh = exclusive ? input : input - cacheRead;
    if (fresh + cacheRead + tool + output + thoughts === 0) return;
    this.builder.reply({
      key: id,
      model: model ?? this.x.model ?? 'unknown',
      time: toEpoch(ts),
      inputTokens: fresh + tool,
      cacheReadTokens: cacheRead,
      cacheCreationTokens: 0,
      outputTokens: output + thoughts,
      reasoningTokens: thoughts,
      contextTokens: fresh + cacheRead + tool,
    });
  }
}

/** Must agree with `replay`: each count here is one builder call there. */
function countsOf(m: Json): Counts {
  const type = m['type'];
  if (type === 'user') return [userText(m) ? 1 : 0, 0, 0];
  if (type === 'error') return [0, 0, 1];
  if (type !== 'gemini') return [0, 0, 0];
  const calls = toolCallsOf(m);
  return [0, calls.length, calls.filter((c) => c['status'] === 'error').length];
}

function replay(b: SessionBuilder, m: Json): void {
  const type = m['type'];
  const ts = str(m['timestamp']);
  if (type === 'user') {
    const text = userText(m);
    if (text) b.prompt(text, ts);
  } else if (type === 'error') {
    b.error(str(partsText(m['content']).trim()) ?? 'error', ts);
  } else if (type === 'gemini') {
    b.assistantText(partsText(m['content']), ts, str(m['model']));
    toolCallsOf(m).forEach((call, i) => {
      const id = str(call['id']) ?? `${String(m['id'])}:${i}`;
      const name = str(call['name']) ?? 'tool';
      b.toolCall(id, name, call['args'] ?? null, str(call['timestamp']) ?? ts);
      b.toolResult(id, resultText(call), call['status'] === 'error');
      noteEffects(b, name, call['args']);
    });
  }
}

/** Accepts only state this parser wrote; anything else starts the file afresh. */
function readState(state: unknown): ResumableState<GeminiExtra> | null {
  if (!isRecord(state) || !isRecord(state['builder']) || !isRecord(state['extra'])) return null;
  const { builder, extra } = state;
  if (builder['agent'] !== 'gemini' || !Array.isArray(extra['order']) || !isRecord(extra['counts'])) return null;
  if (!isRecord(extra['warnings'])) return null;
  return structuredClone({ builder: builder as unknown as BuilderState, extra: extra as unknown as GeminiExtra });
}
