import { closeSync, lstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../lib/errors.js';
import { git, gitTry } from './git.js';

/**
 * A change as git sees it, for `ao risk`: which files moved, how many lines, which commits. Reads
 * only; nothing here changes the repository.
 */

export type FileStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type-changed';

export interface ChangedFile {
  /** Relative to the repository's top level, `/`-separated; the new path of a rename. */
  path: string;
  /** The path before a rename or copy. */
  oldPath?: string;
  status: FileStatus;
  /** Lines added and deleted; 0 for a binary file. */
  added: number;
  deleted: number;
  binary: boolean;
}

/** What to read: a revision range, the index, or the work tree (tracked changes and new files). */
export type ChangeSpec = { kind: 'range'; range?: string } | { kind: 'staged' } | { kind: 'worktree' };

export interface Change {
  /** The range as read (`origin/main...HEAD`, `a..b`, `abc1234`, `staged`, `worktree`). */
  range: string;
  /** The repository's top level: paths are relative to it. */
  root: string;
  /** The commit compared from (null: the empty tree, before the first commit). */
  base: string | null;
  /** The commit compared to; null for the index or the work tree. */
  head: string | null;
  /** Full hashes of the commits in the change, newest first; empty for uncommitted work. */
  commits: string[];
  files: ChangedFile[];
}

/** Reads the change `spec` names in the repository around `cwd`. Bad revisions are `UserError`s. */
export function readChange(cwd: string, spec: ChangeSpec): Change {
  const root = gitTry(cwd, ['rev-parse', '--show-toplevel'])?.trim();
  if (!root) throw new UserError(`not in a git repository: ${cwd}`);
  const headSha = gitTry(root, ['rev-parse', '--verify', '-q', 'HEAD^{commit}'])?.trim() || null;
  if (spec.kind === 'staged' || spec.kind === 'worktree') {
    const base = headSha ?? emptyTree(root);
    const files =
      spec.kind === 'staged'
        ? diffFiles(root, ['--cached', base])
        : [...diffFiles(root, [base]), ...untrackedFiles(root)];
    return { range: spec.kind, root, base: headSha, head: null, commits: [], files };
  }
  if (!headSha && !spec.range?.trim()) {
    throw new UserError('the repository has no commits yet: use --staged or --worktree for uncommitted work');
  }
  const range = spec.range?.trim() || defaultRange(root);
  if (range.startsWith('-')) throw new UserError(`bad range "${range}": a range cannot start with "-"`);
  const { base, head } = resolveRange(root, range);
  const commits = splitLines(git(root, ['rev-list', head, ...(base ? [`^${base}`] : []), '--']));
  const files = diffFiles(root, [base ?? emptyTree(root), head]);
  return { range, root, base, head, commits, files };
}

/** `a..b`, `a...b` (from their merge base) or one commit (against its first parent). */
function resolveRange(root: string, range: string): { base: string | null; head: string } {
  const three = range.indexOf('...');
  if (three !== -1) {
    const from = resolveCommit(root, range.slice(0, three) || 'HEAD', range);
    const head = resolveCommit(root, range.slice(three + 3) || 'HEAD', range);
    const base = gitTry(root, ['merge-base', from, head])?.trim();
    if (!base) throw new UserError(`bad range "${range}": the two sides have no common ancestor; use a..b`);
    return { base, head };
  }
  const two = range.indexOf('..');
  if (two !== -1) {
    return {
      base: resolveCommit(root, range.slice(0, two) || 'HEAD', range),
      head: resolveCommit(root, range.slice(two + 2) || 'HEAD', range),
    };
  }
  const head = resolveCommit(root, range, range);
  // A root commit's change is against the empty tree.
  const parent = gitTry(root, ['rev-parse', '--verify', '-q', `${head}^1`])?.trim() || null;
  return { base: parent, head };
}

function resolveCommit(root: string, rev: string, range: string): string {
  const sha = gitTry(root, ['rev-parse', '--verify', '-q', `${rev}^{commit}`])?.trim();
  if (sha) return sha;
  let why = `"${rev}" is not a commit`;
  const args = ['rev-parse', rev, '--'];
  try {
    // git's own words for what is wrong with it (bad revision, ambiguous name, …).
    git(root, args);
  } catch (error) {
    if (error instanceof UserError) {
      why = `git: ${error.message.replace(`git ${args.join(' ')}: `, '').replace(/^fatal: /, '')}`;
    }
  }
  throw new UserError(`bad range "${range}" (${why}); give a..b, a...b or one commit`);
}

/** Changes since the merge base with the default branch: origin/HEAD, else main or master. */
function defaultRange(root: string): string {
  const originHead = gitTry(root, ['symbolic-ref', '-q', 'refs/remotes/origin/HEAD'])?.trim();
  const candidates = [
    originHead,
    'refs/remotes/origin/main',
    'refs/remotes/origin/master',
    'refs/heads/main',
    'refs/heads/master',
  ];
  for (const ref of candidates) {
    if (!ref || !gitTry(root, ['rev-parse', '--verify', '-q', `${ref}^{commit}`])) continue;
    return `${ref.replace(/^refs\/(remotes|heads)\//, '')}...HEAD`;
  }
  throw new UserError('no default branch found (origin/HEAD, main or master): give a range, e.g. ao risk main..HEAD');
}

/** The empty tree's hash in this repository's object format (SHA-1 or SHA-256). */
function emptyTree(root: string): string {
  return git(root, ['hash-object', '-t', 'tree', '--stdin']).trim();
}

const STATUS: Record<string, FileStatus> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type-changed',
  U: 'modified',
};

/**
 * `git diff --raw --numstat -z`: the raw entries (status, paths) come first, then the numstat
 * entries (lines, `-` for binary) in the same order.
 */
function diffFiles(root: string, args: readonly string[]): ChangedFile[] {
  const text = git(root, [
    'diff',
    '--raw',
    '--numstat',
    '-z',
    '-M',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    ...args,
    '--',
  ]);
  return parseRawNumstat(text);
}

function parseRawNumstat(text: string): ChangedFile[] {
  const tokens = text.split('\0');
  let i = 0;
  const raw: { status: FileStatus; path: string; oldPath?: string }[] = [];
  while (i < tokens.length && tokens[i]!.startsWith(':')) {
    const letter = tokens[i]!.split(' ')[4]?.[0] ?? 'M';
    const status = STATUS[letter] ?? 'modified';
    if (letter === 'R' || letter === 'C') {
      raw.push({ status, oldPath: tokens[i + 1] ?? '', path: tokens[i + 2] ?? '' });
      i += 3;
    } else {
      raw.push({ status, path: tokens[i + 1] ?? '' });
      i += 2;
    }
  }
  const files: ChangedFile[] = [];
  for (const entry of raw) {
    const stat = tokens[i] ?? '';
    const [a = '', d = '', inline = ''] = stat.split('\t');
    // A rename's numstat entry has an empty path followed by both paths.
    i += inline === '' && entry.oldPath !== undefined ? 3 : 1;
    const binary = a === '-' || d === '-';
    files.push({
      path: entry.path,
      ...(entry.oldPath !== undefined ? { oldPath: entry.oldPath } : {}),
      status: entry.status,
      added: binary ? 0 : Number(a) || 0,
      deleted: binary ? 0 : Number(d) || 0,
      binary,
    });
  }
  return files;
}

/** New files git does not track yet (ignored ones left out), counted as git would count them. */
function untrackedFiles(root: string): ChangedFile[] {
  const list = git(root, ['ls-files', '-z', '--others', '--exclude-standard', '--full-name']);
  const files: ChangedFile[] = [];
  for (const path of list.split('\0')) {
    // A nested repository shows as `dir/`: it is not a file of this change.
    if (path === '' || path.endsWith('/')) continue;
    const { lines, binary } = countLines(join(root, path));
    files.push({ path, status: 'added', added: lines, deleted: 0, binary });
  }
  return files;
}

/** Lines in a file, and whether it is binary (a NUL byte in its first 8,000 bytes, as git decides). */
function countLines(file: string): { lines: number; binary: boolean } {
  let stat;
  try {
    stat = lstatSync(file);
  } catch {
    return { lines: 0, binary: false };
  }
  // git shows a symbolic link as one line: its target.
  if (stat.isSymbolicLink()) return { lines: 1, binary: false };
  if (!stat.isFile() || stat.size === 0) return { lines: 0, binary: false };
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    let lines = 0;
    let last = 0x0a;
    let offset = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, offset);
      if (n === 0) break;
      const chunk = buffer.subarray(0, n);
      if (offset < 8000 && chunk.subarray(0, 8000 - offset).includes(0)) return { lines: 0, binary: true };
      for (let k = 0; k < n; k++) if (chunk[k] === 0x0a) lines++;
      last = chunk[n - 1]!;
      offset += n;
    }
    return { lines: last === 0x0a ? lines : lines + 1, binary: false };
  } finally {
    closeSync(fd);
  }
}

function splitLines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}
