import { spawnSync } from 'node:child_process';
import { UserError } from '../lib/errors.js';

/**
 * Git, as the gates need it: a process per question, never on a hook's hot path. Everything
 * here reads; nothing changes the repository.
 */

function spawnGit(root: string, args: readonly string[], maxBuffer: number) {
  return spawnSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer, stdio: ['ignore', 'pipe', 'pipe'] });
}

const MAX_BUFFER = 64 * 1024 * 1024;

/** Runs git in `root`; null when git fails (not a repository, no such revision). */
export function gitTry(root: string, args: readonly string[], maxBuffer = MAX_BUFFER): string | null {
  const run = spawnGit(root, args, maxBuffer);
  if (run.error || run.status !== 0) return null;
  return run.stdout;
}

/** Runs git in `root`; a failure is a `UserError` carrying git's own message. */
export function git(root: string, args: readonly string[], maxBuffer = MAX_BUFFER): string {
  const run = spawnGit(root, args, maxBuffer);
  if (run.error) throw new UserError(`git ${args[0] ?? ''}: ${run.error.message}`);
  if (run.status !== 0) {
    const message = (run.stderr || run.stdout).trim().split('\n')[0] ?? '';
    throw new UserError(`git ${args.join(' ')}: ${message || `exit ${run.status}`}`);
  }
  return run.stdout;
}

export interface GitState {
  /** HEAD, or null before the first commit or outside a repository. */
  commit: string | null;
  branch: string | null;
  /** Whether tracked or untracked files differ from HEAD (ignoring what ao writes: `.agents/ledger/` and the folder's git files). */
  dirty: boolean;
}

/** What ao itself writes while judging: not a change to the work being judged. */
const OWN_FILES = [':!.agents/ledger', ':!.agents/.gitignore', ':!.agents/.gitattributes'];

export function gitState(root: string): GitState {
  // One git process: porcelain v2 with --branch gives HEAD, the branch and the changes at once.
  const status = gitTry(root, [
    'status',
    '--porcelain=v2',
    '--branch',
    '--untracked-files=normal',
    '--',
    '.',
    ...OWN_FILES,
  ]);
  if (status === null) return { commit: null, branch: null, dirty: false };
  let commit: string | null = null;
  let branch: string | null = null;
  let dirty = false;
  for (const line of status.split('\n')) {
    if (line.startsWith('# branch.oid ')) {
      const oid = line.slice('# branch.oid '.length).trim();
      commit = oid === '(initial)' ? null : oid;
    } else if (line.startsWith('# branch.head ')) {
      const head = line.slice('# branch.head '.length).trim();
      branch = head === '(detached)' ? null : head;
    } else if (line !== '' && !line.startsWith('#')) dirty = true;
  }
  return { commit, branch, dirty };
}

/** Who is acting, for attributions: git's user.email (or name), else the login name. */
export function gitUser(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const email = gitTry(root, ['config', 'user.email'])?.trim();
  if (email) return email;
  const name = gitTry(root, ['config', 'user.name'])?.trim();
  if (name) return name;
  return env.USER || env.USERNAME || 'unknown';
}
