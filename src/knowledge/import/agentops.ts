import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { LearningType, StoreProblem } from '../types.js';
import type { ImportResult, LearningDraft } from './draft.js';
import { readFrontMatter } from './front-matter.js';
import { DEFAULT_TYPE, inferType, typeFromLabel } from './infer-type.js';
import {
  cutTitle,
  dateFromFileName,
  fencedLines,
  normalizeTag,
  stripTitlePrefix,
  titleFromFileName,
  toIsoTime,
  toNumber,
  trimBlankLines,
  uniqueTags,
} from './text.js';

/** The folders of a Go AgentOps `.agents/` that hold one learning per markdown file. */
const FOLDERS = ['learnings', 'patterns'] as const;
/** Navigation and log files that live beside the learnings but are none. */
const NOT_LEARNINGS = /^(?:readme|index|_index|log|changelog)\.md$/i;
/** `confidence: high` and friends, as the Go CLI's hand-written learnings use them. */
const CONFIDENCE_WORDS: Readonly<Record<string, number>> = { high: 0.85, medium: 0.6, low: 0.35 };

/**
 * Reads the learnings and patterns of a Go AgentOps CLI store. `dir` is a repository root (with
 * `.agents/`), the `.agents` folder, or one `learnings`/`patterns` folder. A file that cannot be
 * read or has broken front matter is reported as a problem and skipped; nothing is written.
 */
export async function readAgentOpsStore(dir: string): Promise<ImportResult> {
  const drafts: LearningDraft[] = [];
  const problems: StoreProblem[] = [];
  const layout = await locateStore(resolve(dir));
  if (!layout) {
    problems.push({ file: dir, message: 'no AgentOps store here: expected .agents/learnings or .agents/patterns' });
    return { drafts, problems };
  }
  for (const folder of layout.folders) {
    let names: string[];
    try {
      const entries = await readdir(folder, { withFileTypes: true });
      names = entries
        .filter((e) => (e.isFile() || e.isSymbolicLink()) && /\.md$/i.test(e.name) && !NOT_LEARNINGS.test(e.name))
        .map((e) => e.name)
        .sort();
    } catch (err) {
      problems.push({ file: folder, message: `cannot list the folder: ${(err as Error).message}` });
      continue;
    }
    for (const name of names) {
      const file = join(folder, name);
      let text: string;
      let modified: string;
      try {
        text = await readFile(file, 'utf8');
        modified = (await stat(file)).mtime.toISOString();
      } catch (err) {
        problems.push({ file, message: `cannot read the file: ${(err as Error).message}` });
        continue;
      }
      const path = relative(layout.root, file).split(sep).join('/');
      const result = parseAgentOpsLearning(text, { path, folder: basename(folder), modified });
      if ('draft' in result) drafts.push(result.draft);
      else problems.push({ file, line: result.line, message: result.message });
    }
  }
  return { drafts, problems };
}

/** Where the markdown folders are, and the root that original paths are relative to. */
async function locateStore(dir: string): Promise<{ root: string; folders: string[] } | null> {
  if (!(await isDirectory(dir))) return null;
  let agents: string | null = null;
  if (await isDirectory(join(dir, '.agents'))) agents = join(dir, '.agents');
  else if (basename(dir) === '.agents') agents = dir;
  if (agents === null) {
    const sub: string[] = [];
    for (const f of FOLDERS) if (await isDirectory(join(dir, f))) sub.push(join(dir, f));
    if (sub.length > 0) return { root: dir, folders: sub };
    // A learnings/patterns folder itself: paths stay relative to the repository when it is in one.
    const parent = dirname(dir);
    return { root: basename(parent) === '.agents' ? dirname(parent) : parent, folders: [dir] };
  }
  const folders: string[] = [];
  for (const f of FOLDERS) if (await isDirectory(join(agents, f))) folders.push(join(agents, f));
  return folders.length > 0 ? { root: dirname(agents), folders } : null;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Where a file came from: its path relative to the store's root, its folder, its mtime. */
export interface AgentOpsFile {
  path: string;
  folder: string;
  /** ISO time, used when neither the front matter nor the file name has a date. */
  modified: string;
}

/**
 * One Go AgentOps learning file → a draft (pure). Type: a known `type` (ours, or a category
 * name) → `pattern` for the patterns folder → `category` (front matter, else a `**Category**:`
 * line under the title; see infer-type.ts) → the title's wording → `gotcha`.
 */
export function parseAgentOpsLearning(
  text: string,
  from: AgentOpsFile,
): { draft: LearningDraft } | { line: number; message: string } {
  const fm = readFrontMatter(text);
  if (!fm.ok) return { line: fm.line, message: fm.message };
  const rest: Record<string, unknown> = { ...fm.data };
  const take = (key: string): unknown => {
    const value = rest[key];
    delete rest[key];
    return value;
  };
  const name = from.path.split('/').pop() ?? from.path;
  const heading = takeHeading(fm.body);
  const inline = readInlineFields(heading.lines);

  const fullTitle = stripTitlePrefix(asText(take('title')) ?? heading.title ?? titleFromFileName(name));
  const title = cutTitle(fullTitle);
  const category = asText(take('category')) ?? inline.category;
  const typeLabel = rest.type;
  const declared = typeFromLabel(typeLabel);
  if (declared || normalizeTag(asText(typeLabel) ?? '') === 'learning') delete rest.type;
  const type: LearningType =
    declared ??
    (from.folder === 'patterns' ? 'pattern' : undefined) ??
    typeFromLabel(category) ??
    inferType(fullTitle) ??
    DEFAULT_TYPE;

  const pattern = asText(take('pattern'));
  const slug =
    from.folder === 'patterns' ? normalizeTag(name.replace(/\.md$/i, '').replace(/^\d{4}-\d{2}-\d{2}-/, '')) : '';
  const tags = uniqueTags([...asList(take('tags')), category ?? '', pattern ?? '', slug]);

  const created =
    pickTime(rest, ['date', 'created', 'created_at']) ?? inline.date ?? dateFromFileName(name) ?? from.modified;
  const utility = toNumber(take('utility'));
  // The Go CLI writes `confidence: 0.0000` until it has evidence: zero means unknown, not doubt.
  const confidence = clamp(
    [confidenceOf(take('confidence')), inline.confidence, utility].find((c) => c !== undefined && c > 0) ?? 0.5,
  );

  let session = asText(take('session')) ?? asText(take('session_id'));
  const source = take('source');
  if (source && typeof source === 'object' && !Array.isArray(source)) {
    const { session: s, evidence, ...others } = source as Record<string, unknown>;
    session ??= asText(s);
    if (evidence !== undefined) rest.evidence = evidence;
    if (Object.keys(others).length > 0) rest.source = others;
  } else if (source !== undefined) rest.source = source;

  const imported: NonNullable<LearningDraft['imported']> = { originalPath: from.path };
  setIfDefined(imported, 'maturity', asText(take('maturity')));
  setIfDefined(imported, 'utility', utility);
  setIfDefined(imported, 'helpful', toNumber(take('helpful_count')));
  setIfDefined(imported, 'harmful', toNumber(take('harmful_count')));
  setIfDefined(imported, 'rewards', toNumber(take('reward_count')));
  setIfDefined(imported, 'originalId', asText(take('id')));

  const body = (title.cut ? `${fullTitle}\n\n` : '') + trimBlankLines(heading.lines);
  const draft: LearningDraft = {
    title: title.title,
    type,
    tags,
    scope: [],
    source: { agent: 'import', ...(session ? { session } : {}), transcript: from.path },
    created,
    confidence,
    supersedes: [],
    expires: null,
    body,
    imported,
  };
  if (Object.keys(rest).length > 0) draft.extra = rest;
  return { draft };
}

/** The first `# ` heading outside code blocks, and the lines without it. */
function takeHeading(lines: string[]): { title: string | undefined; lines: string[] } {
  const fenced = fencedLines(lines);
  const at = lines.findIndex((l, i) => !fenced[i] && /^ {0,3}#[ \t]+\S/.test(l));
  if (at < 0) return { title: undefined, lines };
  const title = lines[at]!.replace(/^ {0,3}#[ \t]+/, '')
    .replace(/[ \t]+#+[ \t]*$/, '')
    .trim();
  return { title, lines: [...lines.slice(0, at), ...lines.slice(at + 1)] };
}

/** `**Category**: process` / `**Confidence:** medium` lines opening the body (kept in it). */
function readInlineFields(lines: string[]): { category?: string; confidence?: number; date?: string } {
  const out: { category?: string; confidence?: number; date?: string } = {};
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  for (; i < lines.length; i++) {
    const m = /^\*\*([A-Za-z ]+?)(?::\*\*|\*\*:)\s*(.+?)\s*$/.exec(lines[i]!);
    if (!m) break;
    const key = m[1]!.toLowerCase();
    if (key === 'category') out.category = m[2]!;
    else if (key === 'confidence') setIfDefined(out, 'confidence', confidenceOf(m[2]));
    else if (key === 'date') setIfDefined(out, 'date', toIsoTime(m[2]));
  }
  return out;
}

function pickTime(rest: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    const time = toIsoTime(rest[key]);
    if (time) {
      delete rest[key];
      return time;
    }
  }
  return undefined;
}

function confidenceOf(value: unknown): number | undefined {
  if (typeof value === 'string' && CONFIDENCE_WORDS[value.trim().toLowerCase()] !== undefined) {
    return CONFIDENCE_WORDS[value.trim().toLowerCase()];
  }
  const n = toNumber(value);
  return n !== undefined && n > 1 && n <= 100 ? n / 100 : n;
}

function clamp(n: number): number {
  return Math.min(1, Math.max(0, n));
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(asText).filter((v): v is string => v !== undefined);
  return typeof value === 'string' ? value.split(/[,\s]+/) : [];
}

function setIfDefined<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
