import type { SessionBuilder, BuilderState } from './builder.js';
import type { AgentName, ParseWarnings, SessionDetail, SessionSummary } from './types.js';

/** What a parser yields for one source: usually one session, several for a database. */
export interface ParsedSource {
  sessions: SessionSummary[];
  /** Filled only when parsing in detail mode. */
  details: SessionDetail[];
  warnings: ParseWarnings;
}

export interface ParseContext {
  /** Path of the transcript (or database, or storage root). */
  file: string;
  /** Collect the full timeline (for `sessions show`), not just the summary. */
  detail: boolean;
}

/**
 * A parser for a JSON-lines transcript. It is fed complete lines in order; `snapshot()`
 * returns JSON-serialisable state from which `create(ctx, state)` resumes after the last
 * line fed, so an appended file is read from its last offset only.
 */
export interface LineParser {
  line(text: string, lineNo: number): void;
  /** Optional fast path on the undecoded line (a view valid only during the call). */
  bytes?(buf: Buffer, start: number, end: number, lineNo: number): void;
  snapshot(): unknown;
  finish(): ParsedSource;
}

export interface LineFormat {
  agent: AgentName;
  kind: 'lines';
  create(ctx: ParseContext, state?: unknown): LineParser;
}

/** A format read whole each time it changes (legacy JSON files, SQLite databases, folder trees). */
export interface WholeFormat {
  agent: AgentName;
  kind: 'whole';
  read(ctx: ParseContext): Promise<ParsedSource>;
}

export type Format = LineFormat | WholeFormat;

/** Builder state plus a parser's own extra state, as stored by the session cache. */
export interface ResumableState<Extra = unknown> {
  builder: BuilderState;
  extra: Extra;
}

export function summariesOf(builders: SessionBuilder[], detail: boolean): Pick<ParsedSource, 'sessions' | 'details'> {
  return {
    sessions: builders.map((b) => b.toSummary()),
    details: detail ? builders.map((b) => b.toDetail()) : [],
  };
}
