import { UserError } from '../lib/errors.js';
import type { KnowledgeConfig } from '../lib/config.js';
import { findWorkspace, writableAgentsDir, type Workspace } from '../lib/workspace.js';
import type { DecayPolicy } from '../knowledge/stats.js';
import { storeDirs } from '../knowledge/store.js';
import type { StoreProblem } from '../knowledge/types.js';
import type { Db } from '../index/db.js';
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

/**
 * Vector scores for a query when `knowledge.embeddings` is configured: learnings are embedded
 * once (kept in the index), then the query. Any failure falls back to BM25 alone, with a warning:
 * retrieval must not depend on a model being reachable.
 */
export async function queryVectors(
  db: Db,
  k: KnowledgeConfig,
  query: string,
  quiet = false,
): Promise<Map<string, number> | undefined> {
  const e = k.embeddings;
  if (!e) return undefined;
  try {
    const { OpenAIRuntime } = await import('../runtimes/openai.js');
    const { syncVectors, vectorScores } = await import('../index/vectors.js');
    const client = new OpenAIRuntime({
      baseUrl: e.baseUrl,
      model: e.model,
      embeddingModel: e.model,
      ...(e.apiKeyEnv ? { apiKeyEnv: e.apiKeyEnv } : {}),
    });
    await syncVectors(db, e.model, (texts) => client.embeddings(texts, { timeoutMs: 30_000 }));
    const [vector] = await client.embeddings([query], { timeoutMs: 5_000 });
    return vector ? vectorScores(db, e.model, vector) : undefined;
  } catch (error) {
    if (!quiet) err(yellow(`warning: embeddings unavailable (${(error as Error).message}); ranking by BM25 alone`));
    return undefined;
  }
}
