import { UserError } from '../lib/errors.js';
import type { KnowledgeConfig } from '../lib/config.js';
import { findWorkspace, writableAgentsDir, type Workspace } from '../lib/workspace.js';
import type { DecayPolicy } from '../knowledge/stats.js';
import type { StoreDir } from '../knowledge/store.js';
import type { StoreProblem } from '../knowledge/types.js';
import { err, yellow } from './output.js';

/** Shared by the knowledge commands: where the stores are, the settings, problem reports. */

export function workspace(): Workspace {
  return findWorkspace(process.cwd());
}

/** The stores a command reads, the repository's first. */
export function storesOf(ws: Workspace): StoreDir[] {
  const stores: StoreDir[] = [];
  if (ws.repoAgents) stores.push({ agents: ws.repoAgents, store: 'repo' });
  stores.push({ agents: ws.userAgents, store: 'user' });
  return stores;
}

/** The `.agents/` a command writes to: `--global` picks the user's store. */
export function targetAgents(ws: Workspace, global?: boolean): string {
  return global ? ws.userAgents : writableAgentsDir(ws);
}

export function decayPolicy(k: KnowledgeConfig): DecayPolicy {
  return { halfLifeDays: k.halfLifeDays ?? 90, retireAfterDays: k.retireAfterDays ?? 180 };
}

/** Broken learning files, one line each on stderr: file:line: message. */
export function reportProblems(problems: readonly StoreProblem[]): void {
  for (const p of problems) err(yellow(`warning: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message} (skipped)`));
}

export function splitList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function parseNumberArg(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UserError(`--${name} must be a number from ${min} to ${max}, not "${value}"`);
  return n;
}
