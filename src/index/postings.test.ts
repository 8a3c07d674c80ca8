import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../lib/workspace.js';
import { queryTerms } from '../lib/terms.js';
import { buildLearning, learningFiles, saveLearning } from '../knowledge/store.js';
import type { Learning } from '../knowledge/types.js';
import { tempDirs } from '../test-support/fixture-files.js';
import type { Db } from './db.js';
import { openIndex } from './open.js';
import { rankBm25, readPostings, searchText, WEIGHTS } from './postings.js';
import { ftsTokens } from './tokenize.js';

const temp = tempDirs();
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});
afterAll(() => temp.cleanup());

// A small seeded generator: words drawn with a skew, so that some terms are in most learnings
// (as `error` and `test` are in real stores) and most are rare, in titles, bodies and tags.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const WORDS = (
  'error test fail build cache retry timeout export import session token budget index search rank ' +
  'migration schema deploy release branch commit merge rebase worker queue lock mutex race deadlock ' +
  'parser lexer format prettier eslint vitest jest pytest cargo golang rust python node typescript ' +
  'getUserName fetchAccountBalance snake_case_name src/index/db.ts retries retrying retried connection ' +
  'connections connected generalization operational happily running runs ran café naïve résumé'
).split(' ');

function makeLearnings(count: number, seed: number): Learning[] {
  const next = rng(seed);
  const word = (): string => WORDS[Math.floor(next() ** 2.5 * WORDS.length)]!;
  const words = (n: number): string => Array.from({ length: n }, word).join(' ');
  return Array.from({ length: count }, (_, i) =>
    buildLearning({
      title: `${words(3 + Math.floor(next() * 5))} ${i}`,
      text: `${words(20 + Math.floor(next() * 120))}.`,
      tags: Array.from({ length: 1 + Math.floor(next() * 3) }, word).map((t) => t.replace(/[^a-z]/gi, '') || 'misc'),
      source: { agent: 'human' },
      created: '2025-03-01T10:00:00.000Z',
    }),
  );
}

function workspace(): Workspace {
  const root = temp.make();
  return { root, repoAgents: join(root, '.agents'), userAgents: join(root, 'home', '.agents') };
}

/** FTS5's own ranking of the same learnings, in a table built beside ours for the comparison. */
function fts5Ranking(db: Db, words: string[], limit: number): { rowid: number; bm25: number }[] {
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS oracle USING fts5(title, body, tags, tokenize = 'porter unicode61 remove_diacritics 2');
           DELETE FROM oracle;`);
  const insert = db.prepare('INSERT INTO oracle(rowid, title, body, tags) VALUES (?, ?, ?, ?)');
  const rows = db.prepare('SELECT rowid, title, body, tags, type FROM learning').all() as {
    rowid: number;
    title: string;
    body: string;
    tags: string;
    type: string;
  }[];
  for (const r of rows) {
    const t = searchText({ ...r, tags: JSON.parse(r.tags) as string[] });
    insert.run(r.rowid, t.title, t.body, t.tags);
  }
  const match = words.map((w) => `"${w}"`).join(' OR ');
  return db
    .prepare(
      `SELECT rowid, bm25(oracle, ${WEIGHTS.title}, ${WEIGHTS.body}, ${WEIGHTS.tags}) AS bm25 FROM oracle
       WHERE oracle MATCH ? ORDER BY bm25, rowid LIMIT ${limit}`,
    )
    .all(match) as { rowid: number; bm25: number }[];
}

/** A repository store of generated learnings, indexed (the index is closed after the test). */
async function indexedStore(count: number, seed: number): Promise<{ ws: Workspace; db: Db }> {
  const ws = workspace();
  for (const l of makeLearnings(count, seed)) saveLearning(ws.repoAgents!, l);
  const { db } = await openIndex(ws, 'full');
  open.push(db);
  return { ws, db };
}

/** Both rankings of every query, which must agree. */
function expectSameAsFts5(db: Db, limit: number): void {
  for (const q of QUERIES) {
    const words = queryTerms(q);
    expectSameRanking(ours(db, words, limit), fts5Ranking(db, words, limit));
  }
}

function ours(db: Db, words: string[], limit: number): { rowid: number; bm25: number }[] {
  return rankBm25(readPostings(db, words.flatMap(ftsTokens)), limit);
}

function expectSameRanking(actual: { rowid: number; bm25: number }[], expected: { rowid: number; bm25: number }[]) {
  expect(actual.map((r) => r.rowid)).toEqual(expected.map((r) => r.rowid));
  actual.forEach((r, i) => expect(r.bm25).toBeCloseTo(expected[i]!.bm25, 9));
}

const QUERIES = [
  'retry timeout',
  'the export job retries on large files',
  'getUserName',
  'fetch account balance',
  'cafe naive resume',
  'error test fail build',
  'generalization operational',
  'src/index/db.ts connection',
  'snake_case_name worker queue deadlock',
  'retries retrying retried',
];

describe('postings', () => {
  it('rank as FTS5 bm25() does, scores included, on a skewed store', async () => {
    const { db } = await indexedStore(400, 7);
    expectSameAsFts5(db, 50);
  });

  it('stay right through additions, edits and deletions', async () => {
    const { ws } = await indexedStore(150, 11);
    const repo = ws.repoAgents!;
    // Delete a third, edit a third in place (same file, more words), add new ones.
    const files = learningFiles(repo).sort();
    files.forEach((f, i) => {
      if (i % 3 === 0) rmSync(f);
      else if (i % 3 === 1) appendFileSync(f, '\nMore on retry, cache and the export worker.\n');
    });
    for (const l of makeLearnings(60, 12)) saveLearning(repo, l);
    const { db } = await openIndex(ws, 'full');
    open.push(db);
    expectSameAsFts5(db, 40);
  });

  it('count a word listed twice twice, as an OR of two phrases did, and know nothing of unknown words', async () => {
    const { db } = await indexedStore(80, 3);
    expectSameRanking(ours(db, ['retry', 'retries'], 20), fts5Ranking(db, ['retry', 'retries'], 20));
    expect(ours(db, ['zzyzx'], 10)).toEqual([]);
  });

  it('rank nothing in an empty index', async () => {
    const { db } = await indexedStore(0, 1);
    expect(ours(db, ['anything'], 10)).toEqual([]);
  });
});
