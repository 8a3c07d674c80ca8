import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLearning, saveLearning } from '../knowledge/store.js';
import type { Learning } from '../knowledge/types.js';
import { tempDirs } from '../test-support/fixture-files.js';
import type { Db } from './db.js';
import { evaluate, readEvalSet } from './eval.js';
import { openIndex } from './open.js';

const temp = tempDirs();
const TS = '2025-03-01T10:00:00.000Z';
const NOW = Date.parse('2025-03-02T10:00:00.000Z');

function learning(title: string, text: string): Learning {
  return buildLearning({ title, text, source: { agent: 'human' }, created: TS, tags: ['notes'] });
}

const SQUASH = learning('Squash migrations before a release', 'Keep one migration file per release.');
const DEPLOY = learning('Deploy with the release workflow', 'Trigger the GitHub workflow; never from a laptop.');
const ROLLBACK = learning(
  'Roll back with the previous image',
  'If a deploy goes wrong, redeploy the previous container image tag rather than reverting commits, then investigate.',
);
const LEASE = learning('Lease your force pushes', 'Use `git push --force-with-lease` on shared branches.');

let db: Db;

beforeAll(async () => {
  const root = temp.make();
  const agents = join(root, '.agents');
  for (const l of [SQUASH, DEPLOY, ROLLBACK, LEASE]) saveLearning(agents, l);
  db = (await openIndex({ root, repoAgents: agents, userAgents: join(root, 'home', '.agents') }, 'full')).db;
});

afterAll(() => {
  db.close();
  temp.cleanup();
});

describe('evaluate', () => {
  const report = () =>
    evaluate(
      db,
      {
        k: 3,
        queries: [
          // First hit relevant: recall 1, reciprocal rank 1, nDCG 1.
          { prompt: 'squash migrations', relevant: [{ title: 'SQUASH MIGRATIONS' }] },
          // The relevant learning ranks second: reciprocal rank 1/2, nDCG 1/log2(3).
          { prompt: 'deploy', relevant: [{ id: ROLLBACK.id }] },
          // One of two expected learnings does not exist: recall 1/2, nDCG 1/(1 + 1/log2(3)).
          { prompt: 'force push lease', relevant: [{ id: LEASE.id }, { title: 'no such learning' }] },
        ],
      },
      NOW,
    );

  it('scores each query from where its relevant learnings rank', () => {
    const r = report();
    expect(r.results[1]!.top.map((t) => t.id)).toEqual([DEPLOY.id, ROLLBACK.id]);
    expect(r.results.map((q) => [q.recall, q.reciprocalRank])).toEqual([
      [1, 1],
      [1, 0.5],
      [0.5, 1],
    ]);
    expect(r.results[0]!.ndcg).toBe(1);
    expect(r.results[1]!.ndcg).toBeCloseTo(1 / Math.log2(3), 6);
    expect(r.results[2]!.ndcg).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 6);
  });

  it('averages them over the set', () => {
    const r = report();
    expect(r).toMatchObject({ k: 3, queries: 3, recallAtK: 0.833, mrr: 0.833 });
    expect(r.ndcgAtK).toBeCloseTo((1 + 1 / Math.log2(3) + 1 / (1 + 1 / Math.log2(3))) / 3, 3);
  });

  it('resolves labels by id or by a piece of the title, and lists the ones it cannot resolve', () => {
    const r = report();
    expect(r.results[0]).toMatchObject({ relevant: [SQUASH.id], unresolved: [] });
    expect(r.results[2]).toMatchObject({ relevant: [LEASE.id], unresolved: ['title~no such learning'] });
    expect(r.results[0]!.top[0]).toMatchObject({ id: SQUASH.id, title: SQUASH.title, relevant: true });
    const missing = evaluate(db, { k: 3, queries: [{ prompt: 'deploy', relevant: [{ id: 'L-missing000' }] }] }, NOW);
    expect(missing.results[0]).toMatchObject({ relevant: [], unresolved: ['L-missing000'], recall: 0, ndcg: 0 });
  });

  it('gives zeros for an empty set', () => {
    expect(evaluate(db, { k: 5, queries: [] }, NOW)).toEqual({
      k: 5,
      queries: 0,
      recallAtK: 0,
      mrr: 0,
      ndcgAtK: 0,
      results: [],
    });
  });
});

describe('readEvalSet', () => {
  it('reads labels in every form, k defaulting to 5', () => {
    const r = readEvalSet({
      queries: [
        {
          prompt: 'deploy',
          paths: ['lib/a.ex'],
          relevant: ['L-0123456789', 'release workflow', { id: 'L-9876543210' }, { title: 'roll back' }],
        },
      ],
    });
    expect(r).toEqual({
      set: {
        k: 5,
        queries: [
          {
            prompt: 'deploy',
            paths: ['lib/a.ex'],
            relevant: [
              { id: 'L-0123456789' },
              { title: 'release workflow' },
              { id: 'L-9876543210' },
              { title: 'roll back' },
            ],
          },
        ],
      },
      problems: [],
    });
  });

  it('reports every problem with its path', () => {
    const r = readEvalSet({
      k: 0,
      queries: [
        { relevant: ['x'] },
        { prompt: 'p', paths: 'lib/a.ex', relevant: [] },
        'not a mapping',
        { prompt: 'q', relevant: ['ok', 7, { name: 'x' }] },
      ],
    });
    expect(r.set).toBeUndefined();
    expect(r.problems).toEqual([
      'k: expected a positive integer',
      'queries[0].prompt: expected text',
      'queries[1].paths: expected a list of paths',
      'queries[1].relevant: expected a non-empty list',
      'queries[2]: expected a mapping',
      'queries[3].relevant[1]: expected an id, a title piece, {id} or {title}',
      'queries[3].relevant[2]: expected an id, a title piece, {id} or {title}',
    ]);
  });

  it('rejects a document that is not a mapping with a list of queries', () => {
    expect(readEvalSet(null).problems).toEqual(['expected a mapping with `queries`']);
    expect(readEvalSet([1]).problems).toEqual(['expected a mapping with `queries`']);
    expect(readEvalSet({ k: 2.5, queries: {} }).problems).toEqual([
      'k: expected a positive integer',
      'queries: expected a list',
    ]);
  });
});
