import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseLearningsMarkdown } from './learnings-md.js';

const CREATED = '2026-01-01T00:00:00.000Z';
const parse = (text: string) => parseLearningsMarkdown(text, 'notes/learnings.md', { created: CREATED });
const summary = (text: string) => parse(text).drafts.map((d) => [d.source.line, d.type, d.title]);

describe('parseLearningsMarkdown on docs/learnings.md', () => {
  const file = fileURLToPath(new URL('../../../docs/learnings.md', import.meta.url));
  const { drafts, problems } = parseLearningsMarkdown(readFileSync(file, 'utf8'), 'docs/learnings.md');
  const lines = readFileSync(file, 'utf8').split('\n');

  it('yields one draft per `##` section, not the document title or its intro', () => {
    expect(problems).toEqual([]);
    expect(drafts.length).toBeGreaterThanOrEqual(6);
    expect(drafts.map((d) => d.title)).not.toContain('Learnings');
    for (const d of drafts) {
      expect(lines[d.source.line! - 1]).toBe(`## ${d.title}`);
      expect(d.body.length).toBeGreaterThan(40);
      expect(d.body).not.toMatch(/^## /m);
      expect(d.source).toMatchObject({ agent: 'import', transcript: 'docs/learnings.md' });
    }
  });

  it('types and tags the entries from their wording', () => {
    const byTitle = new Map(drafts.map((d) => [d.title, d]));
    expect(byTitle.get('Claude Code: keep the last streamed line of a reply, not the first')).toMatchObject({
      type: 'convention',
      tags: ['claude-code'],
    });
    expect(byTitle.get('Parsing speed is decoding, not JSON')).toMatchObject({ type: 'gotcha', tags: [] });
    expect(byTitle.get('Test the fast path against the slow path')?.type).toBe('convention');
    const copies = byTitle.get('Copies of a transcript share reply ids');
    expect(copies?.body).toMatch(/^Any tool that de-duplicates replies/);
  });
});

describe('parseLearningsMarkdown shapes', () => {
  it('reads `##` sections with inline metadata, dates and hashtags', () => {
    const text = [
      '# Team learnings',
      '',
      'Intro that is not an entry.',
      '',
      '## Never run the migration twice (2026-03-01) #db',
      'Tags: postgres, migrations',
      'It locks the table for minutes.',
      '',
      '### Details',
      'Run `psql -c "#notatag"` first.',
      '',
      '---',
      '',
      '## Build cache',
      'Type: decision',
      'Confidence: high',
      'We keep the cache in CI.',
    ].join('\n');
    const { drafts } = parse(text);
    expect(drafts).toHaveLength(2);
    expect(drafts[0]).toMatchObject({
      title: 'Never run the migration twice',
      type: 'gotcha',
      tags: ['postgres', 'migrations', 'db'],
      created: '2026-03-01T00:00:00.000Z',
      source: { agent: 'import', transcript: 'notes/learnings.md', line: 5 },
      body: 'It locks the table for minutes.\n\n### Details\nRun `psql -c "#notatag"` first.',
      confidence: 0.5,
    });
    expect(drafts[1]).toMatchObject({
      title: 'Build cache',
      type: 'decision',
      created: CREATED,
      confidence: 0.85,
      body: 'We keep the cache in CI.',
    });
  });

  it('reads bullets: bold titles, first sentences, nested bullets and wrapped lines', () => {
    const text = [
      '# Learnings',
      '',
      '- **Pin better-sqlite3 to 12.x**: 13.x needs Node 22.',
      '  - seen on CI, e.g. the 2026-02 runs',
      '  - Tags: deps',
      '- Always run prettier before pushing. CI rejects unformatted files.',
      '* Avoid `localeCompare` on hot paths: ICU set-up costs',
      'tens of milliseconds.',
      '',
      'A closing remark that belongs to no entry.',
    ].join('\n');
    const { drafts } = parse(text);
    expect(drafts.map((d) => [d.source.line, d.type, d.title, d.tags])).toEqual([
      [3, 'convention', 'Pin better-sqlite3 to 12.x', ['deps']],
      [6, 'convention', 'Always run prettier before pushing', []],
      [7, 'gotcha', 'Avoid `localeCompare` on hot paths: ICU set-up costs tens of milliseconds', []],
    ]);
    expect(drafts[0]!.body).toBe('13.x needs Node 22.\n- seen on CI, e.g. the 2026-02 runs');
    expect(drafts[1]!.body).toBe('Always run prettier before pushing. CI rejects unformatted files.');
  });

  it('reads numbered lists', () => {
    const text =
      '1. Use worktrees per agent.\n2) Never share a checkout.\n   It loses files.\n10. Decision: keep one ledger.';
    expect(summary(text)).toEqual([
      [1, 'convention', 'Use worktrees per agent'],
      [2, 'gotcha', 'Never share a checkout'],
      [4, 'decision', 'Keep one ledger'],
    ]);
  });

  it('reads entries separated by `---`, the titled first block being a preamble', () => {
    const text = [
      '# Learnings',
      'Collected by hand.',
      '---',
      'The fix for flaky e2e tests was to build first.',
      'Details here.',
      '',
      '---',
      '',
      '**Prefer small releases.** Large ones hide regressions.',
      '---',
    ].join('\n');
    const { drafts } = parse(text);
    expect(drafts.map((d) => [d.source.line, d.type, d.title])).toEqual([
      [4, 'fix', 'The fix for flaky e2e tests was to build first'],
      [9, 'convention', 'Prefer small releases'],
    ]);
    expect(drafts[1]!.body).toBe('Large ones hide regressions.');
  });

  it('lists under category headings: each item an entry, the heading a tag or a type', () => {
    const text = [
      '# Notes',
      '## Gotchas',
      '- The cache key ignores the schema version.',
      '- Hooks time out after 5 s.',
      '## Testing',
      '- Real temp dirs, no mocks.',
      '- Fixtures live in ../shared.',
      '## Release',
      'One paragraph section.',
      '- with a list',
    ].join('\n');
    const { drafts } = parse(text);
    expect(drafts.map((d) => [d.source.line, d.type, d.title, d.tags])).toEqual([
      [3, 'gotcha', 'The cache key ignores the schema version', []],
      [4, 'gotcha', 'Hooks time out after 5 s', []],
      [6, 'convention', 'Real temp dirs, no mocks', ['testing']],
      [7, 'convention', 'Fixtures live in ../shared', ['testing']],
      [8, 'gotcha', 'Release', []],
    ]);
  });

  it('cuts long titles at a word boundary and keeps the whole title in the body', () => {
    const heading =
      'When two sessions share one worktree a checkout by one of them silently removes the untracked files of the other';
    const { drafts } = parse(`## ${heading}\nUse a worktree each.`);
    const d = drafts[0]!;
    expect(d.title.length).toBeLessThanOrEqual(90);
    expect(d.title.endsWith('…')).toBe(true);
    expect(heading.startsWith(d.title.slice(0, -1))).toBe(true);
    expect(d.body).toBe(`${heading}\n\nUse a worktree each.`);
    const bullet = parse(`- ${heading}. Use a worktree each.`).drafts[0]!;
    expect(bullet.title.length).toBeLessThanOrEqual(90);
    expect(bullet.body).toBe(`${heading}. Use a worktree each.`);
  });

  it('ignores headings and bullets inside code fences, and skips front matter', () => {
    const text = [
      '---',
      'owner: team',
      '---',
      '## Quote YAML keys',
      '```md',
      '## not a heading',
      '- not an item',
      '```',
      '## Second',
      'Text.',
    ].join('\n');
    const { drafts } = parse(text);
    expect(drafts.map((d) => [d.source.line, d.title])).toEqual([
      [4, 'Quote YAML keys'],
      [9, 'Second'],
    ]);
    expect(drafts[0]!.body).toBe('```md\n## not a heading\n- not an item\n```');
  });

  it('reads setext headings when `---` is not used as a rule', () => {
    const text =
      'Learnings\n=========\n\nAlways pin versions\n-------------------\nThey drift.\n\nHooks\n-----\nFail open.';
    expect(summary(text)).toEqual([
      [4, 'convention', 'Always pin versions'],
      [8, 'gotcha', 'Hooks'],
    ]);
    expect(parse(text).drafts[1]!.body).toBe('Fail open.');
  });

  it('falls back to paragraphs, and to the wording for the type', () => {
    const text = '# Lessons\n\nWe decided to store learnings in git.\n\nThe hook log grows without bound.\nRotate it.';
    expect(summary(text)).toEqual([
      [3, 'decision', 'We decided to store learnings in git'],
      [5, 'gotcha', 'The hook log grows without bound'],
    ]);
    expect(parse('').drafts).toEqual([]);
  });
});
