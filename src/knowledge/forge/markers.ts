/**
 * Explicit learning markers: lines an agent writes when asked to record a learning
 * (`LEARNING: …`, `Lesson learned: …`, `TIL: …`, `[learning] …`, `<learning>…</learning>`,
 * `… #learning`), and the entries of a learnings or notes file the agent wrote
 * (`docs/learnings.md`, `LEARNINGS.md`, `.agents/learnings/*.md`). High confidence: the agent
 * said outright that this is a learning.
 */

import type { LearningType } from '../types.js';
import {
  type Draft,
  type ForgeContext,
  at,
  bodyOf,
  confidence,
  relPath,
  relText,
  scopeOf,
  sourceOf,
} from './context.js';
import { detectTags } from './tags.js';
import { cleanText, normaliseKey, splitSentences, stripFences, toTitle, truncate } from './text.js';
import { editsOf } from './tools.js';

const LINE_MARKERS: RegExp[] = [
  /^[ \t]*(?:[-*][ \t]+)?(?:\*\*|__)?(?:learning|lessons? learned|til)(?:\*\*|__)?[ \t]*[:—–][ \t]*(?:\*\*|__)?[ \t]*(.+)$/gim,
  /^[ \t]*(?:[-*][ \t]+)?\[learning\][ \t]*:?[ \t]*(.+)$/gim,
  /^(.*\S)[ \t]+#learning\b.*$|^[ \t]*#learning\b[ \t:]*(.+)$/gim,
];
const BLOCK_MARKER = /<learning>([\s\S]*?)<\/learning>/gi;
/** Cheap test before the marker patterns: most texts mention none of these words. */
const MAYBE_MARKED = /learning|lesson|\btil\b/i;

/** Files that hold learnings or notes: every entry in one is a candidate. */
const LEARNINGS_FILE =
  /(?:^|\/)(?:\.agents\/learnings\/[^/]+\.md|learnings?(?:\.md|\.txt|\/[^/]+\.md)|lessons?(?:[-_]learned)?(?:\.md|\/[^/]+\.md)|til(?:\.md|\/[^/]+\.md)|notes(?:\.md|\/[^/]+\.md))$/i;

export function extractMarkers(ctx: ForgeContext): Draft[] {
  const drafts: Draft[] = [];
  for (const event of ctx.detail.timeline) {
    if (event.kind === 'assistant') {
      for (const text of markedTexts(event.text)) {
        const draft = draftOf(ctx, event, text, 'assistant', null);
        if (draft) drafts.push(draft);
      }
    } else if (event.kind === 'tool' && !event.call.isError) {
      for (const edit of editsOf(event.call)) {
        if (!LEARNINGS_FILE.test(edit.path) || !edit.after) continue;
        const added = addedText(edit.before, edit.after);
        const entries = markedTexts(added);
        for (const entry of entries.length > 0 ? entries : fileEntries(added)) {
          const draft = draftOf(ctx, event, entry, 'file', edit.path);
          if (draft) drafts.push(draft);
        }
      }
    }
  }
  return drafts;
}

/** Texts marked as learnings inside a message or file. */
export function markedTexts(text: string): string[] {
  const out: string[] = [];
  if (!MAYBE_MARKED.test(text)) return out;
  const plain = stripFences(text);
  for (const match of plain.matchAll(BLOCK_MARKER)) if (match[1]?.trim()) out.push(match[1].trim());
  for (const re of LINE_MARKERS) {
    for (const match of plain.matchAll(re)) {
      const body = (match[1] ?? match[2] ?? '').trim();
      if (body) out.push(body);
    }
  }
  return out;
}

/** Lines of `after` that `before` did not have: what an edit added. */
function addedText(before: string | null, after: string): string {
  if (!before) return after;
  const old = new Set(before.split('\n'));
  return after
    .split('\n')
    .filter((l) => !old.has(l))
    .join('\n');
}

/**
 * Entries of a learnings file: a file with front matter is one entry; otherwise each `##`/`###`
 * section, or else each top-level bullet, is one. A lone `#` heading (the file's title) is not.
 */
export function fileEntries(text: string): string[] {
  const body = text.replace(/^---\n([\s\S]*?)\n---\n?/, (_m, front: string) => {
    const title = /^title:\s*["']?(.+?)["']?\s*$/m.exec(front)?.[1];
    return title ? `## ${title}\n` : '';
  });
  const sections = body.split(/^(?=#{2,4}\s)/m).filter((s) => /^#{2,4}\s/.test(s));
  if (sections.length > 0) return sections.map((s) => s.trim());
  const bullets = body.split(/^(?=[-*]\s|\d+\.\s)/m).filter((s) => /^(?:[-*]|\d+\.)\s/.test(s));
  if (bullets.length > 0) return bullets.map((b) => b.replace(/^(?:[-*]|\d+\.)\s+/, '').trim());
  const rest = body.replace(/^#\s.*$/m, '').trim();
  return rest ? [rest] : [];
}

function typeOf(text: string): LearningType {
  if (/\b(?:always|never|must|convention|we use)\b/i.test(text)) return 'convention';
  if (/\b(?:decided|chose|instead of|rather than)\b/i.test(text)) return 'decision';
  if (/\bprefer/i.test(text)) return 'preference';
  if (/\b(?:fix(?:ed)?|workaround|resolved)\b/i.test(text)) return 'fix';
  if (/\b(?:fails?|failed|broke|crash|error|because|root cause)\b/i.test(text)) return 'failure';
  if (/\b(?:careful|gotcha|note|beware|doesn't|does not|can't|cannot|won't)\b/i.test(text)) return 'gotcha';
  return 'pattern';
}

function draftOf(
  ctx: ForgeContext,
  event: Extract<ForgeContext['detail']['timeline'][number], { kind: 'assistant' | 'tool' }>,
  raw: string,
  origin: 'assistant' | 'file',
  file: string | null,
): Draft | null {
  const text = relText(ctx, raw.trim());
  const heading = /^#{1,6}\s+(.+)$/m.exec(text)?.[1];
  const rest = heading ? text.replace(/^#{1,6}\s+.+$/m, '').trim() : text;
  const first = heading ?? splitSentences(rest)[0] ?? '';
  if (cleanText(first).length < 8) return null;
  const title = toTitle(first);
  const what = cleanText(heading ? `${heading}. ${rest}` : rest);
  const where = file ? `written to \`${relPath(ctx, file)}\`` : 'stated by the agent';
  return {
    candidate: {
      title,
      type: typeOf(text),
      body: bodyOf({
        what: truncate(what, 1200),
        evidence: [`learning marker ${where}${at(event.line)}: ${truncate(cleanText(text), 300)}`],
      }),
      tags: detectTags([text]),
      scope: scopeOf(ctx, pathsNamed(text)),
      source: sourceOf(ctx, event),
      confidence: confidence(origin === 'assistant' ? 0.85 : 0.8),
      extractor: 'marker',
      evidence: [truncate(cleanText(text), 300)],
    },
    keys: [`m:${normaliseKey(title)}`],
  };
}

/** Repository paths a learning names in backticks (`lib/foo.ex`), for its scope. */
function pathsNamed(text: string): string[] {
  const paths: string[] = [];
  for (const match of text.matchAll(/`([\w.-]+(?:\/[\w.*-]+)+)`/g)) if (match[1]) paths.push(match[1]);
  return paths.slice(0, 2);
}
