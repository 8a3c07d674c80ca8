import type { LearningType } from './types.js';

/**
 * Guesses for a learning given as plain text (`ao learn add "<text>"`): a title, a type and tags,
 * so that the text alone is enough. Each guess can be overridden by an option.
 */

const MAX_TITLE = 90;

/** The first sentence (or line), cut at a word boundary to at most 90 characters. */
export function titleFrom(text: string): string {
  const firstLine =
    text
      .trim()
      .split(/\r?\n/)
      .find((l) => l.trim() !== '') ?? '';
  const clean = firstLine.replace(/^#+\s*|^[-*]\s+|\*\*/g, '').trim();
  const sentence = /^(.+?[.!?])(\s|$)/.exec(clean)?.[1] ?? clean;
  const title = sentence.replace(/[.]$/, '');
  if (title.length <= MAX_TITLE) return title;
  const cut = title.slice(0, MAX_TITLE - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > 40 ? cut.slice(0, space) : cut).replace(/[,;:]$/, '')}…`;
}

const TYPE_RULES: [RegExp, LearningType][] = [
  [/\b(never|don'?t|do not|avoid|must not|stop)\b/i, 'gotcha'],
  [/\b(fails?|failed|failing|breaks?|broke|crash(es|ed)?|error)\b/i, 'failure'],
  [/\b(fixed|fix(es)? (it|this|the)|the fix|resolved by|solution)\b/i, 'fix'],
  [/\b(we (decided|chose|picked)|decision|because we|instead of)\b/i, 'decision'],
  [/\b(prefer|i like|i want|please always)\b/i, 'preference'],
  [/\b(always|use|must|should|convention|by convention)\b/i, 'convention'],
];

/** The type a plain text suggests; `pattern` when nothing stands out. */
export function inferType(text: string): LearningType {
  for (const [re, type] of TYPE_RULES) if (re.test(text)) return type;
  return 'pattern';
}

const KNOWN_TAGS = [
  'typescript',
  'javascript',
  'node',
  'npm',
  'pnpm',
  'yarn',
  'vitest',
  'jest',
  'eslint',
  'prettier',
  'react',
  'vite',
  'python',
  'pytest',
  'pip',
  'go',
  'rust',
  'cargo',
  'elixir',
  'phoenix',
  'ecto',
  'liveview',
  'mix',
  'ruby',
  'rails',
  'java',
  'kotlin',
  'docker',
  'kubernetes',
  'git',
  'sql',
  'sqlite',
  'postgres',
  'postgresql',
  'mysql',
  'redis',
  'graphql',
  'css',
  'html',
  'bash',
  'shell',
  'make',
  'ci',
  'github',
  'terraform',
  'aws',
  'gcp',
  'security',
  'auth',
  'api',
  'http',
  'json',
  'yaml',
  'tests',
  'testing',
  'migration',
  'migrations',
  'performance',
  'cache',
  'oban',
];
const TAG_SET = new Set(KNOWN_TAGS);
const ALIASES: Record<string, string> = {
  ts: 'typescript',
  js: 'javascript',
  pg: 'postgres',
  test: 'testing',
  tests: 'testing',
  ex: 'elixir',
  exs: 'elixir',
  py: 'python',
  rs: 'rust',
};

/** Tags from known tool and language names and file extensions in the text, at most eight. */
export function inferTags(text: string): string[] {
  const tags = new Set<string>();
  for (const word of text.toLowerCase().match(/[a-z][a-z0-9+#-]*/g) ?? []) {
    const tag = ALIASES[word] ?? word;
    if (TAG_SET.has(tag)) tags.add(tag);
  }
  for (const m of text.matchAll(/\.([a-z]{1,5})\b/g)) {
    const tag = ALIASES[m[1] as string];
    if (tag) tags.add(tag);
  }
  return [...tags].slice(0, 8);
}

/** Normalises a user-given tag list: lower case, words joined by dashes, no repeats. */
export function normaliseTags(tags: readonly string[]): string[] {
  const out = new Set<string>();
  for (const tag of tags) {
    const t = tag.trim().toLowerCase().replace(/^#/, '').replace(/\s+/g, '-');
    if (t !== '') out.add(t);
  }
  return [...out];
}
