import type { KnowledgeConfig } from '../lib/config.js';
import type { Db } from './db.js';

/**
 * Vector scores for a query when `knowledge.embeddings` is configured: learnings are embedded
 * once (kept in the index), then the query. Any failure falls back to BM25 alone (`warn` hears
 * why): retrieval must not depend on a model being reachable.
 */
export async function vectorsForQuery(
  db: Db,
  k: KnowledgeConfig,
  query: string,
  warn?: (message: string) => void,
): Promise<Map<string, number> | undefined> {
  const e = k.embeddings;
  if (!e) return undefined;
  try {
    const { OpenAIRuntime } = await import('../runtimes/openai.js');
    const { syncVectors, vectorScores } = await import('./vectors.js');
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
    warn?.(`embeddings unavailable (${(error as Error).message}); ranking by BM25 alone`);
    return undefined;
  }
}
