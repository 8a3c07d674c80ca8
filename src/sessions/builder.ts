import { compareText } from '../lib/compare.js';
import { tierOf } from './pricing.js';
import {
  type AgentName,
  type SessionDetail,
  type SessionSummary,
  type TimelineEvent,
  type TokenCounts,
  type ToolCall,
  type UsageBucket,
  emptyTokens,
} from './types.js';

/** One billed model reply, normalised to the Anthropic convention (input excludes cache). */
export interface Reply extends TokenCounts {
  /** Stable key: the same reply seen twice (streamed, re-sent, replayed) has the same key. */
  key: string;
  model: string;
  /** Epoch ms. */
  time: number | null;
  reasoningTokens: number;
  /** Tokens in the context window for this turn (input + cache tokens, in the agent's own terms). */
  contextTokens: number;
}

type ReplyTuple = [
  model: string,
  time: number | null,
  input: number,
  output: number,
  cacheCreation: number,
  cacheRead: number,
  reasoning: number,
  context: number,
];

/** The serialisable part of a builder: what the session cache keeps to resume an appended file. */
export interface BuilderState {
  id: string;
  agent: AgentName;
  file: string;
  project: string | null;
  gitBranch: string | null;
  title: string | null;
  first: number | null;
  last: number | null;
  replies: Record<string, ReplyTuple>;
  userPrompts: number;
  toolCalls: number;
  errors: number;
  compactions: number;
  parentId: string | null;
  parentToolUseId: string | null;
}

const RESULT_PREVIEW_CHARS = 2000;

/**
 * Accumulates one session from parser events. Summary state is always kept (and can be
 * snapshotted); the timeline is collected only in detail mode, so listing stays light.
 */
export class SessionBuilder {
  private readonly state: BuilderState;
  private readonly detail: boolean;
  private readonly timeline: TimelineEvent[] = [];
  private readonly toolIndex = new Map<string, ToolCall>();
  private readonly filesRead = new Set<string>();
  private readonly filesWritten = new Set<string>();
  private readonly commands: string[] = [];
  /** Detail mode: transcript line of the record being parsed, stamped on the events it yields. */
  private line: number | undefined;

  constructor(init: { id: string; agent: AgentName; file: string }, detail = false, state?: BuilderState) {
    this.detail = detail;
    this.state = state ?? {
      id: init.id,
      agent: init.agent,
      file: init.file,
      project: null,
      gitBranch: null,
      title: null,
      first: null,
      last: null,
      replies: {},
      userPrompts: 0,
      toolCalls: 0,
      errors: 0,
      compactions: 0,
      parentId: null,
      parentToolUseId: null,
    };
  }

  get id(): string {
    return this.state.id;
  }

  /** Detail mode: the 1-based transcript line the next events come from (forge provenance). */
  atLine(lineNo: number | undefined): void {
    if (this.detail) this.line = lineNo;
  }

  setId(id: string): void {
    this.state.id = id;
  }

  /** First value wins for project and branch: the session's starting point. */
  setProject(cwd: string | null | undefined): void {
    if (cwd && !this.state.project) this.state.project = cwd;
  }

  setBranch(branch: string | null | undefined): void {
    if (branch && !this.state.gitBranch) this.state.gitBranch = branch;
  }

  /** Later titles replace earlier ones (agents rename sessions as they go). */
  setTitle(title: string | null | undefined): void {
    if (title) this.state.title = title.length > 200 ? `${title.slice(0, 199)}…` : title;
  }

  setParent(parentId: string | null, parentToolUseId: string | null = null): void {
    if (parentId) this.state.parentId = parentId;
    if (parentToolUseId) this.state.parentToolUseId = parentToolUseId;
  }

  /** Widens the session's time span. Accepts ISO strings or epoch ms; ignores what does not parse. */
  seen(timestamp: string | number | null | undefined): number | null {
    const time = toEpoch(timestamp);
    if (time === null) return null;
    if (this.state.first === null || time < this.state.first) this.state.first = time;
    if (this.state.last === null || time > this.state.last) this.state.last = time;
    return time;
  }

  /**
   * Records a billed reply; a later reply with the same key replaces the earlier one, except
   * that with `keepMaxOutput` a streamed reply keeps its largest (final) output count.
   */
  reply(r: Reply, keepMaxOutput = false): void {
    const prior = keepMaxOutput ? this.state.replies[r.key] : undefined;
    if (prior && prior[3] > r.outputTokens) return;
    this.state.replies[r.key] = [
      r.model,
      r.time,
      r.inputTokens,
      r.outputTokens,
      r.cacheCreationTokens,
      r.cacheReadTokens,
      r.reasoningTokens,
      r.contextTokens,
    ];
  }

  prompt(text: string, timestamp: string | null): void {
    this.state.userPrompts++;
    if (!this.state.title) this.setTitle(firstLine(text));
    if (this.detail) this.push({ kind: 'prompt', timestamp, text });
  }

  assistantText(text: string, timestamp: string | null, model: string | null): void {
    if (this.detail && text.trim()) this.push({ kind: 'assistant', timestamp, text, model });
  }

  toolCall(id: string, name: string, input: unknown, timestamp: string | null): void {
    this.state.toolCalls++;
    if (!this.detail) return;
    const call: ToolCall = { id, name, input, result: null, isError: false, timestamp };
    this.toolIndex.set(id, call);
    this.push({ kind: 'tool', timestamp, call });
  }

  toolResult(id: string, result: string | null, isError: boolean): void {
    if (isError) this.state.errors++;
    if (!this.detail) return;
    const call = this.toolIndex.get(id);
    if (!call) return;
    call.isError = isError;
    if (this.line !== undefined) call.resultLine = this.line;
    call.result = result === null ? null : truncate(result, RESULT_PREVIEW_CHARS);
  }

  error(text: string, timestamp: string | null): void {
    this.state.errors++;
    if (this.detail) this.push({ kind: 'error', timestamp, text: truncate(text, RESULT_PREVIEW_CHARS) });
  }

  compaction(timestamp: string | null, trigger: string | null, preTokens: number | null): void {
    this.state.compactions++;
    if (this.detail) this.push({ kind: 'compaction', timestamp, trigger, preTokens });
  }

  subagent(agentId: string, toolUseId: string | null, timestamp: string | null): void {
    if (this.detail) this.push({ kind: 'subagent', timestamp, agentId, toolUseId });
  }

  private push(event: TimelineEvent): void {
    if (this.line !== undefined) event.line = this.line;
    this.timeline.push(event);
  }

  fileRead(path: unknown): void {
    if (this.detail && typeof path === 'string' && path) this.filesRead.add(path);
  }

  fileWritten(path: unknown): void {
    if (this.detail && typeof path === 'string' && path) this.filesWritten.add(path);
  }

  command(cmd: unknown): void {
    if (this.detail && typeof cmd === 'string' && cmd) this.commands.push(cmd);
  }

  snapshot(): BuilderState {
    return this.state;
  }

  /** The summary; `exclude` drops replies another file already accounts for (cross-file duplicates). */
  toSummary(exclude?: ReadonlySet<string>): SessionSummary {
    const s = this.state;
    const tokens = emptyTokens();
    const buckets = new Map<string, UsageBucket>();
    const models = new Set<string>();
    const contextSamples: number[] = [];
    let peak = 0;
    let peakModel: string | null = null;
    const keys: string[] = [];
    for (const [key, reply] of Object.entries(s.replies)) {
      if (exclude?.has(key)) continue;
      keys.push(key);
      const [model, time, input, output, cacheCreation, cacheRead, reasoning, context] = reply;
      tokens.inputTokens += input;
      tokens.outputTokens += output;
      tokens.cacheCreationTokens += cacheCreation;
      tokens.cacheReadTokens += cacheRead;
      models.add(model);
      if (context > peak) {
        peak = context;
        peakModel = model;
      }
      contextSamples.push(context);
      const hour = hourOf(time ?? s.first ?? 0);
      const tier = tierOf(context);
      const bucketKey = `${hour}\u0000${model}\u0000${tier}`;
      let bucket = buckets.get(bucketKey);
      if (!bucket) {
        bucket = { hour, model, ...emptyTokens(), reasoningTokens: 0, replies: 0, tier };
        buckets.set(bucketKey, bucket);
      }
      bucket.inputTokens += input;
      bucket.outputTokens += output;
      bucket.cacheCreationTokens += cacheCreation;
      bucket.cacheReadTokens += cacheRead;
      bucket.reasoningTokens += reasoning;
      bucket.replies++;
    }
    return {
      id: s.id,
      agent: s.agent,
      file: s.file,
      project: s.project,
      gitBranch: s.gitBranch,
      title: s.title,
      startedAt: s.first === null ? null : new Date(s.first).toISOString(),
      endedAt: s.last === null ? null : new Date(s.last).toISOString(),
      models: [...models].sort(),
      tokens,
      usage: [...buckets.values()].sort((a, b) => a.hour - b.hour || compareText(a.model, b.model) || a.tier - b.tier),
      peakContextTokens: peak,
      peakContextModel: peakModel,
      contextSamples,
      turns: keys.length,
      userPrompts: s.userPrompts,
      toolCalls: s.toolCalls,
      errors: s.errors,
      compactions: s.compactions,
      parentId: s.parentId,
      parentToolUseId: s.parentToolUseId,
      replyKeys: keys,
    };
  }

  toDetail(): SessionDetail {
    return {
      summary: this.toSummary(),
      timeline: this.timeline,
      filesRead: [...this.filesRead],
      filesWritten: [...this.filesWritten],
      commands: this.commands,
    };
  }
}

/** Epoch ms from an ISO string, epoch seconds or epoch ms; null when it does not parse. */
export function toEpoch(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return null;
    const ms = value < 1e11 ? value * 1000 : value;
    return ms > MAX_EPOCH_MS ? null : ms;
  }
  if (value.length === 24 && value.charCodeAt(23) === 90 && value.charCodeAt(10) === 84) {
    // 2026-02-12T14:11:56.103Z, the shape agents write: Date.UTC on its digits is much faster
    // than Date.parse, which dominated reading time.
    const time = epochOfUtc(
      digits(value, 0, 4),
      digits(value, 5, 7),
      digits(value, 8, 10),
      digits(value, 11, 13),
      digits(value, 14, 16),
      digits(value, 17, 19),
      digits(value, 20, 23),
    );
    if (!Number.isNaN(time)) return time;
  }
  const time = Date.parse(value);
  return Number.isNaN(time) || time <= 0 || time > MAX_EPOCH_MS ? null : time;
}

/** The largest time a Date can hold; anything past it is garbage, not a timestamp. */
const MAX_EPOCH_MS = 8.64e15;

/** Epoch ms of a UTC civil time (days-from-civil), NaN when a field is out of range. */
function epochOfUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 60)) return NaN;
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  return ((days * 24 + h) * 60 + mi) * 60_000 + s * 1000 + ms;
}

/** The number written in value[from, to), or NaN when any of it is not a digit. */
function digits(value: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

export function hourOf(time: number): number {
  return time - (time % 3_600_000);
}

/** No reply holds this many tokens: a larger count is garbage, and would poison a total. */
const MAX_TOKENS_PER_REPLY = 1e10;

/** A non-negative integer from anything; garbage counts as zero rather than poisoning a total. */
export function count(value: unknown): number {
  return typeof value === 'number' && value > 0 && value <= MAX_TOKENS_PER_REPLY ? Math.floor(value) : 0;
}

function firstLine(text: string): string {
  const line = text.trim().split('\n', 1)[0] ?? '';
  return line;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more chars)` : text;
}
