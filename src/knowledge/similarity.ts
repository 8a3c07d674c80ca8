import { queryTerms } from '../lib/terms.js';

/** Content words of a text, for near-duplicate checks. */
export function termSet(text: string): Set<string> {
  const hit = memo.get(text);
  if (hit) return hit;
  const set = new Set(queryTerms(text, 400).map(stem));
  // Forge compares each candidate with the same few neighbours: remember recent texts.
  if (memo.size >= 512) memo.delete(memo.keys().next().value as string);
  memo.set(text, set);
  return set;
}

const memo = new Map<string, Set<string>>();

/** A light stem so `tests`, `testing` and `tested` count as one word. */
function stem(word: string): string {
  return word.replace(/(ing|ed|es|s)$/, '') || word;
}

/**
 * Overlap of two texts' content words: the share of the smaller set found in the larger one,
 * so a short learning restated inside a longer one still counts as a duplicate.
 */
export function similarity(a: string, b: string): number {
  const x = termSet(a);
  const y = termSet(b);
  if (x.size === 0 || y.size === 0) return 0;
  const [small, large] = x.size <= y.size ? [x, y] : [y, x];
  let shared = 0;
  for (const w of small) if (large.has(w)) shared++;
  // Blend containment with Jaccard so that tiny texts do not match everything.
  const containment = shared / small.size;
  const jaccard = shared / (x.size + y.size - shared);
  return 0.6 * containment + 0.4 * jaccard;
}
