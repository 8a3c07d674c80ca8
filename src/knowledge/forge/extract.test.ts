import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSessionDetail, loadSessions } from '../../sessions/load.js';
import { REPO_FIXTURES, SPOTTER, TEST_FIXTURES } from '../../test-support/fixture-files.js';
import type { Candidate } from '../types.js';
import { buildDetail } from './build-detail.js';
import { extractCandidates } from './extract.js';

interface Forged {
  session: string;
  candidates: Candidate[];
}

/** Every session under a folder, forged as `ao forge --source <dir>` would. */
async function forgeFolder(source: string): Promise<Forged[]> {
  const { sessions } = await loadSessions({ source, cache: null });
  const out: Forged[] = [];
  for (const summary of sessions) {
    const detail = await loadSessionDetail(summary);
    if (detail) out.push({ session: summary.id, candidates: extractCandidates(detail) });
  }
  return out;
}

function expectWellFormed(c: Candidate, withLine: boolean): void {
  expect(c.title.trim().length).toBeGreaterThan(10);
  expect(c.title.length).toBeLessThanOrEqual(90);
  expect(c.title).not.toMatch(/^(?:let me|now\b|all \d+ tests|i'll check)/i);
  expect(c.body).toContain('**What**');
  expect(c.body).toContain('**Evidence**');
  expect(c.evidence.length).toBeGreaterThan(0);
  expect(c.confidence).toBeGreaterThan(0);
  expect(c.confidence).toBeLessThanOrEqual(1);
  expect(c.source.session).toBeTruthy();
  if (withLine) expect(c.source.line).toBeGreaterThan(0);
}

describe('extractCandidates', () => {
  it('de-duplicates within a session, keeping the more confident candidate', () => {
    const detail = buildDetail([
      {
        bash: 'mix test',
        result: 'Exit code 2\n** (RuntimeError) no :secret_key_base configuration found',
        error: true,
      },
      { agent: 'The test config is missing `secret_key_base` for the endpoint.' },
      {
        tool: 'Edit',
        input: {
          file_path: '/repo/config/test.exs',
          old_string: 'import Config',
          new_string: 'import Config\nconfig :app, secret_key_base: "x"',
        },
      },
      { bash: 'mix test', result: '3 tests, 0 failures' },
    ]);
    const found = extractCandidates(detail);
    expect(found.map((c) => [c.extractor, c.title])).toEqual([
      ['error-fix', 'The test config is missing `secret_key_base` for the endpoint'],
    ]);
  });

  it('returns nothing for a session with nothing to learn', () => {
    const detail = buildDetail([
      { user: 'Add a dark mode toggle to the header' },
      { agent: 'Let me look at the header first.' },
      { tool: 'Read', input: { file_path: '/repo/src/header.tsx' }, result: 'export function Header() {}' },
      { agent: 'I added a toggle that switches the `dark` class on the document root.' },
      { user: 'Thanks!' },
      { agent: "You're welcome!" },
    ]);
    expect(extractCandidates(detail)).toEqual([]);
  });
});

describe('forge over the spotter fixtures', () => {
  let forged: Forged[] = [];
  beforeAll(async () => {
    forged = await forgeFolder(SPOTTER);
  });

  const all = (): Candidate[] => forged.flatMap((f) => f.candidates);
  const find = (session: string, line: number, title: RegExp): Candidate | undefined =>
    all().find((c) => c.source.session === session && c.source.line === line && title.test(c.title));

  it('yields a reasonable set of well-formed candidates', () => {
    expect(forged.length).toBeGreaterThanOrEqual(15);
    expect(all().length).toBeGreaterThanOrEqual(15);
    expect(all().length).toBeLessThanOrEqual(60);
    for (const c of all()) expectWellFormed(c, true);
    for (const f of forged) {
      const titles = f.candidates.map((c) => c.title.toLowerCase());
      expect(new Set(titles).size).toBe(titles.length);
    }
  });

  it('finds the error → fix learnings a careful engineer would keep', () => {
    const gqc = '258c7280-ae70-4798-800f-63464d01a85d';
    const sandbox = find(gqc, 1064, /LiveView runs in a separate process that can't access the test sandbox/);
    expect(sandbox).toMatchObject({ type: 'fix', extractor: 'error-fix' });
    expect(sandbox?.body).toContain('Sandbox.mode(Repo, {:shared, self()})');
    expect(sandbox?.scope).toEqual(['test/spotter_web/live/project_review_live_test.exs']);
    expect(sandbox?.source.transcript).toMatch(/258c7280-ae70-4798-800f-63464d01a85d\.jsonl$/);

    expect(find(gqc, 1016, /lazy_html/)?.body).toContain('mix deps.get');
    expect(find(gqc, 974, /secret_key_base/)?.scope).toEqual(['config/test.exs']);
    expect(find(gqc, 931, /Phoenix\.ConnTest/)).toBeDefined();
    expect(find(gqc, 608, /no upstream branch: use `git push --set-upstream`/)).toBeDefined();

    const fum = '8463c716-a2ea-4c14-9efa-87158ebd9f20';
    expect(find(fum, 784, /build script expects to be run from within the `assets\/` directory/)?.body).toContain(
      'cd assets && node build.js',
    );
    const a0y = 'fa812bfe-b295-4cca-9c2f-fdf01028cb46';
    expect(find(a0y, 512, /Aliases used only inside `rescue` blocks are reported as unused/)?.body).toContain(
      'credo:disable-for-next-line',
    );
    const otel = 'ae4a77f8-aedd-4bc1-888f-c94edc91af04';
    expect(find(otel, 656, /\[FORMAT\] Code is not formatted: run `mix format` before `git commit`/)).toBeDefined();
  });

  it('finds stated gotchas, causes and the repeated failure', () => {
    const gqc = '258c7280-ae70-4798-800f-63464d01a85d';
    expect(find(gqc, 186, /ALTER TABLE \.\.\. modify.*SQLite doesn't support/)).toMatchObject({
      type: 'gotcha',
      extractor: 'statement',
    });
    const otel = 'ae4a77f8-aedd-4bc1-888f-c94edc91af04';
    const retry = find(otel, 1338, /Don't retry `git commit` unchanged: it failed 5 times/);
    expect(retry).toMatchObject({ type: 'failure', extractor: 'anti-pattern' });
    expect(retry?.tags).toEqual(expect.arrayContaining(['git', 'dialyzer']));
    expect(find(otel, 1542, /That's the bug/)).toMatchObject({ type: 'failure' });
  });

  it('proposes nothing from compaction summaries, exploration reports or rejected tool calls', () => {
    for (const f of forged) {
      if (f.session.includes('/agent-acompact-') || f.session === 'short' || f.session === 'tool_heavy') {
        expect(f.candidates).toEqual([]);
      }
    }
  });
});

describe('forge over the other agents’ samples', () => {
  it('finds the correction, causes and fix the samples hold', async () => {
    const forged = await forgeFolder(REPO_FIXTURES);
    const all = forged.flatMap((f) => f.candidates);
    for (const c of all) expectWellFormed(c, false);
    const titles = all.map((c) => [c.extractor, c.title]);
    expect(titles).toEqual(
      expect.arrayContaining([
        ['correction', 'Read the API base URL from an environment variable instead'],
        ['statement', 'The page reads `user.name` before the user has loaded'],
        ['statement', 'The tests fail because the form has no submit button'],
        ['statement', 'The refresh was not awaited; fixed in src/auth/session.ts'],
        ['error-fix', expect.stringContaining('`health` is not defined')],
      ]),
    );
  });
});

const PLANTED = join(TEST_FIXTURES, 'planted-secrets');

describe.skipIf(!existsSync(PLANTED))('forge over test/fixtures/planted-secrets', () => {
  it('finds the rules, the correction, the error → fix with its root cause and the markers', async () => {
    const forged = await forgeFolder(PLANTED);
    const all = forged.flatMap((f) => f.candidates);
    for (const c of all) expectWellFormed(c, true);
    const has = (extractor: string, title: RegExp): boolean =>
      all.some((c) => c.extractor === extractor && title.test(c.title));
    expect(has('correction', /^Always run `npm test` before/)).toBe(true);
    expect(has('correction', /^Never commit \.env files$/)).toBe(true);
    expect(has('correction', /^Don't hardcode the rates token/)).toBe(true);
    expect(has('marker', /integer cents/)).toBe(true);
    expect(has('marker', /Stripe/)).toBe(true);
    // The stated root cause titles the error → fix it explains (the statement is merged into it).
    const fix = all.find((c) => c.extractor === 'error-fix');
    expect(fix?.title).toMatch(/`total\(\)` multiplies and sums floats/);
    expect(fix?.body).toContain('src/invoice/total.ts');
    // Redaction is the pipeline's next step, not the extractors': the secrets are still here.
    expect(all.some((c) => c.body.includes('sk_test_51FAKE'))).toBe(true);
  });
});
