import { similarity } from './similarity.js';
import type { Candidate } from './types.js';

/**
 * The gate: every candidate is scored for specificity, actionability, novelty and length, and is
 * accepted, held for a person's review, or rejected, with the reasons. Pure: the caller supplies
 * the stored learnings nearest to the candidate (from the index) and earlier candidates of the run.
 */
export type GateVerdict = 'accept' | 'hold' | 'reject' | 'merge';

export interface Neighbour {
  id: string;
  title: string;
  body: string;
}

export interface GateDecision {
  verdict: GateVerdict;
  score: number;
  scores: { specificity: number; actionability: number; novelty: number; length: number };
  /** The stored learning it duplicates (verdict `merge`) or resembles (held). */
  duplicateOf: string | null;
  reasons: string[];
}

export const ACCEPT_AT = 0.62;
export const HOLD_AT = 0.45;
/** Similarity at which a candidate restates a stored learning. */
export const DUPLICATE_AT = 0.8;
/** Similarity at which a person should decide whether it is new. */
export const RESEMBLES_AT = 0.7;

const SPECIFIC = [
  /`[^`]{2,}`/g, // code spans
  /\b[\w.-]+\/[\w./-]+/g, // paths
  /\b[\w-]+\.(ts|tsx|js|mjs|ex|exs|py|go|rs|rb|java|json|ya?ml|toml|md|sql|sh|css|html|lock)\b/g, // files
  /\b[a-z]+[A-Z]\w*\b|\b\w+_\w+\b/g, // identifiers
  /\b[A-Z][a-zA-Z]*(Error|Exception)\b|\bE[A-Z]{3,}\b/g, // error names and codes
  /--?[a-z][\w-]+/g, // flags
  /\b\d+(\.\d+)?\s?(ms|s|MB|KB|GB|%|tokens)\b/g, // measured figures
];

const DIRECTIVE =
  /\b(use|run|avoid|don'?t|do not|never|always|prefer|must|should|set|add|remove|check|call|pass|keep|make sure|instead|before|after|when|ensure|configure|wrap|retry|skip|pin)\b/gi;

/** Scores and decides one candidate. */
export function gateCandidate(
  candidate: Candidate,
  neighbours: readonly Neighbour[],
  earlier: readonly Neighbour[] = [],
): GateDecision {
  const text = `${candidate.title}\n${candidate.body}`;
  const reasons: string[] = [];
  let specific = 0;
  for (const re of SPECIFIC) specific += text.match(re)?.length ?? 0;
  const specificity = Math.min(1, specific / 6);
  reasons.push(
    `specificity ${pct(specificity)}: ${specific} concrete references (code, paths, identifiers, errors, flags)`,
  );
  const directives = text.match(DIRECTIVE)?.length ?? 0;
  const hasHowTo = /how to apply|\*\*how\*\*|\bfix:|instead/i.test(candidate.body);
  const actionability = Math.min(1, directives / 4 + (hasHowTo ? 0.3 : 0));
  reasons.push(`actionability ${pct(actionability)}: ${directives} directives${hasHowTo ? ', says how to apply' : ''}`);
  let best = { id: '', sim: 0, earlier: false };
  const title = normTitle(candidate.title);
  for (const n of neighbours) {
    // The same title is the same lesson, whatever evidence came with it this time.
    const sim = normTitle(n.title) === title ? 1 : similarity(text, `${n.title}\n${n.body}`);
    if (sim > best.sim) best = { id: n.id, sim, earlier: false };
  }
  for (const n of earlier) {
    const sim = normTitle(n.title) === title ? 1 : similarity(text, `${n.title}\n${n.body}`);
    if (sim > best.sim) best = { id: n.id, sim, earlier: true };
  }
  const novelty = 1 - best.sim;
  const titleLen = candidate.title.length;
  const bodyLen = candidate.body.length;
  let length = 1;
  if (titleLen < 12 || bodyLen < 60) length = 0.2;
  else if (bodyLen > 4000) length = 0.4;
  else if (bodyLen > 2500) length = 0.7;
  reasons.push(`length ${pct(length)}: title ${titleLen} chars, body ${bodyLen} chars`);
  const score = round(
    0.35 * specificity + 0.3 * actionability + 0.2 * length + 0.15 * Math.min(1, candidate.confidence + 0.2),
  );
  const scores = {
    specificity: round(specificity),
    actionability: round(actionability),
    novelty: round(novelty),
    length,
  };
  if (best.sim >= DUPLICATE_AT) {
    reasons.push(`duplicate (${pct(best.sim)} alike) of ${best.earlier ? 'an earlier candidate' : best.id}`);
    return { verdict: 'merge', score, scores, duplicateOf: best.id, reasons };
  }
  if (length < 0.5) {
    reasons.push('too short to stand alone');
    return { verdict: 'reject', score, scores, duplicateOf: null, reasons };
  }
  if (best.sim >= RESEMBLES_AT) {
    reasons.push(`resembles ${best.id} (${pct(best.sim)} alike): a person decides`);
    return { verdict: score >= HOLD_AT ? 'hold' : 'reject', score, scores, duplicateOf: best.id, reasons };
  }
  const verdict: GateVerdict = score >= ACCEPT_AT ? 'accept' : score >= HOLD_AT ? 'hold' : 'reject';
  reasons.push(`score ${pct(score)} (accept ≥ ${pct(ACCEPT_AT)}, hold ≥ ${pct(HOLD_AT)})`);
  return { verdict, score, scores, duplicateOf: null, reasons };
}

function normTitle(t: string): string {
  return t
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function pct(n: number): string {
  return `${Math.round(n * 100)}%`;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
