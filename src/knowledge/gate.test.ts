import { describe, expect, it } from 'vitest';
import { ACCEPT_AT, DUPLICATE_AT, gateCandidate, HOLD_AT, RESEMBLES_AT, type Neighbour } from './gate.js';
import { similarity } from './similarity.js';
import type { Candidate } from './types.js';

function candidate(title: string, body: string, more: Partial<Candidate> = {}): Candidate {
  return {
    title,
    type: 'fix',
    body,
    tags: [],
    scope: [],
    source: { agent: 'claude', session: 's1' },
    confidence: 0.7,
    extractor: 'error-fix',
    evidence: [],
    ...more,
  };
}

const MIGRATE = candidate(
  'Run `MIX_ENV=test mix ecto.migrate` before `mix test`',
  [
    'The suite failed with `Postgrex.Error` relation "users" does not exist after adding priv/repo/migrations/20250301_add_users.exs.',
    '',
    '**How to apply:** always run `MIX_ENV=test mix ecto.migrate` after adding a migration, before running `mix test`; never reset the shared database.',
  ].join('\n'),
);

const UNRELATED: Neighbour[] = [
  {
    id: 'L-lease00001',
    title: 'Lease your force pushes',
    body: 'Use `git push --force-with-lease` instead of a plain force push on shared branches.',
  },
];

describe('gateCandidate', () => {
  it('accepts a specific, actionable candidate', () => {
    const d = gateCandidate(MIGRATE, UNRELATED);
    expect(d.verdict).toBe('accept');
    expect(d.score).toBeGreaterThanOrEqual(ACCEPT_AT);
    expect(d.duplicateOf).toBeNull();
    expect(d.scores.specificity).toBe(1);
    expect(d.scores.actionability).toBeGreaterThan(0.5);
    expect(d.scores.novelty).toBeGreaterThan(0.5);
    expect(d.reasons.at(-1)).toMatch(/^score \d+% \(accept ≥ 62%, hold ≥ 45%\)$/);
  });

  it('rejects a vague one', () => {
    const d = gateCandidate(candidate('Fixed the issue', 'Fixed the issue.'), UNRELATED);
    expect(d.verdict).toBe('reject');
    expect(d.reasons).toContain('too short to stand alone');
    const longButVague = gateCandidate(
      candidate(
        'The problem was resolved eventually',
        'There was a problem with the thing and it got resolved eventually after some time spent on it.',
      ),
      UNRELATED,
    );
    expect(longButVague.verdict).toBe('reject');
    expect(longButVague.score).toBeLessThan(HOLD_AT);
  });

  it('merges a near-duplicate of a stored learning into it', () => {
    const stored: Neighbour = { id: 'L-migrate001', title: MIGRATE.title, body: MIGRATE.body };
    const restated = candidate(MIGRATE.title, `${MIGRATE.body}\nSeen again today.`);
    const d = gateCandidate(restated, [...UNRELATED, stored]);
    expect(d.verdict).toBe('merge');
    expect(d.duplicateOf).toBe('L-migrate001');
    expect(d.reasons.at(-1)).toMatch(/^duplicate \(\d+% alike\) of L-migrate001$/);
  });

  it('merges a restatement under another title', () => {
    const stored: Neighbour = { id: 'L-migrate001', title: 'Migrate the test database first', body: MIGRATE.body };
    const d = gateCandidate(MIGRATE, [stored]);
    expect(d).toMatchObject({ verdict: 'merge', duplicateOf: 'L-migrate001' });
    const sim = similarity(`${MIGRATE.title}\n${MIGRATE.body}`, `${stored.title}\n${stored.body}`);
    expect(sim).toBeGreaterThanOrEqual(DUPLICATE_AT);
    expect(sim).toBeLessThan(1);
  });

  it('merges a candidate whose title restates a stored learning, whatever its evidence', () => {
    const stored: Neighbour = {
      id: 'L-migrate001',
      title: 'run MIX_ENV=test mix ecto.migrate before mix test!',
      body: 'x',
    };
    expect(gateCandidate(MIGRATE, [stored])).toMatchObject({ verdict: 'merge', duplicateOf: 'L-migrate001' });
  });

  it('merges a duplicate of an earlier candidate of the same run', () => {
    const d = gateCandidate(MIGRATE, [], [{ id: 'cand-1', title: MIGRATE.title, body: MIGRATE.body }]);
    expect(d).toMatchObject({ verdict: 'merge', duplicateOf: 'cand-1' });
    expect(d.reasons.at(-1)).toMatch(/of an earlier candidate$/);
  });

  it('holds a candidate that resembles a stored learning, for a person to decide', () => {
    const stored: Neighbour = {
      id: 'L-migrate001',
      title: 'Migrate the test database',
      body: 'Run `MIX_ENV=test mix ecto.migrate` after adding a migration, or `mix test` fails with a missing relation.',
    };
    const sim = similarity(`${MIGRATE.title}\n${MIGRATE.body}`, `${stored.title}\n${stored.body}`);
    expect(sim).toBeGreaterThanOrEqual(RESEMBLES_AT);
    expect(sim).toBeLessThan(DUPLICATE_AT);
    const d = gateCandidate(MIGRATE, [stored]);
    expect(d).toMatchObject({ verdict: 'hold', duplicateOf: 'L-migrate001' });
    expect(d.reasons.at(-1)).toMatch(/resembles L-migrate001 .*a person decides/);
  });

  it('penalises an overlong body', () => {
    const long = candidate(MIGRATE.title, `${MIGRATE.body}\n${'More detail about the failure. '.repeat(150)}`);
    expect(gateCandidate(long, []).scores.length).toBe(0.4);
    expect(gateCandidate(MIGRATE, []).scores.length).toBe(1);
  });
});

describe('similarity', () => {
  it('is 1 for the same text, 0 for unrelated or empty texts, and counts containment', () => {
    expect(similarity('run mix ecto.migrate', 'run mix ecto.migrate')).toBe(1);
    expect(similarity('run mix ecto.migrate', 'lease force pushes')).toBe(0);
    expect(similarity('', 'anything')).toBe(0);
    const short = 'migrate the test database';
    const long = 'always migrate the test database before running the whole suite on a new branch';
    expect(similarity(short, long)).toBeGreaterThan(0.6);
    // Word forms count as one.
    expect(similarity('testing migrations', 'tested migration')).toBe(1);
  });
});
