import { UserError } from '../lib/errors.js';
import type { KnowledgeConfig } from '../lib/config.js';
import { findWorkspace, writableAgentsDir, type Workspace } from '../lib/workspace.js';
import { decayPolicyOf } from '../knowledge/stats.js';
import { storeDirs } from '../knowledge/store.js';
import type { StoreProblem } from '../knowledge/types.js';
import type { Db } from '../index/db.js';
import { vectorsForQuery } from '../index/query-vectors.js';
import { err, yellow } from './output.js';

/** Shared by the knowledge commands: where the stores are, the settings, problem reports. */

export function workspace(): Workspace {
  return findWorkspace(process.cwd());
}

/** The stores a command reads, the repository's first. */
export const storesOf = storeDirs;

/** The `.agents/` a command writes to: `--global` picks the user's store. */
export function targetAgents(ws: Workspace, global?: boolean): string {
  return global ? ws.userAgents : writableAgentsDir(ws);
}

export const decayPolicy = decayPolicyOf;

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

/** Vector scores for a query (see index/query-vectors.ts); a failure is a warning on stderr. */
export function queryVectors(
  db: Db,
  k: KnowledgeConfig,
  query: string,
  quiet = false,
): Promise<Map<string, number> | undefined> {
  return vectorsForQuery(db, k, query, quiet ? undefined : (message) => err(yellow(`warning: ${message}`)));
}
