import { parseDocument } from 'yaml';

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
 * Splits `---` front matter from a markdown text and parses it as YAML. Line 1 is the opening
 * `---`, so line n of the YAML is line n + 1 of the file. Never throws.
 */
export function readFrontMatter(text: string): FrontMatter {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trimEnd() !== '---') return { ok: true, data: {}, body: lines, bodyLine: 1 };
  const end = lines.findIndex((l, i) => i > 0 && (l.trimEnd() === '---' || l.trimEnd() === '...'));
  if (end < 0) return { ok: false, line: 1, message: 'front matter opened by `---` is never closed' };

  const doc = parseDocument(lines.slice(1, end).join('\n'));
  const error = doc.errors[0];
  if (error) {
    const line = (error.linePos?.[0].line ?? 1) + 1;
    const what = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    return { ok: false, line, message: `invalid YAML in front matter: ${what}` };
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (err) {
    return { ok: false, line: 2, message: `invalid YAML in front matter: ${(err as Error).message}` };
  }
  if (value === null || value === undefined) value = {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    const found = Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    const first = lines.findIndex((l, i) => i > 0 && l.trim() !== '' && !l.trimStart().startsWith('#'));
    return { ok: false, line: first + 1, message: `front matter is ${found}, not a mapping of keys` };
  }
  return { ok: true, data: value as Record<string, unknown>, body: lines.slice(end + 1), bodyLine: end + 2 };
}
