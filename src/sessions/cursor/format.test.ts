import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ParseContext, ParsedSource } from '../parser.js';
import { cursorFormat, cursorSlugOf, cursorSlugToHint, sniffCursor } from './format.js';

const ID = '3f6c1e2a-8b4d-4f7a-9c21-5d0e8a7b6c43';
const FILE = fileURLToPath(
  new URL(`../../../samples/cursor/projects/home-dev-acme-app/agent-transcripts/${ID}/${ID}.jsonl`, import.meta.url),
);
const LINES = readFileSync(FILE, 'utf8').split('\n');

/** Feeds lines the way the line reader does: numbered from 1, blank ones skipped. */
function parse(
  lines: string[],
  ctx: ParseContext,
  state?: unknown,
  firstLineNo = 1,
): ReturnType<typeof cursorFormat.create> {
  const parser = cursorFormat.create(ctx, state);
  lines.forEach((line, i) => {
    if (line !== '') parser.line(line, firstLineNo + i);
  });
  return parser;
}

function read(lines: string[], detail = false): ParsedSource {
  return parse(lines, { file: FILE, detail }).finish();
}

describe('cursorFormat', () => {
  it('summarises the transcript without inventing tokens', () => {
    const { sessions, details, warnings } = read(LINES);
    expect(details).toEqual([]);
    expect(sessions).toHaveLength(1);
    const [s] = sessions;
    expect(s?.id).toBe(ID);
    expect(s?.agent).toBe('cursor');
    expect(s?.userPrompts).toBe(3);
    expect(s?.toolCalls).toBe(10);
    // The failed `npm test` and the turn that ended in error.
    expect(s?.errors).toBe(2);
    expect(s?.title).toBe('Add a health check endpoint to the API server.');
    expect(s?.turns).toBe(0);
    expect(s?.tokens).toEqual({ inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0 });
    expect(s?.usage).toEqual([]);
    expect(s?.peakContextTokens).toBe(0);
    // No record names the cwd, and the slug cannot be turned back into one.
    expect(s?.project).toBeNull();
    expect(s?.startedAt).toBeNull();
    expect(warnings).toMatchObject({ malformedLines: 1, unknownRecords: 2 });
  });

  it('builds the timeline in detail mode', () => {
    const [detail] = read(LINES, true).details;
    expect(detail?.commands).toEqual(['npm test', 'npm test', 'npm run lint']);
    expect(detail?.filesRead).toEqual(['/home/dev/acme-app/src/server.ts', '/home/dev/acme-app/README.md']);
    expect(detail?.filesWritten).toEqual([
      '/home/dev/acme-app/src/server.ts',
      '/home/dev/acme-app/test/health.test.ts',
      '/home/dev/acme-app/README.md',
    ]);
    const prompts = detail?.timeline.filter((e) => e.kind === 'prompt').map((e) => e.text);
    // Only what the user typed: the <user_info> context Cursor adds is dropped.
    expect(prompts).toEqual([
      'Add a health check endpoint to the API server.\nIt should return 200 and the build version.',
      'Also document it in the README.',
      'Run the linter',
    ]);
    const tools = detail?.timeline.flatMap((e) => (e.kind === 'tool' ? [e.call] : []));
    expect(tools?.map((c) => c.name)).toEqual([
      'Read',
      'Grep',
      'Glob',
      'StrReplace',
      'Shell',
      'Write',
      'Shell',
      'Read',
      'StrReplace',
      'Shell',
    ]);
    // Results carry no ids: they answer the calls in the order the calls were made.
    expect(tools?.[1]?.result).toBe("src/server.ts:3: app.get('/users', listUsers)");
    expect(tools?.[2]?.result).toBe('test/server.test.ts');
    expect(tools?.[4]).toMatchObject({
      isError: true,
      result: 'FAIL test/server.test.ts\n  1 failing: health is not defined',
    });
    expect(tools?.[6]).toMatchObject({ isError: false, result: 'Tests: 14 passed, 14 total' });
    // The linter run got no result before its turn ended.
    expect(tools?.[9]?.result).toBeNull();
    expect(detail?.timeline.at(-1)).toMatchObject({ kind: 'error', text: 'turn ended: error' });
  });

  it('resumes from any line to the same result as one pass', () => {
    const whole = read(LINES);
    for (let k = 0; k <= LINES.length; k++) {
      const first = parse(LINES.slice(0, k), { file: FILE, detail: false });
      // The cache stores snapshots as JSON, so resume from a JSON round trip.
      const state: unknown = JSON.parse(JSON.stringify(first.snapshot()));
      const resumed = parse(LINES.slice(k), { file: FILE, detail: false }, state, k + 1).finish();
      expect(resumed, `split after line ${k}`).toEqual(whole);
    }
  });

  it('starts afresh from state it did not write', () => {
    for (const junk of [null, 42, 'state', { builder: { agent: 'claude' }, extra: {} }, { builder: {}, extra: [] }]) {
      expect(parse(LINES, { file: FILE, detail: false }, junk).finish()).toEqual(read(LINES));
    }
  });

  it('pairs a result with its call by id when the blocks carry ids', () => {
    const lines = [
      '{"role":"assistant","message":{"content":[{"type":"tool_use","id":"a","name":"Shell","input":{"command":"true"}},{"type":"tool_use","id":"b","name":"Shell","input":{"command":"false"}}]}}',
      '{"role":"user","message":{"content":[{"type":"tool_result","tool_use_id":"b","content":"exit 1","is_error":true},{"type":"tool_result","tool_use_id":"a","content":"ok"}]}}',
    ];
    const [detail] = read(lines, true).details;
    const calls = detail?.timeline.flatMap((e) => (e.kind === 'tool' ? [e.call] : []));
    expect(calls?.map((c) => [c.id, c.result, c.isError])).toEqual([
      ['a', 'ok', false],
      ['b', 'exit 1', true],
    ]);
  });

  it('maps usage, times and cwd when lines carry them', () => {
    const lines = [
      '{"role":"user","timestamp":"2026-03-02T10:00:00.000Z","cwd":"/srv/app","message":{"content":"Hi"}}',
      '{"role":"assistant","timestamp":"2026-03-02T10:00:05.000Z","message":{"id":"m1","model":"claude-4.5-sonnet","usage":{"input_tokens":10,"output_tokens":20,"cache_read_input_tokens":300,"cache_creation_input_tokens":40},"content":[{"type":"text","text":"Hello"}]}}',
      '{"role":"assistant","timestamp":1e300,"message":{"id":"m1","model":"claude-4.5-sonnet","usage":{"input_tokens":10,"output_tokens":25,"cache_read_input_tokens":300,"cache_creation_input_tokens":40},"content":[]}}',
      '[1,2,3]',
      '',
    ];
    const [s] = read(lines).sessions;
    expect(s).toMatchObject({
      project: '/srv/app',
      startedAt: '2026-03-02T10:00:00.000Z',
      endedAt: '2026-03-02T10:00:05.000Z',
      turns: 1,
      peakContextTokens: 350,
      models: ['claude-4.5-sonnet'],
      tokens: { inputTokens: 10, outputTokens: 25, cacheReadTokens: 300, cacheCreationTokens: 40 },
    });
    expect(read(lines).warnings.malformedLines).toBe(1);
  });
});

describe('sniffCursor', () => {
  it('accepts role lines and rejects other agents and garbage', () => {
    expect(sniffCursor(LINES[0] ?? '')).toBe(true);
    expect(sniffCursor('{"type":"user","sessionId":"x","message":{"role":"user"}}')).toBe(false);
    expect(sniffCursor('{"role":"user","sessionId":"x"}')).toBe(false);
    expect(sniffCursor('{"timestamp":"t","type":"session_meta","payload":{}}')).toBe(false);
    expect(sniffCursor('{"type":"turn_ended","status":"success"}')).toBe(false);
    expect(sniffCursor('{"role":7}')).toBe(false);
    expect(sniffCursor('{"role":"user"')).toBe(false);
  });
});

describe('cursor slugs', () => {
  it('finds the slug of a transcript path and shows it as is', () => {
    expect(cursorSlugOf(FILE)).toBe('home-dev-acme-app');
    expect(cursorSlugOf(join('/tmp', `${ID}.jsonl`))).toBeNull();
    expect(cursorSlugToHint('home-dev-acme-app')).toBe('home-dev-acme-app');
    expect(cursorSlugToHint('-Users-me-app-')).toBe('Users-me-app');
    expect(cursorSlugToHint('--')).toBeNull();
  });
});
