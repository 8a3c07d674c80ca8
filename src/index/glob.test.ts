import { describe, expect, it } from 'vitest';
import { globToRegExp, matchesAny, pathKeys, scopeKey } from './glob.js';

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

describe('scope keys', () => {
  it.each([
    ['lib/**', 'p:lib'],
    ['./lib/', 'p:lib'],
    ['src/auth/session.ts', 'p:src/auth/session.ts'],
    ['src/**/*.ts', 'p:src'],
    ['src/auth*/x.ts', 'p:src'],
    ['*.ts', 's:.ts'],
    ['*_test.go', 's:_test.go'],
    ['Makefile', 'n:Makefile'],
    ['**/*.ts', '*'],
    ['file?.md', '*'],
    ['*', '*'],
    ['/abs/path', '*'],
  ])('%s has the key %s', (glob, key) => {
    expect(scopeKey(glob)).toBe(key);
  });

  it('the keys of a path include the key of every glob that matches it', () => {
    const globPieces = [
      'src',
      'lib',
      'a',
      'b.ts',
      '*.ts',
      '*',
      '**',
      'x?',
      '{a,b}',
      '[ab]',
      'Makefile',
      'a.b',
      '.',
      '',
    ];
    const pathPieces = ['src', 'lib', 'a', 'b', 'b.ts', 'x1', 'Makefile', 'a.b', 'c.tsx', '.hidden', 'a.ts'];
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const join = (pieces: string[], most: number): string =>
      Array.from({ length: 1 + next(most) }, () => pieces[next(pieces.length)]!).join('/');
    let matched = 0;
    for (let i = 0; i < 20_000; i++) {
      const glob = `${next(5) === 0 ? './' : ''}${join(globPieces, 4)}${next(6) === 0 ? '/' : ''}`;
      const path = `${next(8) === 0 ? './' : ''}${join(pathPieces, 4)}`;
      if (!matchesAny(glob, [path])) continue;
      matched++;
      expect(pathKeys([path]), `${glob} matches ${path}`).toContain(scopeKey(glob));
    }
    // The check saw plenty of matches, not only misses.
    expect(matched).toBeGreaterThan(2000);
  });
});
