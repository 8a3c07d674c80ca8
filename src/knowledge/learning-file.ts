import { FrontMatterError, readFrontMatter, yamlList, yamlScalar } from './front-matter.js';
import type { Learning, LearningSource, LearningType, StoreProblem } from './types.js';
import { LEARNING_TYPES } from './types.js';

type YamlParse = (text: string) => unknown;

/** Keys a learning file's front matter may hold; anything else is kept in `extra`. */
const KNOWN = new Set([
  'id',
  'title',
  'type',
  'tags',
  'scope',
  'source',
  'created',
  'confidence',
  'supersedes',
  'expires',
]);

export type ParsedLearning = { ok: true; learning: Learning } | { ok: false; problem: StoreProblem };

/**
 * Reads one learning file. Every problem is returned with its file and line, never thrown: a
 * hand edit that broke one learning must not hide the others.
 */
export function parseLearning(text: string, file: string, yamlParse?: YamlParse): ParsedLearning {
  let fm;
  try {
    fm = readFrontMatter(text, yamlParse);
  } catch (error) {
    if (error instanceof FrontMatterError)
      return { ok: false, problem: { file, line: error.line, message: error.message } };
    throw error;
  }
  const d = fm.data;
  const fail = (message: string, key?: string): ParsedLearning => ({
    ok: false,
    problem: { file, line: key ? lineOfKey(text, key) : 1, message },
  });
  const id = d.id;
  if (typeof id !== 'string' || !/^[\w.-]+$/.test(id)) return fail('`id` is missing or not a plain word', 'id');
  const title = d.title;
  if (typeof title !== 'string' || title.trim() === '') return fail('`title` is missing', 'title');
  const type = d.type;
  if (typeof type !== 'string' || !(LEARNING_TYPES as readonly string[]).includes(type)) {
    return fail(`\`type\` must be one of ${LEARNING_TYPES.join(', ')}`, 'type');
  }
  const tags = stringList(d.tags);
  if (!tags) return fail('`tags` must be a list of words', 'tags');
  const scope = stringList(d.scope);
  if (!scope) return fail('`scope` must be a list of path globs', 'scope');
  const supersedes = stringList(d.supersedes);
  if (!supersedes) return fail('`supersedes` must be a list of learning ids', 'supersedes');
  const source = readSource(d.source);
  if (!source) return fail('`source` must be a mapping with at least `agent`', 'source');
  const created = dateText(d.created);
  if (!created) return fail('`created` must be a date or timestamp', 'created');
  const confidence = d.confidence === undefined ? 0.5 : d.confidence;
  if (typeof confidence !== 'number' || !(confidence >= 0 && confidence <= 1)) {
    return fail('`confidence` must be a number from 0 to 1', 'confidence');
  }
  const expires = d.expires === undefined || d.expires === null ? null : dateText(d.expires);
  if (expires === undefined) return fail('`expires` must be a date or null', 'expires');
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(d)) if (!KNOWN.has(key)) extra[key] = value;
  const learning: Learning = {
    id,
    title: title.trim(),
    type: type as LearningType,
    tags,
    scope,
    source,
    created,
    confidence,
    supersedes,
    expires,
    // formatLearning puts a blank line after the closing `---`: it is not part of the body.
    body: fm.body.replace(/^(?:[ \t]*\r?\n)+/, '').replace(/\s+$/, ''),
  };
  if (Object.keys(extra).length > 0) learning.extra = extra;
  return { ok: true, learning };
}

/** Renders a learning as its file: front matter in ao's fast subset, then the markdown body. */
export function formatLearning(learning: Learning): string {
  const s = learning.source;
  const lines = [
    '---',
    `id: ${learning.id}`,
    `title: ${yamlScalar(learning.title)}`,
    `type: ${learning.type}`,
    `tags: ${yamlList(learning.tags)}`,
    `scope: ${yamlList(learning.scope)}`,
    'source:',
    `  agent: ${yamlScalar(s.agent)}`,
  ];
  if (s.session) lines.push(`  session: ${yamlScalar(s.session)}`);
  if (s.transcript) lines.push(`  transcript: ${yamlScalar(s.transcript)}`);
  if (s.line !== undefined) lines.push(`  line: ${s.line}`);
  if (s.time) lines.push(`  time: ${yamlScalar(s.time)}`);
  lines.push(
    `created: ${yamlScalar(learning.created)}`,
    `confidence: ${round2(learning.confidence)}`,
    `supersedes: ${yamlList(learning.supersedes)}`,
    `expires: ${yamlScalar(learning.expires)}`,
  );
  for (const [key, value] of Object.entries(learning.extra ?? {})) {
    if (KNOWN.has(key) || !/^[A-Za-z_][\w-]*$/.test(key)) continue;
    lines.push(`${key}: ${extraValue(value)}`);
  }
  lines.push('---', '', learning.body.replace(/\s+$/, ''), '');
  return lines.join('\n');
}

function extraValue(value: unknown): string {
  if (Array.isArray(value)) return JSON.stringify(value);
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return yamlScalar(value);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function stringList(value: unknown): string[] | null {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.trim() === '' ? [] : [value.trim()];
  if (!Array.isArray(value)) return null;
  const out: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string' && typeof item !== 'number') return null;
    const text = String(item).trim();
    if (text !== '') out.push(text);
  }
  return out;
}

function readSource(value: unknown): LearningSource | null {
  if (value === undefined || value === null) return { agent: 'unknown' };
  if (typeof value !== 'object' || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const text = (x: unknown): string | undefined => (typeof x === 'string' && x !== '' ? x : undefined);
  const line = typeof v.line === 'number' && Number.isInteger(v.line) && v.line > 0 ? v.line : undefined;
  return {
    agent: text(v.agent) ?? 'unknown',
    session: text(v.session),
    transcript: text(v.transcript),
    line,
    time: dateText(v.time) ?? undefined,
  };
}

/** An ISO date or timestamp as text; undefined when the value is not one. */
function dateText(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value !== 'string') return undefined;
  return Number.isNaN(Date.parse(value)) ? undefined : value;
}

function lineOfKey(text: string, key: string): number {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`${key}:`));
  return at === -1 ? 1 : at + 1;
}
