import { describe, expect, it } from 'vitest';
import { errorLine, normaliseSignature, signatureOf } from './signature.js';
import { detectTags } from './tags.js';
import { MAX_TITLE, splitSentences, toTitle } from './text.js';
import { commandFamily, displayCommand, isReadOnly } from './tools.js';

describe('splitSentences', () => {
  it('splits prose into sentences, drops code fences and list markers', () => {
    const text = 'First point. Second point!\n\n- a bullet item\n```\nconst x = 1. Not prose.\n```\n## Heading';
    expect(splitSentences(text)).toEqual(['First point.', 'Second point!', 'a bullet item', 'Heading']);
  });

  it('never splits inside inline code', () => {
    const text = 'The migration uses `ALTER TABLE ... ADD` without a default. Rewrite it.';
    expect(splitSentences(text)).toEqual([
      'The migration uses `ALTER TABLE ... ADD` without a default.',
      'Rewrite it.',
    ]);
  });

  it('skips markdown table rows', () => {
    expect(splitSentences('| a | b |\n|---|---|\nText here.')).toEqual(['Text here.']);
  });
});

describe('toTitle', () => {
  it('drops lead-ins and the trailing period', () => {
    expect(toTitle('The issue is that the endpoint is not configured for tests.')).toBe(
      'The endpoint is not configured for tests',
    );
    expect(toTitle("No, don't use mocks.")).toBe("Don't use mocks");
  });

  it('prefers the specific part after a vague head', () => {
    expect(
      toTitle('This is a known Elixir compiler bug — aliases used only inside `rescue` blocks are reported as unused.'),
    ).toBe('Aliases used only inside `rescue` blocks are reported as unused');
  });

  it('keeps titles within the limit, cutting at a clause when it can', () => {
    const title = toTitle(
      'The build script expects to be run from within the `assets/` directory since the entry point is `js/app.js` (relative).',
    );
    expect(title).toBe('The build script expects to be run from within the `assets/` directory');
    const long = toTitle(`${'word '.repeat(40)}end.`);
    expect(long.length).toBeLessThanOrEqual(MAX_TITLE);
  });
});

describe('error signatures', () => {
  it('gives the same signature to the same error in two runs', () => {
    const a = normaliseSignature(
      '/home/a/proj/lib/foo.ex:135:5 error: undefined function get/2 at 2026-02-11T21:09:39.387Z (0x7ffe12ab)',
    );
    const b = normaliseSignature(
      '/Users/b/work/proj/lib/foo.ex:12:9 error: undefined function get/2 at 2026-03-01T08:00:00Z (0x1234abcd)',
    );
    expect(a).toBe(b);
    expect(a).toContain('foo.ex');
    expect(a).toContain('get/2');
    expect(a).not.toContain('/home');
  });

  it('strips hashes, ids and counts', () => {
    expect(normaliseSignature('commit 9f3c2a1b failed for 1f0e8a7b-6c43-4f7a-9c21-5d0e8a7b6c43 after 12 tries')).toBe(
      'commit <hex> failed for <id> after N tries',
    );
  });

  it('finds the first meaningful error line past build chatter', () => {
    const out = 'Exit code 1\nCompiling 4 files (.ex)\nGenerated spotter app\n     error: undefined function get/2\n';
    expect(errorLine(out)).toBe('error: undefined function get/2');
  });

  it('joins a short header with the line after it', () => {
    expect(errorLine('Pre-commit validation failed:\\n\\n[FORMAT] Code is not formatted.')).toBe(
      'Pre-commit validation failed: [FORMAT] Code is not formatted.',
    );
  });

  it('reads esbuild and credo output', () => {
    expect(errorLine('Exit code 1\n✘ [ERROR] Could not resolve "js/app.js"\n\n1 error\nError: Build failed')).toBe(
      '✘ [ERROR] Could not resolve "js/app.js"',
    );
    expect(
      errorLine(
        'Exit code 2\nChecking 3 source files ...\n  Software Design\n┃ \n┃ [D] ↘ Nested modules could be aliased.',
      ),
    ).toBe('[D] Nested modules could be aliased.');
  });

  it('has no signature for empty output', () => {
    expect(signatureOf('')).toBeNull();
    expect(signatureOf(null)).toBeNull();
  });
});

describe('commands', () => {
  it('names a command family from the last working segment', () => {
    expect(commandFamily('mix test test/foo_test.exs 2>&1 | tail -30')).toBe('mix test');
    expect(commandFamily('cd assets && node build.js')).toBe('node build.js');
    expect(commandFamily('node assets/build.js 2>&1')).toBe('node build.js');
    expect(commandFamily('git add -A && git commit -m "feat: x\n\n- a; b"')).toBe('git commit');
    expect(commandFamily('npx vitest run')).toBe('vitest');
    expect(commandFamily('npm run lint -- --fix')).toBe('npm run lint');
    expect(commandFamily('python -m pytest -q')).toBe('pytest');
  });

  it('recognises commands that only look', () => {
    expect(isReadOnly('ls -la src')).toBe(true);
    expect(isReadOnly('git status --short && git diff')).toBe(true);
    expect(isReadOnly('cat missing.txt')).toBe(true);
    expect(isReadOnly('mix test')).toBe(false);
    expect(isReadOnly('ls && rm -rf build')).toBe(false);
  });

  it('shortens commands for display', () => {
    expect(displayCommand(`git commit -m "$(cat <<'EOF'\nfeat: a\nEOF\n)"`)).toBe('git commit -m "…"');
    expect(displayCommand('mix deps.get 2>&1 | tail -5')).toBe('mix deps.get');
  });
});

describe('detectTags', () => {
  it('tags languages, tools and error classes', () => {
    expect(detectTags(['mix test failed', 'SQLite migration'], ['lib/a.ex'], 'error: undefined function')).toEqual(
      expect.arrayContaining(['elixir', 'sqlite', 'compile-error']),
    );
    expect(detectTags(['npx vitest run'], ['src/a.ts'])).toEqual(
      expect.arrayContaining(['npm', 'vitest', 'typescript']),
    );
    expect(detectTags(['let me check the file'])).toEqual([]);
  });
});
