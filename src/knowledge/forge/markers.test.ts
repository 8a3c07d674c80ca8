import { describe, expect, it } from 'vitest';
import { type ScriptEvent, buildDetail } from './build-detail.js';
import { contextOf } from './context.js';
import { extractMarkers, fileEntries, markedTexts } from './markers.js';

function markers(script: ScriptEvent[]) {
  return extractMarkers(contextOf(buildDetail(script))).map((d) => d.candidate);
}

describe('markedTexts', () => {
  it('finds every marker form', () => {
    const text = [
      'Done with the fix.',
      'LEARNING: Run `mix ecto.migrate` before `mix test` after adding a migration.',
      '- **Lesson learned:** esbuild resolves entry points relative to the working directory.',
      'TIL: `git push --set-upstream` is needed on a fresh worktree branch.',
      '[learning] Keep fixtures small.',
      'Cache keys must include the parser version #learning',
      '<learning>Never mock the database in integration tests.</learning>',
      'The learning rate was fine.',
    ].join('\n');
    expect(markedTexts(text)).toEqual([
      'Never mock the database in integration tests.',
      'Run `mix ecto.migrate` before `mix test` after adding a migration.',
      'esbuild resolves entry points relative to the working directory.',
      '`git push --set-upstream` is needed on a fresh worktree branch.',
      'Keep fixtures small.',
      'Cache keys must include the parser version',
    ]);
  });

  it('ignores markers inside code blocks', () => {
    expect(markedTexts('```\nLEARNING: not this one\n```')).toEqual([]);
  });
});

describe('fileEntries', () => {
  it('splits a learnings file into sections or bullets, not its title', () => {
    expect(fileEntries('# Learnings\n\n## Migrations\nRun migrate first.\n\n## Build\nRun from assets/.')).toEqual([
      '## Migrations\nRun migrate first.',
      '## Build\nRun from assets/.',
    ]);
    expect(fileEntries('# Notes\n\n- First thing.\n- Second thing.\n')).toEqual(['First thing.', 'Second thing.']);
    expect(fileEntries('---\nid: L-1\ntitle: Use real SQLite\n---\nBody text.')).toEqual([
      '## Use real SQLite\nBody text.',
    ]);
  });
});

describe('extractMarkers', () => {
  it('proposes each marked learning with high confidence and provenance', () => {
    const [c, ...rest] = markers([
      { user: 'Record what you learned.' },
      { agent: 'LEARNING: Run `mix ecto.migrate` before `mix test` after adding a migration.' },
    ]);
    expect(rest).toHaveLength(0);
    expect(c?.title).toBe('Run `mix ecto.migrate` before `mix test` after adding a migration');
    expect(c?.extractor).toBe('marker');
    expect(c?.confidence).toBeGreaterThanOrEqual(0.8);
    expect(c?.source.line).toBe(2);
    expect(c?.tags).toContain('elixir');
  });

  it('reads each entry of a learnings file the agent wrote, and only what an edit added', () => {
    const found = markers([
      {
        tool: 'Write',
        input: {
          file_path: '/repo/docs/learnings.md',
          content:
            '# Learnings\n\n- Always run `npm run build` before the e2e tests.\n- `AO_HOME` keeps the cache out of $HOME.\n',
        },
      },
      {
        tool: 'Edit',
        input: {
          file_path: '/repo/docs/learnings.md',
          old_string: '- `AO_HOME` keeps the cache out of $HOME.\n',
          new_string: '- `AO_HOME` keeps the cache out of $HOME.\n- Never import better-sqlite3 at module top level.\n',
        },
      },
      { tool: 'Write', input: { file_path: '/repo/src/app.ts', content: '// LEARNING-free code\n' } },
    ]);
    expect(found.map((c) => c.title)).toEqual([
      'Always run `npm run build` before the e2e tests',
      '`AO_HOME` keeps the cache out of $HOME',
      'Never import better-sqlite3 at module top level',
    ]);
    expect(found[0]?.type).toBe('convention');
    expect(found[0]?.body).toContain('docs/learnings.md');
  });

  it('finds nothing in ordinary text', () => {
    expect(markers([{ agent: 'I learned a lot about the codebase while reading it.' }])).toEqual([]);
  });
});
