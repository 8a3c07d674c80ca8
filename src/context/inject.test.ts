import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../index/search.js';
import { buildPacket, DEFAULT_BUDGET, estimateTokens } from './inject.js';

function hit(n: number, body: string, more: { score?: number; relevance?: number; title?: string } = {}): SearchHit {
  return {
    id: `L-${String(n).padStart(10, '0')}`,
    title: more.title ?? `Learning number ${n}`,
    type: 'gotcha',
    store: 'repo',
    file: `/x/${n}.md`,
    body,
    tags: [],
    scope: [],
    source: { agent: 'human' },
    created: '2025-03-01T10:00:00.000Z',
    score: more.score ?? 1,
    retired: null,
    why: {
      bm25: 1,
      vector: null,
      relevance: more.relevance ?? 1,
      matched: [],
      scope: null,
      scopeFactor: 1,
      freshness: 1,
      utility: 0.5,
      maturity: 'candidate',
      maturityFactor: 1,
      storeFactor: 1,
    },
  };
}

const sentence = 'Run the migrations against the test database before the suite starts. ';

describe('buildPacket', () => {
  it('stays within the budget for many long learnings', () => {
    const hits = Array.from({ length: 40 }, (_, i) => hit(i, sentence.repeat(10 + i), { score: 1 - i * 0.01 }));
    for (const budget of [200, 500, DEFAULT_BUDGET, 4000]) {
      const p = buildPacket(hits, budget);
      expect(p.learnings.length).toBeGreaterThan(0);
      expect(p.tokens).toBeLessThanOrEqual(budget);
      expect(estimateTokens(p.markdown)).toBeLessThanOrEqual(p.tokens);
      expect(p.budget).toBe(budget);
      expect(p.omitted).toBe(hits.length - p.learnings.length);
    }
  });

  it('stays within the budget for every body length, to the token', () => {
    for (let budget = 100; budget < 300; budget += 7) {
      for (let n = 1; n < 1200; n += 3) {
        const p = buildPacket([hit(1, 'x'.repeat(n), { title: 'T'.repeat(1 + (n % 5)) })], budget);
        expect(p.tokens).toBeLessThanOrEqual(budget);
      }
    }
  });

  it('shortens a long body at a sentence and says so', () => {
    const p = buildPacket([hit(1, sentence.repeat(200))], 600);
    const [l] = p.learnings;
    expect(l!.truncated).toBe(true);
    expect(l!.body.endsWith('.…')).toBe(true);
    expect(l!.body.length).toBeLessThan(sentence.length * 200);
    // One learning may take at most half the budget.
    expect(estimateTokens(l!.body)).toBeLessThanOrEqual(300);
    const short = buildPacket([hit(2, 'Short body.')], 600);
    expect(short.learnings[0]).toMatchObject({ body: 'Short body.', truncated: false });
  });

  it('puts each learning under its id and asks for citations', () => {
    const hits = [hit(1, 'First body.'), hit(2, 'Second body.', { score: 0.9 })];
    const p = buildPacket(hits);
    expect(p.learnings.map((l) => l.id)).toEqual([hits[0]!.id, hits[1]!.id]);
    expect(p.markdown).toMatch(/^## Learnings from earlier sessions\n/);
    expect(p.markdown).toContain('cite its id');
    for (const h of hits) expect(p.markdown).toContain(`### [${h.id}] ${h.title}\n_gotcha, candidate_\n\n${h.body}\n`);
    expect(p.learnings[0]).toEqual({
      id: hits[0]!.id,
      title: hits[0]!.title,
      type: 'gotcha',
      body: 'First body.',
      score: 1,
      store: 'repo',
      maturity: 'candidate',
      truncated: false,
    });
  });

  it('marks learnings from the user store', () => {
    const p = buildPacket([{ ...hit(1, 'Body.'), store: 'user' }]);
    expect(p.markdown).toContain('_gotcha, candidate, user-level_');
  });

  it('gives nothing for no hits', () => {
    expect(buildPacket([])).toEqual({ learnings: [], tokens: 0, budget: DEFAULT_BUDGET, omitted: 0, markdown: '' });
  });

  it('drops hits below the relevance floor and hits that matched no word', () => {
    const hits = [
      hit(1, 'Strong.', { score: 1 }),
      hit(2, 'Fair.', { score: 0.3 }),
      hit(3, 'Weak.', { score: 0.2 }),
      hit(4, 'Scoped only.', { score: 0.9, relevance: 0 }),
    ];
    const p = buildPacket(hits);
    expect(p.learnings.map((l) => l.body)).toEqual(['Strong.', 'Fair.']);
    expect(p.omitted).toBe(2);
    expect(p.markdown).not.toContain('Weak.');
  });

  it('gives nothing when the budget cannot hold the header and one learning', () => {
    const p = buildPacket([hit(1, 'Body.')], 50);
    expect(p).toMatchObject({ learnings: [], tokens: 0, markdown: '', omitted: 1 });
  });
});
