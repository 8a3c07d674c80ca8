import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { hooksStatus, planUninstall } from '../../hooks/install/install.js';
import { queuedCount } from '../../hooks/queue.js';
import { applyUntracked, MANIFEST, readManifest } from '../../lib/tracked.js';
import { repoOrFail } from '../repo.js';
import { dim, err, out, outJson, table, yellow } from '../output.js';
import { changesJson, showChanges } from './changes.js';

function repo(): { root: string; agents: string } {
  const { root, agentsDir } = repoOrFail();
  return { root, agents: agentsDir };
}

export function runHooksStatus(args: { json?: boolean }): void {
  const { root, agents } = repo();
  const manifest = readManifest(agents);
  const status = hooksStatus(root, manifest);
  const queued = queuedCount(agents);
  if (args.json) return outJson({ root, command: manifest?.command ?? null, agents: status, forgeQueue: queued });
  const rows = status.map((s) => {
    const installed = Object.keys(s.events).length;
    const state = s.problem
      ? 'unreadable'
      : installed === 0
        ? 'not installed'
        : s.missing.length > 0
          ? 'partial'
          : 'installed';
    return [s.agent, s.file, state, s.missing.join(', '), s.editedSince ? 'yes' : ''];
  });
  out(table(['agent', 'file', 'hooks', 'missing', 'edited since'], rows));
  for (const s of status) if (s.problem) err(yellow(`warning: ${s.problem}`));
  if (queued > 0)
    out(dim(`${queued} finished session${queued === 1 ? '' : 's'} queued for forge: \`ao forge --queued\`.`));
}

export function runHooksUninstall(args: { 'dry-run'?: boolean; json?: boolean }): void {
  const { root, agents } = repo();
  const manifest = readManifest(agents);
  const plan = planUninstall(root, manifest);
  const dryRun = Boolean(args['dry-run']);
  if (!dryRun) {
    applyUntracked(root, plan.changes, (path) => manifest?.files[path]?.dirs ?? []);
    // With a file it could not read, the record stays, so a second run can finish the job.
    if (plan.problems.length === 0 && existsSync(join(agents, MANIFEST))) unlinkSync(join(agents, MANIFEST));
  }
  if (args.json) return outJson({ dryRun, changes: changesJson(plan.changes), problems: plan.problems });
  showChanges(plan.changes, dryRun);
  for (const p of plan.problems) err(yellow(`warning: ${p}`));
  if (plan.changes.length === 0 && plan.problems.length === 0)
    out('Nothing to remove: no ao hooks, blocks or plugin found.');
}
