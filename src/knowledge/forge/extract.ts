/**
 * Forge's deterministic extraction: runs every extractor over one session and de-duplicates
 * within it. Two candidates are duplicates when they share a title or a claimed key (the same
 * sentence, the same error signature of the same command); the more confident one is kept.
 */

import type { SessionDetail } from '../../sessions/types.js';
import type { Candidate } from '../types.js';
import { extractAntiPatterns } from './anti-patterns.js';
import { type Draft, contextOf } from './context.js';
import { extractCorrections } from './corrections.js';
import { extractErrorFixes } from './error-fix.js';
import { extractMarkers } from './markers.js';
import { extractStatements } from './statements.js';
import { normaliseKey } from './text.js';

export interface ExtractOptions {
  /** Root for relative paths and scopes; defaults to the session's working directory. */
  projectRoot?: string;
}

/** Candidates proposed by the deterministic extractors for one session, in transcript order. */
export function extractCandidates(detail: SessionDetail, options: ExtractOptions = {}): Candidate[] {
  const ctx = contextOf(detail, options.projectRoot);
  const drafts = [
    ...extractMarkers(ctx),
    ...extractCorrections(ctx),
    ...extractErrorFixes(ctx),
    ...extractAntiPatterns(ctx),
    ...extractStatements(ctx),
  ];
  return dedupe(drafts);
}

function dedupe(drafts: Draft[]): Candidate[] {
  const ranked = drafts
    .map((draft, order) => ({ draft, order }))
    .sort((a, b) => b.draft.candidate.confidence - a.draft.candidate.confidence || a.order - b.order);
  const seen = new Set<string>();
  const kept: { candidate: Candidate; order: number }[] = [];
  for (const { draft, order } of ranked) {
    const keys = [`t:${normaliseKey(draft.candidate.title)}`, ...draft.keys];
    if (keys.some((k) => seen.has(k))) continue;
    for (const k of keys) seen.add(k);
    kept.push({ candidate: draft.candidate, order });
  }
  return kept
    .sort((a, b) => (a.candidate.source.line ?? 0) - (b.candidate.source.line ?? 0) || a.order - b.order)
    .map((k) => k.candidate);
}
