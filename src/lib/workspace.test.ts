import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../test-support/fixture-files.js';
import { ensureAgentsDir, findWorkspace, writableAgentsDir } from './workspace.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

describe('findWorkspace', () => {
  it('finds the nearest folder with .agents or .git above cwd', () => {
    const root = temp.make();
    const env = { AO_HOME: join(root, 'home', '.agents') };
    const repo = join(root, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    mkdirSync(join(repo, 'lib', 'deep'), { recursive: true });
    expect(findWorkspace(join(repo, 'lib', 'deep'), env)).toEqual({
      root: repo,
      repoAgents: join(repo, '.agents'),
      userAgents: env.AO_HOME,
    });
    // A nested project with its own .agents wins over the outer repository.
    mkdirSync(join(repo, 'lib', '.agents'));
    expect(findWorkspace(join(repo, 'lib', 'deep'), env).root).toBe(join(repo, 'lib'));
  });

  it('never takes the user store for a repository store', () => {
    const root = temp.make();
    const home = join(root, 'home');
    const env = { AO_HOME: join(home, '.agents') };
    mkdirSync(join(home, '.agents'), { recursive: true });
    mkdirSync(join(home, 'scratch'));
    const ws = findWorkspace(join(home, 'scratch'), env);
    expect(ws.repoAgents).not.toBe(env.AO_HOME);
    expect(ws.root).not.toBe(home);
    expect(writableAgentsDir({ root: null, repoAgents: null, userAgents: env.AO_HOME })).toBe(env.AO_HOME);
  });
});

describe('ensureAgentsDir', () => {
  it('creates the folders and the git settings once, keeping existing lines', () => {
    const root = temp.make();
    const agents = join(root, '.agents');
    mkdirSync(agents);
    writeFileSync(join(agents, '.gitignore'), 'mine/');
    ensureAgentsDir(agents);
    ensureAgentsDir(agents);
    expect(readFileSync(join(agents, '.gitattributes'), 'utf8')).toBe('ledger/*.jsonl merge=union\n');
    expect(readFileSync(join(agents, '.gitignore'), 'utf8')).toBe('mine/\n.cache/\n.tmp-*\n');
  });

  it('makes git merge ledgers by union and ignore the cache and temporary files', () => {
    const root = temp.make();
    git(root, 'init', '-q');
    const agents = join(root, '.agents');
    ensureAgentsDir(agents);
    expect(git(root, 'check-attr', 'merge', '.agents/ledger/citations.jsonl')).toBe(
      '.agents/ledger/citations.jsonl: merge: union\n',
    );
    const ignored = spawnSync(
      'git',
      ['check-ignore', '.agents/.cache/index.db', '.agents/learnings/.tmp-x.md.1.a', '.agents/learnings/L-x.md'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(ignored.stdout.split('\n').filter(Boolean)).toEqual([
      '.agents/.cache/index.db',
      '.agents/learnings/.tmp-x.md.1.a',
    ]);
  });
});
