import type { SearchHit } from '../index/search.js';

/**
 * Context packets: the learnings that fit a token budget, each with its id, and the request to
 * cite the ids the agent applies. Tokens are estimated at four characters each, the usual figure
 * for English and code with the agents' tokenizers; the estimate errs on the side of fewer.
 */
export interface PacketLearning {
  id: string;
  title: string;
  type: string;
  body: string;
  score: number;
  store: 'repo' | 'user';
  maturity: string;
  /** True when the body was shortened to fit. */
  truncated: boolean;
}

export interface Packet {
  learnings: PacketLearning[];
  tokens: number;
  budget: number;
  /** Hits left out: below the relevance floor, or over the budget. */
  omitted: number;
  markdown: string;
}

export const DEFAULT_BUDGET = 1500;
/** Hits scoring below this share of the best one are noise for this prompt. */
const RELEVANCE_FLOOR = 0.25;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

const HEADER =
  '## Learnings from earlier sessions\n\n' +
  'These were learned in this repository before. Apply the ones that fit; when you apply one, ' +
  'cite its id in your reply (for example `[L-0123456789]`), so that useful learnings rise and stale ones fade.\n';

/** Builds a packet from ranked hits, best first, within `budget` tokens. */
export function buildPacket(hits: readonly SearchHit[], budget = DEFAULT_BUDGET): Packet {
  const best = hits[0]?.score ?? 0;
  const relevant = hits.filter((h) => h.score >= best * RELEVANCE_FLOOR && h.why.relevance > 0);
  let used = estimateTokens(HEADER);
  const chosen: PacketLearning[] = [];
  const parts: string[] = [HEADER];
  // One learning may take at most half the budget, so a long one cannot crowd out the rest.
  const perLearning = Math.max(120, Math.floor(budget / 2));
  for (const hit of relevant) {
    const head = `\n### [${hit.id}] ${hit.title}\n_${hit.type}, ${hit.why.maturity}${hit.store === 'user' ? ', user-level' : ''}_\n\n`;
    let body = hit.body.trim();
    let truncated = false;
    const room = Math.min(perLearning, budget - used) - estimateTokens(head);
    if (room < 40) continue;
    // The body is followed by a newline, which counts against the room too.
    if (estimateTokens(`${body}\n`) > room) {
      body = cutAt(body, room * 4 - 2);
      truncated = true;
    }
    const text = `${head}${body}\n`;
    used += estimateTokens(text);
    parts.push(text);
    chosen.push({
      id: hit.id,
      title: hit.title,
      type: hit.type,
      body,
      score: hit.score,
      store: hit.store,
      maturity: hit.why.maturity,
      truncated,
    });
  }
  return {
    learnings: chosen,
    tokens: chosen.length === 0 ? 0 : used,
    budget,
    omitted: hits.length - chosen.length,
    markdown: chosen.length === 0 ? '' : parts.join(''),
  };
}

function cutAt(text: string, chars: number): string {
  if (text.length <= chars) return text;
  const cut = text.slice(0, Math.max(0, chars - 1));
  const stop = Math.max(cut.lastIndexOf('\n'), cut.lastIndexOf('. '));
  return `${(stop > chars * 0.6 ? cut.slice(0, stop + 1) : cut).trimEnd()}…`;
}
