import { fencedLines } from './text.js';

/** One entry of a learnings markdown file, before its title and metadata are read. */
export interface RawEntry {
  /** 0-based index of the entry's first line in the lines given to `splitEntries`. */
  index: number;
  /** The heading's text when the entry is a section; otherwise the title is in `lines[0]`. */
  heading?: string | undefined;
  /** Under the heading; for a list item, its text without the marker, continuation dedented. */
  lines: string[];
  /** The heading of the section a list item sits in (a category), if any. */
  section?: string | undefined;
}

interface Heading {
  index: number;
  level: number;
  text: string;
  /** Lines the heading takes: 2 for a setext heading (text + underline). */
  span: number;
}

const ATX = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const ITEM = /^( ?)([-*+]|\d{1,9}[.)])[ \t]+(\S.*)$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/**
 * Splits a learnings file into entries. The shape is chosen from the whole file:
 * - headings below a single `# ` document title: each section of the highest such level is an
 *   entry, unless its body is nothing but a list of two or more items: then each item is one,
 *   and the heading is their category;
 * - else, `---` rules: each block between them is an entry (a first block holding the `# `
 *   title is the preamble);
 * - else, top-level list items (bullets or numbers), nested lines belonging to their item;
 * - else, paragraphs.
 */
export function splitEntries(lines: readonly string[]): RawEntry[] {
  const fenced = fencedLines(lines);
  const headings = findHeadings(lines, fenced);
  const levels = headings.map((h) => h.level).filter((l) => l >= 2);
  const entryLevel = levels.length > 0 ? Math.min(...levels) : headings.length > 1 ? 1 : 0;
  if (entryLevel > 0) return splitSections(lines, fenced, headings, entryLevel);

  const underlines = new Set(headings.filter((h) => h.span === 2).map((h) => h.index + 1));
  const rules = lines.flatMap((l, i) => (!fenced[i] && !underlines.has(i) && RULE.test(l) ? [i] : []));
  if (rules.length > 0) return splitBlocks(lines, fenced, headings, rules);

  const items = readListItems(lines, fenced, 0, lines.length);
  if (items.entries.length > 0) return items.entries;
  return splitBlocks(lines, fenced, headings, [], true);
}

function findHeadings(lines: readonly string[], fenced: readonly boolean[]): Heading[] {
  const out: Heading[] = [];
  // Once a `---` stands after a blank line, the file uses `---` as rules, not as underlines.
  const dashRules = lines.some((l, i) => !fenced[i] && /^ {0,3}-{3,}[ \t]*$/.test(l) && lines[i - 1]?.trim() === '');
  for (let i = 0; i < lines.length; i++) {
    if (fenced[i]) continue;
    const line = lines[i]!;
    const atx = ATX.exec(line);
    if (atx) {
      out.push({ index: i, level: atx[1]!.length, text: atx[2]!.trim(), span: 1 });
      continue;
    }
    // Setext: a one-line paragraph underlined with === or --- (a longer paragraph over `---`
    // is far more often text followed by a rule between entries).
    const under = (dashRules ? /^ {0,3}(=+)[ \t]*$/ : /^ {0,3}(=+|-+)[ \t]*$/).exec(lines[i + 1] ?? '');
    const before = lines[i - 1] ?? '';
    if (under && !fenced[i + 1] && line.trim() !== '' && before.trim() === '' && !ITEM.test(line) && !RULE.test(line)) {
      out.push({ index: i, level: under[1]![0] === '=' ? 1 : 2, text: line.trim(), span: 2 });
      i++;
    }
  }
  return out;
}

function splitSections(
  lines: readonly string[],
  fenced: readonly boolean[],
  headings: readonly Heading[],
  level: number,
): RawEntry[] {
  const bounds = headings.filter((h) => h.level <= level);
  const out: RawEntry[] = [];
  bounds.forEach((h, n) => {
    if (h.level !== level) return;
    const start = h.index + h.span;
    const end = bounds[n + 1]?.index ?? lines.length;
    const items = readListItems(lines, fenced, start, end);
    if (items.entries.length >= 2 && items.coversAll) {
      out.push(...items.entries.map((e) => ({ ...e, section: h.text })));
      return;
    }
    out.push({ index: h.index, heading: h.text, lines: dropRules(lines.slice(start, end)) });
  });
  return out;
}

/**
 * Blocks between separator lines; `paragraphs` also splits at blank lines. A lone `# ` title is
 * no entry: in paragraph mode it is just cut out, between rules its whole block is the preamble.
 */
function splitBlocks(
  lines: readonly string[],
  fenced: readonly boolean[],
  headings: readonly Heading[],
  separators: readonly number[],
  paragraphs = false,
): RawEntry[] {
  const cuts = new Set(separators);
  const title = headings.length === 1 && headings[0]!.level === 1 ? headings[0] : undefined;
  if (title && paragraphs) for (let k = 0; k < title.span; k++) cuts.add(title.index + k);
  const out: RawEntry[] = [];
  let block: number[] = [];
  const flush = (): void => {
    const first = block.find((i) => lines[i]!.trim() !== '');
    if (first !== undefined && !(title && block.includes(title.index))) {
      const heading = headings.find((h) => h.index === first);
      const from = heading ? first + heading.span : first;
      out.push({ index: first, heading: heading?.text, lines: block.filter((i) => i >= from).map((i) => lines[i]!) });
    }
    block = [];
  };
  for (let i = 0; i <= lines.length; i++) {
    if (i === lines.length || cuts.has(i)) flush();
    else if (paragraphs && !fenced[i] && lines[i]!.trim() === '') flush();
    else block.push(i);
  }
  return out;
}

/**
 * Top-level list items of lines[start..end): an item goes on over indented lines, blank lines
 * and lazy continuation lines; `coversAll` says whether nothing but items was there.
 */
function readListItems(
  lines: readonly string[],
  fenced: readonly boolean[],
  start: number,
  end: number,
): { entries: RawEntry[]; coversAll: boolean } {
  const entries: RawEntry[] = [];
  let coversAll = true;
  let item: (RawEntry & { column: number; blank: boolean }) | null = null;
  for (let i = start; i < end; i++) {
    const line = lines[i]!;
    const m = fenced[i] ? null : ITEM.exec(line);
    if (m) {
      item = { index: i, lines: [m[3]!], column: line.length - m[3]!.length, blank: false };
      entries.push(item);
    } else if (line.trim() === '') {
      if (item) {
        item.lines.push('');
        item.blank = true;
      }
    } else if (item && (fenced[i] || /^(?: {2,}|\t)/.test(line))) {
      item.lines.push(dedent(line, item.column));
      item.blank = false;
    } else if (item && !item.blank && !ATX.test(line) && !RULE.test(line)) {
      item.lines.push(line.trim());
    } else {
      item = null;
      if (!RULE.test(line)) coversAll = false;
    }
  }
  return {
    entries: entries.map(({ index, lines: l }) => ({ index, lines: dropRules(l) })),
    coversAll,
  };
}

function dedent(line: string, column: number): string {
  const indent = /^[ \t]*/.exec(line)![0].replace(/\t/g, '    ');
  return ' '.repeat(Math.max(0, indent.length - column)) + line.trimStart();
}

/** Without `---` rules and blank lines at its ends (rules separate entries, they are not text). */
function dropRules(lines: string[]): string[] {
  let s = 0;
  let e = lines.length;
  while (s < e && (lines[s]!.trim() === '' || RULE.test(lines[s]!))) s++;
  while (e > s && (lines[e - 1]!.trim() === '' || RULE.test(lines[e - 1]!))) e--;
  return lines.slice(s, e);
}
