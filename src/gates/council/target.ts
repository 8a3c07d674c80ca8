import { existsSync, statSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { UserError } from '../../lib/errors.js';
import { gitTry } from '../git.js';
import type { PresetName } from './types.js';

/** A file or folder to review: where it is, and how the evidence names it. */
export interface TargetPath {
  abs: string;
  /** Relative to the repository root, with `/` separators; the absolute path for a plan outside it. */
  rel: string;
  folder: boolean;
}

/** Commits to review, resolved to full hashes once so that the evidence cannot drift. */
export interface TargetRange {
  /** As the user wrote it. */
  spec: string;
  /** The two trees compared (`from` is the empty tree for a root commit). */
  from: string;
  to: string;
  /** Range given to `git log` for the commit summary. */
  log: string;
  commits: number;
}

export type ResolvedTarget =
  | { kind: 'plan'; plan: TargetPath; description: string }
  | { kind: 'paths'; paths: TargetPath[]; description: string }
  | { kind: 'range'; range: TargetRange; description: string };

const PLAN_EXTENSIONS = new Set(['.md', '.markdown', '.txt', '.rst', '.adoc', '']);

/**
 * What `--target` names: existing files or folders (comma-separated; looked up from `cwd`, then
 * from the root), else a commit range (`a..b`, `a...b`, a missing side meaning HEAD) or one
 * commit. A single text file is a plan (any single file for a pre-mortem). Anything else is a
 * `UserError` saying what was wrong.
 */
export function resolveTarget(root: string, cwd: string, value: string, preset: PresetName): ResolvedTarget {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new UserError('--target is empty: give a plan file, a commit range or paths');
  const found = items.map((item) => findPath(root, cwd, item));
  const missing = items.filter((_, i) => found[i] === null);
  if (missing.length === 0) return pathTarget(root, found as TargetPath[], preset);
  if (items.length === 1) {
    const range = resolveRange(root, items[0]!);
    if (range) return { kind: 'range', range, description: describeRange(range) };
  }
  const what = missing.map((m) => `"${m}"`).join(', ');
  throw new UserError(
    items.length === 1
      ? `target ${what} is neither an existing file or folder nor a commit or range git knows (a..b, a...b, a commit)`
      : `target ${what} not found: every comma-separated target must be an existing file or folder`,
  );
}

function findPath(root: string, cwd: string, item: string): TargetPath | null {
  const candidates = isAbsolute(item) ? [item] : [resolve(cwd, item), resolve(root, item)];
  for (const abs of candidates) {
    if (!existsSync(abs)) continue;
    const rel = relative(root, abs);
    const inside = rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
    return {
      abs,
      rel: inside ? (rel === '' ? '.' : rel.split(sep).join('/')) : abs,
      folder: statSync(abs).isDirectory(),
    };
  }
  return null;
}

function pathTarget(root: string, paths: TargetPath[], preset: PresetName): ResolvedTarget {
  const [only] = paths;
  if (
    paths.length === 1 &&
    only &&
    !only.folder &&
    (preset === 'pre-mortem' || PLAN_EXTENSIONS.has(extname(only.abs).toLowerCase()))
  ) {
    return { kind: 'plan', plan: only, description: `plan ${only.rel}` };
  }
  const outside = paths.filter((p) => isAbsolute(p.rel));
  if (outside.length > 0) {
    throw new UserError(
      `${outside.map((p) => p.abs).join(', ')}: outside the repository at ${root} (only a plan file may be)`,
    );
  }
  return { kind: 'paths', paths, description: `paths ${paths.map((p) => p.rel).join(', ')}` };
}

/** The range a spec names, with both ends resolved to commits; null when git does not know it. */
export function resolveRange(root: string, spec: string): TargetRange | null {
  // Options are not revisions: `--output=…` must never reach git as one.
  if (spec.startsWith('-') || /\s/.test(spec)) return null;
  const three = spec.indexOf('...');
  const two = spec.indexOf('..');
  if (three >= 0 || two >= 0) {
    const symmetric = three >= 0;
    const at = symmetric ? three : two;
    const left = commitOf(root, spec.slice(0, at) || 'HEAD');
    const right = commitOf(root, spec.slice(at + (symmetric ? 3 : 2)) || 'HEAD');
    if (!left || !right) return null;
    // a...b: what b did since it left a, so the diff starts at their merge base.
    const from = symmetric ? gitTry(root, ['merge-base', left, right])?.trim() : left;
    if (!from) return null;
    return { spec, from, to: right, log: `${left}..${right}`, commits: countCommits(root, `${left}..${right}`) };
  }
  const commit = commitOf(root, spec);
  if (!commit) return null;
  const parent = commitOf(root, `${commit}^`);
  const from = parent ?? gitTry(root, ['hash-object', '-t', 'tree', '--stdin'])?.trim();
  if (!from) return null;
  return { spec, from, to: commit, log: parent ? `${parent}..${commit}` : commit, commits: 1 };
}

function commitOf(root: string, rev: string): string | null {
  return gitTry(root, ['rev-parse', '--verify', '-q', '--end-of-options', `${rev}^{commit}`])?.trim() || null;
}

function countCommits(root: string, range: string): number {
  return Number(gitTry(root, ['rev-list', '--count', range, '--'])?.trim() ?? 0) || 0;
}

function describeRange(range: TargetRange): string {
  const span = `${range.from.slice(0, 7)}..${range.to.slice(0, 7)}`;
  const spec = range.spec === span ? '' : ` ${range.spec}`;
  return `commit range${spec} (${span}, ${range.commits} commit${range.commits === 1 ? '' : 's'})`;
}
