import { existsSync, mkdirSync, readFileSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isTempName, sweepTempFiles, writeFileAtomic } from '../lib/atomic.js';
import { ensureAgentsDir, type Workspace } from '../lib/workspace.js';
import { mintId } from './id.js';
import { inferTags, inferType, normaliseTags, titleFrom } from './infer.js';
import { formatLearning, parseLearning } from './learning-file.js';
import type { Learning, LearningSource, LearningType, StoreProblem, StoredLearning } from './types.js';
import { loadYaml } from '../lib/yaml-doc.js';

/** One folder of learning files and the store it belongs to. */
export interface StoreDir {
  /** The `.agents/` folder; learnings are in its `learnings/`. */
  agents: string;
  store: 'repo' | 'user';
}

/** The stores of a workspace in rank order: the repository's first, then the user's. */
export function storeDirs(ws: Workspace): StoreDir[] {
  const stores: StoreDir[] = [];
  if (ws.repoAgents) stores.push({ agents: ws.repoAgents, store: 'repo' });
  stores.push({ agents: ws.userAgents, store: 'user' });
  return stores;
}

export interface LoadedLearnings {
  learnings: StoredLearning[];
  problems: StoreProblem[];
}

type YamlParse = (text: string) => unknown;

/** The learning files of a store folder (`learnings/*.md`), temporary files excluded. */
export function learningFiles(agents: string, folder = 'learnings'): string[] {
  const dir = join(agents, folder);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.md') && !isTempName(n)).map((n) => join(dir, n));
}

/**
 * Reads one learning file. Files in ao's own front matter subset parse without the YAML library;
 * others need `yamlParse`, and say so with `needsYaml` when it was not given.
 */
export function readLearningFile(
  file: string,
  store: 'repo' | 'user',
  yamlParse?: YamlParse,
): { learning?: StoredLearning; problem?: StoreProblem; needsYaml?: boolean } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { problem: { file, message: `cannot read: ${(error as Error).message}` } };
  }
  const parsed = parseLearning(text, file, yamlParse);
  if (parsed.ok) return { learning: { ...parsed.learning, file, store } };
  if (!yamlParse && parsed.problem.message.includes('full YAML parser')) return { needsYaml: true };
  return { problem: parsed.problem };
}

/** Loads every learning of the given stores; broken files are reported, never fatal. */
export function loadLearnings(dirs: readonly StoreDir[], folder = 'learnings'): LoadedLearnings {
  const learnings: StoredLearning[] = [];
  const problems: StoreProblem[] = [];
  const slow: { file: string; store: 'repo' | 'user' }[] = [];
  for (const { agents, store } of dirs) {
    for (const file of learningFiles(agents, folder)) {
      const r = readLearningFile(file, store);
      if (r.learning) learnings.push(r.learning);
      else if (r.problem) problems.push(r.problem);
      else slow.push({ file, store });
    }
  }
  if (slow.length > 0) {
    const { parse } = loadYaml();
    for (const { file, store } of slow) {
      const r = readLearningFile(file, store, parse);
      if (r.learning) learnings.push(r.learning);
      else if (r.problem) problems.push(r.problem);
    }
  }
  return { learnings, problems };
}

/** What a new learning needs; everything but the text and its source can be inferred. */
export interface NewLearning {
  text: string;
  title?: string | undefined;
  type?: LearningType | undefined;
  tags?: readonly string[] | undefined;
  scope?: readonly string[] | undefined;
  source: LearningSource;
  confidence?: number | undefined;
  supersedes?: readonly string[] | undefined;
  expires?: string | null | undefined;
  created?: string | undefined;
  extra?: Record<string, unknown> | undefined;
}

/** Builds a learning from text and options: title, type and tags are inferred where not given. */
export function buildLearning(input: NewLearning): Learning {
  const body = input.text.trim();
  const title = (input.title ?? titleFrom(body)).trim();
  const tags = normaliseTags(input.tags && input.tags.length > 0 ? input.tags : inferTags(`${title}\n${body}`));
  const learning: Learning = {
    id: mintId(title, body),
    title,
    type: input.type ?? inferType(`${title}\n${body}`),
    tags,
    scope: [...(input.scope ?? [])],
    source: input.source,
    created: input.created ?? new Date().toISOString(),
    confidence: input.confidence ?? 0.7,
    supersedes: [...(input.supersedes ?? [])],
    expires: input.expires ?? null,
    body,
  };
  if (input.extra && Object.keys(input.extra).length > 0) learning.extra = input.extra;
  return learning;
}

/** Where a learning's file lives in a store. */
export function learningPath(agents: string, id: string, folder = 'learnings'): string {
  return join(agents, folder, `${id}.md`);
}

const swept = new Set<string>();

/**
 * Writes a learning atomically. Ids are content hashes, so a file already there under the same id
 * holds the same learning: it is left alone and `created` is false.
 */
export function saveLearning(
  agents: string,
  learning: Learning,
  options: { folder?: string; overwrite?: boolean } = {},
): { file: string; created: boolean } {
  ensureAgentsDir(agents);
  const folder = options.folder ?? 'learnings';
  const file = learningPath(agents, learning.id, folder);
  if (!options.overwrite && existsSync(file)) return { file, created: false };
  const dir = join(agents, folder);
  if (!swept.has(dir)) {
    // Once per folder and process: a forge saving dozens of files lists the folder once.
    mkdirSync(dir, { recursive: true });
    sweepTempFiles(dir);
    swept.add(dir);
  }
  writeFileAtomic(file, formatLearning(learning));
  return { file, created: true };
}

/** Deletes a file of the store (a rejected candidate); quiet when it is gone already. */
export function removeFile(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Gone already: another process took it.
  }
}

/**
 * Finds a learning by id or unique id prefix (with or without `L-`); null when none matches.
 * Throws a message-ready error text when the prefix is ambiguous.
 */
export function findLearning<T extends Learning>(learnings: readonly T[], query: string): T | null | string {
  const q = query.trim();
  const exact = learnings.find((l) => l.id === q);
  if (exact) return exact;
  const prefix = q.startsWith('L-') ? q : `L-${q}`;
  const matches = learnings.filter((l) => l.id.startsWith(prefix) || l.id.startsWith(q));
  if (matches.length === 1) return matches[0] as T;
  if (matches.length > 1)
    return `"${query}" matches ${matches.length} learnings: ${matches
      .slice(0, 5)
      .map((l) => l.id)
      .join(', ')}`;
  return null;
}
