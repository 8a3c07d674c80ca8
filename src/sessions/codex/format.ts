import { basename } from 'node:path';
import { type BuilderState, SessionBuilder, count, toEpoch } from '../builder.js';
import type { LineFormat, LineParser, ParseContext, ParsedSource, ResumableState } from '../parser.js';
import { type ParseWarnings, emptyWarnings } from '../types.js';
import { type Json, callEffects, isRecord, parseJson, readOutput, str } from './tools.js';

/** input, cached input, output, reasoning output, total, cache-write input: one `TokenUsage`. */
type Usage = [number, number, number, number, number, number];

/** A prompt or assistant text already counted, waiting for its twin from the other record kind. */
type Echo = [source: 'event' | 'item', text: string] | null;

interface CodexExtra {
  model: string | null;
  metaModel: string | null;
  metaSeen: boolean;
  /** Last cumulative `total_token_usage`, to derive deltas and spot re-sent totals. */
  prevTotal: Usage | null;
  /** Bumped when the cumulative total goes down, so keys after a reset stay distinct. */
  epoch: number;
  /** Calls whose output has not arrived yet; an output counts only once, for a call we saw. */
  pending: string[];
  prompt: Echo;
  assistant: Echo;
  records: number;
  warnings: ParseWarnings;
}

const ENVELOPE_TYPES = new Set(['session_meta', 'response_item', 'event_msg', 'turn_context', 'compacted']);
const MAX_PENDING = 256;
/** Context Codex injects as user messages; none of it is something the user typed. */
const BOILERPLATE = ['<environment_context', '<user_instructions', '# AGENTS.md instructions', '<INSTRUCTIONS>'];

/** True when a line has the Codex rollout envelope `{timestamp, type, payload}` with a Codex type. */
export function sniffCodex(firstLine: string): boolean {
  const value = parseJson(firstLine);
  return (
    isRecord(value) &&
    typeof value['timestamp'] === 'string' &&
    typeof value['type'] === 'string' &&
    ENVELOPE_TYPES.has(value['type']) &&
    isRecord(value['payload'])
  );
}

/** Codex CLI rollout files (`~/.codex/sessions/YYYY/MM/DD/rollout-<ts>-<uuid>.jsonl`): one file, one session. */
export const codexFormat: LineFormat = {
  agent: 'codex',
  kind: 'lines',
  create: (ctx, state) => new CodexParser(ctx, state),
};

class CodexParser implements LineParser {
  private readonly ctx: ParseContext;
  private readonly builder: SessionBuilder;
  private readonly x: CodexExtra;

  constructor(ctx: ParseContext, state?: unknown) {
    this.ctx = ctx;
    const resumed = readState(state);
    this.builder = new SessionBuilder(
      { id: idFromFile(ctx.file), agent: 'codex', file: ctx.file },
      ctx.detail,
      resumed ? resumed.builder : undefined,
    );
    this.x = resumed ? resumed.extra : freshExtra();
  }

  line(text: string, lineNo: number): void {
    if (!text.trim()) return;
    this.builder.atLine(lineNo);
    const rec = parseJson(text);
    if (!isRecord(rec)) {
      this.x.warnings.malformedLines++;
      return;
    }
    const type = rec['type'];
    const payload = rec['payload'];
    if (typeof type !== 'string' || !ENVELOPE_TYPES.has(type) || !isRecord(payload)) {
      // world_state, inter_agent_communication and whatever comes next: skip, but say so
      this.x.warnings.unknownRecords++;
      return;
    }
    this.x.records++;
    const ts = str(rec['timestamp']);
    this.builder.seen(ts);
    if (type === 'session_meta') this.sessionMeta(payload);
    else if (type === 'turn_context') this.turnContext(payload);
    else if (type === 'compacted') this.builder.compaction(ts, null, null);
    else if (type === 'event_msg') this.event(payload, ts, lineNo);
    else this.item(payload, ts);
  }

  snapshot(): ResumableState<CodexExtra> {
    return structuredClone({ builder: this.builder.snapshot(), extra: this.x });
  }

  finish(): ParsedSource {
    const warnings = { ...this.x.warnings };
    if (this.x.records === 0) return { sessions: [], details: [], warnings };
    return {
      sessions: [this.builder.toSummary()],
      details: this.ctx.detail ? [this.builder.toDetail()] : [],
      warnings,
    };
  }

  private sessionMeta(p: Json): void {
    const git = p['git'];
    // a forked rollout may carry its parent's meta later on; the first one names this file
    if (!this.x.metaSeen) {
      const id = str(p['id']);
      if (id) this.builder.setId(id);
      this.x.metaModel = str(p['model']);
      this.x.metaSeen = true;
    }
    this.builder.setProject(str(p['cwd']));
    this.builder.setBranch(isRecord(git) ? str(git['branch']) : null);
  }

  private turnContext(p: Json): void {
    this.x.model = str(p['model']) ?? this.x.model;
    this.builder.setProject(str(p['cwd']));
  }

  private event(p: Json, ts: string | null, lineNo: number): void {
    const kind = p['type'];
    if (kind === 'token_count') this.tokenCount(p, ts, lineNo);
    else if (kind === 'user_message') this.prompt('event', str(p['message']), ts);
    else if (kind === 'agent_message') this.assistant('event', str(p['message']), ts);
    else if (kind === 'error') this.builder.error(str(p['message']) ?? 'error', ts);
    // stream_error is a retried disconnect, not a failure the user saw; the rest is progress
  }

  private item(p: Json, ts: string | null): void {
    const kind = p['type'];
    if (kind === 'message') {
      const role = p['role'];
      if (role === 'user') this.prompt('item', userText(p['content']), ts);
      else if (role === 'assistant') this.assistant('item', blockText(p['content'], 'output_text'), ts);
    } else if (kind === 'function_call') {
      const raw = p['arguments'];
      const args = typeof raw === 'string' ? (parseJson(raw) ?? raw) : raw;
      this.call(str(p['call_id']), str(p['name']) ?? 'function', args, ts);
    } else if (kind === 'custom_tool_call') {
      this.call(str(p['call_id']), str(p['name']) ?? 'custom_tool', p['input'], ts);
    } else if (kind === 'local_shell_call') {
      const action = p['action'];
      this.call(str(p['call_id']) ?? str(p['id']), 'local_shell', isRecord(action) ? action : {}, ts);
    } else if (kind === 'function_call_output' || kind === 'custom_tool_call_output') {
      this.output(str(p['call_id']), p['output']);
    }
  }

  private call(id: string | null, name: string, args: unknown, ts: string | null): void {
    if (!id || this.x.pending.includes(id)) return;
    this.x.pending.push(id);
    if (this.x.pending.length > MAX_PENDING) this.x.pending.shift();
    this.builder.toolCall(id, name, args, ts);
    const effects = callEffects(name, args);
    this.builder.command(effects.command);
    for (const path of effects.written) this.builder.fileWritten(path);
    for (const path of effects.read) this.builder.fileRead(path);
  }

  private output(id: string | null, output: unknown): void {
    const at = id ? this.x.pending.indexOf(id) : -1;
    if (!id || at === -1) return;
    this.x.pending.splice(at, 1);
    const { text, isError } = readOutput(output);
    this.builder.toolResult(id, text, isError);
  }

  /**
   * Recent builds write each prompt twice (event_msg user_message and a response_item user
   * message), older ones only the latter, in either order: the second copy of the same text
   * from the other record kind is the same prompt.
   */
  private prompt(source: 'event' | 'item', text: string | null, ts: string | null): void {
    if (!text) return;
    if (isEcho(this.x.prompt, source, text)) {
      this.x.prompt = null;
      return;
    }
    this.x.prompt = [source, text.trim()];
    this.builder.prompt(text, ts);
  }

  private assistant(source: 'event' | 'item', text: string | null, ts: string | null): void {
    if (!text) return;
    if (isEcho(this.x.assistant, source, text)) {
      this.x.assistant = null;
      return;
    }
    this.x.assistant = [source, text.trim()];
    this.builder.assistantText(text, ts, this.x.model);
  }

  /**
   * Totals are cumulative per session. `last_token_usage` is the reply itself; without it the
   * reply is the difference from the previous total. A total equal to the previous one is a
   * re-send; one that goes down is a reset, and the new total is then the reply.
   */
  private tokenCount(p: Json, ts: string | null, lineNo: number): void {
    const info = p['info'];
    if (!isRecord(info)) return; // rate-limit-only update
    const total = readUsage(info['total_token_usage']);
    const prev = this.x.prevTotal;
    if (total && prev && total.every((v, i) => v === prev[i])) return;
    let reply = readUsage(info['last_token_usage']);
    if (total) {
      const reset = prev !== null && total.some((v, i) => v < (prev[i] ?? 0));
      if (reset) this.x.epoch++;
      reply ??= prev && !reset ? (total.map((v, i) => v - (prev[i] ?? 0)) as Usage) : total;
      this.x.prevTotal = total;
    }
    if (!reply || reply.every((v) => v === 0)) return;
    const [input, cachedRaw, output, reasoning, , writeRaw] = reply;
    // cached and cache-write input are parts of input_tokens; reasoning is part of output_tokens
    const cached = Math.min(cachedRaw, input);
    const written = Math.min(writeRaw, input - cached);
    const suffix = this.x.epoch > 0 ? `#${this.x.epoch}` : '';
    this.builder.reply({
      key: total ? `${this.builder.id}:${total[4]}${suffix}` : `${this.builder.id}:line${lineNo}`,
      model: this.x.model ?? this.x.metaModel ?? 'unknown',
      time: toEpoch(ts),
      inputTokens: input - cached - written,
      cacheReadTokens: cached,
      cacheCreationTokens: written,
      outputTokens: output,
      reasoningTokens: Math.min(reasoning, output),
      contextTokens: input,
    });
  }
}

function readUsage(value: unknown): Usage | null {
  if (!isRecord(value)) return null;
  const field = (name: string): number => count(value[name]);
  return [
    field('input_tokens'),
    field('cached_input_tokens'),
    field('output_tokens'),
    field('reasoning_output_tokens'),
    field('total_tokens'),
    // Codex ≥ 0.145 reports explicit cache writes (GPT-5.6 bills them); absent before
    field('cache_write_input_tokens'),
  ];
}

function isEcho(previous: Echo, source: 'event' | 'item', text: string): boolean {
  return previous !== null && previous[0] !== source && previous[1] === text.trim();
}

function blockText(content: unknown, type: string): string | null {
  if (typeof content === 'string') return str(content);
  if (!Array.isArray(content)) return null;
  const texts = content
    .filter((b): b is Json => isRecord(b) && b['type'] === type && typeof b['text'] === 'string')
    .map((b) => String(b['text']));
  return str(texts.join('\n').trim());
}

/** The user's own words in a response_item user message, without injected context blocks. */
function userText(content: unknown): string | null {
  if (!Array.isArray(content))
    return typeof content === 'string' ? userText([{ type: 'input_text', text: content }]) : null;
  const kept = content.filter(
    (b) =>
      isRecord(b) &&
      typeof b['text'] === 'string' &&
      !BOILERPLATE.some((tag) => String(b['text']).trimStart().startsWith(tag)),
  );
  return blockText(kept, 'input_text');
}

function idFromFile(file: string): string {
  const name = basename(file);
  const uuid = /-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i.exec(name);
  return uuid?.[1] ?? name.replace(/\.jsonl$/, '');
}

function freshExtra(): CodexExtra {
  return {
    model: null,
    metaModel: null,
    metaSeen: false,
    prevTotal: null,
    epoch: 0,
    pending: [],
    prompt: null,
    assistant: null,
    records: 0,
    warnings: emptyWarnings(),
  };
}

/** Accepts only state this parser wrote; anything else starts the file afresh. */
function readState(state: unknown): ResumableState<CodexExtra> | null {
  if (!isRecord(state) || !isRecord(state['builder']) || !isRecord(state['extra'])) return null;
  const builder = state['builder'];
  const extra = state['extra'];
  if (builder['agent'] !== 'codex' || !isRecord(extra['warnings']) || !Array.isArray(extra['pending'])) return null;
  return structuredClone({
    builder: builder as unknown as BuilderState,
    extra: { ...freshExtra(), ...extra } as CodexExtra,
  });
}
