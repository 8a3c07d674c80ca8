import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../test-support/fixture-files.js';
import { appendEvents, readLedger, readLedgerFile, type LedgerEvent } from './ledger.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

const TS = '2025-03-01T10:00:00.000Z';

describe('appendEvents', () => {
  it('writes each family of events to its own file, one JSON line per event', () => {
    const agents = join(temp.make(), '.agents');
    const events: LedgerEvent[] = [
      { kind: 'add', ts: TS, id: 'L-aaaaaaaaaa', via: 'human' },
      { kind: 'inject', ts: TS, ids: ['L-aaaaaaaaaa'], session: 's1', query: 'q', tokens: 10, budget: 100 },
      { kind: 'cite', ts: TS, id: 'L-aaaaaaaaaa', session: 's1', how: 'explicit', evidence: 'e' },
      { kind: 'retire', ts: TS, id: 'L-aaaaaaaaaa', reason: 'stale', by: 'me' },
      {
        kind: 'forge',
        ts: TS,
        session: 's1',
        agent: 'claude',
        transcript: 't.jsonl',
        fingerprint: '1:2',
        candidates: 1,
        accepted: [],
        merged: [],
        held: 0,
        rejected: 1,
      },
    ];
    appendEvents(agents, events);
    appendEvents(agents, []);
    const dir = join(agents, 'ledger');
    expect(readdirSync(dir).sort()).toEqual(['citations.jsonl', 'forge.jsonl', 'injections.jsonl', 'learnings.jsonl']);
    expect(readFileSync(join(dir, 'learnings.jsonl'), 'utf8')).toBe(
      `${JSON.stringify(events[0])}\n${JSON.stringify(events[3])}\n`,
    );
    const all = readLedger(agents);
    expect(all.malformed).toBe(0);
    expect(all.events).toHaveLength(5);
    expect(all.events).toEqual(expect.arrayContaining(events));
  });

  it('reads nothing from a store without a ledger', () => {
    expect(readLedger(join(temp.make(), '.agents'))).toEqual({ events: [], malformed: 0 });
    expect(readLedgerFile(join(temp.make(), 'none.jsonl'))).toEqual({ events: [], malformed: 0, offset: 0 });
  });
});

describe('readLedgerFile', () => {
  const line = (id: string): string => `${JSON.stringify({ kind: 'add', ts: TS, id, via: 'test' })}\n`;

  it('leaves a partial last line for later and reads it from the returned offset once complete', () => {
    const file = join(temp.make(), 'learnings.jsonl');
    const partial = line('L-cccccccccc');
    writeFileSync(file, line('L-aaaaaaaaaa') + line('L-bbbbbbbbbb') + partial.slice(0, 20));
    const first = readLedgerFile(file);
    expect(first.events.map((e) => (e as { id: string }).id)).toEqual(['L-aaaaaaaaaa', 'L-bbbbbbbbbb']);
    expect(first.malformed).toBe(0);
    expect(first.offset).toBe(Buffer.byteLength(line('L-aaaaaaaaaa') + line('L-bbbbbbbbbb')));
    // Nothing new: the same offset, no events.
    expect(readLedgerFile(file, first.offset)).toEqual({ events: [], malformed: 0, offset: first.offset });
    appendFileSync(file, partial.slice(20) + line('L-dddddddddd'));
    const second = readLedgerFile(file, first.offset);
    expect(second.events.map((e) => (e as { id: string }).id)).toEqual(['L-cccccccccc', 'L-dddddddddd']);
    expect(second.offset).toBe(readFileSync(file).length);
  });

  it('counts malformed lines and keeps reading', () => {
    const file = join(temp.make(), 'learnings.jsonl');
    writeFileSync(
      file,
      [line('L-aaaaaaaaaa'), '{not json\n', '"a string"\n', '{"kind":"add"}\n', '\n', line('L-bbbbbbbbbb')].join(''),
    );
    const read = readLedgerFile(file);
    expect(read.events).toHaveLength(2);
    expect(read.malformed).toBe(3);
  });

  it('counts offsets in bytes, not characters', () => {
    const file = join(temp.make(), 'learnings.jsonl');
    const note = `${JSON.stringify({ kind: 'feedback', ts: TS, id: 'L-aaaaaaaaaa', helpful: true, by: 'Zoë', note: 'très utile 🚀' })}\n`;
    writeFileSync(file, note);
    const first = readLedgerFile(file);
    expect(first.offset).toBe(Buffer.byteLength(note));
    appendFileSync(file, line('L-bbbbbbbbbb'));
    expect(readLedgerFile(file, first.offset).events).toEqual([
      { kind: 'add', ts: TS, id: 'L-bbbbbbbbbb', via: 'test' },
    ]);
  });
});

describe('concurrent appenders', () => {
  it('keeps every line whole when 16 processes append at once', async () => {
    const dir = temp.make();
    // The real module, bundled for plain node: the child processes cannot load TypeScript.
    const bundle = join(dir, 'ledger.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./ledger.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundle,
      logLevel: 'silent',
    });
    const agents = join(dir, '.agents');
    const writers = 16;
    const perWriter = 60;
    // Long lines (about 6 KB with both events), past any pipe or page size, make a torn write visible.
    const script = `
      import { appendEvents } from ${JSON.stringify(pathToFileURL(bundle).href)};
      const w = Number(process.argv[1]);
      const pad = String(w % 10).repeat(3000);
      for (let i = 0; i < ${perWriter}; i++) {
        appendEvents(${JSON.stringify(agents)}, [
          { kind: 'add', ts: '${TS}', id: 'L-w' + w + 'n' + i, via: pad },
          { kind: 'restore', ts: '${TS}', id: 'L-w' + w + 'n' + i, by: pad },
        ]);
      }
    `;
    const run = (w: number): Promise<number | null> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, String(w)], { stdio: 'inherit' });
        child.on('error', reject);
        child.on('exit', resolve);
      });
    const codes = await Promise.all(Array.from({ length: writers }, (_, w) => run(w)));
    expect(codes).toEqual(Array(writers).fill(0));

    const file = join(agents, 'ledger', 'learnings.jsonl');
    const read = readLedgerFile(file);
    expect(read.malformed).toBe(0);
    expect(read.offset).toBe(readFileSync(file).length);
    expect(read.events).toHaveLength(writers * perWriter * 2);
    const ids = new Set(read.events.map((e) => (e as { id: string }).id));
    expect(ids.size).toBe(writers * perWriter);
    // The two events of one call are written together: each add is followed by its restore.
    for (let i = 0; i < read.events.length; i += 2) {
      const [a, b] = [read.events[i]!, read.events[i + 1]!] as { kind: string; id: string }[];
      expect([a!.kind, b!.kind, a!.id]).toEqual(['add', 'restore', b!.id]);
    }
  });
});
