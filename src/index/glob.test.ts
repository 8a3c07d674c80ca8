import { describe, expect, it } from 'vitest';
import { globToRegExp, matchesAny } from './glob.js';

describe('scope globs', () => {
  it.each([
    ['lib/**', 'lib/a/b.ex', true],
    ['lib/**', 'lib/a.ex', true],
    ['lib/**', 'libs/a.ex', false],
    ['lib/', 'lib/a.ex', true],
    ['*.ex', 'lib/deep/a.ex', true],
    ['*.ex', 'lib/a.exs', false],
    ['lib/*.ex', 'lib/a.ex', true],
    ['lib/*.ex', 'lib/x/a.ex', false],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/a/b/c.ts', true],
    ['src/{a,b}/*.ts', 'src/b/x.ts', true],
    ['src/{a,b}/*.ts', 'src/c/x.ts', false],
    ['src/[ab]/*.ts', 'src/a/x.ts', true],
    ['src/[!ab]/*.ts', 'src/a/x.ts', false],
    ['src/[!ab]/*.ts', 'src/c/x.ts', true],
    ['file?.md', 'docs/file1.md', true],
    ['./docs', 'docs/x/y.md', true],
    ['a.b', 'axb', false],
  ])('%s against %s: %s', (glob, path, want) => {
    expect(globToRegExp(glob).test(path)).toBe(want);
  });

  it('matches any of several paths, normalising separators', () => {
    expect(matchesAny('lib/**', ['test/a.exs', './lib/a.ex'])).toBe(true);
    expect(matchesAny('lib/**', ['lib\\win\\a.ex'])).toBe(true);
    expect(matchesAny('lib/**', [])).toBe(false);
  });
});
