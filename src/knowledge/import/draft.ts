import type { Learning, StoreProblem } from '../types.js';

/**
 * A learning read from a foreign store, before the store assigns its id and writes its file.
 * `imported` carries what the foreign store tracked about it, to seed our ledger.
 */
export type LearningDraft = Omit<Learning, 'id'> & {
  /** maturity/utility/counters from the foreign store, to seed our ledger */
  imported?: {
    maturity?: string;
    utility?: number;
    helpful?: number;
    harmful?: number;
    rewards?: number;
    originalId?: string;
    /** The file it came from, relative to the imported store's root. */
    originalPath: string;
  };
};

/** What an importer returns: the drafts it could read and a problem for each file it skipped. */
export interface ImportResult {
  drafts: LearningDraft[];
  problems: StoreProblem[];
}
