import { describe, expect, it } from 'vitest';
import { emptyTokens, type SessionDetail, type TimelineEvent } from '../sessions/types.js';
import { distinctiveTerms, findCitations, type CitationInput } from './cite.js';
import type { InjectEvent } from './ledger.js';

const SESSION = 'sess-1';
const NOW = '2025-03-01T12:00:00.000Z';

function detail(timeline: TimelineEvent[], id = SESSION): SessionDetail {
  return {
    summary: {
      id,
      agent: 'claude',
      file: '/t/sess.jsonl',
      project: '/repo',
      gitBranch: 'main',
      title: null,
      startedAt: '2025-03-01T10:00:00.000Z',
      endedAt: '2025-03-01T11:00:00.000Z',
      models: [],
      tokens: emptyTokens(),
      usage: [],
      peakContextTokens: 0,
      peakContextModel: null,
      contextSamples: [],
      turns: 1,
      userPrompts: 1,
      toolCalls: 0,
      errors: 0,
      compactions: 0,
      parentId: null,
      parentToolUseId: null,
      replyKeys: [],
    },
    timeline,
    filesRead: [],
    filesWritten: [],
    commands: [],
  };
}

const at = (minute: number): string => `2025-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
const prompt = (text: string, minute = 0): TimelineEvent => ({ kind: 'prompt', timestamp: at(minute), text });
const say = (text: string, minute: number): TimelineEvent => ({
  kind: 'assistant',
  timestamp: at(minute),
  text,
  model: null,
});
const bash = (command: string, minute: number): TimelineEvent => ({
  kind: 'tool',
  timestamp: at(minute),
  call: { id: `t${minute}`, name: 'Bash', input: { command }, result: null, isError: false, timestamp: at(minute) },
});

const MIGRATE = {
  id: 'L-migrate001',
  title: 'Migrate the test database first',
  body: 'Run `MIX_ENV=test mix ecto.migrate` before `mix test` after adding a migration.',
};
const LEASE = {
  id: 'L-lease00001',
  title: 'Lease your force pushes',
  body: 'Use `git push --force-with-lease` instead of `git push --force`.',
};
const OTHER = { id: 'L-other00001', title: 'Another learning', body: 'Nothing in particular.' };

function input(timeline: TimelineEvent[], more: Partial<CitationInput> = {}): CitationInput {
  return {
    detail: detail(timeline),
    learnings: new Map([MIGRATE, LEASE, OTHER].map((l) => [l.id, l])),
    injections: [],
    alreadyCited: new Set(),
    now: NOW,
    ...more,
  };
}

const injected = (ids: string[], minute: number, session: string | null = SESSION): InjectEvent => ({
  kind: 'inject',
  ts: at(minute),
  ids,
  ...(session ? { session } : {}),
  query: 'q',
  tokens: 100,
  budget: 1500,
});

describe('explicit citations', () => {
  it('credits an id the agent wrote', () => {
    const cites = findCitations(input([prompt('fix the build'), say(`Applying [${LEASE.id}] here.`, 5)]));
    expect(cites).toEqual([
      {
        kind: 'cite',
        ts: NOW,
        id: LEASE.id,
        session: SESSION,
        how: 'explicit',
        evidence: `Applying [${LEASE.id}] here.`,
      },
    ]);
  });

  it('credits an id in a command the agent ran, once per session', () => {
    const cites = findCitations(input([say(`per ${OTHER.id}`, 1), bash(`echo ${OTHER.id}`, 2)]));
    expect(cites.map((c) => [c.id, c.how])).toEqual([[OTHER.id, 'explicit']]);
  });

  it('does not credit an id that appears only in the user prompt, or an unknown id', () => {
    expect(findCitations(input([prompt(`is ${LEASE.id} still right?`), say('Looking into it.', 1)]))).toEqual([]);
    expect(findCitations(input([say('See L-zzzzzzzzzz.', 1)]))).toEqual([]);
  });

  it('does not repeat a pair cited already', () => {
    const already = new Set([`${LEASE.id}\u0000${SESSION}`]);
    expect(findCitations(input([say(`Using ${LEASE.id}.`, 1)], { alreadyCited: already }))).toEqual([]);
    // The same learning in another session is a new citation.
    const other = input([say(`Using ${LEASE.id}.`, 1)], { alreadyCited: already });
    other.detail = detail(other.detail.timeline, 'sess-2');
    expect(findCitations(other).map((c) => c.session)).toEqual(['sess-2']);
  });

  it('redacts secrets in the evidence', () => {
    const key = `sk-${'a1B2'.repeat(8)}`;
    const [c] = findCitations(input([say(`Per ${LEASE.id}, export OPENAI_API_KEY=${key}`, 1)]));
    expect(c!.evidence).not.toContain(key);
    expect(c!.evidence).toContain('[REDACTED');
  });
});

describe('implicit citations', () => {
  it('credits the injected learning whose terms the agent then used, and only that one', () => {
    const cites = findCitations(
      input(
        [
          prompt('the tests fail with a missing table', 1),
          say('Let me migrate the test database.', 3),
          bash('MIX_ENV=test mix ecto.migrate && mix test', 4),
        ],
        { injections: [injected([MIGRATE.id, LEASE.id], 2)] },
      ),
    );
    expect(cites).toHaveLength(1);
    expect(cites[0]).toMatchObject({ id: MIGRATE.id, session: SESSION, how: 'implicit' });
    expect(cites[0]!.evidence).toMatch(/^used .*mix_env.* in: /);
  });

  it('does not credit a learning that was not injected into this session', () => {
    const timeline = [bash('MIX_ENV=test mix ecto.migrate && mix test', 4)];
    expect(findCitations(input(timeline, { injections: [injected([MIGRATE.id], 2, 'other-session')] }))).toEqual([]);
    expect(findCitations(input(timeline))).toEqual([]);
  });

  it('does not credit terms the user typed, or actions before the injection', () => {
    const userSaid = input(
      [
        prompt('run MIX_ENV=test mix ecto.migrate then mix test', 1),
        bash('MIX_ENV=test mix ecto.migrate && mix test', 4),
      ],
      {
        injections: [injected([MIGRATE.id], 2)],
      },
    );
    expect(findCitations(userSaid)).toEqual([]);
    const before = input([bash('MIX_ENV=test mix ecto.migrate && mix test', 1)], {
      injections: [injected([MIGRATE.id], 2)],
    });
    expect(findCitations(before)).toEqual([]);
  });

  it('does not credit prose that merely repeats the terms', () => {
    const prose = input([say('I could run `MIX_ENV=test mix ecto.migrate` and `mix test`.', 4)], {
      injections: [injected([MIGRATE.id], 2)],
    });
    expect(findCitations(prose)).toEqual([]);
  });

  it('pairs an injection without a session id by time', () => {
    const timeline = [bash('MIX_ENV=test mix ecto.migrate && mix test', 30)];
    expect(findCitations(input(timeline, { injections: [injected([MIGRATE.id], 5, null)] })).map((c) => c.id)).toEqual([
      MIGRATE.id,
    ]);
    const longBefore = { ...injected([MIGRATE.id], 0, null), ts: '2025-03-01T09:00:00.000Z' };
    expect(findCitations(input(timeline, { injections: [longBefore] }))).toEqual([]);
  });

  it('does not repeat a pair cited already, nor credit twice when the id is explicit too', () => {
    const timeline = [bash('MIX_ENV=test mix ecto.migrate && mix test', 4)];
    const injections = [injected([MIGRATE.id], 2)];
    expect(
      findCitations(input(timeline, { injections, alreadyCited: new Set([`${MIGRATE.id}\u0000${SESSION}`]) })),
    ).toEqual([]);
    const both = findCitations(input([say(`Following ${MIGRATE.id}.`, 3), ...timeline], { injections }));
    expect(both.map((c) => [c.id, c.how])).toEqual([[MIGRATE.id, 'explicit']]);
  });
});

describe('distinctiveTerms', () => {
  it('takes code spans, paths, flags and identifiers, never ids or short words', () => {
    const terms = distinctiveTerms(
      'Use `npm ci` (not `ls`) in lib/app/config.ts with --frozen-lockfile, call getUserName and set MAX_RETRIES; see L-0123456789.',
    );
    expect(terms).toEqual(
      expect.arrayContaining([
        'npm ci',
        'lib/app/config.ts',
        '--frozen-lockfile',
        'getusername',
        'max_retries',
        'config.ts',
      ]),
    );
    expect(terms).not.toContain('ls');
    expect(terms.some((t) => t.startsWith('l-'))).toBe(false);
  });
});
