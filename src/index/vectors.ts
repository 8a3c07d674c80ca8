import { sha256Hex } from '../lib/sha256.js';
import type { Db } from './db.js';

/**
 * Optional vector scores: when an embeddings endpoint is configured, each learning's title and
 * body are embedded once (kept in the index, keyed by model and text hash) and a query's
 * embedding adds a cosine score that search fuses with BM25. Without one, nothing here runs.
 */
export type Embed = (texts: string[]) => Promise<number[][]>;

const BATCH = 64;
const TEXT_CHARS = 2000;

function textOf(row: { title: string; body: string }): string {
  return `${row.title}\n${row.body}`.slice(0, TEXT_CHARS);
}

function hashOf(text: string): string {
  return sha256Hex(text).slice(0, 16);
}

/** Embeds the learnings that have no vector for `model` yet (or whose text changed). */
export async function syncVectors(db: Db, model: string, embed: Embed): Promise<number> {
  const rows = db.prepare('SELECT DISTINCT id, title, body FROM learning').all() as {
    id: string;
    title: string;
    body: string;
  }[];
  const have = new Map(
    (
      db.prepare('SELECT id, text_hash FROM vector WHERE model = ?').all(model) as { id: string; text_hash: string }[]
    ).map((r) => [r.id, r.text_hash]),
  );
  const todo = rows.map((r) => ({ id: r.id, text: textOf(r) })).filter((r) => have.get(r.id) !== hashOf(r.text));
  const put = db.prepare('INSERT OR REPLACE INTO vector(id, model, text_hash, data) VALUES (?, ?, ?, ?)');
  for (let i = 0; i < todo.length; i += BATCH) {
    const batch = todo.slice(i, i + BATCH);
    const vectors = await embed(batch.map((b) => b.text));
    db.transaction(() => {
      batch.forEach((b, j) => {
        const v = vectors[j];
        if (v) put.run(b.id, model, hashOf(b.text), Buffer.from(new Float32Array(normalise(v)).buffer));
      });
    }).immediate();
  }
  return todo.length;
}

/** Cosine similarity of the query with every stored vector of `model`, by learning id. */
export function vectorScores(db: Db, model: string, query: readonly number[]): Map<string, number> {
  const q = normalise(query);
  const out = new Map<string, number>();
  for (const row of db.prepare('SELECT id, data FROM vector WHERE model = ?').iterate(model) as Iterable<{
    id: string;
    data: Buffer;
  }>) {
    const v = new Float32Array(row.data.buffer, row.data.byteOffset, row.data.byteLength / 4);
    if (v.length !== q.length) continue;
    let dot = 0;
    for (let i = 0; i < v.length; i++) dot += (v[i] as number) * (q[i] as number);
    out.set(row.id, dot);
  }
  return out;
}

function normalise(v: readonly number[]): number[] {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  return v.map((x) => x / norm);
}
