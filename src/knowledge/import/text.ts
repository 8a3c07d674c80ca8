/** Small text helpers shared by the importers. */

/** Longest title a draft gets; the rest of a longer one goes to the body. */
export const MAX_TITLE = 90;

/** A tag in our form: lower case, words joined by hyphens; '' when nothing is left. */
export function normalizeTag(raw: string): string {
  return raw
    .trim()
    .replace(/^#+/, '')
    .toLowerCase()
    .replace(/[\s_/]+/g, '-')
    .replace(/[^\p{L}\p{N}.+-]/gu, '')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}

/** Normalized, non-empty, first occurrence kept. */
export function uniqueTags(raw: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const r of raw) {
    const tag = normalizeTag(r);
    if (tag) out.add(tag);
  }
  return [...out];
}

/** Shortens a title to `max` characters at a word boundary, marking the cut with `…`. */
export function cutTitle(raw: string, max = MAX_TITLE): { title: string; cut: boolean } {
  const title = raw.replace(/\s+/g, ' ').trim();
  if (title.length <= max) return { title, cut: false };
  const room = title.slice(0, max - 1);
  const space = room.lastIndexOf(' ');
  const head = space > max / 2 ? room.slice(0, space) : room;
  return { title: head.replace(/[\s,;:.\u2013\u2014-]+$/, '') + '…', cut: true };
}

/** `Learning: X`, `Pattern — X` → `X`. */
export function stripTitlePrefix(title: string): string {
  return title.replace(/^(?:learning|pattern|lesson)\s*[:\u2013\u2014-]\s*/i, '').trim();
}

/** An ISO timestamp from a date-like value (`2026-04-07` → midnight UTC); undefined if it is none. */
export function toIsoTime(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}(?:$|[T ])/.test(text)) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** A finite number from a number or a numeric string. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !/^\s*-?\d+(?:\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}

/** `2026-04-12-yagni-bridge-not-clone.md` → its date, if the name starts with one. */
export function dateFromFileName(name: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[-_]|\.md$)/.exec(name);
  return m ? toIsoTime(m[1]) : undefined;
}

/** `2026-04-12-yagni-bridge-not-clone.md` → `Yagni bridge not clone`. */
export function titleFromFileName(name: string): string {
  const words = name
    .replace(/\.md$/i, '')
    .replace(/^\d{4}-\d{2}-\d{2}[-_]?/, '')
    .replace(/[-_]+/g, ' ')
    .trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : name;
}

/** For each line, whether it belongs to a fenced code block (fence lines included). */
export function fencedLines(lines: readonly string[]): boolean[] {
  const out: boolean[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null) {
      if (m) fence = m[1]!;
      out.push(fence !== null);
    } else {
      out.push(true);
      if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.trim() === m[1]) fence = null;
    }
  }
  return out;
}

/** Drops blank lines at both ends (inner text stays as it was). */
export function trimBlankLines(lines: readonly string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === '') start++;
  while (end > start && lines[end - 1]!.trim() === '') end--;
  return lines.slice(start, end).join('\n');
}
