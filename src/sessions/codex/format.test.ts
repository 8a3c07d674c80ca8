import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ParsedSource } from '../parser.js';
import { codexFormat, sniffCodex } from './format.js';

const FILE = fileURLToPath(
  new URL(
    '../../../samples/codex/sessions/2026/01/15/rollout-2026-01-15T10-00-00-0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.jsonl',
    import.meta.url,
  ),
);
const LINES = readFileSync(FILE, 'utf8').split('\n');

/** Feeds lines [from, to) to a parser, as the real line reader would (1-based line numbers). */
function feed(lines: string[], opts: { detail?: boolean; file?: string; state?: unknown; from?: number } = {}) {
  const parser = codexFormat.create({ file: opts.file ?? FILE, detail: opts.detail ?? false }, opts.state);
  const from = opts.from ?? 0;
  lines.forEach((line, i) => parser.line(line, from + i + 1));
  return parser;
}

function only(result: ParsedSource) {
  expect(result.sessions).toHaveLength(1);
  return result.sessions[0]!;
}

const tokenCount = (total: number[] | null, last: number[] | null, ts = '2026-01-15T10:00:00Z'): string => {
  const usage = (u: number[]) => ({
    input_tokens: u[0],
    cached_input_tokens: u[1],
    output_tokens: u[2],
    reasoning_output_tokens: u[3],
    total_tokens: u[4],
  });
  const info = { total_token_usage: total && usage(total), last_token_usage: last && usage(last) };
  return JSON.stringify({ timestamp: ts, type: 'event_msg', payload: { type: 'token_count', info } });
};

describe('codexFormat on the fixture', () => {
  const result = feed(LINES).finish();
  const s = only(result);

  it('reads the session metadata', () => {
    expect(s.agent).toBe('codex');
    expect(s.id).toBe('0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b');
    expect(s.project).toBe('/home/dev/projects/webapp');
    expect(s.gitBranch).toBe('feature/login');
    expect(s.title).toBe('Add a login form to the settings page');
    expect(s.startedAt).toBe('2026-01-15T10:00:00.000Z');
    expect(s.endedAt).toBe('2026-01-15T10:03:30.100Z');
  });

  it('turns cumulative totals into one reply per model call', () => {
    // replies (input-cached / cached / output / reasoning):
    // 4000/8000/300/200 (last), 3000/11000/600/300 (delta of totals; the re-sent total skipped),
    // 4000/11000/400/200 (last), 7000/2000/250/100 (total went down: reset), 3000/10000/400/200
    expect(s.turns).toBe(5);
    expect(s.tokens).toEqual({
      inputTokens: 21000,
      cacheReadTokens: 42000,
      outputTokens: 1950,
      cacheCreationTokens: 0,
    });
    expect(s.models).toEqual(['gpt-5.1-codex', 'gpt-5.1-codex-mini']);
    expect(s.peakContextTokens).toBe(15000);
    expect(s.peakContextModel).toBe('gpt-5.1-codex-mini');
    expect(s.contextSamples).toEqual([12000, 14000, 15000, 9000, 13000]);
    expect(s.usage).toEqual([
      expect.objectContaining({
        model: 'gpt-5.1-codex',
        inputTokens: 7000,
        cacheReadTokens: 19000,
        outputTokens: 900,
        reasoningTokens: 500,
        replies: 2,
      }),
      expect.objectContaining({
        model: 'gpt-5.1-codex-mini',
        inputTokens: 14000,
        cacheReadTokens: 23000,
        outputTokens: 1050,
        reasoningTokens: 500,
        replies: 3,
      }),
    ]);
    expect(s.usage[0]!.hour).toBe(Date.parse('2026-01-15T10:00:00Z'));
    const id = '0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
    expect(s.replyKeys).toEqual([`${id}:12300`, `${id}:26900`, `${id}:42300`, `${id}:9250#1`, `${id}:22650#1`]);
  });

  it('counts prompts once, tool calls, errors and compactions', () => {
    expect(s.userPrompts).toBe(2);
    expect(s.toolCalls).toBe(4);
    // npm test exited 1, plus one event_msg error
    expect(s.errors).toBe(2);
    expect(s.compactions).toBe(1);
  });

  it('counts garbage instead of throwing', () => {
    expect(result.warnings).toEqual({
      malformedLines: 2,
      unknownRecords: 2,
      oversizedLines: 0,
      binaryLines: 0,
      unreadable: 0,
    });
  });
});

describe('codexFormat detail', () => {
  const detail = feed(LINES, { detail: true }).finish().details[0]!;

  it('builds the timeline without duplicated prompts or replies', () => {
    const kinds = detail.timeline.map((e) => e.kind);
    expect(kinds).toEqual([
      'prompt',
      'tool',
      'tool',
      'assistant',
      'prompt',
      'tool',
      'error',
      'compaction',
      'tool',
      'assistant',
    ]);
    const prompts = detail.timeline.flatMap((e) => (e.kind === 'prompt' ? [e.text] : []));
    expect(prompts).toEqual(['Add a login form to the settings page', 'Run the tests']);
  });

  it('matches outputs to calls by call_id and flags failures', () => {
    const calls = detail.timeline.flatMap((e) => (e.kind === 'tool' ? [e.call] : []));
    expect(calls.map((c) => [c.name, c.isError])).toEqual([
      ['shell', false],
      ['apply_patch', false],
      ['exec_command', true],
      ['shell', false],
    ]);
    expect(calls[0]!.input).toEqual({
      command: ['bash', '-lc', 'ls src/settings'],
      workdir: '/home/dev/projects/webapp',
      timeout_ms: 10000,
    });
    expect(calls[0]!.result).toBe('page.tsx\nstyles.css\n');
    expect(calls[2]!.result).toContain('FAIL src/settings/login-form.test.tsx');
  });

  it('collects commands and patched files', () => {
    expect(detail.commands).toEqual(['ls src/settings', 'npm test', 'git status --short']);
    expect(detail.filesWritten).toEqual(['src/settings/login-form.tsx', 'src/settings/page.tsx']);
  });

  it('agrees with the summary-only parse', () => {
    expect(detail.summary).toEqual(only(feed(LINES).finish()));
  });
});

describe('codexFormat resume', () => {
  const whole = feed(LINES).finish();

  it('gives the same result from any split point', () => {
    for (let k = 0; k <= LINES.length; k++) {
      const first = feed(LINES.slice(0, k));
      const state = JSON.parse(JSON.stringify(first.snapshot())) as unknown;
      const rest = feed(LINES.slice(k), { state, from: k }).finish();
      expect(rest, `split at line ${k}`).toEqual(whole);
    }
  });

  it('keeps a snapshot independent of later lines', () => {
    const parser = feed(LINES.slice(0, 14));
    const before = JSON.stringify(parser.snapshot());
    const snap = parser.snapshot();
    LINES.slice(14).forEach((line, i) => parser.line(line, 15 + i));
    expect(JSON.stringify(snap)).toBe(before);
  });

  it('ignores state it did not write', () => {
    const result = feed(LINES, { state: { builder: { agent: 'gemini' }, extra: {} } }).finish();
    expect(result).toEqual(whole);
  });
});

describe('codexFormat edge cases', () => {
  const meta = (extra: object = {}) =>
    JSON.stringify({
      timestamp: '2026-01-15T09:00:00Z',
      type: 'session_meta',
      payload: { id: 'sess', cwd: '/w', ...extra },
    });

  it('prices a token_count before any turn_context with the session model, else unknown', () => {
    const withModel = only(feed([meta({ model: 'gpt-5' }), tokenCount([100, 0, 10, 0, 110], null)]).finish());
    expect(withModel.models).toEqual(['gpt-5']);
    const without = only(feed([meta(), tokenCount([100, 0, 10, 0, 110], null)]).finish());
    expect(without.models).toEqual(['unknown']);
  });

  it('clamps cached input to the input and counts reasoning inside output', () => {
    const s = only(feed([meta(), tokenCount(null, [100, 150, 40, 30, 140])]).finish());
    expect(s.tokens).toEqual({ inputTokens: 0, cacheReadTokens: 100, outputTokens: 40, cacheCreationTokens: 0 });
    expect(s.usage[0]!.reasoningTokens).toBe(30);
    expect(s.peakContextTokens).toBe(100);
  });

  it('splits explicit cache writes out of the input', () => {
    const line = tokenCount(null, [1000, 400, 50, 0, 1050]).replace(
      '"cached_input_tokens":400',
      '"cached_input_tokens":400,"cache_write_input_tokens":300',
    );
    const s = only(feed([meta(), line]).finish());
    expect(s.tokens).toEqual({ inputTokens: 300, cacheReadTokens: 400, cacheCreationTokens: 300, outputTokens: 50 });
  });

  it('falls back to the file name for the session id', () => {
    const s = only(
      feed([tokenCount([10, 0, 1, 0, 11], null)], {
        file: '/x/rollout-2026-01-15T10-00-00-0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.jsonl',
      }).finish(),
    );
    expect(s.id).toBe('0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b');
    const other = only(feed([tokenCount([10, 0, 1, 0, 11], null)], { file: '/x/odd-name.jsonl' }).finish());
    expect(other.id).toBe('odd-name');
  });

  it('survives hostile input', () => {
    const junk = [
      '',
      '   ',
      'null',
      '42',
      '[]',
      '"text"',
      '{}',
      '{"type":"event_msg"}',
      '{"type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":"x"}}}',
      '{"type":"response_item","payload":{"type":"function_call","arguments":"{not json","call_id":7}}',
      '\u0000\u0001',
    ];
    const result = feed(junk, { detail: true }).finish();
    expect(result.warnings.malformedLines).toBe(5);
    expect(result.warnings.unknownRecords).toBe(2);
    expect(only(result).turns).toBe(0);
  });

  it('yields no session for a file with no Codex records', () => {
    expect(feed(['garbage']).finish().sessions).toEqual([]);
  });
});

describe('sniffCodex', () => {
  it('recognises the rollout envelope only', () => {
    expect(sniffCodex(LINES[0]!)).toBe(true);
    expect(sniffCodex('{"timestamp":"t","type":"turn_context","payload":{}}')).toBe(true);
    expect(sniffCodex('{"timestamp":"t","type":"user","payload":{}}')).toBe(false);
    expect(sniffCodex('{"type":"session_meta","payload":{}}')).toBe(false);
    expect(sniffCodex('{"sessionId":"s","projectHash":"h"}')).toBe(false);
    expect(sniffCodex('not json')).toBe(false);
  });
});
