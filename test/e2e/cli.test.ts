import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * End-to-end: the built `ao` (bin/ao.js over dist/), run as a user runs it, with its home in a
 * temp folder so no real cache or config is touched. `npm test` builds before it runs these.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'ao.js');
const SPOTTER = fileURLToPath(new URL('../../../shared/fixtures/claude-code/spotter', import.meta.url));
const SESSION = 'ae4a77f8-aedd-4bc1-888f-c94edc91af04';
/** Computed independently of ao: dedupe by message.id + requestId, largest output; progress skipped. */
const TOTALS = { inputTokens: 9141, outputTokens: 195794, cacheCreationTokens: 2065675, cacheReadTokens: 77328535 };
const isRoot = process.getuid?.() === 0;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(os.tmpdir(), 'ao-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

let home = '';
beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.cjs'))) {
    throw new Error('dist/cli/main.cjs is missing: run `npm run build` first (npm test does)');
  }
  home = tempDir();
});

function ao(args: string[], aoHome = home): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, AO_HOME: aoHome },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Runs ao, expects success, and parses its stdout as JSON. */
function aoJson<T>(args: string[], aoHome = home): T {
  const r = ao([...args, '--json'], aoHome);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

interface UsageJson {
  totals: Record<string, unknown> & { costUSD: number | null; unpricedModels: string[] };
  warnings: Record<string, number | unknown[]> & { files: { path: string }[]; unreadablePaths: string[] };
}
type ListJson = Record<string, unknown>[];

const tokensOf = (t: Record<string, unknown>) => ({
  inputTokens: t.inputTokens,
  outputTokens: t.outputTokens,
  cacheCreationTokens: t.cacheCreationTokens,
  cacheReadTokens: t.cacheReadTokens,
});

const claudeLine = (model: string, n: number) =>
  JSON.stringify({
    type: 'assistant',
    sessionId: 'imaginary',
    cwd: '/tmp/imaginary',
    timestamp: `2026-01-01T00:00:0${n}Z`,
    requestId: `req_${n}`,
    message: { id: `msg_${n}`, model, usage: { input_tokens: 100, output_tokens: 20 }, content: [] },
  });

describe('ao basics', () => {
  it('prints the package version for --version', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = ao(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('lists its commands for --help', () => {
    const r = ao(['--help']);
    expect(r.status).toBe(0);
    const text = r.stdout.replace(ANSI, '');
    for (const cmd of ['sessions', 'usage', 'demo']) expect(text).toMatch(new RegExp(`^\\s*${cmd}\\s`, 'm'));
  });

  it("runs each command from its own bundle with V8's code cache, and replaces a damaged cache", () => {
    const aoHome = tempDir();
    const codeDir = join(aoHome, 'cache', 'code');
    const first = aoJson<UsageJson>(['usage', '--source', SPOTTER], aoHome);
    const cached = readdirSync(codeDir);
    expect(cached).toEqual([expect.stringMatching(/^cmd-usage-[0-9a-f]{8}-\d+-\d+-\w+\.bin$/)]);
    const written = readFileSync(join(codeDir, cached[0]!));
    expect(aoJson<UsageJson>(['usage', '--source', SPOTTER], aoHome)).toEqual(first);
    // Read, not rewritten.
    expect(readFileSync(join(codeDir, cached[0]!)).equals(written)).toBe(true);
    writeFileSync(join(codeDir, cached[0]!), Buffer.alloc(written.length, 7));
    const r = ao(['usage', '--source', SPOTTER, '--json'], aoHome);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(first);
    expect(readdirSync(codeDir)).toEqual(cached);
    expect(readFileSync(join(codeDir, cached[0]!))[0]).not.toBe(7);
  });

  it('runs the demo on the bundled samples', () => {
    const r = ao(['demo']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^AGENT\s+INPUT\s+OUTPUT\s+CACHE WRITE\s+CACHE READ\s+TOTAL\s+COST/m);
    expect(r.stdout).toMatch(/^TOTAL\s+[\d,.]+[kMB]?\s/m);
    // The gates step: a pass that locks a figure, then the bug fails the check and the ratchet.
    expect(r.stdout).toMatch(/PASS\s+add\.js as written\s+test exit 0, passed 4/);
    expect(r.stdout).toMatch(/FAIL\s+add\.js with a bug\s+test exit 1, passed 3/);
    expect(r.stdout).toMatch(/ratchet: test\.passed 4 → 3/);
  });
});

describe('ao on the spotter transcripts', () => {
  it('keeps the usage --json contract with exact totals', () => {
    const usage = aoJson<UsageJson>(['usage', '--source', SPOTTER]);
    expect(tokensOf(usage.totals)).toEqual(TOTALS);
    for (const v of Object.values(tokensOf(usage.totals))) expect(Number.isInteger(v)).toBe(true);
    expect(usage.totals.replies).toBe(899);
    expect(typeof usage.totals.costUSD).toBe('number');
    expect(usage.warnings).toMatchObject({ malformedLines: 0, binaryLines: 0, unreadable: 0, files: [] });
  });

  it('keeps the sessions list --json contract', () => {
    const list = aoJson<ListJson>(['sessions', 'list', '--source', SPOTTER]);
    expect(list).toHaveLength(20);
    for (const s of list) {
      for (const key of ['id', 'agent', 'project', 'startedAt', 'endedAt', 'models', 'tokens', 'costUSD']) {
        expect(s, key).toHaveProperty(key);
      }
      for (const key of ['peakContextTokens', 'peakContextRatio', 'toolCalls', 'errors'])
        expect(s, key).toHaveProperty(key);
      expect(Object.keys(s.tokens as object).sort()).toEqual(Object.keys(TOTALS).sort());
      for (const v of Object.values(s.tokens as object)) expect(Number.isInteger(v)).toBe(true);
      expect(typeof s.costUSD).toBe('number');
      expect(Array.isArray(s.models)).toBe(true);
    }
    const sum = (k: keyof typeof TOTALS) => list.reduce((n, s) => n + (s.tokens as typeof TOTALS)[k], 0);
    expect({
      inputTokens: sum('inputTokens'),
      outputTokens: sum('outputTokens'),
      cacheCreationTokens: sum('cacheCreationTokens'),
      cacheReadTokens: sum('cacheReadTokens'),
    }).toEqual(TOTALS);
  });

  it('shows one session with its prompts, tools and compaction', () => {
    const r = ao(['sessions', 'show', SESSION, '--source', SPOTTER]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`session   ${SESSION} (claude)`);
    expect(r.stdout).toMatch(/▶ user {2}Work on bead spotter-4te/);
    expect(r.stdout).toContain('▶ user  continue implementation');
    for (const tool of ['Bash bd show spotter-4te', 'Read ', 'Task ']) expect(r.stdout).toContain(tool);
    expect(r.stdout).toMatch(/⟲ compacted \(manual\) at [\d.]+k tokens/);
  });

  it('prints the same with the cache, from it, and without it', () => {
    const cacheHome = tempDir();
    for (const args of [
      ['sessions', 'list', '--source', SPOTTER],
      ['usage', '--source', SPOTTER, '--json'],
    ]) {
      const first = ao(args, cacheHome);
      expect(existsSync(join(cacheHome, 'cache', 'sessions-index.json'))).toBe(true);
      const second = ao(args, cacheHome);
      const fresh = ao([...args, '--no-cache'], cacheHome);
      expect(first.status).toBe(0);
      expect(second.stdout).toBe(first.stdout);
      expect(fresh.stdout).toBe(first.stdout);
    }
  });

  it('reads an appended transcript from where the cache stopped, with the same result', () => {
    const dir = tempDir();
    const cacheHome = tempDir();
    const lines = readFileSync(join(SPOTTER, `${SESSION}.jsonl`), 'utf8').split('\n');
    const file = join(dir, `${SESSION}.jsonl`);
    writeFileSync(file, lines.slice(0, 1000).join('\n') + '\n');
    aoJson(['usage', '--source', dir], cacheHome);
    appendFileSync(file, lines.slice(1000).join('\n'));
    const resumed = aoJson<ListJson>(['sessions', 'list', '--source', dir], cacheHome);
    const fresh = aoJson<ListJson>(['sessions', 'list', '--source', dir, '--no-cache'], cacheHome);
    expect(resumed).toEqual(fresh);
  });
});

describe('ao on bad input', () => {
  it('says in one line that a missing --source cannot be read', () => {
    const r = ao(['usage', '--source', '/nonexistent/ao-e2e']);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('/nonexistent/ao-e2e');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects a --since that is not a date with exit code 2', () => {
    const r = ao(['usage', '--source', SPOTTER, '--since', 'garbage']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--since "garbage" is not a date/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('counts damaged lines as warnings and still gets the good totals exactly', () => {
    const dir = tempDir();
    cpSync(SPOTTER, join(dir, 'spotter'), { recursive: true });
    // Bytes with no newline, so each garbage line stays one line; NULs make some "binary".
    let seed = 7;
    const junk = () =>
      Buffer.from(
        Array.from({ length: 300 }, () => ((seed = (seed * 48271) % 2147483647) % 255) + 1).map((b) =>
          b === 10 ? 0 : b,
        ),
      );
    writeFileSync(join(dir, 'garbage.jsonl'), Buffer.concat([junk(), junk()]));
    // A transcript that opens well and then degrades: its first line names the format.
    const bad = [junk(), Buffer.from('{"type":"assistant","message":'), junk(), Buffer.from('not json at all')];
    writeFileSync(
      join(dir, 'damaged.jsonl'),
      Buffer.concat([Buffer.from('{"type":"summary","summary":"x"}\n'), ...bad.flatMap((b) => [b, Buffer.from('\n')])]),
    );
    const usage = aoJson<UsageJson>(['usage', '--source', dir]);
    expect(tokensOf(usage.totals)).toEqual(TOTALS);
    const w = usage.warnings as unknown as Record<string, number>;
    expect(w.malformedLines! + w.binaryLines!).toBe(bad.length);
    expect(usage.warnings.files.map((f) => f.path)).toEqual([join(dir, 'damaged.jsonl')]);
    // In text mode the same is one warning line on stderr.
    const text = ao(['usage', '--source', dir]);
    expect(text.status).toBe(0);
    expect(text.stderr).toMatch(/^warning: skipped .*\d+ (malformed|binary) line/m);
  });

  it('skips an unreadable transcript and reports it', () => {
    const dir = tempDir();
    cpSync(join(SPOTTER, 'short.jsonl'), join(dir, 'short.jsonl'));
    cpSync(join(SPOTTER, `${SESSION}.jsonl`), join(dir, 'locked.jsonl'));
    chmodSync(join(dir, 'locked.jsonl'), 0o000);
    const usage = aoJson<UsageJson>(['usage', '--source', dir]);
    expect(usage.totals.sessions).toBeGreaterThanOrEqual(1);
    // As root, chmod 000 does not stop a read: the file is read like any other.
    if (isRoot) return;
    expect(usage.warnings.unreadablePaths).toContain(join(dir, 'locked.jsonl'));
    expect(usage.totals.sessions).toBe(1);
  });

  it('writes no escape codes (progress bar, colours) when stdout is not a terminal', () => {
    const r = ao(['sessions', 'list', '--source', SPOTTER]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(ANSI);
    expect(r.stderr).not.toMatch(ANSI);
    expect(r.stderr).not.toContain('\r');
  });

  it('reports a model without a price as unpriced, never as $0', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'imaginary.jsonl'),
      `${claudeLine('claude-imaginary-9', 1)}\n${claudeLine('claude-imaginary-9', 2)}\n`,
    );
    const [s] = aoJson<ListJson>(['sessions', 'list', '--source', dir]);
    expect(s).toMatchObject({ costUSD: null, unpricedModels: ['claude-imaginary-9'] });
    const usage = aoJson<UsageJson>(['usage', '--source', dir]);
    expect(usage.totals).toMatchObject({ costUSD: null, unpricedModels: ['claude-imaginary-9'], inputTokens: 200 });
  });

  // `ao … | head` must not die with Node's "Unhandled 'error' event" EPIPE stack once the reader
  // has gone (fixed in bin/ao.js; this guards it).
  it('exits quietly when the reader of its output goes away', () => {
    const r = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${BIN}" sessions show ${SESSION} --source "${SPOTTER}" | true`],
      {
        cwd: ROOT,
        env: { ...process.env, AO_HOME: home },
        encoding: 'utf8',
      },
    );
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
