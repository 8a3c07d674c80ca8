import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../lib/errors.js';
import { splitDiff } from './diff-sections.js';
import { assembleEvidence, buildEvidence, fairShares } from './evidence.js';
import { resolveTarget } from './target.js';
import { commitAll, git, writeIn } from '../../test-support/git-repo.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(os.tmpdir(), 'ao-council-'));
  dirs.push(dir);
  return dir;
}

/** A repository with three commits: files added; a rename, an edit, a deletion and a binary; one more line. */
function repo(): string {
  const root = tempDir();
  git(root, 'init', '-q');
  writeIn(root, 'src/a.ts', 'export const a = 1;\nexport const b = 2;\nexport const c = 3;\n');
  writeIn(root, 'old.txt', 'x\ny\n');
  writeIn(root, 'gone.txt', 'bye\n');
  commitAll(root, 'first');
  git(root, 'mv', 'old.txt', 'new.txt');
  writeIn(root, 'src/a.ts', 'export const a = 1;\nexport const b = 20;\nexport const c = 3;\nexport const d = 4;\n');
  writeIn(root, 'img.bin', Buffer.from([0, 1, 2, 0, 3]));
  rmSync(join(root, 'gone.txt'));
  commitAll(root, 'second: b is 20');
  writeIn(
    root,
    'src/a.ts',
    'export const a = 1;\nexport const b = 20;\nexport const c = 3;\nexport const d = 4;\n// end\n',
  );
  commitAll(root, 'third');
  return root;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('targets', () => {
  it('tells a plan, paths and commit ranges apart, and refuses what is none of them', () => {
    const root = repo();
    writeIn(root, 'docs/plan.md', '# Plan\n');
    expect(resolveTarget(root, root, 'docs/plan.md', 'vibe').kind).toBe('plan');
    expect(resolveTarget(root, root, 'src/a.ts', 'pre-mortem').kind).toBe('plan');
    expect(resolveTarget(root, root, 'src/a.ts', 'vibe').kind).toBe('paths');
    expect(resolveTarget(root, join(root, 'src'), 'a.ts,../docs', 'vibe')).toMatchObject({
      kind: 'paths',
      description: 'paths src/a.ts, docs',
    });
    const range = resolveTarget(root, root, 'HEAD~2..HEAD', 'vibe');
    expect(range.kind).toBe('range');
    expect(range.description).toMatch(/^commit range HEAD~2\.\.HEAD \([0-9a-f]{7}\.\.[0-9a-f]{7}, 2 commits\)$/);
    expect(resolveTarget(root, root, 'HEAD', 'vibe').description).toMatch(/1 commit\)$/);
    for (const bad of ['nope', 'HEAD..nope', '--output=/tmp/x', 'src/a.ts,missing.ts']) {
      expect(() => resolveTarget(root, root, bad, 'vibe'), bad).toThrow(UserError);
    }
    const outside = tempDir();
    writeIn(outside, 'x.ts', 'x\n');
    expect(() => resolveTarget(root, root, join(outside, 'x.ts'), 'vibe')).toThrow(/outside the repository/);
    // A plan may live outside the repository (agents keep plans in their own folders).
    writeIn(outside, 'plan.md', 'p\n');
    expect(resolveTarget(root, root, join(outside, 'plan.md'), 'pre-mortem').kind).toBe('plan');
  });
});

describe('evidence', () => {
  it('shows a plan with numbered lines, hashed', () => {
    const root = repo();
    writeIn(root, 'docs/plan.md', '# Plan\n\nShip it.\n');
    const packet = buildEvidence(root, resolveTarget(root, root, 'docs/plan.md', 'pre-mortem'));
    expect(packet.text).toContain('## Plan docs/plan.md');
    expect(packet.text).toContain('   1 | # Plan\n   2 | \n   3 | Ship it.\n');
    expect(packet.files).toEqual(['docs/plan.md']);
    expect(packet.sha256).toBe(sha256(packet.text));
    expect(packet.chars).toBe(packet.text.length);
    expect(packet.cuts).toEqual([]);
  });

  it('shows files and folders with numbered lines, leaving out ignored and binary files', () => {
    const root = repo();
    writeIn(root, '.gitignore', 'src/ignored.ts\n');
    writeIn(root, 'src/ignored.ts', 'secret\n');
    writeIn(root, 'src/deep/b.ts', 'one\r\ntwo\r\n');
    const packet = buildEvidence(root, resolveTarget(root, root, 'src,img.bin', 'vibe'));
    expect(packet.files).toEqual(['src/a.ts', 'src/deep/b.ts']);
    expect(packet.text).toContain('## File src/deep/b.ts\n\n```\n   1 | one\n   2 | two\n```');
    expect(packet.text).not.toContain('secret');
    expect(packet.omitted).toEqual([{ file: 'img.bin', reason: 'binary' }]);
    expect(packet.text).toContain('## Not shown\n\n- img.bin: binary\n');
  });

  it('shows a commit range as its log and per-file diffs numbered by the new lines', () => {
    const root = repo();
    const packet = buildEvidence(root, resolveTarget(root, root, 'HEAD~2..HEAD', 'vibe'));
    expect(packet.text).toContain('second: b is 20');
    expect(packet.text).toContain('third');
    expect(packet.text).not.toMatch(/ first\n/);
    expect(packet.text).toContain('## Diff src/a.ts (modified)');
    expect(packet.text).toContain('     -export const b = 2;\n   2 +export const b = 20;\n   3  export const c = 3;');
    expect(packet.text).toContain('   5 +// end');
    expect(packet.text).toContain('## Diff new.txt (renamed from old.txt)');
    expect(packet.text).toContain('## Diff gone.txt (deleted)');
    expect(packet.files).toEqual(['gone.txt', 'new.txt', 'src/a.ts']);
    expect(packet.omitted).toEqual([{ file: 'img.bin', reason: 'binary' }]);
  });

  it('shows one commit, a root commit, and a three-dot range from the merge base', () => {
    const root = repo();
    const last = buildEvidence(root, resolveTarget(root, root, 'HEAD', 'vibe'));
    expect(last.files).toEqual(['src/a.ts']);
    expect(last.text).toContain('   5 +// end');
    const first = buildEvidence(root, resolveTarget(root, root, 'HEAD~2', 'vibe'));
    expect(first.files).toEqual(['gone.txt', 'old.txt', 'src/a.ts']);
    git(root, 'checkout', '-q', '-b', 'side', 'HEAD~1');
    writeIn(root, 'side.txt', 'side\n');
    commitAll(root, 'side work');
    const side = buildEvidence(
      root,
      resolveTarget(root, root, `${git(root, 'rev-parse', 'HEAD~1').trim()}...side`, 'vibe'),
    );
    expect(side.files).toEqual(['side.txt']);
    expect(side.text).toContain('side work');
  });

  it('stays within the bound, cutting large files and keeping small ones whole', () => {
    const root = tempDir();
    const big = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
    writeIn(root, 'big1.ts', big);
    writeIn(root, 'big2.ts', big);
    writeIn(root, 'small.ts', 'tiny\n');
    for (const max of [2000, 5000, 20_000, 60_000]) {
      const packet = buildEvidence(root, resolveTarget(root, root, 'big1.ts,big2.ts,small.ts', 'vibe'), max);
      expect(packet.chars).toBeLessThanOrEqual(max);
      expect(packet.text).toContain('   1 | tiny');
      expect(packet.cuts.map((c) => c.section)).toEqual(['big1.ts', 'big2.ts']);
      const [one, two] = packet.cuts;
      expect(one!.totalLines).toBe(3000);
      // Fair: the two large files get the same room.
      expect(Math.abs(one!.shownLines - two!.shownLines)).toBeLessThanOrEqual(1);
      expect(packet.text).toContain(`[cut: ${one!.shownLines} of 3000 lines shown, the rest did not fit]`);
    }
  });

  it('lists sections it has no room for at all', () => {
    const sections = Array.from({ length: 400 }, (_, i) => ({
      title: `File f${i}.ts`,
      file: `f${i}.ts`,
      lines: ['   1 | x'],
    }));
    const packet = assembleEvidence(
      { kind: 'paths', description: 'paths .' },
      { sections, omitted: [{ file: 'a.bin', reason: 'binary' }] },
      3000,
    );
    expect(packet.chars).toBeLessThanOrEqual(3000);
    expect(packet.files.length).toBeGreaterThan(0);
    expect(packet.files.length + packet.omitted.length).toBe(401);
    expect(packet.omitted.at(-1)).toEqual({ file: 'f399.ts', reason: 'no room within the bound' });
    expect(packet.text).toMatch(/- … and \d+ more\n$/);
  });

  it('fences content that holds backticks with a longer fence', () => {
    const packet = assembleEvidence(
      { kind: 'paths', description: 'x' },
      { sections: [{ title: 'File a.md', file: 'a.md', lines: ['````', 'b'] }], omitted: [] },
      5000,
    );
    expect(packet.text).toContain('`````\n````\nb\n`````\n');
  });
});

describe('fair shares', () => {
  it('gives small sections what they need and splits the rest evenly', () => {
    expect(fairShares([10, 1000, 1000], 610)).toEqual([10, 300, 300]);
    expect(fairShares([10, 20], 1000)).toEqual([10, 20]);
    expect(fairShares([500, 500], 0)).toEqual([0, 0]);
    expect(fairShares([], 100)).toEqual([]);
  });
});

describe('diff splitting', () => {
  it('reads quoted names, mode changes and hunks', () => {
    const diff = [
      'diff --git "a/t\\303\\251st.txt" "b/t\\303\\251st.txt"',
      'index 1..2 100644',
      '--- "a/t\\303\\251st.txt"',
      '+++ "b/t\\303\\251st.txt"',
      '@@ -10,2 +10,2 @@ fn',
      ' keep',
      '-old',
      '+new',
      '\\ No newline at end of file',
      'diff --git a/run.sh b/run.sh',
      'old mode 100644',
      'new mode 100755',
      '',
    ].join('\n');
    const [first, second] = splitDiff(diff);
    expect(first!.file).toBe('tést.txt');
    expect(first!.lines).toEqual([
      '@@ -10,2 +10,2 @@ fn',
      '  10  keep',
      '     -old',
      '  11 +new',
      '     \\ No newline at end of file',
    ]);
    expect(second).toMatchObject({ file: 'run.sh', change: 'modified', lines: ['old mode 100644', 'new mode 100755'] });
  });
});
