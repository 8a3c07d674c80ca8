import { LEARNING_TYPES, type LearningType } from '../types.js';
import type { ImportResult, LearningDraft } from './draft.js';
import { readFrontMatter } from './front-matter.js';
import { DEFAULT_TYPE, inferType, typeFromLabel } from './infer-type.js';
import { splitEntries, type RawEntry } from './md-entries.js';
import {
  cutTitle,
  fencedLines,
  normalizeTag,
  stripTitlePrefix,
  toIsoTime,
  trimBlankLines,
  uniqueTags,
} from './text.js';

/** `Tags: a, b`, `**Type:** gotcha`, `- _Date_: 2026-03-01` lines inside an entry. */
const META =
  /^\s*(?:[-*+]\s+)?[*_]{0,2}(tags?|type|category|date|created|confidence)[*_]{0,2}\s*:[*_]{0,2}\s*(.*?)[*_]{0,2}\s*$/i;
const DATE_IN_BRACKETS = /[([]\s*(\d{4}-\d{2}-\d{2})\s*[)\]]/;
const HASHTAG = /(^|\s)#([A-Za-z][\w-]*)/g;
/** `**Title**: text`, `**Title.** text`, `__Title__ — text`. */
const BOLD_TITLE = /^(\*\*|__)(.+?)\1\s*(?:[:\u2013\u2014-]\s*)?(.*)$/;
/** `Topic:` prefixes that are no topic. */
const NOT_TOPICS = new Set(['note', 'tip', 'important', 'update', 'lesson', 'learning', 'insight', 'todo', 'tldr']);
const CONFIDENCE_WORDS: Readonly<Record<string, number>> = { high: 0.85, medium: 0.6, low: 0.35 };

/**
 * Reads a plain `learnings.md`, one learning per entry (see md-entries.ts for the shapes).
 * Per entry, lines like `Tags: a, b`, `Type: gotcha`, `Category: x`, `Date: 2026-03-01`,
 * `Confidence: high` set those fields and leave the body; `#tags` add tags; a `(2026-03-01)`
 * date sets `created`. Type: a `Type:` line → a `Gotcha:` title prefix → `Category:` → the
 * section the entry is listed under (`## Gotchas`) → the title's wording (infer-type.ts) →
 * `gotcha`. `created` defaults to `options.created` (say, the file's mtime), else now.
 */
export function parseLearningsMarkdown(text: string, file: string, options: { created?: string } = {}): ImportResult {
  const fm = readFrontMatter(text);
  const lines = fm.ok ? fm.body : text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const firstLine = fm.ok ? fm.bodyLine : 1;
  const created = options.created ?? new Date().toISOString();
  const drafts: LearningDraft[] = [];
  for (const entry of splitEntries(lines)) {
    const draft = toDraft(entry, file, firstLine + entry.index, created);
    if (draft) drafts.push(draft);
  }
  return { drafts, problems: [] };
}

function toDraft(entry: RawEntry, file: string, line: number, fallbackCreated: string): LearningDraft | undefined {
  const meta = takeMetadata(entry.lines, entry.heading === undefined ? 1 : 0);
  const tags: string[] = [...meta.tags];
  let created = meta.date;
  let lines = meta.lines;
  let titleText = entry.heading;
  let keepFullTitle = true;
  if (titleText === undefined) {
    const lead = splitLead(lines);
    if (!lead) return undefined;
    ({ title: titleText, lines } = lead);
    keepFullTitle = lead.bold;
  }

  // The title's own markers: dates, hashtags, emphasis, a `Learning:` or `Topic:` prefix.
  let title = titleText;
  const dated = DATE_IN_BRACKETS.exec(title) ?? /^(\d{4}-\d{2}-\d{2})\s*[:\u2013\u2014-]?\s+/.exec(title);
  if (dated) {
    created ??= toIsoTime(dated[1]);
    title = title.replace(dated[0], ' ');
  }
  title = title.replace(/\s[\u2013\u2014-]\s*(\d{4}-\d{2}-\d{2})\s*$/, (_m, d: string) => {
    created ??= toIsoTime(d);
    return '';
  });
  title = title.replace(HASHTAG, (_m, pre: string, tag: string) => {
    tags.push(tag);
    return pre;
  });
  title = stripTitlePrefix(stripEmphasis(title.replace(/\s+/g, ' ').trim())).replace(/[.:;,]+$/, '');
  let prefixType: LearningType | undefined;
  const topic = /^([^:`]{2,30}):\s+(\S.*)$/.exec(title);
  if (topic && topic[1]!.trim().split(/\s+/).length <= 3) {
    prefixType = typeFromLabel(topic[1]);
    if (prefixType) title = topic[2]![0]!.toUpperCase() + topic[2]!.slice(1);
    else if (!NOT_TOPICS.has(normalizeTag(topic[1]!))) tags.push(topic[1]!);
  }
  if (!title) return undefined;

  const body = trimBlankLines(lines);
  for (const tag of hashtags(body)) tags.push(tag);
  created ??= toIsoTime(DATE_IN_BRACKETS.exec(body)?.[1]) ?? fallbackCreated;
  if (meta.category) tags.push(meta.category);
  if (entry.section) tags.push(entry.section);
  const type: LearningType =
    meta.type ??
    prefixType ??
    typeFromLabel(meta.category) ??
    typeFromLabel(entry.section) ??
    inferType(title) ??
    DEFAULT_TYPE;

  const cut = cutTitle(title);
  return {
    title: cut.title,
    type,
    tags: uniqueTags(tags.filter((t) => t !== entry.section || !isTypeName(t))),
    scope: [],
    source: { agent: 'import', transcript: file, line },
    created,
    confidence: meta.confidence ?? 0.5,
    supersedes: [],
    expires: null,
    body: cut.cut && keepFullTitle ? `${title}\n\n${body}`.trim() : body,
  };
}

/** `Gotchas`, `Decision`: a heading naming one of our types is no tag. */
function isTypeName(label: string): boolean {
  return (LEARNING_TYPES as readonly string[]).includes(normalizeTag(label).replace(/s$/, ''));
}

interface Metadata {
  tags: string[];
  type?: LearningType | undefined;
  category?: string | undefined;
  date?: string | undefined;
  confidence?: number | undefined;
  /** The entry's lines without the metadata lines. */
  lines: string[];
}

/** Reads and removes metadata lines (from line `from` on: a list item's first line is its text). */
function takeMetadata(lines: readonly string[], from: number): Metadata {
  const out: Metadata = { tags: [], lines: [] };
  const fenced = fencedLines(lines);
  lines.forEach((line, i) => {
    const m = i >= from && !fenced[i] ? META.exec(line) : null;
    const key = m?.[1]?.toLowerCase();
    const value = m?.[2]?.trim() ?? '';
    if (key === 'tag' || key === 'tags') {
      out.tags.push(...value.split(/[,;]/.test(value) ? /[,;]/ : /\s+/));
    } else if (key === 'type' && typeFromLabel(value)) {
      out.type = typeFromLabel(value);
    } else if (key === 'category' && value) {
      out.category = value;
    } else if ((key === 'date' || key === 'created') && toIsoTime(value)) {
      out.date = toIsoTime(value);
    } else if (key === 'confidence' && confidenceOf(value) !== undefined) {
      out.confidence = confidenceOf(value);
    } else {
      out.lines.push(line);
    }
  });
  return out;
}

function confidenceOf(value: string): number | undefined {
  const word = CONFIDENCE_WORDS[value.toLowerCase()];
  if (word !== undefined) return word;
  const m = /^(\d+(?:\.\d+)?)\s*(%?)$/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]) / (m[2] || Number(m[1]) > 1 ? 100 : 1);
  return n >= 0 && n <= 1 ? n : undefined;
}

/**
 * The title of an entry without a heading: a bold lead (`**Title**: text`, the body being the
 * rest) or else the first sentence of its first paragraph (the body being all of it).
 */
function splitLead(lines: string[]): { title: string; lines: string[]; bold: boolean } | undefined {
  const at = lines.findIndex((l) => l.trim() !== '');
  if (at < 0) return undefined;
  const first = lines[at]!.trim();
  const bold = BOLD_TITLE.exec(first);
  if (bold && bold[2]!.trim()) {
    return { title: bold[2]!.trim(), lines: [bold[3]!, ...lines.slice(at + 1)], bold: true };
  }
  let end = at + 1;
  while (end < lines.length && lines[end]!.trim() !== '' && !/^\s*([-*+]|\d+[.)])\s/.test(lines[end]!)) end++;
  const paragraph = lines
    .slice(at, end)
    .map((l) => l.trim())
    .join(' ');
  return { title: firstSentence(paragraph), lines: lines.slice(at), bold: false };
}

/** Up to the first `.`, `!` or `?` that ends a sentence (not inside code, not `e.g.`). */
function firstSentence(paragraph: string): string {
  const masked = paragraph.replace(/`[^`]*`/g, (m) => 'x'.repeat(m.length));
  const end = /(?<!\b(?:e\.g|i\.e|etc|vs|cf|approx|incl|no))[.!?](?=\s|$)/i.exec(masked);
  return end ? paragraph.slice(0, end.index + (end[0] === '.' ? 0 : 1)) : paragraph;
}

function stripEmphasis(title: string): string {
  const m = /^(\*\*|__|\*|_)(.+)\1$/.exec(title);
  return m ? m[2]!.trim() : title;
}

/** `#tag` words outside code. */
function hashtags(text: string): string[] {
  const lines = text.split('\n');
  const fenced = fencedLines(lines);
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (fenced[i] || /^ {0,3}#{1,6}\s/.test(line)) return;
    for (const m of line.replace(/`[^`]*`/g, ' ').matchAll(HASHTAG)) out.push(m[2]!);
  });
  return out;
}
