import { unifiedDiff } from '../../lib/diff.js';
import type { Change } from '../../lib/tracked.js';
import { dim, out } from '../output.js';

/** Shows planned file changes: a unified diff for `--dry-run`, one line per file otherwise. */
export function showChanges(changes: readonly Change[], dryRun: boolean): void {
  for (const change of changes) {
    if (dryRun) out(unifiedDiff(change.path, change.before, change.after).trimEnd());
    else out(`${change.after === null ? 'removed' : change.before === null ? 'created' : 'updated'}  ${change.path}`);
  }
  if (dryRun && changes.length > 0) out(dim('Dry run: nothing was written.'));
}

export function changesJson(changes: readonly Change[]): { path: string; action: string; diff: string }[] {
  return changes.map((c) => ({
    path: c.path,
    action: c.after === null ? 'remove' : c.before === null ? 'create' : 'update',
    diff: unifiedDiff(c.path, c.before, c.after),
  }));
}
