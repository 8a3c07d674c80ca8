import type { CachedSource } from './cache.js';
import type { Source } from './discover.js';
import { hashKeys } from './dedupe.js';
import { FORMATS } from './formats.js';
import { type LineSink, readLines } from './line-reader.js';
import { readTail } from './tail.js';
import type { LineFormat, LineParser, ParsedSource } from './parser.js';

/** What reading one source needs: where to start, and the parser state to start from. */
export interface ReadJob {
  source: Source;
  fingerprint: string;
  size: number;
  offset: number;
  lineNo: number;
  /** Parser state saved at `offset` by an earlier read; absent for a read from the start. */
  resume?: StoredState;
}

/** Parser state as the cache keeps it, with the count of oversized lines skipped so far. */
export interface StoredState {
  parser: unknown;
  oversized: number;
}

export interface ReadResult {
  entry: CachedSource;
  state: StoredState | null;
}

/** Reads one source whole or from its resume point; null when it cannot be read at all. */
export async function readSource(job: ReadJob, onBytes: (bytes: number) => void): Promise<ReadResult | null> {
  const format = FORMATS[job.source.format];
  try {
    if (format.kind === 'whole') {
      const parsed = await format.read({ file: job.source.path, detail: false });
      onBytes(job.size);
      return { entry: entryOf(job, parsed, job.size, 0, ''), state: null };
    }
    return readLineSource(format, job, onBytes);
  } catch {
    return null;
  }
}

/**
 * Parser state after the whole file, the unterminated last line included (the saved state stops
 * before it): what de-duplication rebuilds a summary from.
 */
export function readWholeState(source: Source): unknown {
  const format = FORMATS[source.format];
  if (format.kind !== 'lines') return undefined;
  const parser = format.create({ file: source.path, detail: false });
  try {
    readLines(source.path, sinkOf(parser), { trailing: 'parse' });
  } catch {
    return undefined;
  }
  return parser.snapshot();
}

/** Feeds a parser raw lines where it has a fast path, decoded lines where not. */
function sinkOf(parser: LineParser): LineSink {
  return parser.bytes
    ? (buf, s, e, n) => parser.bytes?.(buf, s, e, n)
    : (buf, s, e, n) => parser.line(buf.toString('utf8', s, e), n);
}

function readLineSource(format: LineFormat, job: ReadJob, onBytes: (bytes: number) => void): ReadResult {
  const path = job.source.path;
  const resume = job.resume;
  const parser = format.create({ file: path, detail: false }, resume?.parser);
  const sink = sinkOf(parser);
  const start = resume ? { offset: job.offset, lineNo: job.lineNo } : { offset: 0, lineNo: 0 };
  // Hold back an unterminated last line (the agent may be writing it): the saved state ends
  // before it, and it is read again, whole, next time. This run still counts it.
  const held = readLines(path, sink, { ...start, trailing: 'hold', onBytes });
  const oversized = (resume?.oversized ?? 0) + held.oversizedLines;
  const state = JSON.parse(JSON.stringify({ parser: parser.snapshot(), oversized })) as StoredState;
  let extraOversized = 0;
  if (held.size > held.offset) {
    extraOversized = readLines(path, sink, {
      offset: held.offset,
      lineNo: held.lineNo,
      trailing: 'parse',
    }).oversizedLines;
  }
  const parsed = parser.finish();
  parsed.warnings.oversizedLines += oversized + extraOversized;
  const entry = entryOf({ ...job, size: held.size }, parsed, held.offset, held.lineNo, readTail(path, held.offset));
  return { entry, state };
}

function entryOf(job: ReadJob, parsed: ParsedSource, offset: number, lineNo: number, tail: string): CachedSource {
  return {
    path: job.source.path,
    format: job.source.format,
    fingerprint: job.fingerprint,
    size: job.size,
    offset,
    lineNo,
    tail,
    summaries: parsed.sessions,
    warnings: parsed.warnings,
    keyHashes: hashKeys(parsed.sessions[0]?.replyKeys ?? []),
  };
}
