import { existsSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../lib/atomic.js';
import type { Workspace } from '../lib/workspace.js';
import { appendEvents, type LedgerEvent } from '../knowledge/ledger.js';
import { formatLearning } from '../knowledge/learning-file.js';
import { buildLearning, saveLearning } from '../knowledge/store.js';
import type { Learning } from '../knowledge/types.js';
import { tempDirs } from '../test-support/fixture-files.js';
import { indexLocation, type Db } from './db.js';
import { listIndexed } from './list.js';
import { openIndex, rebuildIndex, type OpenIndex } from './open.js';
import { docFrequency, readPostings } from './postings.js';
import { searchIndex } from './search.js';
import { ftsTokens } from './tokenize.js';

/** `expect.stringMatching`, typed for object literals. */
const matching = (re: RegExp): unknown => expect.stringMatching(re);

const temp = tempDirs();
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});
afterAll(() => temp.cleanup());

const TS = '2025-03-01T10:00:00.000Z';
const OLD = new Date('2020-01-01T00:00:00.000Z');

function workspace(): Workspace {
  const root = temp.make();
  return { root, repoAgents: join(root, '.agents'), userAgents: join(root, 'home', '.agents') };
}

function learning(text: string, title?: string): Learning {
  return buildLearning({ text, title, source: { agent: 'human' }, created: TS, tags: ['test'] });
}

/** Opens the index (closed after the test) and returns what the refresh did. */
async function index(ws: Workspace, mode: 'quick' | 'full'): Promise<OpenIndex> {
  const opened = await openIndex(ws, mode);
  open.push(opened.db);
  return opened;
}

function titles(db: Db): string[] {
  return listIndexed(db)
    .map((l) => l.title)
    .sort();
}

/**
 * Sets a folder's (or file's) times back, so that the next change is certain to give it a new
 * mtime: file systems stamp times at a coarse tick, and two writes within one tick look alike.
 */
function backdate(path: string): void {
  utimesSync(path, OLD, OLD);
}

const A = learning('Run `mix format` before committing: CI rejects unformatted code.', 'Format before commit');
const B = learning('Use `git push --force-with-lease` instead of a plain force push.', 'Lease your force pushes');
const C = learning(
  'Set `MIX_ENV=test` before running `mix ecto.migrate` for the test database.',
  'Migrate the test db',
);

describe('learning files', () => {
  it('quick mode picks up files added since the last refresh and skips work when nothing changed', async () => {
    const ws = workspace();
    const agents = ws.repoAgents!;
    saveLearning(agents, A);
    saveLearning(agents, B);
    backdate(join(agents, 'learnings'));
    const first = await index(ws, 'quick');
    expect(first.refresh).toMatchObject({ added: 2, updated: 0, removed: 0, problems: [] });
    expect(titles(first.db)).toEqual(['Format before commit', 'Lease your force pushes']);

    saveLearning(agents, C);
    const second = await index(ws, 'quick');
    expect(second.refresh).toMatchObject({ added: 1, updated: 0, removed: 0 });
    expect(titles(second.db)).toEqual(['Format before commit', 'Lease your force pushes', 'Migrate the test db']);

    const third = await index(ws, 'quick');
    expect(third.refresh).toMatchObject({ added: 0, updated: 0, removed: 0 });
  });

  it('full mode picks up a file rewritten in place, which leaves the folder untouched', async () => {
    const ws = workspace();
    const agents = ws.repoAgents!;
    const { file } = saveLearning(agents, A);
    backdate(file);
    backdate(join(agents, 'learnings'));
    await index(ws, 'full');
    const folderStamp = statSync(join(agents, 'learnings')).mtimeMs;

    writeFileSync(file, formatLearning({ ...A, title: 'Format before every commit' }));
    expect(statSync(join(agents, 'learnings')).mtimeMs).toBe(folderStamp);
    // Quick mode trusts the folder's stamp: the hot path does not stat every file.
    expect(titles((await index(ws, 'quick')).db)).toEqual(['Format before commit']);
    const full = await index(ws, 'full');
    expect(full.refresh).toMatchObject({ added: 0, updated: 1, removed: 0 });
    expect(titles(full.db)).toEqual(['Format before every commit']);
  });

  it('keeps the keys of scope globs with their learnings through edits and deletions', async () => {
    const ws = workspace();
    const agents = ws.repoAgents!;
    const scoped = { ...A, scope: ['lib/**', '*.ex'] };
    const { file } = saveLearning(agents, scoped);
    saveLearning(agents, B);
    const keys = (db: Db): string[] => db.prepare('SELECT key FROM scope_key ORDER BY key').pluck().all() as string[];
    const scopedTo = (db: Db, paths: string[]): string[] =>
      searchIndex(db, { query: 'unrelated words', paths }).map((h) => h.title);
    const first = await index(ws, 'quick');
    expect(keys(first.db)).toEqual(['p:lib', 's:.ex']);
    expect(scopedTo(first.db, ['lib/app/x.exs'])).toEqual(['Format before commit']);
    expect(scopedTo(first.db, ['test/a.ex'])).toEqual(['Format before commit']);
    expect(scopedTo(first.db, ['test/a.exs'])).toEqual([]);

    writeFileAtomic(file, formatLearning({ ...scoped, scope: ['test/**'] }));
    const edited = await index(ws, 'full');
    expect(keys(edited.db)).toEqual(['p:test']);
    expect(scopedTo(edited.db, ['lib/app/x.exs'])).toEqual([]);
    expect(scopedTo(edited.db, ['test/a.exs'])).toEqual(['Format before commit']);

    rmSync(file);
    const removed = await index(ws, 'full');
    expect(keys(removed.db)).toEqual([]);
    expect(scopedTo(removed.db, ['test/a.exs'])).toEqual([]);
  });

  it('drops a deleted file', async () => {
    const ws = workspace();
    const agents = ws.repoAgents!;
    saveLearning(agents, A);
    const { file } = saveLearning(agents, B);
    backdate(join(agents, 'learnings'));
    const lease = ftsTokens('lease');
    expect(docFrequency(readPostings((await index(ws, 'quick')).db, lease).lists[0]!)).toBe(1);
    rmSync(file);
    const after = await index(ws, 'quick');
    expect(after.refresh).toMatchObject({ added: 0, removed: 1 });
    expect(titles(after.db)).toEqual(['Format before commit']);
    // The postings follow: nothing holds the deleted learning's words.
    expect(docFrequency(readPostings(after.db, lease).lists[0]!)).toBe(0);
  });

  it('lists a broken file as a problem until it is fixed', async () => {
    const ws = workspace();
    const agents = ws.repoAgents!;
    saveLearning(agents, A);
    const broken = join(agents, 'learnings', `${B.id}.md`);
    writeFileSync(broken, formatLearning(B).replace('type: ', 'type: lesson\nx: '));
    backdate(join(agents, 'learnings'));
    const first = await index(ws, 'quick');
    expect(first.refresh.problems).toEqual([{ file: broken, line: 4, message: matching(/`type`/) }]);
    expect(titles(first.db)).toEqual(['Format before commit']);
    // Still listed on a refresh that did not look at the files again.
    expect((await index(ws, 'quick')).refresh.problems).toHaveLength(1);

    writeFileAtomic(broken, formatLearning(B));
    const fixed = await index(ws, 'quick');
    expect(fixed.refresh).toMatchObject({ added: 1, problems: [] });
    expect(titles(fixed.db)).toEqual(['Format before commit', 'Lease your force pushes']);
  });

  it('indexes hand-written files that need the YAML parser, and both stores', async () => {
    const ws = workspace();
    saveLearning(ws.userAgents, C);
    saveLearning(ws.repoAgents!, A);
    writeFileSync(
      join(ws.repoAgents!, 'learnings', 'hand.md'),
      '---\nid: L-hand\ntitle: Prefer pnpm\ntype: preference\ncreated: 2025-01-01\ntags:\n  - pnpm\n---\n\nUse pnpm.\n',
    );
    const { db, refresh } = await index(ws, 'full');
    expect(refresh).toMatchObject({ added: 3, problems: [] });
    expect(listIndexed(db).map((l) => [l.title, l.store])).toEqual([
      ['Format before commit', 'repo'],
      ['Prefer pnpm', 'repo'],
      ['Migrate the test db', 'user'],
    ]);
  });
});

describe('ledger', () => {
  const inject = (id: string): LedgerEvent => ({ kind: 'inject', ts: TS, ids: [id], query: 'q', tokens: 1, budget: 9 });
  const cite = (id: string, session: string): LedgerEvent => ({
    kind: 'cite',
    ts: TS,
    id,
    session,
    how: 'explicit',
    evidence: '',
  });
  const countersOf = (db: Db, id: string) => listIndexed(db).find((l) => l.id === id)!.counters;

  /** What the index file holds, as opposed to what this connection sees. */
  const written = (db: Db, id: string): number | undefined => {
    const data = db.prepare('SELECT data FROM main.counters WHERE id = ?').pluck().get(id) as string | undefined;
    return data === undefined ? undefined : (JSON.parse(data) as { injected: number }).injected;
  };

  it('applies events appended after a refresh, once', async () => {
    const ws = workspace();
    const agents = ws.repoAgents!;
    saveLearning(agents, A);
    appendEvents(agents, [inject(A.id), inject(A.id)]);
    // The first refresh writes the new learning, and the ledger with it.
    const first = await index(ws, 'quick');
    expect(first.refresh).toMatchObject({ ledgerEvents: 2, ledgerPending: 0 });
    expect(countersOf(first.db, A.id)).toMatchObject({ injected: 2, cited: 0 });

    // Quick refreshes see new lines without writing them ...
    appendEvents(agents, [cite(A.id, 's1'), inject(A.id)]);
    const second = await index(ws, 'quick');
    expect(second.refresh).toMatchObject({ ledgerEvents: 0, ledgerPending: 2 });
    expect(countersOf(second.db, A.id)).toMatchObject({ injected: 3, cited: 1, citedSessions: ['s1'] });
    expect(listIndexed(second.db)[0]!.stats.maturity).toBe('candidate');
    expect(written(second.db, A.id)).toBe(2);
    appendEvents(agents, [inject(A.id)]);
    const third = await index(ws, 'quick');
    expect(third.refresh).toMatchObject({ ledgerEvents: 0, ledgerPending: 3 });
    expect(countersOf(third.db, A.id)).toMatchObject({ injected: 4, cited: 1 });

    // ... and a full refresh writes them, once.
    const full = await index(ws, 'full');
    expect(full.refresh).toMatchObject({ ledgerEvents: 3, ledgerPending: 0 });
    expect(written(full.db, A.id)).toBe(4);
    const after = await index(ws, 'quick');
    expect(after.refresh).toMatchObject({ ledgerEvents: 0, ledgerPending: 0 });
    expect(countersOf(after.db, A.id)).toMatchObject({ injected: 4, cited: 1, citedSessions: ['s1'] });
  });

  it('writes the backlog in quick mode once it passes 32 KB', async () => {
    const ws = workspace();
    const agents = ws.repoAgents!;
    saveLearning(agents, A);
    await index(ws, 'quick');
    // Each line is about 200 bytes: 150 of them are under the limit, 200 more are over it.
    const many = (n: number) => Array.from({ length: n }, () => ({ ...inject(A.id), query: 'q'.repeat(100) }));
    appendEvents(agents, many(150));
    const under = await index(ws, 'quick');
    expect(under.refresh).toMatchObject({ ledgerEvents: 0, ledgerPending: 150 });
    appendEvents(agents, many(200));
    const over = await index(ws, 'quick');
    expect(over.refresh).toMatchObject({ ledgerEvents: 350, ledgerPending: 0 });
    expect(written(over.db, A.id)).toBe(350);
    expect(countersOf(over.db, A.id).injected).toBe(350);
  });

  it('gives every connection its own view of the backlog', async () => {
    const ws = workspace();
    const agents = ws.repoAgents!;
    saveLearning(agents, A);
    saveLearning(agents, B);
    const before = await index(ws, 'quick');
    appendEvents(agents, [inject(A.id)]);
    const after = await index(ws, 'quick');
    // The connection opened before the line was appended does not see it; the later one does,
    // and a learning without new events reads through to the written table.
    expect(countersOf(before.db, A.id).injected).toBe(0);
    expect(countersOf(after.db, A.id).injected).toBe(1);
    expect(countersOf(after.db, B.id).injected).toBe(0);
  });

  it('leaves a line being written for the next refresh', async () => {
    const ws = workspace();
    const agents = ws.repoAgents!;
    saveLearning(agents, A);
    appendEvents(agents, [inject(A.id)]);
    const file = join(agents, 'ledger', 'injections.jsonl');
    const line = `${JSON.stringify(inject(A.id))}\n`;
    writeFileSync(file, readFileSync(file, 'utf8') + line.slice(0, 10));
    expect(countersOf((await index(ws, 'quick')).db, A.id).injected).toBe(1);
    writeFileSync(file, readFileSync(file, 'utf8') + line.slice(10));
    expect(countersOf((await index(ws, 'quick')).db, A.id).injected).toBe(2);
  });

  it('recounts everything when a ledger file shrinks or is replaced', async () => {
    const ws = workspace();
    const agents = ws.repoAgents!;
    saveLearning(agents, A);
    saveLearning(agents, B);
    appendEvents(agents, [inject(A.id), inject(A.id), inject(B.id), cite(B.id, 's1')]);
    expect(countersOf((await index(ws, 'quick')).db, A.id).injected).toBe(2);

    // Rewritten in place with fewer lines (a git checkout of an older version).
    const injections = join(agents, 'ledger', 'injections.jsonl');
    writeFileSync(injections, `${JSON.stringify(inject(A.id))}\n`);
    const shrunk = await index(ws, 'quick');
    expect(shrunk.refresh.ledgerEvents).toBe(2);
    expect(countersOf(shrunk.db, A.id)).toMatchObject({ injected: 1 });
    // The other files were read again from the start, and counted once.
    expect(countersOf(shrunk.db, B.id)).toMatchObject({ injected: 0, cited: 1 });

    // Replaced by a new file (a merge writes a new inode), longer than before.
    const merged = `${injections}.new`;
    writeFileSync(merged, [inject(A.id), inject(B.id), inject(B.id)].map((e) => `${JSON.stringify(e)}\n`).join(''));
    renameSync(merged, injections);
    const replaced = await index(ws, 'quick');
    expect(countersOf(replaced.db, A.id)).toMatchObject({ injected: 1 });
    expect(countersOf(replaced.db, B.id)).toMatchObject({ injected: 2, cited: 1 });

    // A ledger file removed altogether.
    rmSync(injections);
    const removed = await index(ws, 'quick');
    expect(countersOf(removed.db, A.id)).toMatchObject({ injected: 0 });
    expect(countersOf(removed.db, B.id)).toMatchObject({ injected: 0, cited: 1 });
  });
});

describe('the index file', () => {
  it('is rebuilt transparently when corrupt', async () => {
    const ws = workspace();
    const agents = ws.repoAgents!;
    saveLearning(agents, A);
    appendEvents(agents, [{ kind: 'inject', ts: TS, ids: [A.id], query: 'q', tokens: 1, budget: 9 }]);
    const first = await index(ws, 'quick');
    open.pop()!.close();
    expect(first.location.dbFile).toBe(join(agents, '.cache', 'index.db'));
    for (const f of [`${first.location.dbFile}-wal`, `${first.location.dbFile}-shm`]) rmSync(f, { force: true });
    writeFileSync(first.location.dbFile, Buffer.from('this is not a database, just garbage bytes '.repeat(200)));

    const again = await index(ws, 'quick');
    expect(again.refresh.added).toBe(1);
    expect(titles(again.db)).toEqual(['Format before commit']);
    expect(listIndexed(again.db)[0]!.counters.injected).toBe(1);
  });

  it('lives in the user store outside a repository; rebuildIndex starts from scratch', async () => {
    const root = temp.make();
    const ws: Workspace = { root: null, repoAgents: null, userAgents: join(root, '.agents') };
    saveLearning(ws.userAgents, A);
    expect(indexLocation(ws)).toEqual({
      dbFile: join(root, '.agents', 'cache', 'index.db'),
      stores: [{ agents: ws.userAgents, store: 'user' }],
    });
    const first = await index(ws, 'quick');
    expect(existsSync(first.location.dbFile)).toBe(true);
    open.pop()!.close();
    const rebuilt = await rebuildIndex(ws);
    open.push(rebuilt.db);
    expect(rebuilt.refresh.added).toBe(1);
    expect(titles(rebuilt.db)).toEqual(['Format before commit']);
  });
});
