import { UserError } from '../lib/errors.js';
import { findWorkspace } from '../lib/workspace.js';

/**
 * The repository around the current folder, for commands that only make sense inside one (gates,
 * ratchet, hooks): its root and its `.agents/`. Outside any, a `UserError` saying why it matters.
 */
export function repoOrFail(why?: string): { root: string; agentsDir: string } {
  const ws = findWorkspace(process.cwd());
  if (!ws.root || !ws.repoAgents)
    throw new UserError(`not inside a repository (no .agents/ or .git above this folder)${why ? `: ${why}` : ''}`);
  return { root: ws.root, agentsDir: ws.repoAgents };
}
