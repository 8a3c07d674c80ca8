import { describe, expect, it } from 'vitest';
import { type ScriptEvent, buildDetail } from './build-detail.js';
import { contextOf } from './context.js';
import { extractStatements } from './statements.js';

function statements(script: ScriptEvent[]) {
  return extractStatements(contextOf(buildDetail(script))).map((d) => d.candidate);
}

describe('extractStatements', () => {
  it('keeps a stated root cause with its file context', () => {
    const [c, ...rest] = statements([
      { tool: 'Read', input: { file_path: '/repo/src/auth/session.ts' }, result: 'refresh()' },
      { agent: 'The root cause is that `refresh()` in session.ts is not awaited, so two refreshes overlap.' },
    ]);
    expect(rest).toHaveLength(0);
    expect(c?.type).toBe('failure');
    expect(c?.extractor).toBe('statement');
    expect(c?.title).toBe('`refresh()` in session.ts is not awaited, so two refreshes overlap');
    expect(c?.scope).toEqual(['src/auth/session.ts']);
    expect(c?.tags).toContain('typescript');
    expect(c?.source.line).toBe(3);
  });

  it('keeps gotchas with their remedy, and decisions with a reason', () => {
    const found = statements([
      {
        agent:
          "The generated migration uses `ALTER TABLE ... modify`, which SQLite doesn't support for nullability changes. I need to rewrite it with a table copy.",
      },
      { agent: "I'll use `better-sqlite3` because it is synchronous and needs no pool." },
      { agent: 'The tests fail because the form has no submit button; shall I add one?' },
    ]);
    expect(found.map((c) => [c.type, c.title])).toEqual([
      ['gotcha', "The generated migration uses `ALTER TABLE ... modify`, which SQLite doesn't support…"],
      ['decision', "I'll use `better-sqlite3` because it is synchronous and needs no pool"],
      ['failure', 'The tests fail because the form has no submit button'],
    ]);
    expect(found[0]?.body).toContain('**How to apply**\nRewrite it with a table copy.');
  });

  it('ignores narration, status and hedged guesses', () => {
    expect(
      statements([
        { agent: 'Let me check the file.' },
        { agent: 'All 43 tests pass. Clean compile.' },
        { agent: 'Now let me run the migration because the schema changed.' },
        { agent: "Expected — the `AnnotationMessageRef` module doesn't exist yet. Let me create it now." },
        { agent: 'This might be because `mix` caches the build; maybe the issue is the lock file.' },
        { agent: 'Good. The problem is clear now.' },
        { agent: 'I see the issue. Let me fix it.' },
      ]),
    ).toEqual([]);
  });

  it('reads only root causes in long reports and skips compaction summaries', () => {
    const report = `## Summary\n\n- Note that \`Tmux.list_panes/0\` doesn't support remote hosts.\n${'- item\n'.repeat(6)}`;
    expect(statements([{ agent: report }])).toEqual([]);
    expect(
      statements([
        { user: 'Your task is to create a detailed summary of the conversation so far.' },
        { agent: 'The root cause was that `config/test.exs` had no `secret_key_base`.' },
      ]),
    ).toEqual([]);
  });
});
