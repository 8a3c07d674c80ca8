import { join } from 'node:path';
import { planContextSync } from '../../context/sync.js';
import { loadConfig } from '../../lib/config.js';
import { UserError } from '../../lib/errors.js';
import { applyTracked, readManifest, writeManifest } from '../../lib/tracked.js';
import { workspace } from '../knowledge.js';
import { out, outJson } from '../output.js';
import { changesJson, showChanges } from './changes.js';

export async function runContextSync(args: { 'dry-run'?: boolean; json?: boolean }): Promise<void> {
  const ws = workspace();
  if (!ws.root || !ws.repoAgents)
    throw new UserError('not inside a repository: run `ao context sync` in one (after `ao init`)');
  const config = loadConfig();
  const manifest = readManifest(ws.repoAgents) ?? { version: 1 as const, command: 'ao', agents: [], files: {} };
  const changes = await planContextSync(ws, manifest.agents, config.knowledge);
  const dryRun = Boolean(args['dry-run']);
  if (!dryRun && changes.length > 0) {
    applyTracked(ws.root, manifest, changes);
    writeManifest(ws.repoAgents, manifest);
  }
  if (args.json) return outJson({ dryRun, changes: changesJson(changes) });
  showChanges(changes, dryRun);
  if (changes.length === 0)
    out(`The managed blocks are up to date (${join('.agents', 'learnings')} unchanged since the last sync).`);
}
