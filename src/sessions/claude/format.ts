import { basename, dirname } from 'node:path';
import { type BuilderState, SessionBuilder, count } from '../builder.js';
import type { LineFormat, LineParser, ParseContext, ParsedSource } from '../parser.js';
import { emptyWarnings, type ParseWarnings } from '../types.js';
import { cutAssistantContent, lastTimestamp, peekType, scanToolResultLine } from './fast-scan.js';
import { recordTool, isObject, textOf } from './tools.js';

/**
 * Claude Code transcripts (`~/.claude/projects/<slug>/<session>.jsonl` and
 * `<session>/subagents/agent-<id>.jsonl`). Accounting rules, from the format reference:
 * one API reply is streamed over several lines sharing message.id + requestId, whose input and
 * cache counts repeat while output grows, so each reply is kept once with its largest output;
 * `progress` records replay subagent traffic that the subagent's own file already holds.
 */

const KNOWN_TYPES = new Set([
  'user',
  'assistant',
  'system',
  'summary',
  'file-history-snapshot',
  'queue-operation',
  'progress',
  'pr-link',
  'agent-name',
  'custom-title',
  'last-prompt',
  'attachment',
  'permission-mode',
  'ai-title',
  'agent-setting',
  'bridge-session',
  'worktree-state',
]);

interface ClaudeExtra {
  sessionIdSeen: boolean;
  toolIds: string[];
  subagents: string[];
  warnings: ParseWarnings;
}

interface ClaudeState {
  builder: BuilderState;
  extra: ClaudeExtra;
}

export const claudeFormat: LineFormat = {
  agent: 'claude',
  kind: 'lines',
  create: (ctx, state) => new ClaudeParser(ctx, state as ClaudeState | undefined),
};

/** Names a session from its file: `<id>.jsonl`, or `<parent>/subagents/agent-<id>.jsonl`. */
export function claudeIdentity(file: string): { id: string; parentId: string | null } {
  const name = basename(file).replace(/\.jsonl$/i, '');
  if (name.startsWith('agent-')) {
    const parentDir = dirname(file);
    const parent = basename(parentDir) === 'subagents' ? basename(dirname(parentDir)) : null;
    return { id: parent ? `${parent}/${name}` : name, parentId: parent };
  }
  return { id: name, parentId: null };
}

class ClaudeParser implements LineParser {
  private readonly builder: SessionBuilder;
  private readonly ctx: ParseContext;
  private readonly toolIds: Set<string>;
  private readonly subagents: Set<string>;
  private readonly warnings: ParseWarnings;
  private readonly subagentFile: boolean;
  private sessionIdSeen: boolean;
  private lastTimestamp: string | null = null;

  constructor(ctx: ParseContext, state?: ClaudeState) {
    this.ctx = ctx;
    const identity = claudeIdentity(ctx.file);
    this.subagentFile = basename(ctx.file).startsWith('agent-');
    this.builder = new SessionBuilder({ id: identity.id, agent: 'claude', file: ctx.file }, ctx.detail, state?.builder);
    if (!state) this.builder.setParent(identity.parentId);
    this.toolIds = new Set(state?.extra.toolIds);
    this.subagents = new Set(state?.extra.subagents);
    this.warnings = state?.extra.warnings ?? emptyWarnings();
    this.sessionIdSeen = state?.extra.sessionIdSeen ?? false;
  }

  /** Fast path: classify on raw bytes and skip decoding the bulk that a summary does not need. */
  bytes(buf: Buffer, start: number, end: number, lineNo: number): void {
    if (!this.ctx.detail) {
      const type = peekType(buf, start, end);
      if (type === 'progress' || type === 'file-history-snapshot' || type === 'queue-operation') {
        if (buf[start] !== 123 || buf[end - 1] !== 125) this.warnings.malformedLines++;
        else if (type === 'progress') this.builder.seen(lastTimestamp(buf.subarray(start, end)));
        return;
      }
      if (type === 'user') {
        const scan = scanToolResultLine(buf, start, end);
        if (scan) {
          this.builder.seen(scan.timestamp);
          for (let i = 0; i < scan.errors; i++) this.builder.toolResult('', null, true);
          return;
        }
      } else if (type === 'message') {
        // An assistant line (its first "type" is the message's): parse it without its content.
        const cut = cutAssistantContent(buf, start, end);
        if (cut) {
          this.line(cut.json, lineNo);
          const timestamp = this.lastTimestamp;
          for (const tool of cut.tools) this.tool(tool.id, tool.name, undefined, timestamp);
          return;
        }
      }
    }
    this.line(buf.toString('utf8', start, end), lineNo);
  }

  line(text: string, lineNo: number): void {
    this.builder.atLine(lineNo);
    let rec: unknown;
    try {
      rec = JSON.parse(text);
    } catch {
      if (text.includes('\u0000') || text.includes('\ufffd')) this.warnings.binaryLines++;
      else this.warnings.malformedLines++;
      return;
    }
    if (!isObject(rec)) {
      this.warnings.malformedLines++;
      return;
    }
    this.record(rec);
  }

  private record(rec: Record<string, unknown>): void {
    const type = rec.type;
    if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) {
      this.warnings.unknownRecords++;
      return;
    }
    const b = this.builder;
    const timestamp = typeof rec.timestamp === 'string' ? rec.timestamp : null;
    this.lastTimestamp = timestamp;
    if (type !== 'file-history-snapshot' && type !== 'queue-operation') {
      b.seen(timestamp);
      if (typeof rec.cwd === 'string') b.setProject(rec.cwd);
      if (typeof rec.gitBranch === 'string' && rec.gitBranch !== 'HEAD') b.setBranch(rec.gitBranch);
      if (!this.sessionIdSeen && typeof rec.sessionId === 'string') {
        this.sessionIdSeen = true;
        // The file name is the session id (Claude Code names files so); a copy of a transcript
        // under another name stays a session of its own.
        if (this.subagentFile) b.setParent(rec.sessionId);
      }
    }
    switch (type) {
      case 'assistant':
        this.assistant(rec, timestamp);
        break;
      case 'user':
        this.user(rec, timestamp);
        break;
      case 'system':
        this.system(rec, timestamp);
        break;
      case 'summary':
        if (typeof rec.summary === 'string') b.setTitle(rec.summary);
        break;
      case 'custom-title':
      case 'ai-title': {
        const title = rec.customTitle ?? rec.aiTitle ?? rec.title;
        if (typeof title === 'string') b.setTitle(title);
        break;
      }
      case 'progress':
        this.progress(rec, timestamp);
        break;
      default:
        break;
    }
  }

  private assistant(rec: Record<string, unknown>, timestamp: string | null): void {
    const msg = rec.message;
    if (!isObject(msg)) {
      this.warnings.malformedLines++;
      return;
    }
    const b = this.builder;
    const model = typeof msg.model === 'string' ? msg.model : 'unknown';
    if (rec.isApiErrorMessage === true) b.error(textOf(msg.content) || 'API error', timestamp);
    const usage = msg.usage;
    if (isObject(usage) && model !== '<synthetic>') {
      const id = typeof msg.id === 'string' ? msg.id : typeof rec.uuid === 'string' ? rec.uuid : '';
      const requestId = typeof rec.requestId === 'string' ? rec.requestId : '';
      const input = count(usage.input_tokens);
      const cacheCreation = count(usage.cache_creation_input_tokens);
      const cacheRead = count(usage.cache_read_input_tokens);
      b.reply(
        {
          key: `${id}:${requestId}`,
          model,
          time: b.seen(timestamp),
          inputTokens: input,
          outputTokens: count(usage.output_tokens),
          cacheCreationTokens: cacheCreation,
          cacheReadTokens: cacheRead,
          reasoningTokens: 0,
          contextTokens: input + cacheCreation + cacheRead,
        },
        true,
      );
    }
    if (!Array.isArray(msg.content)) return;
    for (const block of msg.content) {
      if (!isObject(block)) continue;
      if (block.type === 'text' && typeof block.text === 'string') {
        b.assistantText(block.text, timestamp, model);
      } else if (block.type === 'tool_use' && typeof block.id === 'string') {
        this.tool(block.id, typeof block.name === 'string' ? block.name : 'unknown', block.input, timestamp);
      }
    }
  }

  /** A tool call, once per id: a re-sent line repeats its blocks. */
  private tool(id: string, name: string, input: unknown, timestamp: string | null): void {
    if (this.toolIds.has(id)) return;
    this.toolIds.add(id);
    recordTool(this.builder, id, name, input, timestamp);
  }

  private user(rec: Record<string, unknown>, timestamp: string | null): void {
    const msg = rec.message;
    if (!isObject(msg)) return;
    const b = this.builder;
    const content = msg.content;
    if (rec.isCompactSummary === true || rec.isMeta === true) return;
    if (typeof content === 'string') {
      if (isPrompt(content)) b.prompt(content, timestamp);
      return;
    }
    if (!Array.isArray(content)) return;
    const texts: string[] = [];
    for (const block of content) {
      if (!isObject(block)) continue;
      if (block.type === 'tool_result' && typeof block.tool_use_id === 'string') {
        b.toolResult(block.tool_use_id, this.ctx.detail ? textOf(block.content) : null, block.is_error === true);
      } else if (block.type === 'text' && typeof block.text === 'string') {
        texts.push(block.text);
      }
    }
    const text = texts.join('\n');
    if (texts.length > 0 && isPrompt(text)) b.prompt(text, timestamp);
  }

  private system(rec: Record<string, unknown>, timestamp: string | null): void {
    const b = this.builder;
    if (rec.subtype === 'compact_boundary') {
      const meta = isObject(rec.compactMetadata) ? rec.compactMetadata : {};
      b.compaction(
        timestamp,
        typeof meta.trigger === 'string' ? meta.trigger : null,
        typeof meta.preTokens === 'number' ? meta.preTokens : null,
      );
    } else if (rec.subtype === 'api_error') {
      b.error(typeof rec.content === 'string' ? rec.content : 'API error', timestamp);
    }
  }

  private progress(rec: Record<string, unknown>, timestamp: string | null): void {
    const data = rec.data;
    if (!isObject(data) || data.type !== 'agent_progress' || typeof data.agentId !== 'string') return;
    if (this.subagents.has(data.agentId)) return;
    this.subagents.add(data.agentId);
    const toolUseId = typeof rec.parentToolUseID === 'string' ? rec.parentToolUseID : null;
    this.builder.subagent(data.agentId, toolUseId, timestamp);
  }

  snapshot(): ClaudeState {
    return {
      builder: this.builder.snapshot(),
      extra: {
        sessionIdSeen: this.sessionIdSeen,
        toolIds: [...this.toolIds],
        subagents: [...this.subagents],
        warnings: { ...this.warnings },
      },
    };
  }

  finish(): ParsedSource {
    return {
      sessions: [this.builder.toSummary()],
      details: this.ctx.detail ? [this.builder.toDetail()] : [],
      warnings: { ...this.warnings },
    };
  }
}

/** Text a person typed, as opposed to the agent's own bookkeeping written as user records. */
function isPrompt(text: string): boolean {
  const t = text.trimStart();
  if (!t) return false;
  return !(
    t.startsWith('<local-command-stdout>') ||
    t.startsWith('<local-command-stderr>') ||
    t.startsWith('<local-command-caveat>') ||
    t.startsWith('[Request interrupted')
  );
}
