import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ParsedSource } from '../parser.js';
import { geminiJsonlFormat, geminiLegacyFormat, sniffGemini } from './format.js';

const fixture = (path: string): string =>
  fileURLToPath(new URL(`../../../samples/gemini/tmp/${path}`, import.meta.url));
const FILE = fixture('webapp/chats/session-2026-01-15T10-00-3f9c2a1b.jsonl');
const LEGACY = fixture(
  '5e0c1b7a9d3f42e68a1c0b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f/chats/session-2025-11-02T14-30-7c1e9d2f.json',
);
const LINES = readFileSync(FILE, 'utf8').split('\n');

/** Feeds lines to a parser, as the real line reader would (1-based line numbers). */
function feed(lines: string[], opts: { detail?: boolean; file?: string; state?: unknown; from?: number } = {}) {
  const parser = geminiJsonlFormat.create({ file: opts.file ?? FILE, detail: opts.detail ?? false }, opts.state);
  const from = opts.from ?? 0;
  lines.forEach((line, i) => parser.line(line, from + i + 1));
  return parser;
}

function only(result: ParsedSource) {
  expect(result.sessions).toHaveLength(1);
  return result.sessions[0]!;
}

const msg = (id: string, type: string, extra: object = {}) =>
  JSON.stringify({ id, timestamp: '2026-01-15T10:00:00Z', type, content: [{ text: `${type} ${id}` }], ...extra });
const META = JSON.stringify({ sessionId: 's-1', projectHash: 'h', startTime: '2026-01-15T09:59:00Z', kind: 'main' });

describe('geminiJsonlFormat on the fixture', () => {
  const result = feed(LINES).finish();
  const s = only(result);

  it('reads the metadata', () => {
    expect(s.agent).toBe('gemini');
    expect(s.id).toBe('3f9c2a1b-6d4e-4f1a-9b2c-7e8d9f0a1b2c');
    expect(s.project).toBe('/home/dev/projects/webapp');
    expect(s.gitBranch).toBeNull();
    // the $set summary replaces the first prompt as title
    expect(s.title).toBe('Fix settings page crash and read API URL from env');
    expect(s.startedAt).toBe('2026-01-15T10:00:00.000Z');
    expect(s.endedAt).toBe('2026-01-15T10:02:30.000Z');
  });

  it('bills every reply once, rewound ones included', () => {
    // (input-cached+tool / cached / output+thoughts / thoughts / context):
    // b1e2 8000/0/420/300/8000 (re-appended: first copy had no tokens), c2f3 3500/6000/650/200/9500,
    // a6d7 2000/9000/400/100/11000 (rewound, still billed), d9a0 2650/10000/600/0/12650
    expect(s.turns).toBe(4);
    expect(s.replyKeys).toEqual([
      'b1e2d3c4-2222-4b6c-9d7e-1f2a3b4c5d6e',
      'c2f3e4d5-3333-4c7d-8e8f-2a3b4c5d6e7f',
      'a6d7e8f9-7777-4a1b-8c3d-6e7f8091a2b3',
      'd9a0b1c2-aaaa-4d4e-9f6a-91a2b3c4d5e6',
    ]);
    expect(s.tokens).toEqual({
      inputTokens: 16150,
      cacheReadTokens: 25000,
      outputTokens: 2070,
      cacheCreationTokens: 0,
    });
    expect(s.usage.reduce((n, b) => n + b.reasoningTokens, 0)).toBe(600);
    expect(s.models).toEqual(['gemini-2.5-flash', 'gemini-2.5-pro']);
    expect(s.peakContextTokens).toBe(12650);
    expect(s.peakContextModel).toBe('gemini-2.5-flash');
    expect(s.contextSamples).toEqual([8000, 9500, 11000, 12650]);
  });

  it('counts only the live conversation for prompts, tools and errors', () => {
    // live after $rewindTo: a0f1 (prompt), b1e2 (1 tool), c2f3 (2 tools, 1 failed), d3a4 (error),
    // e4b5 (info), b7e8 (prompt), d9a0 (2 tools); f5c6 and a6d7 were rewound
    expect(s.userPrompts).toBe(2);
    expect(s.toolCalls).toBe(5);
    expect(s.errors).toBe(2);
    expect(s.compactions).toBe(0);
  });

  it('counts garbage instead of throwing', () => {
    expect(result.warnings).toEqual({
      malformedLines: 2,
      unknownRecords: 1,
      oversizedLines: 0,
      binaryLines: 0,
      unreadable: 0,
    });
  });
});

describe('geminiJsonlFormat detail', () => {
  const detail = feed(LINES, { detail: true }).finish().details[0]!;

  it('builds the timeline of the live messages', () => {
    expect(detail.timeline.map((e) => e.kind)).toEqual([
      'prompt',
      'tool',
      'assistant',
      'tool',
      'tool',
      'error',
      'prompt',
      'assistant',
      'tool',
      'tool',
    ]);
    const prompts = detail.timeline.flatMap((e) => (e.kind === 'prompt' ? [e.text] : []));
    expect(prompts).toEqual([
      'Why does the settings page crash on load?',
      'Read the API base URL from an environment variable instead',
    ]);
  });

  it('keeps the last copy of a re-appended message and the tool results', () => {
    const calls = detail.timeline.flatMap((e) => (e.kind === 'tool' ? [e.call] : []));
    expect(calls.map((c) => [c.name, c.isError])).toEqual([
      ['read_file', false],
      ['replace', false],
      ['run_shell_command', true],
      ['read_file', false],
      ['run_shell_command', false],
    ]);
    expect(calls[0]!.result).toContain('useUser()');
    expect(calls[2]!.result).toBe('Command exited with code 1: 2 tests failed');
  });

  it('collects files and commands, not those of rewound messages', () => {
    expect(detail.filesRead).toEqual([
      '/home/dev/projects/webapp/src/settings/page.tsx',
      '/home/dev/projects/webapp/src/config/env.ts',
    ]);
    expect(detail.filesWritten).toEqual(['/home/dev/projects/webapp/src/settings/page.tsx']);
    expect(detail.commands).toEqual(['npm test', 'npm run build']);
  });

  it('agrees with the summary-only parse', () => {
    expect(detail.summary).toEqual(only(feed(LINES).finish()));
  });
});

describe('geminiJsonlFormat resume', () => {
  const whole = feed(LINES).finish();

  it('gives the same result from any split point', () => {
    for (let k = 0; k <= LINES.length; k++) {
      const state = JSON.parse(JSON.stringify(feed(LINES.slice(0, k)).snapshot())) as unknown;
      const rest = feed(LINES.slice(k), { state, from: k }).finish();
      expect(rest, `split at line ${k}`).toEqual(whole);
    }
  });

  it('undoes counts of messages appended before the snapshot and rewound after it', () => {
    const lines = [
      META,
      msg('u1', 'user'),
      msg('g1', 'gemini', { toolCalls: [{ id: 't', name: 'x', status: 'error' }] }),
      msg('u2', 'user'),
    ];
    const state = JSON.parse(JSON.stringify(feed(lines).snapshot())) as unknown;
    const s = only(feed([JSON.stringify({ $rewindTo: 'g1' })], { state }).finish());
    expect([s.userPrompts, s.toolCalls, s.errors]).toEqual([1, 0, 0]);
  });

  it('still counts messages from before the snapshot in detail mode', () => {
    const state = JSON.parse(JSON.stringify(feed([META, msg('u1', 'user')]).snapshot())) as unknown;
    const detail = feed([msg('u2', 'user')], { state, detail: true }).finish().details[0]!;
    expect(detail.summary.userPrompts).toBe(2);
    expect(detail.timeline).toHaveLength(1);
  });
});

describe('geminiJsonlFormat edge cases', () => {
  it('drops the whole conversation when the rewind target is unknown', () => {
    const s = only(feed([META, msg('u1', 'user'), msg('e1', 'error'), JSON.stringify({ $rewindTo: 'nope' })]).finish());
    expect([s.userPrompts, s.errors]).toEqual([0, 0]);
  });

  it('keeps a re-appended message in its first place, so a rewind to it cuts what followed', () => {
    const lines = [
      META,
      msg('u1', 'user'),
      msg('u2', 'user'),
      msg('u1', 'user'),
      msg('u3', 'user'),
      JSON.stringify({ $rewindTo: 'u2' }),
    ];
    expect(only(feed(lines).finish()).userPrompts).toBe(1);
  });

  it('counts a message appended again after a rewind removed it', () => {
    const lines = [META, msg('u1', 'user'), msg('u2', 'user'), JSON.stringify({ $rewindTo: 'u2' }), msg('u2', 'user')];
    expect(only(feed(lines).finish()).userPrompts).toBe(2);
  });

  it('adds tool-use prompt tokens to input and takes the cache from input', () => {
    const tokens = { input: 1000, output: 50, cached: 600, thoughts: 25, tool: 40, total: 1115 };
    const s = only(feed([META, msg('g1', 'gemini', { tokens, model: 'm' })]).finish());
    expect(s.tokens).toEqual({ inputTokens: 440, cacheReadTokens: 600, outputTokens: 75, cacheCreationTokens: 0 });
    expect(s.peakContextTokens).toBe(1040);
  });

  it('keeps the cache beside the input when the total shows input excluded it', () => {
    const tokens = { input: 400, output: 50, cached: 600, thoughts: 0, tool: 0, total: 1050 };
    const s = only(feed([META, msg('g1', 'gemini', { tokens, model: 'm' })]).finish());
    expect(s.tokens).toEqual({ inputTokens: 400, cacheReadTokens: 600, outputTokens: 50, cacheCreationTokens: 0 });
  });

  it('prices a message without a model with the last model seen', () => {
    const t = { input: 10, output: 1, cached: 0, total: 11 };
    const s = only(
      feed([
        META,
        msg('g1', 'gemini', { tokens: t, model: 'gemini-2.5-pro' }),
        msg('g2', 'gemini', { tokens: t }),
      ]).finish(),
    );
    expect(s.models).toEqual(['gemini-2.5-pro']);
    expect(only(feed([META, msg('g3', 'gemini', { tokens: t })]).finish()).models).toEqual(['unknown']);
  });

  it('links a subagent chat to its parent session by folder', () => {
    const meta = JSON.stringify({ sessionId: 'child', projectHash: 'h', kind: 'subagent', directories: ['/w'] });
    const s = only(feed([meta], { file: '/g/tmp/p/chats/parent-123/child.jsonl' }).finish());
    expect(s.parentId).toBe('parent-123');
  });

  it('survives hostile input', () => {
    const junk = [
      '',
      'nul',
      '[1]',
      '7',
      '{}',
      '{"$set":5}',
      '{"id":3}',
      '{"$rewindTo":null}',
      msg('m1', 'mystery'),
      msg('g1', 'gemini', { toolCalls: 'x', tokens: 'y' }),
    ];
    const result = feed(junk, { detail: true }).finish();
    expect(result.warnings.malformedLines).toBe(3);
    expect(result.warnings.unknownRecords).toBe(5);
    expect(only(result).turns).toBe(0);
  });

  it('treats message ids that name Object members as plain ids', () => {
    const s = only(
      feed([META, msg('constructor', 'user'), msg('__proto__', 'user'), msg('toString', 'error')]).finish(),
    );
    expect([s.userPrompts, s.errors]).toEqual([2, 1]);
  });

  it('yields no session for a file with no Gemini records', () => {
    expect(feed(['{"a":1}']).finish().sessions).toEqual([]);
  });
});

describe('geminiLegacyFormat', () => {
  it('reads a whole ConversationRecord', async () => {
    const result = await geminiLegacyFormat.read({ file: LEGACY, detail: true });
    const s = only(result);
    expect(s.id).toBe('7c1e9d2f-0a4b-4c8d-9e2f-3a5b7c9d1e3f');
    expect(s.project).toBeNull();
    expect(s.title).toBe('Dark mode toggle in the header');
    // 5000/0/350, 3104/4096/650, 900/7000/40
    expect(s.tokens).toEqual({ inputTokens: 9004, cacheReadTokens: 11096, outputTokens: 1040, cacheCreationTokens: 0 });
    expect(s.turns).toBe(3);
    expect(s.peakContextTokens).toBe(7900);
    expect([s.userPrompts, s.toolCalls, s.errors]).toEqual([2, 2, 0]);
    expect(s.startedAt).toBe('2025-11-02T14:30:00.000Z');
    expect(s.endedAt).toBe('2025-11-02T14:36:41.000Z');
    const detail = result.details[0]!;
    expect(detail.filesRead).toEqual(['/home/dev/projects/site/src/header.tsx']);
    expect(detail.filesWritten).toEqual(['/home/dev/projects/site/src/header.tsx']);
    expect(result.warnings.malformedLines).toBe(0);
  });

  describe('on bad files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ao-gemini-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('counts a missing file as unreadable', async () => {
      const result = await geminiLegacyFormat.read({ file: join(dir, 'missing.json'), detail: false });
      expect(result.sessions).toEqual([]);
      expect(result.warnings.unreadable).toBe(1);
    });

    it('counts a broken file as malformed', async () => {
      const file = join(dir, 'session-broken.json');
      writeFileSync(file, '{"sessionId": "x", "messages": [');
      const result = await geminiLegacyFormat.read({ file, detail: false });
      expect(result.sessions).toEqual([]);
      expect(result.warnings.malformedLines).toBe(1);
    });
  });
});

describe('sniffGemini', () => {
  it('tells JSONL chats from legacy records', () => {
    expect(sniffGemini(LINES.slice(0, 3).join('\n'))).toBe('jsonl');
    const legacy = readFileSync(LEGACY, 'utf8');
    expect(sniffGemini(legacy)).toBe('json');
    expect(sniffGemini(legacy.slice(0, 300))).toBe('json');
    expect(sniffGemini(JSON.stringify({ sessionId: 's', projectHash: 'h', messages: [] }))).toBe('json');
  });

  it('rejects other transcripts', () => {
    expect(sniffGemini('{"timestamp":"t","type":"session_meta","payload":{}}')).toBeNull();
    expect(sniffGemini('{"type":"user","sessionId":"s","uuid":"u"}')).toBeNull();
    expect(sniffGemini('hello')).toBeNull();
    expect(sniffGemini('')).toBeNull();
  });
});
