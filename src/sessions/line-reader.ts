import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Receives each complete line as a view into a shared buffer: valid only during the call. */
export type LineSink = (buf: Buffer, start: number, end: number, lineNo: number) => void;

export interface ReadLinesOptions {
  /** Byte offset to start at (a line boundary from an earlier read). */
  offset?: number;
  /** Line number of the line at `offset`, minus one. */
  lineNo?: number;
  /** Lines longer than this are skipped, and counted, without ever being held whole. */
  maxLineBytes?: number;
  /**
   * What to do with a last line that has no newline: 'parse' feeds it (the writer is done),
   * 'hold' leaves it for the next read (the writer may still be appending).
   */
  trailing?: 'parse' | 'hold';
  /** Called with the bytes read so far, for progress. */
  onBytes?: (bytes: number) => void;
}

export interface ReadLinesResult {
  /** Offset just past the last line consumed: where the next read resumes. */
  offset: number;
  lineNo: number;
  size: number;
  oversizedLines: number;
}

const CHUNK = 1 << 20;
export const DEFAULT_MAX_LINE_BYTES = 32 * (1 << 20);

/**
 * Reads a file line by line with bounded memory. Newlines are found on raw bytes and lines
 * are handed over undecoded, so a parser can skip a line it does not need without paying for
 * UTF-8 decoding. Reads up to the size the file had when it was opened, so a file appended to
 * while it is read yields a consistent prefix; the rest is read next time from `offset`.
 */
export function readLines(path: string, sink: LineSink, options: ReadLinesOptions = {}): ReadLinesResult {
  const maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    let position = options.offset ?? 0;
    let lineNo = options.lineNo ?? 0;
    let consumed = position;
    let oversized = 0;
    let skipping = false;
    let buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size - position, 1)));
    let filled = 0;

    while (position < size) {
      if (filled === buf.length) {
        // One line fills the buffer: grow it, or give the line up once it passes the limit.
        if (buf.length >= maxLine) {
          skipping = true;
          filled = 0;
        } else {
          const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxLine));
          buf.copy(bigger, 0, 0, filled);
          buf = bigger;
        }
      }
      const n = readSync(fd, buf, filled, Math.min(buf.length - filled, size - position), position);
      if (n === 0) break;
      position += n;
      filled += n;
      options.onBytes?.(position);

      let start = 0;
      let nl = buf.indexOf(10, 0);
      while (nl !== -1 && nl < filled) {
        lineNo++;
        const end = trimCR(buf, start, nl);
        if (skipping || end - start > maxLine) {
          skipping = false;
          oversized++;
        } else if (end > start) {
          sink(buf, start, end, lineNo);
        }
        start = nl + 1;
        consumed = position - filled + start;
        nl = buf.indexOf(10, start);
      }
      if (skipping) {
        filled = 0;
      } else if (start > 0) {
        buf.copy(buf, 0, start, filled);
        filled -= start;
      }
    }

    if (skipping) {
      // An oversized last line with no newline: count it and move past it.
      lineNo++;
      oversized++;
      consumed = position;
    } else if (filled > 0 && options.trailing !== 'hold') {
      lineNo++;
      const end = trimCR(buf, 0, filled);
      if (end > maxLine) oversized++;
      else if (end > 0) sink(buf, 0, end, lineNo);
      consumed = position;
    }
    return { offset: consumed, lineNo, size, oversizedLines: oversized };
  } finally {
    closeSync(fd);
  }
}

function trimCR(buf: Buffer, start: number, end: number): number {
  return end > start && buf[end - 1] === 13 ? end - 1 : end;
}
