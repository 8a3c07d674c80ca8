import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../lib/errors.js';
import { tempDirs } from '../test-support/fixture-files.js';
import {
  actor,
  addLearning,
  agentsOf,
  rateLearning,
  requireLearning,
  restoreLearning,
  retireLearning,
} from './learn.js';
import { readLedger } from './ledger.js';
import { loadLearnings, type StoreDir } from './store.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

describe('addLearning', () => {
  it('redacts, saves and records the addition once', () => {
    const agents = join(temp.make(), '.agents');
    const key = `sk-${'a1B2'.repeat(8)}`;
    const input = { text: `Export OPENAI_API_KEY=${key} before running the evals.`, source: { agent: 'human' } };
    const first = addLearning(agents, input, 'cli');
    expect(first.created).toBe(true);
    expect(first.learning.body).not.toContain(key);
    expect(readFileSync(first.file, 'utf8')).not.toContain(key);
    expect(readFileSync(first.file, 'utf8')).toContain('[REDACTED:openai-key]');
    const second = addLearning(agents, input, 'cli');
    expect(second).toMatchObject({ created: false, file: first.file });
    expect(readLedger(agents).events).toEqual([
      { kind: 'add', ts: expect.any(String) as unknown, id: first.learning.id, via: 'cli' },
    ]);
  });
});

describe('retire, restore, rate', () => {
  it('append their events to the ledger', () => {
    const agents = join(temp.make(), '.agents');
    retireLearning(agents, 'L-aaaaaaaaaa', 'stale', 'me');
    restoreLearning(agents, 'L-aaaaaaaaaa', 'me');
    rateLearning(agents, 'L-aaaaaaaaaa', false, 'me', 'wrong flag');
    rateLearning(agents, 'L-aaaaaaaaaa', true, 'me');
    expect(readLedger(agents).events.map(({ ts: _ts, ...e }) => e)).toEqual([
      { kind: 'retire', id: 'L-aaaaaaaaaa', reason: 'stale', by: 'me' },
      { kind: 'restore', id: 'L-aaaaaaaaaa', by: 'me' },
      { kind: 'feedback', id: 'L-aaaaaaaaaa', helpful: false, by: 'me', note: 'wrong flag' },
      { kind: 'feedback', id: 'L-aaaaaaaaaa', helpful: true, by: 'me' },
    ]);
  });
});

describe('requireLearning and agentsOf', () => {
  it('finds a learning by prefix across stores and names its store folder', () => {
    const root = temp.make();
    const stores: StoreDir[] = [
      { agents: join(root, 'repo', '.agents'), store: 'repo' },
      { agents: join(root, 'home', '.agents'), store: 'user' },
    ];
    const { learning } = addLearning(
      stores[1]!.agents,
      { text: 'Prefer pnpm over npm.', source: { agent: 'human' } },
      'cli',
    );
    const { learnings } = loadLearnings(stores);
    const found = requireLearning(learnings, learning.id.slice(2, 8));
    expect(found).toMatchObject({ id: learning.id, store: 'user' });
    expect(agentsOf(found, stores)).toBe(stores[1]!.agents);
    expect(() => requireLearning(learnings, 'zzzzzz')).toThrow(UserError);
    expect(() => requireLearning(learnings, 'zzzzzz')).toThrow(/no learning "zzzzzz"/);
    expect(() => agentsOf({ ...found, file: '/elsewhere/x.md' }, stores)).toThrow(/outside the known stores/);
  });
});

describe('actor', () => {
  it('prefers AO_ACTOR, then the git author, then the OS user', () => {
    expect(actor({ AO_ACTOR: 'bot', GIT_AUTHOR_NAME: 'Ann', USER: 'ann' })).toBe('bot');
    expect(actor({ GIT_AUTHOR_NAME: 'Ann', USER: 'ann' })).toBe('Ann');
    expect(actor({ USERNAME: 'win' })).toBe('win');
    expect(actor({})).toBe('unknown');
  });
});
