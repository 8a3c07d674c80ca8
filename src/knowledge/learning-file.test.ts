import { describe, expect, it } from 'vitest';
import { parse as yamlParse } from 'yaml';
import { yamlList, yamlScalar } from './front-matter.js';
import { formatLearning, parseLearning } from './learning-file.js';
import type { Learning, StoreProblem } from './types.js';

/** `expect.stringMatching`, typed for object literals. */
const matching = (re: RegExp): unknown => expect.stringMatching(re);

function learning(overrides: Partial<Learning> = {}): Learning {
  return {
    id: 'L-0123456789',
    title: 'Run migrations before the tests',
    type: 'convention',
    tags: ['elixir', 'ecto'],
    scope: ['lib/**'],
    source: {
      agent: 'claude',
      session: 'abc-123',
      transcript: 'sessions/abc.jsonl',
      line: 42,
      time: '2025-03-01T10:00:00.000Z',
    },
    created: '2025-03-01T10:00:00.000Z',
    confidence: 0.7,
    supersedes: [],
    expires: null,
    body: 'Run `MIX_ENV=test mix ecto.migrate` first.',
    ...overrides,
  };
}

function problemOf(text: string, parse?: (t: string) => unknown): StoreProblem {
  const r = parseLearning(text, 'x.md', parse);
  if (r.ok) throw new Error(`expected a problem, parsed ${JSON.stringify(r.learning)}`);
  return r.problem;
}

/** The front matter of a file as the real YAML parser reads it. */
function yamlData(text: string): Record<string, unknown> {
  return yamlParse(text.slice('---\n'.length, text.indexOf('\n---\n'))) as Record<string, unknown>;
}

const AWKWARD: [string, Partial<Learning>][] = [
  ['a title with ": "', { title: 'Gotcha: the cache is per branch' }],
  ['a title with " #"', { title: 'Use C# style # comments' }],
  ['a title starting with "#"', { title: '#1 rule of the repo' }],
  ['a title with quotes', { title: `Say "don't" and 'won't' carefully` }],
  ['a title with a leading "-"', { title: '- leading dash and --flags' }],
  ['a title with unicode', { title: 'Überprüfe die Größe — naïve café 🚀' }],
  ['a title that looks like a number', { title: '1.0' }],
  ['titles that YAML reads as numbers', { title: '.5', tags: ['+1', '1.', '1e5', '-.5'] }],
  ['titles that YAML reads as other scalars', { title: 'null', tags: ['true', 'no', '~', '0x1F'] }],
  ['tags with commas and spaces', { tags: ['a, b', 'c d', 'e'] }],
  ['empty lists', { tags: [], scope: [], supersedes: [] }],
  ['a null expires and a date expires', { expires: '2030-01-01' }],
  ['globs with brackets', { scope: ['src/[ab]/*.ts', 'lib/**', 'x]y'] }],
  ['globs with braces', { scope: ['src/{x,y}/**', '*.ex', 'a{b}'] }],
  ['list items with quotes and ampersands', { tags: ["it's", 'a&b', 'x|y', 'p>q'] }],
  ['a multi-line body with "---" inside', { body: 'First line.\n\n---\n\ntitle: not front matter\n---\nLast line.' }],
  ['a body that starts indented', { body: '    indented code\nnext' }],
  ['a minimal source', { source: { agent: 'human' } }],
  ['supersedes ids', { supersedes: ['L-aaaaaaaaaa', 'L-bbbbbbbbbb'] }],
  ['a confidence of 1', { confidence: 1 }],
];

describe('formatLearning → parseLearning', () => {
  it.each(AWKWARD)('round-trips %s on the fast path, and YAML reads the same front matter', (_name, overrides) => {
    const l = learning(overrides);
    const text = formatLearning(l);
    // No YAML parser given: the fast subset reader must handle everything ao writes.
    const r = parseLearning(text, 'x.md');
    expect(r).toEqual({ ok: true, learning: l });
    const data = yamlData(text);
    expect(data.title).toBe(l.title);
    expect(data.tags).toEqual(l.tags);
    expect(data.scope).toEqual(l.scope);
    expect(data.expires ?? null).toEqual(l.expires);
    const viaYaml = parseLearning(text.replace('\nexpires:', '\n# a comment forces YAML\nexpires:'), 'x.md', yamlParse);
    expect(viaYaml).toEqual({ ok: true, learning: l });
  });

  it('keeps the body stable over repeated rewrites', () => {
    let l = learning({ body: 'Line one.\n\nLine two.' });
    for (let i = 0; i < 3; i++) {
      const r = parseLearning(formatLearning(l), 'x.md');
      if (!r.ok) throw new Error(r.problem.message);
      l = r.learning;
    }
    expect(l.body).toBe('Line one.\n\nLine two.');
  });

  it('reads the documented example, globs in a plain flow list, without the YAML parser', () => {
    const text = [
      '---',
      'id: L-3emg62qnmp',
      'title: "SQLite migrations: ALTER TABLE ... MODIFY is not supported"',
      'type: gotcha',
      'tags: [elixir, ecto, sqlite]',
      "scope: [priv/repo/migrations/**, lib/*.ex, it's]",
      'source:',
      '  agent: claude',
      '  line: 186',
      'created: 2026-11-20T12:00:00.000Z',
      'confidence: 0.7',
      'supersedes: []',
      'expires: null',
      '---',
      '',
      '**What** … **Why** …',
    ].join('\n');
    const r = parseLearning(text, 'x.md');
    expect(r.ok && r.learning.scope).toEqual(['priv/repo/migrations/**', 'lib/*.ex', "it's"]);
    expect(r.ok && r.learning.source).toEqual({ agent: 'claude', line: 186 });
    expect(r.ok && r.learning.body).toBe('**What** … **Why** …');
  });

  it('round-trips unknown keys through extra', () => {
    const l = learning({ extra: { origin: 'go-agentops', rewards: 3, labels: ['x', 'y'] } });
    const r = parseLearning(formatLearning(l), 'x.md');
    expect(r).toEqual({ ok: true, learning: l });
  });

  it('reads CRLF line endings and a byte order mark', () => {
    const l = learning();
    const text = `\uFEFF${formatLearning(l).replace(/\n/g, '\r\n')}`;
    const r = parseLearning(text, 'x.md');
    expect(r).toEqual({ ok: true, learning: l });
  });
});

describe('hand-written YAML', () => {
  const text = [
    '---',
    'id: L-handwritten',
    'title: Prefer pnpm',
    'type: preference',
    'tags:',
    '  - pnpm',
    '  - node',
    'source:',
    '  agent: human',
    'created: 2025-01-02',
    '---',
    '',
    'Use pnpm, not npm.',
    '',
  ].join('\n');

  it('needs the full YAML parser for block lists', () => {
    const p = problemOf(text);
    expect(p.message).toMatch(/full YAML/);
    expect(p.file).toBe('x.md');
  });

  it('parses with the YAML fallback, defaults filled in', async () => {
    const { parse } = await import('yaml');
    const r = parseLearning(text, 'x.md', parse);
    expect(r).toEqual({
      ok: true,
      learning: {
        id: 'L-handwritten',
        title: 'Prefer pnpm',
        type: 'preference',
        tags: ['pnpm', 'node'],
        scope: [],
        source: { agent: 'human' },
        created: '2025-01-02',
        confidence: 0.5,
        supersedes: [],
        expires: null,
        body: 'Use pnpm, not npm.',
      },
    });
  });
});

describe('broken front matter', () => {
  const good = formatLearning(learning());
  const lines = good.split('\n');
  const lineOf = (key: string): number => lines.findIndex((l) => l.startsWith(`${key}:`)) + 1;
  const replaceLine = (key: string, by: string): string =>
    lines.map((l) => (l.startsWith(`${key}:`) ? by : l)).join('\n');

  it('reports a file without front matter at line 1', () => {
    expect(problemOf('# Just markdown\n')).toMatchObject({
      file: 'x.md',
      line: 1,
      message: matching(/no front matter/),
    });
  });

  it('reports a missing closing --- at line 1', () => {
    const text = good.replace(/\n---\n/, '\n');
    expect(problemOf(text, yamlParse)).toMatchObject({ line: 1, message: matching(/not closed/) });
  });

  it('reports invalid YAML at the bad line of the file', () => {
    const p = problemOf(replaceLine('scope', 'scope: "lib/**" extra'), yamlParse);
    expect(p.message).toMatch(/^invalid YAML in front matter: .*\(column \d+\)$/);
    // The YAML parser counts lines from the start of the front matter; the file's line is one more.
    expect(p.message).not.toMatch(/line \d/);
    expect(p.line).toBe(lineOf('scope'));
    const q = problemOf(replaceLine('tags', 'tags: [a]]'), yamlParse);
    expect(q.line).toBe(lineOf('tags'));
  });

  it('reports a missing title, an empty title, a missing and a bad type', () => {
    expect(problemOf(lines.filter((l) => !l.startsWith('title:')).join('\n'))).toMatchObject({
      line: 1,
      message: matching(/`title` is missing/),
    });
    expect(problemOf(replaceLine('title', 'title: ""'))).toMatchObject({
      line: lineOf('title'),
      message: matching(/`title` is missing/),
    });
    expect(problemOf(lines.filter((l) => !l.startsWith('type:')).join('\n'))).toMatchObject({
      message: matching(/`type` must be one of/),
    });
    expect(problemOf(replaceLine('type', 'type: lesson'))).toMatchObject({
      line: lineOf('type'),
      message: matching(/`type` must be one of failure, fix/),
    });
  });

  it('reports a confidence out of range or not a number at its line', () => {
    for (const value of ['1.5', '-0.1', 'high']) {
      expect(problemOf(replaceLine('confidence', `confidence: ${value}`))).toMatchObject({
        line: lineOf('confidence'),
        message: matching(/`confidence` must be a number from 0 to 1/),
      });
    }
  });

  it('reports a bad id, created, expires, tags and source at their lines', () => {
    expect(problemOf(replaceLine('id', 'id: "two words"'))).toMatchObject({ line: lineOf('id') });
    expect(problemOf(replaceLine('created', 'created: yesterday'))).toMatchObject({ line: lineOf('created') });
    expect(problemOf(replaceLine('expires', 'expires: someday'))).toMatchObject({ line: lineOf('expires') });
    expect(problemOf(replaceLine('tags', 'tags: [[a]]'), yamlParse)).toMatchObject({ line: lineOf('tags') });
    const listSource = lines.filter((l) => !l.startsWith('  ')).map((l) => (l === 'source:' ? 'source: [x]' : l));
    expect(problemOf(listSource.join('\n'), yamlParse)).toMatchObject({
      line: lineOf('source'),
      message: matching(/`source` must be a mapping/),
    });
  });

  it('reports front matter that is not a mapping', () => {
    expect(problemOf('---\n- a\n- b\n---\nbody\n', yamlParse)).toMatchObject({
      line: 2,
      message: matching(/mapping/),
    });
  });
});

describe('yamlScalar and yamlList', () => {
  it('quotes only what needs quoting', () => {
    expect(yamlScalar('plain words')).toBe('plain words');
    expect(yamlScalar('')).toBe('""');
    expect(yamlScalar(null)).toBe('null');
    expect(yamlScalar(0.25)).toBe('0.25');
    expect(yamlScalar('a: b')).toBe('"a: b"');
    expect(yamlList(['a', 'b'])).toBe('[a, b]');
    expect(yamlList(['a', 'b, c'])).toBe('["a", "b, c"]');
    expect(yamlList([])).toBe('[]');
  });
});
