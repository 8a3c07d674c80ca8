import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SPOTTER, tempDirs } from '../test-support/fixture-files.js';
import { openSessionCache } from './cache.js';
import { loadSessions } from './load.js';
import { createPriceBook } from './pricing.js';
import { priceSession } from './report.js';
import type { SessionSummary } from './types.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

/** Loads `source` through a cache in `cacheDir`, closing the cache as the commands do. */
async function load(source: string, cacheDir: string | null) {
  const cache = cacheDir ? openSessionCache(cacheDir) : null;
  try {
    return await loadSessions({ source, cache });
  } finally {
    cache?.close();
  }
}

/** Everything a report reads; reply keys are only kept in memory after a fresh read. */
const comparable = (sessions: SessionSummary[]) =>
  sessions
    .map(({ replyKeys: _keys, ...s }) => ({ ...s, contextSamples: [...s.contextSamples] }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

const assistant = (sid: string, id: string, output: number, context = 10): string =>
  JSON.stringify({
    type: 'assistant',
    sessionId: sid,
    timestamp: '2026-01-01T00:00:00Z',
    requestId: `req-${id}`,
    message: {
      id,
      model: 'claude-sonnet-4-5',
      usage: { input_tokens: context, output_tokens: output, cache_creation_input_tokens: 3 },
      content: [{ type: 'text', text: 'ok' }],
    },
  });

const prompt = (sid: string, text: string): string =>
  JSON.stringify({ type: 'user', sessionId: sid, timestamp: '2026-01-01T00:00:00Z', message: { content: text } });

describe('session cache', () => {
  it('gives a warm run the sessions a fresh read gives, context samples included', async () => {
    const cacheDir = temp.make();
    const fresh = await load(SPOTTER, null);
    const cold = await load(SPOTTER, cacheDir);
    const warm = await load(SPOTTER, cacheDir);
    expect(warm.stats.cached).toBe(warm.stats.sources);
    expect(warm.stats.parsed + warm.stats.resumed).toBe(0);
    expect(comparable(cold.sessions)).toEqual(comparable(fresh.sessions));
    expect(comparable(warm.sessions)).toEqual(comparable(fresh.sessions));
    const book = createPriceBook();
    const over40 = (sessions: SessionSummary[]) =>
      Object.fromEntries(sessions.map((s) => [s.id, priceSession(s, book).turnsOver40]));
    expect(over40(warm.sessions)).toEqual(over40(fresh.sessions));
  });

  it('keeps text beyond ASCII in an index that is ASCII only', async () => {
    const dir = temp.make();
    const cacheDir = temp.make();
    const title = 'Fix the café menu … 修正 😀';
    writeFileSync(join(dir, 'u1.jsonl'), `${prompt('U1', title)}\n${assistant('U1', 'm1', 5, 120_000)}\n`);
    const cold = await load(dir, cacheDir);
    const warm = await load(dir, cacheDir);
    expect(warm.stats.cached).toBe(1);
    expect(warm.sessions[0]?.title).toBe(title);
    expect(comparable(warm.sessions)).toEqual(comparable(cold.sessions));
    const index = readFileSync(join(cacheDir, 'sessions-index.json'));
    expect(index.every((byte) => byte < 0x80)).toBe(true);
  });

  it('finds a reply repeated in a new file after the old set was checked and found distinct', async () => {
    const dir = temp.make();
    const cacheDir = temp.make();
    const lines = [assistant('A', 'm1', 100), assistant('A', 'm2', 200)];
    writeFileSync(join(dir, 'a.jsonl'), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'b.jsonl'), `${assistant('B', 'm9', 7)}\n`);
    const outputOf = (sessions: SessionSummary[]) => sessions.reduce((n, s) => n + s.tokens.outputTokens, 0);
    const groups = (): Record<string, string | undefined> =>
      Object.fromEntries(
        (
          JSON.parse(readFileSync(join(cacheDir, 'sessions-index.json'), 'utf8')) as {
            entries: { path: string; distinctGroup?: string }[];
          }
        ).entries.map((e) => [e.path.slice(dir.length + 1), e.distinctGroup]),
      );
    expect(outputOf((await load(dir, cacheDir)).sessions)).toBe(307);
    const checked = groups();
    expect(checked['a.jsonl']).toBeTypeOf('string');
    expect(checked['b.jsonl']).toBe(checked['a.jsonl']);
    expect(outputOf((await load(dir, cacheDir)).sessions)).toBe(307);

    // A resumed session copies its history into a new file: the copied replies count once.
    copyFileSync(join(dir, 'a.jsonl'), join(dir, 'c.jsonl'));
    const fresh = await load(dir, null);
    expect(outputOf(fresh.sessions)).toBe(307);
    for (let run = 0; run < 2; run++) {
      const cached = await load(dir, cacheDir);
      expect(outputOf(cached.sessions)).toBe(307);
      expect(comparable(cached.sessions)).toEqual(comparable(fresh.sessions));
    }
    // A set with a repeat is never recorded as distinct: it is checked on every run.
    expect(groups()).toEqual({ 'a.jsonl': checked['a.jsonl'], 'b.jsonl': checked['a.jsonl'], 'c.jsonl': undefined });
  });

  it('lists a settled folder from the cache and sees what is added, removed or renamed in it', async () => {
    const dir = temp.make();
    const cacheDir = temp.make();
    const sub = join(dir, 'project');
    mkdirSync(sub);
    writeFileSync(join(sub, 'a.jsonl'), `${assistant('A', 'm1', 100)}\n`);
    writeFileSync(join(dir, 'top.jsonl'), `${assistant('T', 'm2', 20)}\n`);
    // Folders changed a minute ago: settled, so their listings are kept.
    const settle = (): void => {
      const past = new Date(Date.now() - 60_000);
      for (const d of [dir, sub]) utimesSync(d, past, past);
    };
    const dirsKept = (): string[] =>
      (
        JSON.parse(readFileSync(join(cacheDir, 'sessions-index.json'), 'utf8')) as { dirs: [string, number, string][] }
      ).dirs.map(([d]) => d);
    const idsOf = async (): Promise<string[]> => (await load(dir, cacheDir)).sessions.map((s) => s.id).sort();

    settle();
    expect(await idsOf()).toEqual(['a', 'top']);
    expect(dirsKept().sort()).toEqual([dir, sub].sort());
    expect(await idsOf()).toEqual(['a', 'top']);

    writeFileSync(join(sub, 'b.jsonl'), `${assistant('B', 'm3', 1)}\n`);
    expect(await idsOf()).toEqual(['a', 'b', 'top']);
    settle();
    expect(await idsOf()).toEqual(['a', 'b', 'top']);
    renameSync(join(sub, 'a.jsonl'), join(sub, 'c.jsonl'));
    expect(await idsOf()).toEqual(['b', 'c', 'top']);
    rmSync(join(dir, 'top.jsonl'));
    mkdirSync(join(sub, 'deeper'));
    writeFileSync(join(sub, 'deeper', 'd.jsonl'), `${assistant('D', 'm4', 1)}\n`);
    expect(await idsOf()).toEqual(['b', 'c', 'd']);
  });

  it('keeps no listing of a folder changed moments ago', async () => {
    const dir = temp.make();
    const cacheDir = temp.make();
    writeFileSync(join(dir, 'a.jsonl'), `${assistant('A', 'm1', 100)}\n`);
    await load(dir, cacheDir);
    const index = JSON.parse(readFileSync(join(cacheDir, 'sessions-index.json'), 'utf8')) as { dirs: unknown[] };
    expect(index.dirs).toEqual([]);
  });

  it('starts empty from a damaged index and rewrites it', async () => {
    const dir = temp.make();
    const cacheDir = temp.make();
    writeFileSync(join(dir, 'a.jsonl'), `${assistant('A', 'm1', 100)}\n`);
    await load(dir, cacheDir);
    writeFileSync(join(cacheDir, 'sessions-index.json'), '{"version":');
    const again = await load(dir, cacheDir);
    expect(again.stats.parsed).toBe(1);
    expect((await load(dir, cacheDir)).stats.cached).toBe(1);
  });
});
