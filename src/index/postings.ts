import { identifierParts } from '../lib/terms.js';
import { getMeta, setMeta, type Db } from './db.js';
import { ftsTokens } from './tokenize.js';

/**
 * The full-text index: BM25 computed in JavaScript from postings kept in SQLite.
 *
 * Each term has one row holding, for every learning that contains it, the learning's rowid,
 * how often the term occurs in its title, body and tags, and the learning's length in tokens.
 * A search reads one row per query term and scores with typed arrays; FTS5 would rank every
 * learning that matches any term, row by row, and a query of everyday words matches most of a
 * large store (two thirds of 10,000 in our benchmark), which made ranking the bulk of a search.
 *
 * Tokens and scores are FTS5's (`porter unicode61 remove_diacritics 2`, `bm25()` with k1 = 1.2,
 * b = 0.75), so ranking is what FTS5 gave: tokenize.test.ts checks the tokens against FTS5 and
 * postings.test.ts the scores.
 */

/** Column weights of BM25: a word in the title counts four times one in the body. */
export const WEIGHTS = { title: 4, body: 1, tags: 2.5 } as const;
const K1 = 1.2;
const B = 0.75;

/** The searchable text of a learning, by column. */
export interface SearchText {
  title: string;
  body: string;
  /** Tags and the learning's type. */
  tags: string;
}

/** What is indexed for a learning: its words plus the parts of its camelCase identifiers. */
export function searchText(learning: {
  title: string;
  body: string;
  tags: readonly string[];
  type: string;
}): SearchText {
  const tags = learning.tags.join(' ');
  return {
    title: `${learning.title} ${identifierParts(learning.title)}`,
    body: `${learning.body} ${identifierParts(learning.body)}`,
    tags: `${tags} ${identifierParts(tags)} ${learning.type}`,
  };
}

// An entry is three 32-bit words: rowid, packed counts, length in tokens. Counts are capped to
// their fields (1,023 in a title or tags, 4,095 in a body), far past where BM25 saturates.
const ENTRY = 3;
/** Meta keys: the tokens of all learnings, for BM25's mean length, and how many learnings there are. */
const TOKENS = 'postings:tokens';
const DOCS = 'postings:docs';
const TITLE_MAX = 0x3ff;
const TAGS_MAX = 0x3ff;
const BODY_MAX = 0xfff;
const pack = (title: number, body: number, tags: number): number =>
  ((Math.min(title, TITLE_MAX) << 22) | (Math.min(tags, TAGS_MAX) << 12) | Math.min(body, BODY_MAX)) >>> 0;

interface DocTerms {
  /** Term → packed counts. */
  terms: Map<string, number>;
  length: number;
}

function docTerms(text: SearchText): DocTerms {
  const counts = new Map<string, [number, number, number]>();
  let length = 0;
  const columns = [text.title, text.body, text.tags];
  for (let col = 0; col < 3; col++) {
    for (const term of ftsTokens(columns[col]!)) {
      length++;
      let c = counts.get(term);
      if (!c) counts.set(term, (c = [0, 0, 0]));
      c[col]!++;
    }
  }
  const terms = new Map<string, number>();
  for (const [term, [title, body, tags]] of counts) terms.set(term, pack(title, body, tags));
  return { terms, length };
}

/** A learning as the postings see it: its rowid in `learning` and its text. */
export interface PostingDoc {
  rowid: number;
  text: SearchText;
}

/**
 * Takes learnings out of the postings and puts others in (a changed learning is both), inside
 * the caller's transaction. Every term row is read and written once, however many learnings
 * share it.
 */
export function updatePostings(db: Db, removed: readonly PostingDoc[], added: readonly PostingDoc[]): void {
  if (removed.length === 0 && added.length === 0) return;
  const gone = new Set<number>();
  const touched = new Map<string, number[]>();
  const entriesOf = (term: string): number[] => {
    let list = touched.get(term);
    if (!list) touched.set(term, (list = []));
    return list;
  };
  let tokens = 0;
  for (const doc of removed) {
    const { terms, length } = docTerms(doc.text);
    gone.add(doc.rowid);
    tokens -= length;
    for (const term of terms.keys()) entriesOf(term);
  }
  for (const doc of added) {
    const { terms, length } = docTerms(doc.text);
    tokens += length;
    for (const [term, counts] of terms) entriesOf(term).push(doc.rowid, counts, length);
  }
  const read = postingReader(db);
  const write = db.prepare('INSERT OR REPLACE INTO posting(term, data) VALUES (?, ?)');
  const drop = db.prepare('DELETE FROM posting WHERE term = ?');
  for (const [term, fresh] of touched) {
    const old = read(term);
    const kept: number[] = [];
    for (let i = 0; i < old.length; i += ENTRY) {
      if (!gone.has(old[i]!)) kept.push(old[i]!, old[i + 1]!, old[i + 2]!);
    }
    for (const n of fresh) kept.push(n);
    if (kept.length === 0) drop.run(term);
    else write.run(term, Buffer.from(Uint32Array.from(kept).buffer));
  }
  setMeta(db, TOKENS, String(Number(getMeta(db, TOKENS) ?? 0) + tokens));
  setMeta(db, DOCS, String(Number(getMeta(db, DOCS) ?? 0) + added.length - removed.length));
}

/** Reads a term's entries (none for a term no learning holds). */
function postingReader(db: Db): (term: string) => Uint32Array {
  const read = db.prepare('SELECT data FROM posting WHERE term = ?').pluck();
  return (term) => entries(read.get(term) as Buffer | undefined);
}

function entries(blob: Buffer | undefined): Uint32Array {
  if (!blob || blob.byteLength < ENTRY * 4) return new Uint32Array(0);
  // SQLite hands over a fresh copy; copy again only if it is not aligned for 32-bit reads.
  const bytes = blob.byteOffset % 4 === 0 ? blob : Buffer.from(blob);
  return new Uint32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / (ENTRY * 4)) * ENTRY);
}

/** Postings of a set of terms, read once per search. */
export interface TermPostings {
  /** Learnings in the index. */
  docs: number;
  /** Mean length of a learning in tokens. */
  avgLength: number;
  /** The highest rowid of a learning: scores are kept in an array indexed by rowid. */
  maxRowid: number;
  /** Entries per term, in the order asked. */
  lists: Uint32Array[];
}

export function readPostings(db: Db, terms: readonly string[]): TermPostings {
  // count(*) would read a whole index of the learnings; the count kept beside the postings does not.
  const maxRowid = db.prepare('SELECT coalesce(max(rowid), 0) FROM learning').pluck().get() as number;
  const docs = Number(getMeta(db, DOCS) ?? 0);
  const tokens = Number(getMeta(db, TOKENS) ?? 0);
  const read = postingReader(db);
  const cache = new Map<string, Uint32Array>();
  const lists = terms.map((t) => {
    let list = cache.get(t);
    if (!list) cache.set(t, (list = read(t)));
    return list;
  });
  return { docs, avgLength: docs > 0 ? tokens / docs : 0, maxRowid, lists };
}

/** How many learnings hold the term whose postings these are. */
export const docFrequency = (list: Uint32Array): number => list.length / ENTRY;

export interface Ranked {
  rowid: number;
  /** FTS5's convention: minus the BM25 score, so lower is better. */
  bm25: number;
}

/**
 * The `limit` learnings with the best BM25 for these terms (each a phrase of FTS5's OR query,
 * in order: a term listed twice counts twice, as it did there), best first; ties by rowid.
 */
export function rankBm25(postings: TermPostings, limit: number): Ranked[] {
  const { docs, avgLength, maxRowid, lists } = postings;
  if (docs === 0 || avgLength === 0) return [];
  // This loop meets tens of thousands of entries in a process that has just started, before the
  // JIT has compiled it: it is kept to the arithmetic. The expression is FTS5's, in its order.
  const score = new Float64Array(maxRowid + 1);
  const k1Plus1 = K1 + 1;
  const [wTitle, wBody, wTags] = [WEIGHTS.title, WEIGHTS.body, WEIGHTS.tags];
  for (const list of lists) {
    const n = docFrequency(list);
    if (n === 0) continue;
    // FTS5's idf; a term in half the learnings or more would go negative and is floored.
    let idf = Math.log((docs - n + 0.5) / (n + 0.5));
    if (idf <= 0) idf = 1e-6;
    for (let i = 0; i < list.length; i += ENTRY) {
      const counts = list[i + 1]!;
      const f = (counts >>> 22) * wTitle + (counts & BODY_MAX) * wBody + ((counts >>> 12) & TAGS_MAX) * wTags;
      score[list[i]!]! += idf * ((f * k1Plus1) / (f + K1 * (1 - B + (B * list[i + 2]!) / avgLength)));
    }
  }
  // Every term adds a positive amount to the learnings that hold it: a score above 0 is a match.
  const hit: number[] = [];
  for (let rowid = 0; rowid <= maxRowid; rowid++) if (score[rowid]! > 0) hit.push(rowid);
  let chosen = hit;
  if (hit.length > limit) {
    // The limit-th best score, from a native numeric sort, then only what reaches it is ordered.
    const values = Float64Array.from(hit, (r) => score[r]!).sort();
    const floor = values[values.length - limit]!;
    chosen = hit.filter((r) => score[r]! >= floor);
  }
  chosen.sort((a, b) => score[b]! - score[a]! || a - b);
  return chosen.slice(0, limit).map((rowid) => ({ rowid, bm25: -score[rowid]! }));
}
