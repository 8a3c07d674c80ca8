import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_FIXTURES, SPOTTER, tempDirs } from '../test-support/fixture-files.js';
import { claudeFormat } from './claude/format.js';
import { readLines } from './line-reader.js';
import { loadSessions } from './load.js';
import type { ParsedSource } from './parser.js';
import type { ParseWarnings, SessionSummary } from './types.js';

/**
 * Deterministic fuzzing of the transcript readers with real lines. Every run mutates the same
 * way (fixed seeds), so a failure names the seed and iteration that reproduce it.
 */

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = { int(n: number): number; pick<T>(xs: readonly T[]): T };
const rngOf = (seed: number): Rng => {
  const next = mulberry32(seed);
  return { int: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)]! };
};

const temp = tempDirs();
afterAll(() => temp.cleanup());

const linesOf = (file: string): Buffer[] =>
  readFileSync(file)
    .toString('latin1')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => Buffer.from(l, 'latin1'));

const CORPORA = {
  claude: [
    'short.jsonl',
    'tool_heavy.jsonl',
    'ae4a77f8-aedd-4bc1-888f-c94edc91af04/subagents/agent-aac57f5.jsonl',
    '258c7280-ae70-4798-800f-63464d01a85d/subagents/agent-a881341.jsonl',
  ].map((f) => linesOf(join(SPOTTER, f))),
  codex: [
    linesOf(
      join(
        REPO_FIXTURES,
        'codex/sessions/2026/01/15/rollout-2026-01-15T10-00-00-0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.jsonl',
      ),
    ),
  ],
  gemini: [linesOf(join(REPO_FIXTURES, 'gemini/tmp/webapp/chats/session-2026-01-15T10-00-3f9c2a1b.jsonl'))],
  cursor: [
    linesOf(
      join(
        REPO_FIXTURES,
        'cursor/projects/home-dev-acme-app/agent-transcripts/3f6c1e2a-8b4d-4f7a-9c21-5d0e8a7b6c43/3f6c1e2a-8b4d-4f7a-9c21-5d0e8a7b6c43.jsonl',
      ),
    ),
  ],
};
type FormatName = keyof typeof CORPORA;
/** Bytes every line that can yield a billed reply contains, per format. */
const REPLY_MARKER: Record<FormatName, string> = {
  claude: 'assistant',
  codex: 'token_count',
  gemini: 'gemini',
  cursor: 'assistant',
};

const ODD_BYTES = [0x00, 0xff, 0xfe, 0xc3, 0x80, 0xed, 0x22, 0x7b, 0x7d, 0x5c, 0x0a, 0x0d, 0x20];
const NUMBERS = ['"12"', '-5', '-0', '1.5', '1e12', 'NaN', '1e999', 'null', '"Infinity"', '[]', '{}'];

const randomBytes = (r: Rng, n: number): Buffer =>
  Buffer.from(Array.from({ length: n }, () => (r.int(2) ? r.pick(ODD_BYTES) : r.int(256))));
const unknownRecord = (r: Rng): Buffer =>
  Buffer.from(JSON.stringify({ type: `zz-unknown-${r.int(9)}`, timestamp: '2026-02-10T21:00:00Z', n: r.int(1e6) }));
/** A line that cannot be a record: junk, a strict prefix of a real line, an array, a number, blanks. */
function garbageLine(r: Rng, lines: Buffer[]): Buffer {
  const line = r.pick(lines);
  switch (r.int(6)) {
    case 0:
      return Buffer.from(randomBytes(r, 1 + r.int(200)).filter((b) => b !== 0x0a));
    case 1:
      return line.subarray(0, r.int(line.length));
    case 2:
      return Buffer.concat([Buffer.from('['), line, Buffer.from(']')]);
    case 3:
      return Buffer.from(r.pick(['42', '"text"', 'null', 'true', '   ', '\r', '}{', '{"type":']));
    case 4:
      return unknownRecord(r);
    default:
      return Buffer.from(`${line.toString('latin1').replace(/[{}]/, '')}`, 'latin1');
  }
}

/** One random damage to the lines, in place. */
function mutate(r: Rng, lines: Buffer[]): void {
  const i = r.int(lines.length);
  const line = lines[i]!;
  const at = r.int(line.length + 1);
  switch (r.int(10)) {
    case 0: // truncate at a random byte
      lines[i] = line.subarray(0, at);
      break;
    case 1: {
      const copy = Buffer.from(line);
      for (let k = 1 + r.int(4); k > 0 && copy.length > 0; k--) copy[r.int(copy.length)] = r.pick(ODD_BYTES);
      lines[i] = copy;
      break;
    }
    case 2:
      lines[i] = Buffer.concat([line.subarray(0, at), randomBytes(r, 1 + r.int(8)), line.subarray(at)]);
      break;
    case 3:
      lines.splice(i, 0, line);
      break;
    case 4: {
      const j = r.int(lines.length);
      [lines[i], lines[j]] = [lines[j]!, line];
      break;
    }
    case 5: {
      const text = line.toString('latin1');
      const braces = [...text.matchAll(/[{}]/g)].map((m) => m.index);
      const b = braces.length ? r.pick(braces) : 0;
      lines[i] = Buffer.from(text.slice(0, b) + text.slice(b + 1), 'latin1');
      break;
    }
    case 6: {
      const text = line.toString('latin1');
      const nums = [...text.matchAll(/":(\d+)/g)];
      if (nums.length === 0) break;
      const m = r.pick(nums);
      const from = m.index + 2;
      lines[i] = Buffer.from(text.slice(0, from) + r.pick(NUMBERS) + text.slice(from + m[1]!.length), 'latin1');
      break;
    }
    case 7:
      lines.splice(i, 0, unknownRecord(r));
      break;
    case 8:
      lines[i] = Buffer.concat([Buffer.from('['), line, Buffer.from(']')]);
      break;
    default:
      lines.splice(i, 0, Buffer.from(r.pick(['', ' ', '\r', '\t'])));
  }
}

interface Outcome {
  sessions: SessionSummary[];
  warnings: ParseWarnings;
}

function parseClaude(file: string, mode: 'fast' | 'line'): ParsedSource {
  const parser = claudeFormat.create({ file, detail: mode === 'line' });
  readLines(file, (buf, s, e, n) =>
    mode === 'fast' ? parser.bytes?.(buf, s, e, n) : parser.line(buf.toString('utf8', s, e), n),
  );
  return parser.finish();
}

/** Breaks of the invariants that hold for any input whatsoever, as readable strings. */
function invariantBreaks(out: Outcome, content: Buffer, marker: string): string[] {
  const breaks: string[] = [];
  const lineCount = content.toString('latin1').split('\n').length;
  const replyLines = content
    .toString('latin1')
    .split('\n')
    .filter((l) => l.includes(marker)).length;
  for (const s of out.sessions) {
    for (const [k, v] of Object.entries(s.tokens)) if (!Number.isSafeInteger(v) || v < 0) breaks.push(`${k}=${v}`);
    if (s.turns > replyLines) breaks.push(`turns ${s.turns} > ${replyLines} lines with "${marker}"`);
    if (s.startedAt && s.endedAt && s.startedAt > s.endedAt)
      breaks.push(`startedAt ${s.startedAt} > endedAt ${s.endedAt}`);
  }
  const w = out.warnings;
  if (w.malformedLines + w.binaryLines + w.unknownRecords > lineCount)
    breaks.push(`warnings ${JSON.stringify(w)} > ${lineCount} lines`);
  return breaks;
}

const totalsOf = (sessions: SessionSummary[]) =>
  sessions.reduce(
    (t, s) => ({
      inputTokens: t.inputTokens + s.tokens.inputTokens,
      outputTokens: t.outputTokens + s.tokens.outputTokens,
      cacheCreationTokens: t.cacheCreationTokens + s.tokens.cacheCreationTokens,
      cacheReadTokens: t.cacheReadTokens + s.tokens.cacheReadTokens,
      turns: t.turns + s.turns,
    }),
    { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, turns: 0 },
  );

/** A window of real lines: up to 25 consecutive lines of Claude, the whole file for the others. */
function windowOf(r: Rng, format: FormatName): Buffer[] {
  const file = r.pick(CORPORA[format]);
  if (format !== 'claude') return [...file];
  const from = r.int(Math.max(1, file.length - 5));
  return file.slice(from, from + 5 + r.int(20));
}

const join_ = (lines: Buffer[], trailingNewline: boolean): Buffer =>
  Buffer.concat(lines.flatMap((l, i) => (i < lines.length - 1 || trailingNewline ? [l, Buffer.from('\n')] : [l])));

async function loadOne(dir: string): Promise<Outcome> {
  const { sessions, warnings } = await loadSessions({ source: dir, cache: null });
  return { sessions, warnings };
}

describe.each(Object.keys(CORPORA) as FormatName[])('fuzzing %s transcripts', (format) => {
  const iterations = format === 'claude' ? 1200 : 300;
  const dir = temp.make();
  // A new file each time, the old one unlinked: overwriting one file thousands of times is
  // slow on ext4 (truncating a file that was just read flushes it).
  let file = '';
  let written = 0;
  const rewrite = (content: Buffer): void => {
    if (file) unlinkSync(file);
    file = join(dir, `fuzzed-${written++}.jsonl`);
    writeFileSync(file, content);
  };

  it(`keeps the invariants over ${iterations} mutated corpora`, async () => {
    const breaks: string[] = [];
    let loads = 0;
    let found = 0;
    for (let n = 0; n < iterations; n++) {
      const seed = 1000 + n;
      const r = rngOf(seed);
      const lines = windowOf(r, format);
      for (let k = 1 + r.int(4); k > 0; k--) mutate(r, lines);
      const content = join_(lines, r.int(4) > 0);
      rewrite(content);
      const note = (mode: string) => (b: string) => breaks.push(`seed ${seed} ${mode}: ${b}`);
      if (format === 'claude') {
        for (const mode of ['fast', 'line'] as const)
          invariantBreaks(parseClaude(file, mode), content, 'assistant').forEach(note(mode));
      }
      // loadSessions is the slower route (discovery, sniffing): every third corpus for Claude.
      if (format !== 'claude' || n % 3 === 0) {
        const loaded = await loadOne(dir);
        loads++;
        if (loaded.sessions.length > 0) found++;
        invariantBreaks(loaded, content, REPLY_MARKER[format]).forEach(note('load'));
      }
    }
    expect(breaks.slice(0, 5)).toEqual([]);
    // Not vacuous: most damaged files are still recognised and read.
    expect(found).toBeGreaterThan(loads / 2);
  });

  it('never gets the good lines wrong when only garbage lines are added', async () => {
    const breaks: string[] = [];
    let billed = 0;
    for (let n = 0; n < (format === 'claude' ? 400 : 100); n++) {
      const seed = 50_000 + n;
      const r = rngOf(seed);
      const lines = windowOf(r, format);
      rewrite(join_(lines, true));
      const want = { load: totalsOf((await loadOne(dir)).sessions), fast: totalsOf([]), line: totalsOf([]) };
      if (format === 'claude') {
        want.fast = totalsOf(parseClaude(file, 'fast').sessions);
        want.line = totalsOf(parseClaude(file, 'line').sessions);
      }
      if (want.load.turns > 0) billed++;
      // Garbage goes between intact lines or after them, never first: the first line names the format.
      const damaged = [...lines];
      for (let k = 1 + r.int(6); k > 0; k--) damaged.splice(1 + r.int(damaged.length), 0, garbageLine(r, lines));
      rewrite(join_(damaged, r.int(2) > 0));
      const got = { load: totalsOf((await loadOne(dir)).sessions), fast: want.fast, line: want.line };
      if (format === 'claude') {
        got.fast = totalsOf(parseClaude(file, 'fast').sessions);
        got.line = totalsOf(parseClaude(file, 'line').sessions);
      }
      if (JSON.stringify(got) !== JSON.stringify(want))
        breaks.push(`seed ${seed}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
    }
    expect(breaks.slice(0, 3)).toEqual([]);
    // Cursor transcripts carry no usage; the others must have had replies to get wrong.
    if (format !== 'cursor') expect(billed).toBeGreaterThan(0);
  });
});

describe('token counts from hostile numbers', () => {
  // Bug (builder.ts count()): any finite number passes, so 1e308 (or 2^53 + 2) is taken as a
  // token count; two of them sum to Infinity, which --json prints as null and which makes
  // costUSD null with no unpriced model. Expected: such counts treated as garbage (or clamped).
  it('keeps token totals safe integers when a line claims 1e308 tokens', () => {
    const line = (id: string) =>
      `{"type":"assistant","sessionId":"s","timestamp":"2026-01-01T00:00:00Z","requestId":"r${id}","message":{"id":"${id}","model":"claude-sonnet-4-5","usage":{"input_tokens":1e308,"output_tokens":9007199254740994,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}`;
    const file = join(temp.make(), 'huge.jsonl');
    writeFileSync(file, `${line('a')}\n${line('b')}\n`);
    const { tokens } = parseClaude(file, 'fast').sessions[0]!;
    expect(Object.values(tokens).every((v) => Number.isSafeInteger(v) && v >= 0)).toBe(true);
  });
});
