import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EDGE_CASES, SPOTTER, SPOTTER_TOTALS, listJsonl, tempDirs } from '../../test-support/fixture-files.js';
import { readLines } from '../line-reader.js';
import { loadSessions } from '../load.js';
import type { ParsedSource } from '../parser.js';
import { claudeFormat, claudeIdentity } from './format.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

/** Parses a file as load.ts does (bytes fast path, summary only) or as `sessions show` does. */
function parseFile(file: string, mode: 'fast' | 'detail'): ParsedSource {
  const parser = claudeFormat.create({ file, detail: mode === 'detail' });
  readLines(file, (buf, s, e, n) =>
    mode === 'fast' ? parser.bytes?.(buf, s, e, n) : parser.line(buf.toString('utf8', s, e), n),
  );
  return parser.finish();
}

/** Every non-empty line as its own Buffer, with its line number. */
function linesOf(file: string): [Buffer, number][] {
  const out: [Buffer, number][] = [];
  readLines(file, (buf, s, e, n) => out.push([Buffer.from(buf.subarray(s, e)), n]));
  return out;
}

/**
 * The accounting rule, written independently of the parser: one reply per message.id +
 * requestId with its largest output; `progress` records (replays) never count.
 */
function referenceTotals(file: string) {
  const replies = new Map<string, { input: number; output: number; cc: number; cr: number }>();
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    let rec: { type?: string; requestId?: string; message?: { id?: string; model?: string; usage?: unknown } } | null;
    try {
      rec = JSON.parse(text) as typeof rec;
    } catch {
      continue;
    }
    const usage = rec?.message?.usage as Record<string, number> | undefined;
    if (rec?.type !== 'assistant' || !usage || rec.message?.model === '<synthetic>') continue;
    const key = `${rec.message?.id ?? ''}:${rec.requestId ?? ''}`;
    const prior = replies.get(key);
    if (prior && prior.output > (usage.output_tokens ?? 0)) continue;
    replies.set(key, {
      input: usage.input_tokens ?? 0,
      output: usage.output_tokens ?? 0,
      cc: usage.cache_creation_input_tokens ?? 0,
      cr: usage.cache_read_input_tokens ?? 0,
    });
  }
  const sum = (f: (r: { input: number; output: number; cc: number; cr: number }) => number) =>
    [...replies.values()].reduce((n, r) => n + f(r), 0);
  return {
    tokens: {
      inputTokens: sum((r) => r.input),
      outputTokens: sum((r) => r.output),
      cacheCreationTokens: sum((r) => r.cc),
      cacheReadTokens: sum((r) => r.cr),
    },
    turns: replies.size,
  };
}

const assistant = (o: { sid: string; ts: string; id: string; req: string; input?: number; output: number }) =>
  JSON.stringify({
    type: 'assistant',
    sessionId: o.sid,
    timestamp: o.ts,
    requestId: o.req,
    message: {
      id: o.id,
      model: 'claude-sonnet-4-5',
      usage: { input_tokens: o.input ?? 10, output_tokens: o.output, cache_creation_input_tokens: 3 },
      content: [{ type: 'text', text: 'ok' }],
    },
  });

const spotterFiles = listJsonl(SPOTTER);

describe('claude format on the spotter folder', () => {
  it('yields the independently computed totals through loadSessions', async () => {
    const result = await loadSessions({ source: SPOTTER, cache: null });
    expect(result.sessions).toHaveLength(spotterFiles.length);
    const sum = (f: (t: (typeof result.sessions)[number]) => number) => result.sessions.reduce((n, s) => n + f(s), 0);
    expect({
      inputTokens: sum((s) => s.tokens.inputTokens),
      outputTokens: sum((s) => s.tokens.outputTokens),
      cacheCreationTokens: sum((s) => s.tokens.cacheCreationTokens),
      cacheReadTokens: sum((s) => s.tokens.cacheReadTokens),
      replies: sum((s) => s.turns),
    }).toEqual(SPOTTER_TOTALS);
    expect(result.warnings.malformedLines + result.warnings.binaryLines + result.warnings.unknownRecords).toBe(0);
  });

  it.each(spotterFiles.map((f) => [f.slice(SPOTTER.length + 1), f]))(
    'fast path and detail path agree on %s',
    (_name, file) => {
      const fast = parseFile(file, 'fast');
      const detail = parseFile(file, 'detail');
      expect(fast.sessions).toEqual(detail.sessions);
      expect(fast.warnings).toEqual(detail.warnings);
      // And both agree with the rule computed without the parser.
      const ref = referenceTotals(file);
      expect(fast.sessions[0]!.tokens).toEqual(ref.tokens);
      expect(fast.sessions[0]!.turns).toBe(ref.turns);
    },
  );

  it('names subagent files <parent>/agent-<id> with the parent session as parentId', async () => {
    const { sessions } = await loadSessions({ source: SPOTTER, cache: null });
    const subagentFiles = spotterFiles.filter((f) => f.includes('/subagents/'));
    expect(subagentFiles.length).toBeGreaterThan(5);
    for (const file of subagentFiles) {
      const parent = basename(dirname(dirname(file)));
      const s = sessions.find((x) => x.file === file);
      expect(s?.id).toBe(`${parent}/${basename(file, '.jsonl')}`);
      expect(s?.parentId).toBe(parent);
    }
    expect(claudeIdentity('/p/abc/subagents/agent-x1.jsonl')).toEqual({ id: 'abc/agent-x1', parentId: 'abc' });
  });

  // Bug (format.ts, `subagentFile = identity.id.includes('agent-')`): any file whose name merely
  // contains "agent-" is taken for a subagent, so its own sessionId becomes its parent.
  it('keeps a main session in a file whose name contains "agent-" a main session', async () => {
    const dir = temp.make();
    writeFileSync(
      join(dir, 'my-agent-notes.jsonl'),
      `${assistant({ sid: 'S1', ts: '2026-01-01T00:00:00Z', id: 'm', req: 'r', output: 5 })}\n`,
    );
    const [s] = (await loadSessions({ source: dir, cache: null })).sessions;
    expect(s?.parentId).toBeNull();
  });
});

describe('claude format resumes from a snapshot', () => {
  /** One pass versus two: split after `at` lines, JSON round trip of the state, then the rest. */
  function resumeAt(file: string, lines: [Buffer, number][], at: number): unknown {
    const first = claudeFormat.create({ file, detail: false });
    for (const [b, n] of lines.slice(0, at)) first.bytes?.(b, 0, b.length, n);
    const state: unknown = JSON.parse(JSON.stringify(first.snapshot()));
    const second = claudeFormat.create({ file, detail: false }, state);
    for (const [b, n] of lines.slice(at)) second.bytes?.(b, 0, b.length, n);
    return second.finish();
  }

  for (const name of [
    'ae4a77f8-aedd-4bc1-888f-c94edc91af04.jsonl',
    'tool_heavy.jsonl',
    'fa812bfe-b295-4cca-9c2f-fdf01028cb46/subagents/agent-aa84377.jsonl',
  ]) {
    it(`gives the one-pass summary for ${name}`, () => {
      const file = join(SPOTTER, name);
      const lines = linesOf(file);
      const whole = parseFile(file, 'fast');
      // From line 4 on: splits before the first sessionId are the bug below.
      for (const at of [4, 5, 17, Math.floor(lines.length / 2), lines.length - 1, lines.length]) {
        expect(resumeAt(file, lines, Math.min(at, lines.length)), `split at ${at}`).toEqual(whole);
      }
    });
  }

  // Bug (format.ts constructor, `sessionIdSeen = state !== undefined`): a state saved before any
  // record carried a sessionId resumes as if it had seen one. A subagent file in the older flat
  // layout (`agent-<id>.jsonl` beside the sessions) learns its parent only from that sessionId,
  // so resumed after its opening file-history-snapshot it ends with parentId null.
  it('learns the parent from the sessionId when the snapshot was taken before it appeared', () => {
    const dir = temp.make();
    const file = join(dir, 'agent-flat1.jsonl');
    const snapshot = JSON.stringify({ type: 'file-history-snapshot', messageId: 'x', snapshot: {} });
    const reply = assistant({ sid: 'parent-1', ts: '2026-01-01T00:00:00Z', id: 'm', req: 'r', output: 5 });
    writeFileSync(file, `${snapshot}\n${reply}\n`);
    const lines = linesOf(file);
    expect(parseFile(file, 'fast').sessions[0]!.parentId).toBe('parent-1');
    expect((resumeAt(file, lines, 1) as ParsedSource).sessions[0]!.parentId).toBe('parent-1');
  });
});

describe('claude format on edge cases', () => {
  const expected: Record<
    string,
    { turns: number; userPrompts: number; toolCalls: number; errors: number; bad: number }
  > = {
    'edge_cases.jsonl': { turns: 4, userPrompts: 5, toolCalls: 3, errors: 1, bad: 4 },
    'representative_messages.jsonl': { turns: 5, userPrompts: 4, toolCalls: 2, errors: 0, bad: 0 },
    'session_b.jsonl': { turns: 1, userPrompts: 2, toolCalls: 0, errors: 0, bad: 0 },
    'todowrite_examples.jsonl': { turns: 6, userPrompts: 2, toolCalls: 3, errors: 0, bad: 0 },
  };

  it.each(Object.entries(expected))('parses %s with the counts the file holds', (name, want) => {
    const file = join(EDGE_CASES, name);
    for (const mode of ['fast', 'detail'] as const) {
      const parsed = parseFile(file, mode);
      const s = parsed.sessions[0]!;
      expect({ turns: s.turns, userPrompts: s.userPrompts, toolCalls: s.toolCalls, errors: s.errors }).toEqual({
        turns: want.turns,
        userPrompts: want.userPrompts,
        toolCalls: want.toolCalls,
        errors: want.errors,
      });
      expect(s.tokens).toEqual(referenceTotals(file).tokens);
      // edge_cases.jsonl: three lines that are JSON but not objects, one object without a type.
      const w = parsed.warnings;
      expect(w.malformedLines + w.unknownRecords + w.binaryLines).toBe(want.bad);
      expect(s.project).toBe('/tmp');
    }
  });
});

describe('claude format accounting', () => {
  it('counts a reply streamed over three lines once, with its largest output', () => {
    const dir = temp.make();
    const file = join(dir, 'streamed.jsonl');
    const outputs = [1, 250, 40]; // a late line with a smaller count must not win
    writeFileSync(
      file,
      outputs
        .map((o, i) =>
          assistant({ sid: 'S', ts: `2026-01-01T00:00:0${i}Z`, id: 'msg_1', req: 'req_1', input: 7, output: o }),
        )
        .join('\n'),
    );
    for (const mode of ['fast', 'detail'] as const) {
      const s = parseFile(file, mode).sessions[0]!;
      expect(s.turns).toBe(1);
      expect(s.tokens).toEqual({ inputTokens: 7, outputTokens: 250, cacheCreationTokens: 3, cacheReadTokens: 0 });
    }
  });

  it('ignores usage replayed inside progress records', () => {
    const dir = temp.make();
    const file = join(dir, 'p.jsonl');
    const replay = JSON.parse(
      assistant({ sid: 'S', ts: '2026-01-01T00:00:00Z', id: 'm9', req: 'r9', output: 99 }),
    ) as unknown;
    const progress = {
      type: 'progress',
      sessionId: 'S',
      timestamp: '2026-01-01T00:00:01Z',
      data: { type: 'agent_progress', agentId: 'a1', message: replay },
    };
    writeFileSync(file, `${JSON.stringify(progress)}\n`);
    for (const mode of ['fast', 'detail'] as const) expect(parseFile(file, mode).sessions[0]!.turns).toBe(0);
  });

  /** A main session `main` and either a second main session or a subagent holding the same reply. */
  async function twoFiles(other: 'resumed' | 'subagent', opts: { trailingNewline?: boolean } = {}) {
    const dir = temp.make();
    const shared = { id: 'msg_shared', req: 'req_shared', output: 50 };
    const nl = opts.trailingNewline === false ? '' : '\n';
    writeFileSync(join(dir, 'main.jsonl'), `${assistant({ sid: 'main', ts: '2026-01-01T01:00:00Z', ...shared })}\n`);
    const otherFile =
      other === 'subagent' ? join(dir, 'main', 'subagents', 'agent-x.jsonl') : join(dir, 'resumed.jsonl');
    mkdirSync(dirname(otherFile), { recursive: true });
    // The copy is dated earlier, so only the main-over-subagent rule can make main win.
    const ts = other === 'subagent' ? '2026-01-01T00:00:00Z' : '2026-01-01T02:00:00Z';
    const sid = other === 'subagent' ? 'main' : 'resumed';
    const own = assistant({
      sid,
      ts: '2026-01-01T02:30:00Z',
      id: 'msg_own',
      req: 'req_own',
      output: 7,
    });
    writeFileSync(otherFile, `${assistant({ sid, ts, ...shared })}\n${own}${nl}`);
    const { sessions } = await loadSessions({ source: dir, cache: null });
    return {
      main: sessions.find((s) => s.file.endsWith('main.jsonl'))!,
      other: sessions.find((s) => s.file === otherFile)!,
    };
  }

  it('counts a reply held by a resumed session once, in the earlier session', async () => {
    const { main, other } = await twoFiles('resumed');
    expect(main.turns).toBe(1);
    expect(main.tokens.outputTokens).toBe(50);
    expect(other.turns).toBe(1);
    expect(other.tokens.outputTokens).toBe(7);
  });

  it('gives a reply shared with a subagent to the main session', async () => {
    const { main, other } = await twoFiles('subagent');
    expect(other.parentId).toBe('main');
    expect(main.tokens.outputTokens).toBe(50);
    expect(other.tokens.outputTokens).toBe(7);
  });

  // Bug (load.ts dedupeAcrossFiles): a file that loses a shared reply is rebuilt from the parser
  // state saved before its unterminated last line ('hold'), so that line's reply vanishes.
  it('keeps the last, unterminated line of a file that loses a shared reply', async () => {
    const { other } = await twoFiles('resumed', { trailingNewline: false });
    expect(other.turns).toBe(1);
    expect(other.tokens.outputTokens).toBe(7);
  });
});
