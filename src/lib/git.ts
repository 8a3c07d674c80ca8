import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * The checked-out branch of the repository at `root`, read from `.git/HEAD` (a worktree's `.git`
 * file points at its own HEAD): no git process on a hook's hot path. Null when detached or not a
 * repository.
 */
export function currentBranch(root: string): string | null {
  const gitDir = gitDirOf(root);
  if (!gitDir) return null;
  let head: string;
  try {
    head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
  } catch {
    return null;
  }
  const match = /^ref: refs\/heads\/(.+)$/.exec(head);
  return match ? match[1]! : null;
}

/** The git directory of a repository or worktree root, or null. */
export function gitDirOf(root: string): string | null {
  const dotGit = join(root, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
    const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
    if (!pointer) return null;
    const dir = pointer[1]!.trim();
    return isAbsolute(dir) ? dir : resolve(root, dir);
  } catch {
    return null;
  }
}
