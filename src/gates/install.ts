import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { writeFileAtomic } from '../lib/atomic.js';
import { UserError } from '../lib/errors.js';
import { gitTry } from './git.js';

/**
 * The git pre-commit hook that runs the pre-commit stage. A hook that is not ours is kept: it is
 * renamed `pre-commit.local` and ours runs it first; uninstalling puts it back.
 */
export const MARKER = '# ao gate: pre-commit stage';
const LOCAL = 'pre-commit.local';

/** Where git looks for hooks (`core.hooksPath` or `.git/hooks`); null outside a repository. */
function hooksDirOf(root: string): string | null {
  const dir = gitTry(root, ['rev-parse', '--git-path', 'hooks'])?.trim();
  if (!dir) return null;
  return isAbsolute(dir) ? dir : resolve(root, dir);
}

export function hooksDir(root: string): string {
  const dir = hooksDirOf(root);
  if (!dir) throw new UserError(`${root} is not a git repository: there is no pre-commit hook to install`);
  return dir;
}

export function hookScript(command: string, chained: boolean): string {
  const bin = command.split(/\s+/)[0] ?? 'ao';
  return [
    '#!/bin/sh',
    MARKER,
    '# Runs the checks of the pre-commit stage of .agents/gates.yaml; `ao gate uninstall` removes this hook.',
    ...(chained ? [`"$(dirname "$0")/${LOCAL}" "$@" || exit $?`] : []),
    `if ! command -v ${shellQuote(bin)} >/dev/null 2>&1; then`,
    `  echo "ao gate: \\\`${bin}\\\` is not on PATH, so the pre-commit checks cannot run." >&2`,
    '  echo "Install it (npm install -g agentops), commit with --no-verify to skip once, or run ao gate uninstall." >&2',
    '  exit 1',
    'fi',
    `exec ${command} gate run --stage pre-commit --via pre-commit`,
    '',
  ].join('\n');
}

export interface HookInstall {
  file: string;
  /** What happened: written, unchanged, or written with the user's own hook chained first. */
  outcome: 'written' | 'unchanged' | 'chained';
  /** Where the user's own hook went, when there was one. */
  kept?: string;
}

export function installPreCommit(root: string, command: string): HookInstall {
  const dir = hooksDir(root);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'pre-commit');
  const local = join(dir, LOCAL);
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : null;
  let chained = existsSync(local);
  let outcome: HookInstall['outcome'] = 'written';
  if (existing !== null && !existing.includes(MARKER)) {
    if (chained) throw new UserError(`${file} is not ao's and ${local} exists too: move one of them away first`);
    renameSync(file, local);
    chained = true;
    outcome = 'chained';
  }
  const script = hookScript(command, chained);
  if (existing === script) return { file, outcome: 'unchanged' };
  writeFileAtomic(file, script);
  chmodSync(file, 0o755);
  return { file, outcome, ...(chained ? { kept: local } : {}) };
}

export function uninstallPreCommit(root: string): { file: string; removed: boolean; restored?: string } {
  const dir = hooksDir(root);
  const file = join(dir, 'pre-commit');
  const local = join(dir, LOCAL);
  if (!existsSync(file) || !readFileSync(file, 'utf8').includes(MARKER)) return { file, removed: false };
  rmSync(file);
  if (existsSync(local)) {
    renameSync(local, file);
    return { file, removed: true, restored: file };
  }
  return { file, removed: true };
}

export function preCommitInstalled(root: string): boolean {
  const dir = hooksDirOf(root);
  if (!dir) return false;
  const file = join(dir, 'pre-commit');
  return existsSync(file) && readFileSync(file, 'utf8').includes(MARKER);
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./@%+=:-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
