/**
 * Neutral knowledge types: a learning as authored in its file, the candidates forge proposes,
 * and the events the ledger keeps. Statistics (maturity, utility) are derived from the ledger,
 * never stored in a learning's file.
 */

export const LEARNING_TYPES = ['failure', 'fix', 'decision', 'convention', 'preference', 'gotcha', 'pattern'] as const;
export type LearningType = (typeof LEARNING_TYPES)[number];

export const MATURITIES = ['provisional', 'candidate', 'established', 'anti-pattern', 'retired'] as const;
export type Maturity = (typeof MATURITIES)[number];

/** Where a learning came from: a session of an agent, a line of its transcript, or a person. */
export interface LearningSource {
  /** Agent name (claude, codex, ...), `human` for `ao learn add`, `import` for imports. */
  agent: string;
  session?: string | undefined;
  /** Transcript file, relative to the project when inside it. */
  transcript?: string | undefined;
  /** 1-based line of the transcript the evidence starts at. */
  line?: number | undefined;
  /** ISO time of the evidence. */
  time?: string | undefined;
}

/** A learning's authored fields: exactly what its file holds. */
export interface Learning {
  /** `L-` + base36 content hash. */
  id: string;
  title: string;
  type: LearningType;
  tags: string[];
  /** Globs of the paths the learning applies to; empty = the whole repository. */
  scope: string[];
  source: LearningSource;
  /** ISO timestamp. */
  created: string;
  /** 0..1: how sure the author (or extractor) was. */
  confidence: number;
  /** Ids of learnings this one replaces. */
  supersedes: string[];
  /** ISO date after which the learning is no longer injected; null = never. */
  expires: string | null;
  /** Markdown body: what, why, how to apply, evidence. */
  body: string;
  /** Front matter keys this version of ao does not know, kept as they were (imports). */
  extra?: Record<string, unknown> | undefined;
}

/** A learning as loaded from disk: where it lives and which store it belongs to. */
export interface StoredLearning extends Learning {
  /** Absolute path of the file. */
  file: string;
  /** `repo` (the repository's `.agents/`) ranks above `user` (`AO_HOME`). */
  store: 'repo' | 'user';
}

/** What forge extractors (and LLM-assisted extraction) propose; the gate decides its fate. */
export interface Candidate {
  title: string;
  type: LearningType;
  /** Markdown body: what, why, how to apply, evidence. */
  body: string;
  tags: string[];
  scope: string[];
  source: LearningSource;
  confidence: number;
  /** Which extractor proposed it (`correction`, `error-fix`, `statement`, `anti-pattern`, `marker`, `llm:<runtime>`). */
  extractor: string;
  /** The raw evidence (quoted text, command, error signature), already redacted. */
  evidence: string[];
}

/** A problem with one file of the store: reported with its place, never fatal. */
export interface StoreProblem {
  file: string;
  /** 1-based line, when known. */
  line?: number | undefined;
  message: string;
}
