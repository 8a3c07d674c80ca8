import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../lib/workspace.js';
import { appendEvents } from '../knowledge/ledger.js';
import { buildLearning, saveLearning, type NewLearning } from '../knowledge/store.js';
import type { Learning } from '../knowledge/types.js';
import { tempDirs } from '../test-support/fixture-files.js';
import type { Db } from './db.js';
import { openIndex } from './open.js';
import { searchIndex, type SearchHit } from './search.js';

const temp = tempDirs();
const TS = '2025-03-01T10:00:00.000Z';
const NOW = Date.parse('2025-03-02T10:00:00.000Z');

function learning(title: string, text: string, more: Partial<NewLearning> = {}): Learning {
  return buildLearning({ title, text, source: { agent: 'human' }, created: TS, tags: ['notes'], ...more });
}

// Each pair below differs in one neutral word of equal length, so the texts score alike.
const IDENT = learning('Cache lookups through getUserName', 'Call `getUserName(id)` rather than the accounts table.');
const BODY_IDENT = learning('Read funds in one place', 'Go through `fetchAccountBalance(id)` only.');
const SNAKE = learning('Rows carry keys', 'Every row carries a `snake_case_name` key for the column.');
const SCOPED = learning('Squash migrations before release alpha', 'Keep one file per release.', { scope: ['lib/**'] });
const UNSCOPED = learning('Squash migrations before release bravo', 'Keep one file per release.');
const REPO = learning('Pin the toolchain versions alpha', 'Write them to .tool-versions.');
const USER = learning('Pin the toolchain versions bravo', 'Write them to .tool-versions.');
const BOTH = learning('Rotate the staging credentials', 'Rotate them monthly.');
const RETIRED = learning('Deploy with capistrano', 'Run cap production deploy.');
const OLD = learning('Deploy with the old script', 'Run ./deploy.sh by hand.');
const NEW = learning('Deploy with the release workflow', 'Run the GitHub deploy workflow.', { supersedes: [OLD.id] });
const EXPIRED = learning('Deploy freeze until January', 'No deploy during the freeze.', { expires: '2025-01-01' });
const PROVEN = learning('Warm the cache charlie', 'Run the warmup task first.');
const FRESH = learning('Warm the cache delta', 'Run the warmup task first.');

let ws: Workspace;
let db: Db;

beforeAll(async () => {
  const root = temp.make();
  ws = { root, repoAgents: join(root, '.agents'), userAgents: join(root, 'home', '.agents') };
  const repo = ws.repoAgents!;
  for (const l of [IDENT, BODY_IDENT, SNAKE, SCOPED, UNSCOPED, REPO, BOTH, RETIRED, OLD, NEW, EXPIRED, PROVEN, FRESH]) {
    saveLearning(repo, l);
  }
  for (const l of [USER, BOTH]) saveLearning(ws.userAgents, l);
  appendEvents(repo, [
    { kind: 'retire', ts: TS, id: RETIRED.id, reason: 'we left capistrano', by: 'me' },
    ...['s1', 's2', 's3'].map((session) => ({
      kind: 'cite' as const,
      ts: TS,
      id: PROVEN.id,
      session,
      how: 'explicit' as const,
      evidence: '',
    })),
  ]);
  db = (await openIndex(ws, 'full')).db;
});

afterAll(() => {
  db.close();
  temp.cleanup();
});

const search = (query: string, more: { paths?: string[]; includeRetired?: boolean } = {}): SearchHit[] =>
  searchIndex(db, { query, now: NOW, ...more });
const ids = (hits: SearchHit[]): string[] => hits.map((h) => h.id);

describe('searchIndex', () => {
  it('finds camelCase identifiers by their words and by their name', () => {
    expect(ids(search('user name'))).toContain(IDENT.id);
    expect(ids(search('getUserName'))[0]).toBe(IDENT.id);
    expect(ids(search('get_user_name'))[0]).toBe(IDENT.id);
    // In the body too.
    expect(ids(search('account balance'))[0]).toBe(BODY_IDENT.id);
  });

  it('finds snake_case identifiers by their words', () => {
    expect(ids(search('snake case'))).toEqual([SNAKE.id]);
  });

  it('ranks a learning scoped to the files in play above an equal unscoped one, and below it otherwise', () => {
    const inScope = search('squash migrations', { paths: ['lib/x.ex'] });
    expect(ids(inScope).slice(0, 2)).toEqual([SCOPED.id, UNSCOPED.id]);
    expect(inScope[0]!.why).toMatchObject({ scope: 'lib/**', scopeFactor: 1.5 });
    expect(inScope[1]!.why).toMatchObject({ scope: null, scopeFactor: 1 });
    const elsewhere = search('squash migrations', { paths: ['test/y.exs'] });
    expect(ids(elsewhere).slice(0, 2)).toEqual([UNSCOPED.id, SCOPED.id]);
    expect(elsewhere[1]!.why).toMatchObject({ scope: null, scopeFactor: 0.7 });
    // Without paths the two tie: only the id breaks it.
    const none = search('squash migrations');
    expect(none[0]!.score).toBe(none[1]!.score);
  });

  it('offers scoped learnings for the files in play even when no word matches', () => {
    const hits = search('', { paths: ['lib/deep/x.ex'] });
    expect(ids(hits)).toEqual([SCOPED.id]);
    expect(hits[0]!.why.relevance).toBe(0.35);
  });

  it('leaves out retired, superseded and expired learnings unless asked', () => {
    const live = ids(search('deploy'));
    expect(live).toEqual([NEW.id]);
    const all = search('deploy', { includeRetired: true });
    expect(Object.fromEntries(all.map((h) => [h.id, h.retired]))).toEqual({
      [NEW.id]: null,
      [RETIRED.id]: 'retired (we left capistrano)',
      [OLD.id]: `superseded by ${NEW.id}`,
      [EXPIRED.id]: 'expired 2025-01-01',
    });
    expect(all.find((h) => h.id === OLD.id)!.why.maturity).toBe('retired');
  });

  it("ranks the user's store below the repository's for equal text, and keeps the repository's copy", () => {
    const hits = search('pin toolchain versions');
    expect(ids(hits)).toEqual([REPO.id, USER.id]);
    expect(hits.map((h) => [h.store, h.why.storeFactor])).toEqual([
      ['repo', 1],
      ['user', 0.8],
    ]);
    expect(hits[1]!.score).toBeCloseTo(hits[0]!.score * 0.8, 2);
    const both = search('rotate staging credentials');
    expect(both.map((h) => [h.id, h.store])).toEqual([[BOTH.id, 'repo']]);
  });

  it('ranks a learning cited in three sessions above an equal one never used', () => {
    const hits = search('warm cache warmup');
    expect(ids(hits).slice(0, 2)).toEqual([PROVEN.id, FRESH.id]);
    expect(hits[0]!.why).toMatchObject({ maturity: 'established', maturityFactor: 1.2 });
    expect(hits[1]!.why).toMatchObject({ maturity: 'provisional', maturityFactor: 1 });
    expect(hits[0]!.why.utility).toBeGreaterThan(hits[1]!.why.utility);
  });

  it('explains every hit', () => {
    const [hit] = search('getUserName accounts', { paths: ['lib/a.ex'] });
    expect(hit).toMatchObject({
      id: IDENT.id,
      title: IDENT.title,
      type: IDENT.type,
      store: 'repo',
      file: join(ws.repoAgents!, 'learnings', `${IDENT.id}.md`),
      body: IDENT.body,
      tags: ['notes'],
      scope: [],
      source: { agent: 'human' },
      created: TS,
      retired: null,
    });
    expect(hit!.why).toMatchObject({
      relevance: 1,
      scope: null,
      scopeFactor: 1,
      maturity: 'provisional',
      maturityFactor: 1,
      storeFactor: 1,
      utility: 0.5,
    });
    expect(hit!.why.bm25).toBeGreaterThan(0);
    expect(hit!.why.freshness).toBeGreaterThan(0.99);
    expect(hit!.why.matched).toEqual(expect.arrayContaining(['getusername', 'accounts', 'user', 'name']));
    expect(hit!.score).toBeGreaterThan(0);
  });

  it('returns nothing for an empty query without paths, or only stopwords', () => {
    expect(search('')).toEqual([]);
    expect(search('   ')).toEqual([]);
    expect(search('the and of it')).toEqual([]);
    expect(search('zebra quokka')).toEqual([]);
  });

  it('honours the limit, best first', () => {
    const hits = searchIndex(db, { query: 'deploy run release', now: NOW, includeRetired: true, limit: 2 });
    expect(hits).toHaveLength(2);
    expect(hits[0]!.score).toBeGreaterThanOrEqual(hits[1]!.score);
  });

  it('fuses cosine scores from embeddings with BM25, and offers the nearest learnings by meaning', () => {
    const vectors = new Map([
      [SNAKE.id, 0.9],
      [UNSCOPED.id, 0.1],
    ]);
    const hits = searchIndex(db, { query: 'squash migrations', now: NOW, vectors });
    const byId = new Map(hits.map((h) => [h.id, h]));
    // No word in common with the query: found by meaning alone, relevance from the cosine only.
    expect(byId.get(SNAKE.id)!.why).toMatchObject({ bm25: 0, vector: 0.9, relevance: 0.45 });
    expect(byId.get(UNSCOPED.id)!.why).toMatchObject({ vector: 0.1 });
    expect(byId.get(UNSCOPED.id)!.why.relevance).toBeCloseTo(0.5 * 1 + 0.5 * 0.1, 3);
    expect(search('squash migrations').every((h) => h.why.vector === null)).toBe(true);
  });

  it('reads query text as words, never as FTS syntax', () => {
    expect(() => search('"unbalanced AND (NEAR* -x')).not.toThrow();
  });
});
