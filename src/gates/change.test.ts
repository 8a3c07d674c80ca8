import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../lib/errors.js';
import { tempDirs } from '../test-support/fixture-files.js';
import { type ChangedFile, readChange } from './change.js';
import { commitAll, git, writeIn } from '../test-support/git-repo.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

/** A repository on `main` with one commit: a.txt (50 lines), logo.bin (binary). */
function repo(): string {
  const dir = temp.make();
  git(dir, 'init', '-q', '-b', 'main');
  writeIn(dir, 'a.txt', lines(50));
  writeFileSync(join(dir, 'logo.bin'), Buffer.from([0x89, 0x50, 0x00, 0x01, 0x02]));
  commitAll(dir, 'first');
  return dir;
}

const lines = (count: number, prefix = 'line'): string =>
  Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}\n`).join('');

const byPath = (files: ChangedFile[]): Record<string, ChangedFile> => Object.fromEntries(files.map((f) => [f.path, f]));

describe('readChange', () => {
  it('reads a range: lines per file, renames with both paths, binary and deleted files', () => {
    const dir = repo();
    const first = git(dir, 'rev-parse', 'HEAD');
    git(dir, 'mv', 'a.txt', 'b.txt');
    writeIn(dir, 'b.txt', lines(50) + 'one more\n');
    writeFileSync(join(dir, 'logo.bin'), Buffer.from([0x89, 0x50, 0x00, 0x09]));
    writeIn(dir, 'src/new file.ts', 'export const x = 1;\nexport const y = 2;\n');
    const second = commitAll(dir, 'second');
    git(dir, 'rm', '-q', 'src/new file.ts');
    const third = commitAll(dir, 'third');

    const change = readChange(dir, { kind: 'range', range: `${first}..${second}` });
    expect(change.base).toBe(first);
    expect(change.head).toBe(second);
    expect(change.commits).toEqual([second]);
    expect(byPath(change.files)).toEqual({
      'b.txt': { path: 'b.txt', oldPath: 'a.txt', status: 'renamed', added: 1, deleted: 0, binary: false },
      'logo.bin': { path: 'logo.bin', status: 'modified', added: 0, deleted: 0, binary: true },
      'src/new file.ts': { path: 'src/new file.ts', status: 'added', added: 2, deleted: 0, binary: false },
    });

    const all = readChange(dir, { kind: 'range', range: `${first}..` });
    expect(all.head).toBe(third);
    expect(all.commits).toEqual([third, second]);
    expect(all.files.map((f) => f.path).sort()).toEqual(['b.txt', 'logo.bin']);

    const last = readChange(dir, { kind: 'range', range: 'HEAD' });
    expect(last.base).toBe(second);
    expect(last.commits).toEqual([third]);
    expect(last.files).toEqual([{ path: 'src/new file.ts', status: 'deleted', added: 0, deleted: 2, binary: false }]);
  });

  it('reads a root commit against the empty tree', () => {
    const dir = repo();
    const change = readChange(dir, { kind: 'range', range: 'HEAD' });
    expect(change.base).toBeNull();
    expect(byPath(change.files)['a.txt']).toMatchObject({ status: 'added', added: 50, deleted: 0 });
    expect(byPath(change.files)['logo.bin']).toMatchObject({ status: 'added', binary: true });
  });

  it('reads a...b from the merge base, and defaults to the merge base with main', () => {
    const dir = repo();
    const fork = git(dir, 'rev-parse', 'HEAD');
    git(dir, 'checkout', '-q', '-b', 'feature');
    writeIn(dir, 'feature.txt', lines(3));
    const feature = commitAll(dir, 'feature');
    git(dir, 'checkout', '-q', 'main');
    writeIn(dir, 'main-only.txt', lines(7));
    commitAll(dir, 'on main');
    git(dir, 'checkout', '-q', 'feature');

    const three = readChange(dir, { kind: 'range', range: 'main...feature' });
    expect(three.base).toBe(fork);
    expect(three.commits).toEqual([feature]);
    expect(three.files.map((f) => f.path)).toEqual(['feature.txt']);
    // Two dots compare the tips: main's own file shows as deleted.
    const two = readChange(dir, { kind: 'range', range: 'main..feature' });
    expect(two.files.map((f) => `${f.status} ${f.path}`).sort()).toEqual([
      'added feature.txt',
      'deleted main-only.txt',
    ]);

    const fallback = readChange(dir, { kind: 'range' });
    expect(fallback.range).toBe('main...HEAD');
    expect(fallback.base).toBe(fork);
    expect(fallback.files.map((f) => f.path)).toEqual(['feature.txt']);
  });

  it('prefers origin/HEAD for the default range, and answers from a subfolder with top-level paths', () => {
    const upstream = repo();
    const dir = join(temp.make(), 'clone');
    git(upstream, 'clone', '-q', upstream, dir);
    writeIn(dir, 'sub/deep/x.ts', 'x\n');
    commitAll(dir, 'local');
    const change = readChange(join(dir, 'sub'), { kind: 'range' });
    expect(change.range).toBe('origin/main...HEAD');
    expect(change.root).toBe(git(dir, 'rev-parse', '--show-toplevel'));
    expect(change.files.map((f) => f.path)).toEqual(['sub/deep/x.ts']);
  });

  it('reads an empty range as no files and no commits', () => {
    const dir = repo();
    const change = readChange(dir, { kind: 'range', range: 'HEAD..HEAD' });
    expect(change.commits).toEqual([]);
    expect(change.files).toEqual([]);
    expect(readChange(dir, { kind: 'range' }).files).toEqual([]);
  });

  it('turns a bad range into a UserError carrying git’s message', () => {
    const dir = repo();
    for (const range of ['nope..HEAD', 'HEAD...nope', 'nope', 'HEAD~5']) {
      expect(() => readChange(dir, { kind: 'range', range }), range).toThrow(UserError);
    }
    expect(() => readChange(dir, { kind: 'range', range: 'nope..HEAD' })).toThrow(
      /^bad range "nope\.\.HEAD" \(git: bad revision 'nope'\); give a\.\.b, a\.\.\.b or one commit$/,
    );
    expect(() => readChange(dir, { kind: 'range', range: '--output=x' })).toThrow(/cannot start with "-"/);
    expect(() => readChange(temp.make(), { kind: 'range' })).toThrow(/not in a git repository/);
  });

  it('says what to do without a default branch or without commits', () => {
    const dir = repo();
    git(dir, 'branch', '-m', 'main', 'trunk');
    expect(() => readChange(dir, { kind: 'range' })).toThrow(/no default branch found/);
    const empty = temp.make();
    git(empty, 'init', '-q');
    expect(() => readChange(empty, { kind: 'range' })).toThrow(/no commits yet/);
  });

  it('reads staged work, and the work tree with new files git does not track yet', () => {
    const dir = repo();
    writeIn(dir, 'a.txt', lines(48));
    git(dir, 'add', 'a.txt');
    writeIn(dir, 'a.txt', lines(47));
    writeIn(dir, 'new.txt', 'one\ntwo\nno newline at the end');
    writeFileSync(join(dir, 'blob.dat'), Buffer.from([1, 0, 2]));
    writeIn(dir, '.gitignore', 'ignored.txt\n');
    writeIn(dir, 'ignored.txt', 'x\n');
    symlinkSync('a.txt', join(dir, 'link'));

    const staged = readChange(dir, { kind: 'staged' });
    expect(staged.range).toBe('staged');
    expect(staged.head).toBeNull();
    expect(staged.commits).toEqual([]);
    expect(staged.files).toEqual([{ path: 'a.txt', status: 'modified', added: 0, deleted: 2, binary: false }]);

    const worktree = readChange(dir, { kind: 'worktree' });
    expect(byPath(worktree.files)).toEqual({
      'a.txt': { path: 'a.txt', status: 'modified', added: 0, deleted: 3, binary: false },
      '.gitignore': { path: '.gitignore', status: 'added', added: 1, deleted: 0, binary: false },
      'new.txt': { path: 'new.txt', status: 'added', added: 3, deleted: 0, binary: false },
      'blob.dat': { path: 'blob.dat', status: 'added', added: 0, deleted: 0, binary: true },
      link: { path: 'link', status: 'added', added: 1, deleted: 0, binary: false },
    });
  });

  it('reads staged work before the first commit', () => {
    const dir = temp.make();
    git(dir, 'init', '-q');
    writeIn(dir, 'a.txt', lines(4));
    git(dir, 'add', 'a.txt');
    const change = readChange(dir, { kind: 'staged' });
    expect(change.base).toBeNull();
    expect(change.files).toEqual([{ path: 'a.txt', status: 'added', added: 4, deleted: 0, binary: false }]);
  });
});
