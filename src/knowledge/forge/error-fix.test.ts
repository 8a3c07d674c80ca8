import { describe, expect, it } from 'vitest';
import { type ScriptEvent, buildDetail } from './build-detail.js';
import { contextOf } from './context.js';
import { extractErrorFixes } from './error-fix.js';

function fixes(script: ScriptEvent[]) {
  return extractErrorFixes(contextOf(buildDetail(script, { project: '/repo' }))).map((d) => d.candidate);
}

const FAIL_SANDBOX =
  'Exit code 2\nRunning ExUnit with seed: 1\n\n  1) test mount (MyAppWeb.PageLiveTest)\n     ** (DBConnection.OwnershipError) cannot find ownership process for #PID<0.1.0>.';

describe('extractErrorFixes', () => {
  it('pairs a failing test run with the edit that made it pass', () => {
    const [c, ...rest] = fixes([
      { bash: 'mix test test/my_app_web/live/page_live_test.exs 2>&1', result: FAIL_SANDBOX, error: true },
      {
        agent:
          'The LiveView runs in a separate process that cannot access the test sandbox. I need to use shared mode.',
      },
      {
        tool: 'Edit',
        input: {
          file_path: '/repo/test/my_app_web/live/page_live_test.exs',
          old_string: 'Sandbox.checkout(Repo)',
          new_string: 'Sandbox.checkout(Repo)\nSandbox.mode(Repo, {:shared, self()})',
        },
        result: 'The file has been updated successfully.',
      },
      { bash: 'mix test test/my_app_web/live/page_live_test.exs 2>&1', result: '12 tests, 0 failures' },
    ]);
    expect(rest).toHaveLength(0);
    expect(c?.type).toBe('fix');
    expect(c?.extractor).toBe('error-fix');
    expect(c?.title).toBe('The LiveView runs in a separate process that cannot access the test sandbox');
    expect(c?.source.line).toBe(1);
    expect(c?.scope).toEqual(['test/my_app_web/live/page_live_test.exs']);
    expect(c?.tags).toEqual(expect.arrayContaining(['elixir', 'phoenix']));
    expect(c?.body).toContain('**How to apply**\nUse shared mode.');
    expect(c?.body).toContain('DBConnection.OwnershipError');
    expect(c?.body).toContain(
      '`Sandbox.checkout(Repo)` → `Sandbox.checkout(Repo) Sandbox.mode(Repo, {:shared, self()})`',
    );
    expect(c?.evidence[0]).toBe('mix test test/my_app_web/live/page_live_test.exs');
    expect(c?.confidence).toBeGreaterThan(0.6);
  });

  it('records a fix command run between the failure and the pass', () => {
    const [c] = fixes([
      {
        bash: 'git add -A && git commit -m "feat: x"',
        result: 'Pre-commit validation failed:\\n\\n[FORMAT] Code is not formatted.\\nRun mix format to fix.',
        error: true,
      },
      { bash: 'mix format' },
      { bash: 'git add -A && git commit -m "feat: x"', result: '[main 1a2b3c4] feat: x' },
    ]);
    expect(c?.title).toBe('Pre-commit [FORMAT] Code is not formatted: run `mix format` before `git commit`');
    expect(c?.body).toContain('Run `mix format` before `git commit`.');
  });

  it('records a changed command line (a flag added, another directory)', () => {
    const found = fixes([
      {
        bash: 'git push 2>&1',
        result: 'Exit code 128\nfatal: The current branch feat-x has no upstream branch.',
        error: true,
      },
      { bash: 'git push --set-upstream origin feat-x 2>&1', result: 'branch set up to track origin/feat-x' },
      { bash: 'node assets/build.js', result: 'Exit code 1\n✘ [ERROR] Could not resolve "js/app.js"', error: true },
      { bash: 'cd assets && node build.js', result: 'built in 40ms' },
    ]);
    expect(found.map((c) => c.title)).toEqual([
      'The current branch feat-x has no upstream branch: use `git push --set-upstream`',
      'Could not resolve "js/app.js": run `node build.js` as `cd assets && node build.js`',
    ]);
  });

  it('keeps each distinct error on the way to the pass', () => {
    const found = fixes([
      {
        bash: 'npm test',
        result: 'FAIL src/a.test.ts\n  1 failing: TypeError: fetchUser is not a function',
        error: true,
      },
      { agent: 'The mock is missing `fetchUser`.' },
      {
        tool: 'Edit',
        input: { file_path: '/repo/src/a.test.ts', old_string: 'vi.fn()', new_string: 'vi.fn(fetchUser)' },
      },
      { bash: 'npm test', result: 'FAIL src/a.test.ts\n  Error: Cannot find module ./config', error: true },
      { agent: 'The config module is not exported from `src/index.ts`.' },
      {
        tool: 'Edit',
        input: { file_path: '/repo/src/index.ts', old_string: 'export {}', new_string: 'export * from "./config"' },
      },
      { bash: 'npm test', result: 'Tests: 14 passed, 14 total' },
    ]);
    expect(found.map((c) => c.title)).toEqual([
      'The mock is missing `fetchUser`',
      'The config module is not exported from `src/index.ts`',
    ]);
  });

  it('skips trivial retries: a typo retried at once, a flaky rerun, a missing file, a run that never passes', () => {
    expect(
      fixes([
        { bash: 'mix tset', result: 'Exit code 1\n** (Mix) The task "tset" could not be found', error: true },
        { bash: 'mix test', result: '3 tests, 0 failures' },
        { bash: 'npm test', result: 'Exit code 1\nError: connect ECONNREFUSED 127.0.0.1:5432', error: true },
        { bash: 'npm test', result: 'Tests: 3 passed' },
        { bash: 'cat notes/missing.txt', result: 'cat: notes/missing.txt: No such file or directory', error: true },
        { tool: 'Write', input: { file_path: '/repo/notes/missing.txt', content: 'x' } },
        { bash: 'cat notes/missing.txt', result: 'x' },
        { bash: 'cargo build', result: 'error[E0425]: cannot find value `x` in this scope', error: true },
        { tool: 'Edit', input: { file_path: '/repo/src/main.rs', old_string: 'x', new_string: 'y' } },
        { bash: 'cargo build', result: 'error[E0425]: cannot find value `y` in this scope', error: true },
      ]),
    ).toEqual([]);
  });

  it('does not count commands rejected by the user or cancelled with a sibling', () => {
    expect(
      fixes([
        { bash: 'mix test', result: "The user doesn't want to proceed with this tool use.", error: true },
        { tool: 'Edit', input: { file_path: '/repo/lib/a.ex', old_string: 'a', new_string: 'b' } },
        { bash: 'mix test', result: '3 tests, 0 failures' },
      ]),
    ).toEqual([]);
  });
});
