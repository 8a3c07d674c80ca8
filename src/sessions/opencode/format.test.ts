import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OpenCodeDbRows, createOpenCodeDb } from '../../test-support/opencode-db.js';
import type { SessionSummary } from '../types.js';
import { isOpenCodeStorageDir, openCodeDbFormat, openCodeLegacyFormat, sniffOpenCode } from './format.js';

const STORAGE = fileURLToPath(new URL('../../../samples/opencode/legacy/storage', import.meta.url));
const PARENT = 'ses_4a1f0c2e7ffeQx3mV8kLpR2nTd';
const CHILD = 'ses_4a1f0b8d3ffdLw9cZ1hYs6uEoB';
const T0 = Date.parse('2026-01-05T09:00:00Z');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ao-opencode-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function byId(sessions: SessionSummary[], id: string): SessionSummary {
  const found = sessions.find((s) => s.id === id);
  if (!found) throw new Error(`no session ${id}`);
  return found;
}

/** The fixture's expectations, worked out by hand from the JSON files. */
function expectFixtureSessions(sessions: SessionSummary[]): void {
  expect(sessions.map((s) => s.id).sort()).toEqual([CHILD, PARENT].sort());
  const parent = byId(sessions, PARENT);
  // input 12 + 8 + 2100; output 340 + 910 + (640 + 384 reasoning); the errored reply has no tokens.
  expect(parent.tokens).toEqual({
    inputTokens: 2120,
    outputTokens: 2274,
    cacheReadTokens: 37500,
    cacheCreationTokens: 19700,
  });
  expect(parent.turns).toBe(3);
  expect(parent.replyKeys.sort()).toEqual(
    ['msg_b5e0f1a2d002Rt4nWp9YcB3eJk', 'msg_b5e0f1a2e003Gf6uTq1XsN5hLm', 'msg_b5e0f1a30005Yb2jHs6FxK9tRn'].sort(),
  );
  expect(parent.peakContextTokens).toBe(21100);
  expect(parent.peakContextModel).toBe('gpt-5');
  expect([...parent.contextSamples].sort((a, b) => a - b)).toEqual([18512, 19708, 21100]);
  expect(parent.models).toEqual(['claude-sonnet-4-5', 'gpt-5']);
  expect(parent.userPrompts).toBe(2);
  expect(parent.toolCalls).toBe(6);
  expect(parent.errors).toBe(2);
  expect(parent.title).toBe('Fix flaky login test');
  expect(parent.project).toBe('/home/dev/acme-app');
  expect(parent.startedAt).toBe(new Date(T0).toISOString());
  expect(parent.endedAt).toBe(new Date(T0 + 645_000).toISOString());
  expect(parent.parentId).toBeNull();
  const gpt = parent.usage.find((u) => u.model === 'gpt-5');
  expect(gpt).toMatchObject({ hour: T0, inputTokens: 2100, outputTokens: 1024, reasoningTokens: 384, replies: 1 });

  const child = byId(sessions, CHILD);
  // The o4-mini reply is in the old convention: its 500 reasoning tokens are inside the 800.
  expect(child.tokens).toEqual({
    inputTokens: 6700,
    outputTokens: 1220,
    cacheReadTokens: 3500,
    cacheCreationTokens: 0,
  });
  expect(child.turns).toBe(2);
  expect(child.peakContextTokens).toBe(5200);
  expect(child.peakContextModel).toBe('o4-mini');
  expect(child.parentId).toBe(PARENT);
  expect(child.parentToolUseId).toBe('toolu_05TaskRace');
  expect(child.userPrompts).toBe(1);
  expect(child.toolCalls).toBe(1);
  expect(child.errors).toBe(0);
  expect(child.title).toBe('Investigate token refresh race (@general subagent)');
  expect(child.usage.find((u) => u.model === 'o4-mini')?.reasoningTokens).toBe(500);
}

/** Loads the legacy fixture into database rows, the way OpenCode's migration would. */
function rowsFromFixture(): OpenCodeDbRows {
  const rows: OpenCodeDbRows = { sessions: [], messages: [], parts: [] };
  const json = (path: string): Record<string, unknown> | string => {
    const text = readFileSync(path, 'utf8');
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      return text;
    }
  };
  const time = (value: unknown, key: string): number => {
    const t = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    return typeof t === 'number' ? t : 0;
  };
  for (const project of readdirSync(join(STORAGE, 'session'))) {
    for (const name of readdirSync(join(STORAGE, 'session', project))) {
      const s = json(join(STORAGE, 'session', project, name));
      if (typeof s === 'string') continue;
      rows.sessions.push({
        id: String(s['id']),
        projectId: project,
        parentId: typeof s['parentID'] === 'string' ? s['parentID'] : null,
        directory: String(s['directory']),
        title: String(s['title']),
        timeCreated: time(s['time'], 'created'),
        timeUpdated: time(s['time'], 'updated'),
      });
    }
  }
  for (const sessionId of readdirSync(join(STORAGE, 'message'))) {
    for (const name of readdirSync(join(STORAGE, 'message', sessionId))) {
      const data = json(join(STORAGE, 'message', sessionId, name));
      const timeCreated = typeof data === 'string' ? 0 : time(data['time'], 'created');
      rows.messages.push({ id: basename(name, '.json'), sessionId, timeCreated, data });
    }
  }
  for (const messageId of readdirSync(join(STORAGE, 'part'))) {
    for (const name of readdirSync(join(STORAGE, 'part', messageId))) {
      const data = json(join(STORAGE, 'part', messageId, name));
      const sessionId = typeof data === 'string' ? '' : String(data['sessionID']);
      rows.parts.push({ id: basename(name, '.json'), messageId, sessionId, timeCreated: 0, data });
    }
  }
  return rows;
}

describe('openCodeLegacyFormat', () => {
  it('reads both sessions of the storage tree, links the child and counts the garbage', async () => {
    const result = await openCodeLegacyFormat.read({ file: STORAGE, detail: false });
    expectFixtureSessions(result.sessions);
    expect(result.details).toEqual([]);
    expect(result.warnings).toMatchObject({ malformedLines: 1, unknownRecords: 1, unreadable: 0 });
  });

  it('builds the timeline in detail mode', async () => {
    const result = await openCodeLegacyFormat.read({ file: STORAGE, detail: true });
    const detail = result.details.find((d) => d.summary.id === PARENT);
    expect(detail?.filesRead).toEqual(['/home/dev/acme-app/test/login.test.ts']);
    expect(detail?.filesWritten).toEqual(['/home/dev/acme-app/src/auth/session.ts', '/home/dev/acme-app/CHANGELOG.md']);
    expect(detail?.commands).toEqual(['npm test -- login', 'npm test']);
    const kinds = detail?.timeline.map((e) => e.kind);
    expect(kinds).toEqual([
      'prompt',
      'assistant',
      'tool',
      'tool',
      'tool',
      'tool',
      'tool',
      'subagent',
      'assistant',
      'prompt',
      'tool',
      'error',
    ]);
    const first = detail?.timeline[0];
    // Only the user's own words: the synthetic part OpenCode added is left out.
    expect(first).toMatchObject({
      kind: 'prompt',
      text: 'The login test fails intermittently on CI.\nCan you find out why?',
    });
    const failed = detail?.timeline.find((e) => e.kind === 'tool' && e.call.isError);
    expect(failed).toMatchObject({ call: { name: 'bash', result: 'Error: Command exited with code 1' } });
    expect(detail?.timeline.at(-1)).toMatchObject({ kind: 'error', text: 'APIError: Overloaded' });
    expect(detail?.timeline.find((e) => e.kind === 'subagent')).toMatchObject({
      agentId: CHILD,
      toolUseId: 'toolu_05TaskRace',
    });
  });

  it('counts a missing storage folder as unreadable instead of throwing', async () => {
    const result = await openCodeLegacyFormat.read({ file: join(dir, 'nope'), detail: false });
    expect(result.sessions).toEqual([]);
    expect(result.warnings.unreadable).toBe(1);
  });
});

describe('openCodeDbFormat', () => {
  it('reads the same sessions from the database as from the JSON tree, in both modes', async () => {
    const file = join(dir, 'opencode.db');
    createOpenCodeDb(file, rowsFromFixture());
    const lean = await openCodeDbFormat.read({ file, detail: false });
    expectFixtureSessions(lean.sessions);
    expect(lean.warnings).toMatchObject({ malformedLines: 1, unknownRecords: 1, unreadable: 0 });
    const full = await openCodeDbFormat.read({ file, detail: true });
    expect(full.sessions).toEqual(lean.sessions);
    expect(full.details.find((d) => d.summary.id === PARENT)?.commands).toEqual(['npm test -- login', 'npm test']);
  });

  it('bills a message with several model steps from its step-finish parts', async () => {
    const file = join(dir, 'opencode.db');
    const sessionId = 'ses_steps';
    const step = (input: number, output: number, read: number) => ({
      type: 'step-finish',
      reason: 'tool-calls',
      cost: 0,
      tokens: { input, output, reasoning: 0, cache: { read, write: 0 } },
    });
    createOpenCodeDb(file, {
      sessions: [
        {
          id: sessionId,
          projectId: 'global',
          directory: '/tmp/x',
          title: 'New session - 2026-01-05T09:00:00.000Z',
          timeCreated: T0,
          timeUpdated: T0,
        },
      ],
      messages: [
        { id: 'msg_1', sessionId, timeCreated: T0, data: { role: 'user', time: { created: T0 } } },
        {
          id: 'msg_2',
          sessionId,
          timeCreated: T0 + 1000,
          // The message keeps only the last step's usage, as OpenCode's processor assigns it.
          data: {
            role: 'assistant',
            time: { created: T0 + 1000 },
            modelID: 'm',
            providerID: 'p',
            tokens: step(30, 7, 900).tokens,
          },
        },
        {
          id: 'msg_3',
          sessionId,
          timeCreated: T0 + 2000,
          data: {
            role: 'assistant',
            time: { created: T0 + 2000 },
            modelID: 'm',
            error: { name: 'MessageAbortedError', data: { message: 'Aborted' } },
          },
        },
      ],
      parts: [
        {
          id: 'prt_1',
          messageId: 'msg_1',
          sessionId,
          timeCreated: T0,
          data: { type: 'text', text: 'Tidy the README\nplease' },
        },
        { id: 'prt_2', messageId: 'msg_2', sessionId, timeCreated: T0, data: step(10, 5, 100) },
        { id: 'prt_3', messageId: 'msg_2', sessionId, timeCreated: T0, data: step(30, 7, 900) },
        { id: 'prt_4', messageId: 'msg_2', sessionId, timeCreated: T0, data: '{"type":"tool","tool":' },
      ],
    });
    const { sessions, warnings } = await openCodeDbFormat.read({ file, detail: false });
    expect(sessions).toHaveLength(1);
    const [session] = sessions;
    expect(session?.tokens).toEqual({
      inputTokens: 40,
      outputTokens: 12,
      cacheReadTokens: 1000,
      cacheCreationTokens: 0,
    });
    expect(session?.turns).toBe(1);
    expect(session?.peakContextTokens).toBe(930);
    // An interrupted reply is the user's choice, not an error.
    expect(session?.errors).toBe(0);
    // OpenCode's placeholder title gives way to the first prompt.
    expect(session?.title).toBe('Tidy the README');
    expect(warnings.malformedLines).toBe(1);
  });

  it('leaves no -wal or -shm files beside an idle WAL database', async () => {
    const file = join(dir, 'opencode.db');
    createOpenCodeDb(file, rowsFromFixture(), { wal: true });
    expect(existsSync(`${file}-wal`)).toBe(false);
    const result = await openCodeDbFormat.read({ file, detail: false });
    expectFixtureSessions(result.sessions);
    expect(readdirSync(dir).sort()).toEqual(['opencode.db']);
  });

  it('reads rows still in the WAL while OpenCode holds the database open', async () => {
    const file = join(dir, 'opencode.db');
    createOpenCodeDb(file, rowsFromFixture(), { wal: true });
    const writer = new Database(file);
    try {
      writer.prepare('UPDATE session SET title = ? WHERE id = ?').run('Renamed while open', PARENT);
      const result = await openCodeDbFormat.read({ file, detail: false });
      expect(byId(result.sessions, PARENT).title).toBe('Renamed while open');
    } finally {
      writer.close();
    }
  });

  it('counts a database it cannot read as unreadable instead of throwing', async () => {
    const garbage = join(dir, 'opencode.db');
    writeFileSync(garbage, 'SQLite format 3\0 but not really a database');
    const broken = await openCodeDbFormat.read({ file: garbage, detail: false });
    expect(broken.sessions).toEqual([]);
    expect(broken.warnings.unreadable).toBe(1);

    const foreign = join(dir, 'opencode-other.db');
    new Database(foreign).exec('CREATE TABLE t (x)').close();
    expect((await openCodeDbFormat.read({ file: foreign, detail: false })).warnings.unreadable).toBe(1);

    expect((await openCodeDbFormat.read({ file: join(dir, 'missing.db'), detail: false })).warnings.unreadable).toBe(1);
  });
});

describe('sniffOpenCode', () => {
  it('recognises a database by header and name, and a storage folder by its subfolders', () => {
    const header = Buffer.from('SQLite format 3\0\x10\x00\x02\x02', 'latin1');
    expect(sniffOpenCode('/x/opencode.db', header)).toBe('db');
    expect(sniffOpenCode('/x/opencode-beta.db', header)).toBe('db');
    expect(sniffOpenCode('/x/state.vscdb', header)).toBeNull();
    expect(sniffOpenCode('/x/opencode.db', Buffer.from('{"role":"user"}'))).toBeNull();
    expect(sniffOpenCode(STORAGE, Buffer.alloc(0))).toBe('legacy');
    expect(sniffOpenCode(dir, Buffer.alloc(0))).toBeNull();
    expect(isOpenCodeStorageDir(STORAGE)).toBe(true);
    expect(isOpenCodeStorageDir(join(STORAGE, 'session'))).toBe(false);
  });
});
