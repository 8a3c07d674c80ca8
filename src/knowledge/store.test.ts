import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../test-support/fixture-files.js';
import { ID_PATTERN, mintId } from './id.js';
import { formatLearning } from './learning-file.js';
import { buildLearning, findLearning, learningFiles, loadLearnings, saveLearning } from './store.js';
import type { Learning } from './types.js';

/** `expect.stringMatching`, typed for object literals. */
const matching = (re: RegExp): unknown => expect.stringMatching(re);

const temp = tempDirs();
afterAll(() => temp.cleanup());

function learning(title: string, body: string, overrides: Partial<Learning> = {}): Learning {
  return {
    id: mintId(title, body),
    title,
    type: 'gotcha',
    tags: ['git'],
    scope: [],
    source: { agent: 'human' },
    created: '2025-01-01T00:00:00.000Z',
    confidence: 0.8,
    supersedes: [],
    expires: null,
    body,
    ...overrides,
  };
}

describe('loadLearnings', () => {
  it('loads good files, reports broken ones with file and line, ignores temp and other files', () => {
    const agents = join(temp.make(), '.agents');
    const dir = join(agents, 'learnings');
    mkdirSync(dir, { recursive: true });
    const a = learning('Never force-push main', 'Use `git push --force-with-lease` on branches.');
    writeFileSync(join(dir, `${a.id}.md`), formatLearning(a));
    // Hand-written, with a block list: needs the YAML fallback, which loadLearnings loads itself.
    writeFileSync(
      join(dir, 'hand.md'),
      '---\nid: L-hand\ntitle: Prefer pnpm\ntype: preference\ncreated: 2025-01-01\ntags:\n  - pnpm\n---\n\nUse pnpm.\n',
    );
    const broken = join(dir, 'broken.md');
    writeFileSync(broken, formatLearning(a).replace('type: gotcha', 'type: lesson'));
    // Broken YAML too: the fallback reports it, with the line.
    const badYaml = join(dir, 'bad-yaml.md');
    writeFileSync(badYaml, '---\nid: L-bad\ntitle: x\ntags: "a" b\n---\nbody\n');
    writeFileSync(join(dir, `.tmp-${a.id}.md.123.abc`), 'half a file');
    writeFileSync(join(dir, `.tmp-${a.id}.md`), formatLearning(a).slice(0, 40));
    writeFileSync(join(dir, 'notes.txt'), 'not a learning');
    writeFileSync(join(dir, 'README'), 'not a learning');

    const { learnings, problems } = loadLearnings([{ agents, store: 'repo' }]);

    expect(learnings.map((l) => l.id).sort()).toEqual([a.id, 'L-hand'].sort());
    const loaded = learnings.find((l) => l.id === a.id)!;
    expect(loaded).toEqual({ ...a, file: join(dir, `${a.id}.md`), store: 'repo' });
    expect(learnings.find((l) => l.id === 'L-hand')?.tags).toEqual(['pnpm']);
    expect(problems).toHaveLength(2);
    expect(problems.find((p) => p.file === broken)).toMatchObject({ line: 4, message: matching(/type/) });
    expect(problems.find((p) => p.file === badYaml)).toMatchObject({
      line: 4,
      message: matching(/invalid YAML/),
    });
  });

  it('marks each learning with its store and returns nothing for missing folders', () => {
    const root = temp.make();
    const repo = join(root, 'repo', '.agents');
    const user = join(root, 'home', '.agents');
    saveLearning(repo, learning('Repo learning title', 'Repo body with enough words.'));
    saveLearning(user, learning('User learning title', 'User body with enough words.'));
    const { learnings, problems } = loadLearnings([
      { agents: repo, store: 'repo' },
      { agents: user, store: 'user' },
      { agents: join(root, 'missing'), store: 'user' },
    ]);
    expect(problems).toEqual([]);
    expect(learnings.map((l) => [l.title, l.store])).toEqual([
      ['Repo learning title', 'repo'],
      ['User learning title', 'user'],
    ]);
  });
});

describe('saveLearning', () => {
  it('writes once; the same id again is left alone and reported as not created', () => {
    const agents = join(temp.make(), '.agents');
    const l = learning('Run mix format before committing', 'CI fails on unformatted code.');
    const first = saveLearning(agents, l);
    expect(first).toEqual({ file: join(agents, 'learnings', `${l.id}.md`), created: true });
    expect(readFileSync(first.file, 'utf8')).toBe(formatLearning(l));
    const second = saveLearning(agents, { ...l, title: 'Changed in memory only' });
    expect(second).toEqual({ file: first.file, created: false });
    expect(readFileSync(first.file, 'utf8')).toBe(formatLearning(l));
    const third = saveLearning(agents, { ...l, confidence: 0.3 }, { overwrite: true });
    expect(third.created).toBe(true);
    expect(readFileSync(first.file, 'utf8')).toContain('confidence: 0.3');
    // No temporary file is left behind, and the store folder got its git settings.
    expect(readdirSync(join(agents, 'learnings'))).toEqual([`${l.id}.md`]);
    expect(existsSync(join(agents, '.gitattributes'))).toBe(true);
  });

  it('writes into another folder of the store when asked (review/)', () => {
    const agents = join(temp.make(), '.agents');
    const l = learning('A held candidate title', 'Held for a person to review.');
    const { file } = saveLearning(agents, l, { folder: 'review' });
    expect(file).toBe(join(agents, 'review', `${l.id}.md`));
    expect(learningFiles(agents, 'review')).toEqual([file]);
    expect(learningFiles(agents)).toEqual([]);
  });
});

describe('mintId', () => {
  it('is stable, shaped like an id, and changes with the content', () => {
    const id = mintId('Use the lease', 'git push --force-with-lease');
    expect(mintId('Use the lease', 'git push --force-with-lease')).toBe(id);
    expect(id).toMatch(/^L-[0-9a-z]{10}$/);
    expect(`see ${id}.`.match(ID_PATTERN)).toEqual([id]);
    expect(mintId('Use the lease', 'git push --force')).not.toBe(id);
    expect(mintId('Use a lease', 'git push --force-with-lease')).not.toBe(id);
    // Moving text between title and body is a different learning.
    expect(mintId('Use the lease git', 'push --force-with-lease')).not.toBe(id);
  });

  it('ignores case and whitespace, so reformatting keeps the id', () => {
    expect(mintId('  Use the LEASE ', 'git push\n\n  --force-with-lease\n')).toBe(
      mintId('Use the lease', 'git push --force-with-lease'),
    );
  });

  it('gives the same id and file for the same content learned on two branches', () => {
    const input = {
      text: 'Run `MIX_ENV=test mix ecto.migrate` before `mix test` after adding a migration.',
      source: { agent: 'claude' },
    };
    const a = buildLearning({ ...input, created: '2025-01-01T00:00:00.000Z' });
    const b = buildLearning({ ...input, created: '2025-02-01T00:00:00.000Z', source: { agent: 'codex' } });
    expect(a.id).toBe(b.id);
    const branchA = saveLearning(join(temp.make(), '.agents'), a);
    const branchB = saveLearning(join(temp.make(), '.agents'), b);
    expect(branchA.file.slice(-16)).toBe(branchB.file.slice(-16));
  });
});

describe('buildLearning', () => {
  it('infers title, type and tags from the text and keeps given options', () => {
    const l = buildLearning({
      text: 'Never run `mix ecto.reset` on the shared database. It drops every table.',
      source: { agent: 'human' },
      created: '2025-01-01T00:00:00.000Z',
    });
    expect(l).toMatchObject({
      title: 'Never run `mix ecto.reset` on the shared database',
      type: 'gotcha',
      tags: ['mix', 'ecto'],
      confidence: 0.7,
      expires: null,
      scope: [],
    });
    const given = buildLearning({
      text: 'body text',
      title: 'Given title',
      type: 'decision',
      tags: ['My Tag', '#other', 'my tag'],
      scope: ['lib/**'],
      source: { agent: 'human' },
    });
    expect(given).toMatchObject({
      title: 'Given title',
      type: 'decision',
      tags: ['my-tag', 'other'],
      scope: ['lib/**'],
    });
  });
});

describe('findLearning', () => {
  const list = [{ id: 'L-abc0000001' }, { id: 'L-abc0000002' }, { id: 'L-xyz0000003' }] as Learning[];
  it('finds by id, by prefix with or without L-, and says when a prefix is ambiguous', () => {
    expect(findLearning(list, 'L-abc0000002')).toBe(list[1]);
    expect(findLearning(list, 'xyz')).toBe(list[2]);
    expect(findLearning(list, 'L-xy')).toBe(list[2]);
    expect(findLearning(list, 'abc')).toMatch(/matches 2 learnings: L-abc0000001, L-abc0000002/);
    expect(findLearning(list, 'nope')).toBeNull();
  });
});
