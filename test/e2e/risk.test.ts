import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, git, writeIn } from '../../src/test-support/git-repo.js';

/**
 * End-to-end: `ao risk` from the built bin, in real temp repositories. `npm test` builds first.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'ao.js');

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(os.tmpdir(), 'ao-risk-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.cjs'))) {
    throw new Error('dist/cli/main.cjs is missing: run `npm run build` first (npm test does)');
  }
});

interface RiskJson {
  range: string;
  commits: string[];
  files: { path: string; status: string; added: number; deleted: number; binary: boolean }[];
  score: number;
  threshold: number;
  decision: 'gates' | 'sign-off';
  factors: { name: string; points: number; why: string }[];
  triggers: { name: string; why: string }[];
  reasons: string[];
}

/** A repository on `main` with a source file and its test, then a branch `feature` checked out. */
interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function sandbox(): { repo: string; ao: (args: string[]) => Run } {
  const base = tempDir();
  const repo = join(base, 'repo');
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  writeIn(repo, 'src/add.ts', 'export const add = (a: number, b: number) => a + b;\n');
  writeIn(repo, 'src/add.test.ts', "import { add } from './add';\n");
  commitAll(repo, 'first');
  git(repo, 'checkout', '-q', '-b', 'feature');
  const env = { ...process.env, AO_HOME: join(base, 'ao-home'), NO_COLOR: '1' };
  return {
    repo,
    ao: (args) => {
      const r = spawnSync(process.execPath, [BIN, 'risk', ...args], { cwd: repo, env, encoding: 'utf8' });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
  };
}

const json = (r: Run): RiskJson => {
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return JSON.parse(r.stdout) as RiskJson;
};

describe('ao risk', () => {
  it('lets a small tested change merge on gates, and explains every factor', () => {
    const { repo, ao } = sandbox();
    writeIn(repo, 'src/add.ts', 'export const add = (a: number, b: number): number => a + b;\n');
    writeIn(repo, 'src/add.test.ts', "import { add } from './add';\nadd(1, 2);\n");
    const head = commitAll(repo, 'tested change');

    const r = ao(['--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = json(r);
    expect(report.range).toBe('main...HEAD');
    expect(report.commits).toEqual([head]);
    expect(report.files.map((f) => f.path).sort()).toEqual(['src/add.test.ts', 'src/add.ts']);
    expect(report.decision).toBe('gates');
    expect(report.score).toBeLessThan(report.threshold);
    expect(report.factors.map((f) => f.name)).toEqual([
      'size',
      'files',
      'sensitive',
      'tests',
      'deletions',
      'ratchet',
      'binary',
    ]);
    expect(report.triggers).toEqual([]);

    const text = ao([]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^main\.\.\.HEAD: 1 commit, 2 files/);
    expect(text.stdout).toMatch(/factor\s+points\s+why/);
    expect(text.stdout).toMatch(/tests\s+0\s+1 test file changed with 1 source file/);
    expect(text.stdout).toMatch(/gates: may merge on gates alone/);
  });

  it('asks for sign-off on the policy file, and --strict exits 1 for it', () => {
    const { repo, ao } = sandbox();
    writeIn(repo, '.agents/policy.yaml', 'version: 1\n');
    commitAll(repo, 'loosen the envelope');

    const r = ao(['HEAD', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = json(r);
    expect(report.decision).toBe('sign-off');
    expect(report.triggers).toEqual([
      { name: 'sign-off-path', why: ".agents/policy.yaml always needs a person's sign-off (.agents/policy.yaml)" },
    ]);
    expect(report.factors.find((f) => f.name === 'sensitive')?.points).toBeGreaterThan(0);

    const strict = ao(['HEAD', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/sign-off: needs a person's sign-off/);
    expect(strict.stdout).toMatch(/\.agents\/policy\.yaml always needs a person's sign-off/);
    expect(strict.stderr).toBe('');
  });

  it('names ratchet movements from the ledger: a regression is a hard trigger, an allow shows its reason', () => {
    const { repo, ao } = sandbox();
    const before = git(repo, 'rev-parse', 'HEAD');
    writeIn(repo, 'README.md', 'docs\n');
    const head = commitAll(repo, 'docs');
    const ledger = join(repo, '.agents', 'ledger');
    mkdirSync(ledger, { recursive: true });
    const verdict = {
      kind: 'verdict',
      ts: '2025-01-02T00:00:00.000Z',
      id: 'V-1',
      stage: 'pre-commit',
      verdict: 'fail',
      commit: head,
      branch: 'feature',
      dirty: false,
      checks: [],
      regressions: [{ figure: 'test.failed', locked: 0, value: 2, better: 'lower', lockedAt: before }],
      judge: { by: 'ao gate', via: 'cli' },
      durationMs: 1,
    };
    writeFileSync(join(ledger, 'verdicts.jsonl'), `${JSON.stringify(verdict)}\n`);
    const ratchet = [
      {
        kind: 'ratchet-lock',
        ts: '2025-01-01T00:00:00.000Z',
        figure: 'lint.warnings',
        value: 3,
        better: 'lower',
        commit: before,
        verdict: 'V-0',
      },
      {
        kind: 'ratchet-allow',
        ts: '2025-01-01T12:00:00.000Z',
        figure: 'lint.warnings',
        reason: 'new rule, fixed next',
        by: 't@t',
        commit: head,
      },
      {
        kind: 'ratchet-lock',
        ts: '2025-01-02T00:00:00.000Z',
        figure: 'lint.warnings',
        value: 5,
        better: 'lower',
        commit: head,
        verdict: 'V-1',
      },
    ];
    writeFileSync(join(ledger, 'ratchet.jsonl'), ratchet.map((e) => `${JSON.stringify(e)}\n`).join(''));

    const report = json(ao(['HEAD', '--json']));
    expect(report.decision).toBe('sign-off');
    expect(report.triggers.map((t) => t.name)).toEqual(['ratchet-regression']);
    const why = report.factors.find((f) => f.name === 'ratchet')?.why ?? '';
    expect(why).toContain(`test.failed 0 → 2 at ${head.slice(0, 7)} regressed`);
    expect(why).toContain('lint.warnings 3 → 5');
    expect(why).toContain('allowed: new rule, fixed next');
    // The movements belong to HEAD only: the first commit's change has none.
    expect(json(ao([`${before}`, '--json'])).triggers).toEqual([]);
  });

  it('scores staged work, and refuses a range together with --staged', () => {
    const { repo, ao } = sandbox();
    writeIn(repo, 'src/new.ts', 'export const x = 1;\n');
    git(repo, 'add', 'src/new.ts');
    writeIn(repo, 'src/untracked.ts', 'export const y = 2;\n');

    const staged = json(ao(['--staged', '--json']));
    expect(staged.range).toBe('staged');
    expect(staged.commits).toEqual([]);
    expect(staged.files.map((f) => f.path)).toEqual(['src/new.ts']);
    expect(staged.factors.find((f) => f.name === 'tests')?.points).toBe(15);

    const worktree = json(ao(['--worktree', '--json']));
    expect(worktree.files.map((f) => f.path).sort()).toEqual(['src/new.ts', 'src/untracked.ts']);

    const both = ao(['HEAD', '--staged']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give one of a range, --staged or --worktree/);
  });

  it('reports an empty range as nothing to sign off', () => {
    const { ao } = sandbox();
    const report = json(ao(['--json']));
    expect(report.files).toEqual([]);
    expect(report.score).toBe(0);
    expect(report.decision).toBe('gates');
  });

  it('turns a bad range into a short error with exit code 2', () => {
    const { ao } = sandbox();
    const r = ao(['nope..HEAD']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ao: bad range "nope\.\.HEAD" \(git: bad revision 'nope'\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
