import { parse } from 'yaml';
import { FrontMatterError, readFrontMatter as readShared } from '../front-matter.js';

/** A markdown file split at its YAML front matter, or why that failed (with the file's line). */
export type FrontMatter =
  | {
      ok: true;
      /** The front matter's keys; empty when the file has none. */
      data: Record<string, unknown>;
      /** The lines after the front matter. */
      body: string[];
      /** 1-based line of the file that `body[0]` is. */
      bodyLine: number;
    }
  | { ok: false; line: number; message: string };

/**
 * The importers' view of the one front matter reader (../front-matter.ts): a file without front
 * matter is all body, the body comes as lines, and a problem is a value, never thrown.
 */
export function readFrontMatter(text: string): FrontMatter {
  const src = text.replace(/^\uFEFF/, '');
  if (!/^---[ \t]*\r?\n/.test(src)) return { ok: true, data: {}, body: src.split(/\r?\n/), bodyLine: 1 };
  try {
    const fm = readShared(src, parse);
    return { ok: true, data: fm.data, body: fm.body.split(/\r?\n/), bodyLine: fm.bodyLine };
  } catch (error) {
    if (error instanceof FrontMatterError) return { ok: false, line: error.line, message: error.message };
    throw error;
  }
}
