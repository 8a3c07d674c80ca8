import { describe, expect, it } from 'vitest';
import type { ChangedFile } from './change.js';
import { DEFAULT_RISK, type RiskFactorName, type RiskReport, scoreRisk } from './risk.js';
import type { RatchetMove } from './types.js';

const file = (path: string, added = 1, deleted = 0, more: Partial<ChangedFile> = {}): ChangedFile => ({
  path,
  status: 'modified',
  added,
  deleted,
  binary: false,
  ...more,
});

const factor = (report: RiskReport, name: RiskFactorName) => report.factors.find((f) => f.name === name)!;
const points = (report: RiskReport, name: RiskFactorName): number => factor(report, name).points;

const movement = (kind: RatchetMove['kind'], more: Partial<RatchetMove> = {}): RatchetMove => ({
  figure: 'test.failed',
  from: 0,
  to: 2,
  better: 'lower',
  commit: 'abcdef1234567890',
  kind,
  ...more,
});

describe('scoreRisk', () => {
  it('scores an empty change 0 and lets it merge on gates, with a why for every factor', () => {
    const report = scoreRisk([], []);
    expect(report.score).toBe(0);
    expect(report.decision).toBe('gates');
    expect(report.triggers).toEqual([]);
    expect(report.factors.map((f) => f.name)).toEqual([
      'size',
      'files',
      'sensitive',
      'tests',
      'deletions',
      'ratchet',
      'binary',
    ]);
    for (const f of report.factors) expect(f.why).not.toBe('');
    expect(report.reasons).toEqual(['score 0 < threshold 40 and no hard trigger']);
  });

  it('bands the size by lines added and deleted', () => {
    const sizeOf = (lines: number): number => points(scoreRisk([file('docs/a.md', lines)], []), 'size');
    expect([20, 21, 100, 101, 300, 301, 600, 601, 1000, 1001].map(sizeOf)).toEqual([
      0, 5, 5, 10, 10, 18, 18, 24, 24, 30,
    ]);
    const report = scoreRisk([file('docs/a.md', 120, 30)], []);
    expect(factor(report, 'size').why).toBe('150 lines changed (+120 -30)');
  });

  it('leaves lock files out of the size but counts them as sensitive', () => {
    const report = scoreRisk([file('package.json', 2, 1), file('package-lock.json', 1500, 800)], []);
    expect(points(report, 'size')).toBe(0);
    expect(factor(report, 'size').why).toBe('3 lines changed (+2 -1); 2,300 lock-file lines not counted');
    expect(points(report, 'deletions')).toBe(0);
    expect(points(report, 'sensitive')).toBe(20);
    expect(report.decision).toBe('gates');
  });

  it('bands the number of files and names where they are', () => {
    const many = (count: number): ChangedFile[] =>
      Array.from({ length: count }, (_, i) => file(`${i % 2 ? 'docs' : 'notes'}/f${i}.md`));
    const filesOf = (count: number): number => points(scoreRisk(many(count), []), 'files');
    expect([1, 3, 4, 10, 11, 20, 21, 40, 41].map(filesOf)).toEqual([0, 0, 5, 5, 10, 10, 15, 15, 20]);
    expect(factor(scoreRisk(many(4), []), 'files').why).toBe('4 files in docs/, notes/');
    expect(factor(scoreRisk([file('README.md')], []), 'files').why).toBe('1 file in the top level');
    expect(factor(scoreRisk([file('src/a.md'), file('b.md')], []), 'files').why).toBe('2 files in the top level, src/');
  });

  it('adds points for sensitive paths, naming the glob that matched, case-insensitively', () => {
    const one = scoreRisk([file('src/auth/session.ts'), file('src/auth/session.test.ts')], []);
    expect(points(one, 'sensitive')).toBe(20);
    expect(factor(one, 'sensitive').why).toBe(
      'touches src/auth/session.ts (**/auth/**), src/auth/session.test.ts (**/auth/**)',
    );
    expect(points(scoreRisk([file('db/migrations/001_init.sql')], []), 'sensitive')).toBe(15);
    expect(points(scoreRisk([file('web/src/useAuth.tsx')], []), 'sensitive')).toBe(15);
    expect(points(scoreRisk([file('deploy/DOCKERFILE')], []), 'sensitive')).toBe(15);
    expect(points(scoreRisk([file('src/author.ts')], []), 'sensitive')).toBe(0);
    // A rename out of a sensitive folder is still sensitive.
    const renamed = file('src/old-stuff.ts', 0, 0, { status: 'renamed', oldPath: 'src/crypto/keys.ts' });
    expect(points(scoreRisk([renamed], []), 'sensitive')).toBe(15);
    const lots = Array.from({ length: 6 }, (_, i) => file(`infra/main${i}.tf`));
    const capped = scoreRisk(lots, []);
    expect(points(capped, 'sensitive')).toBe(30);
    expect(factor(capped, 'sensitive').why).toMatch(/and 3 more$/);
  });

  it('uses the configured sensitive globs instead of the defaults', () => {
    const config = { ...DEFAULT_RISK, sensitive: ['billing/**'] };
    expect(points(scoreRisk([file('billing/charge.ts')], [], config), 'sensitive')).toBe(15);
    expect(points(scoreRisk([file('src/auth/login.ts')], [], config), 'sensitive')).toBe(0);
  });

  it('adds points when source changes without a test, none with one, and lowers for tests only', () => {
    const untested = scoreRisk([file('src/a.ts'), file('src/b.py')], []);
    expect(points(untested, 'tests')).toBe(15);
    expect(factor(untested, 'tests').why).toBe('2 source files changed, no test file added or changed');
    const tested = scoreRisk([file('src/a.ts'), file('src/a.test.ts')], []);
    expect(points(tested, 'tests')).toBe(0);
    expect(factor(tested, 'tests').why).toBe('1 test file changed with 1 source file');
    for (const test of ['test/e2e/cli.test.ts', 'pkg/x_test.go', 'tests/test_x.py', 'src/FooTest.java']) {
      expect(points(scoreRisk([file(test)], []), 'tests'), test).toBe(-10);
    }
    const docs = scoreRisk([file('README.md'), file('config.yaml')], []);
    expect(points(docs, 'tests')).toBe(0);
    expect(factor(docs, 'tests').why).toBe('no source code changed');
  });

  it('adds points when test files are deleted, even alongside other tests', () => {
    const report = scoreRisk(
      [file('src/a.ts'), file('src/a.test.ts'), file('src/b.test.ts', 0, 40, { status: 'deleted' })],
      [],
    );
    expect(points(report, 'tests')).toBe(15);
    expect(factor(report, 'tests').why).toBe(
      '1 test file changed with 1 source file; deletes 1 test file: src/b.test.ts',
    );
    const onlyDeleted = scoreRisk([file('src/b.test.ts', 0, 40, { status: 'deleted' })], []);
    expect(points(onlyDeleted, 'tests')).toBe(15);
  });

  it('adds points for deletion-heavy changes from 50 deleted lines at twice the added', () => {
    const heavy = scoreRisk([file('docs/a.md', 25, 50), file('docs/b.md', 0, 10, { status: 'deleted' })], []);
    expect(points(heavy, 'deletions')).toBe(10);
    expect(factor(heavy, 'deletions').why).toBe('mostly deletions: -60 against +25, 1 file removed');
    expect(points(scoreRisk([file('docs/a.md', 26, 50)], []), 'deletions')).toBe(0);
    expect(points(scoreRisk([file('docs/a.md', 0, 49)], []), 'deletions')).toBe(0);
  });

  it('adds points per binary file, up to 15', () => {
    const bin = (path: string): ChangedFile => file(path, 0, 0, { binary: true });
    const report = scoreRisk([bin('assets/logo.png')], []);
    expect(points(report, 'binary')).toBe(5);
    expect(factor(report, 'binary').why).toMatch(/assets\/logo\.png/);
    expect(
      points(
        scoreRisk(
          ['a', 'b', 'c', 'd'].map((x) => bin(`${x}.png`)),
          [],
        ),
        'binary',
      ),
    ).toBe(15);
  });

  it('makes a ratchet regression a hard trigger', () => {
    const report = scoreRisk([file('README.md')], [movement('regressed')]);
    expect(points(report, 'ratchet')).toBe(25);
    expect(report.score).toBe(25);
    expect(report.decision).toBe('sign-off');
    expect(report.triggers).toEqual([
      { name: 'ratchet-regression', why: 'test.failed 0 → 2 at abcdef1 regressed with no recorded allow' },
    ]);
    expect(report.reasons).toEqual(['test.failed 0 → 2 at abcdef1 regressed with no recorded allow']);
  });

  it('adds points for an allowed reversal and names its reason; lowers for improvements', () => {
    const allowed = scoreRisk([], [movement('allowed', { reason: 'flaky suite removed' })]);
    expect(points(allowed, 'ratchet')).toBe(10);
    expect(factor(allowed, 'ratchet').why).toBe(
      'test.failed 0 → 2 at abcdef1 moved back, allowed: flaky suite removed',
    );
    expect(allowed.decision).toBe('gates');
    const improved = scoreRisk([file('src/a.ts')], [movement('improved', { from: 3, to: 0, commit: null })]);
    expect(points(improved, 'ratchet')).toBe(-5);
    expect(factor(improved, 'ratchet').why).toBe('test.failed 3 → 0 improved');
    expect(improved.score).toBe(10);
    const many = scoreRisk([], [movement('regressed'), movement('regressed'), movement('allowed')]);
    expect(points(many, 'ratchet')).toBe(40);
  });

  it('needs sign-off at the threshold, not below it', () => {
    // size 24 (601-1000 lines) + tests 15 = 39, then + files 5 = 44.
    const below = scoreRisk([file('src/a.ts', 700)], []);
    expect(below.score).toBe(39);
    expect(below.decision).toBe('gates');
    expect(scoreRisk([file('src/a.ts', 700)], [], { ...DEFAULT_RISK, threshold: 39 }).decision).toBe('sign-off');
    const at = scoreRisk([file('src/a.ts', 700)], [], { ...DEFAULT_RISK, threshold: 39 });
    expect(at.reasons).toEqual(['score 39 ≥ threshold 39 (size +24, tests +15)']);
    const above = scoreRisk(
      [1, 2, 3, 4].map((i) => file(`src/a${i}.ts`, 175)),
      [],
    );
    expect(above.score).toBe(44);
    expect(above.decision).toBe('sign-off');
  });

  it('keeps the score within 0-100', () => {
    const huge = [
      ...Array.from({ length: 50 }, (_, i) => file(`src/auth/f${i}.ts`, 100, 300)),
      ...Array.from({ length: 5 }, (_, i) => file(`t/f${i}.test.ts`, 0, 10, { status: 'deleted' })),
      ...Array.from({ length: 5 }, (_, i) => file(`b${i}.bin`, 0, 0, { binary: true })),
    ];
    expect(scoreRisk(huge, [movement('regressed'), movement('regressed')]).score).toBe(100);
    expect(scoreRisk([file('test/a.test.ts')], [movement('improved')]).score).toBe(0);
  });

  it('always needs sign-off for policy, gates, CI and hook settings, whatever the score', () => {
    for (const path of [
      '.agents/policy.yaml',
      '.agents/gates.yaml',
      '.github/workflows/ci.yml',
      '.gitlab-ci.yml',
      '.claude/settings.json',
    ]) {
      const report = scoreRisk([file(path)], []);
      expect(report.score, path).toBeLessThan(40);
      expect(report.decision, path).toBe('sign-off');
      expect(report.triggers[0]?.name, path).toBe('sign-off-path');
    }
    const report = scoreRisk([file('.agents/policy.yaml')], []);
    expect(report.reasons).toEqual([".agents/policy.yaml always needs a person's sign-off (.agents/policy.yaml)"]);
    // The sign-off list is its own: a path may be sign-off without being scored as sensitive.
    const config = { threshold: 40, sensitive: [], signOff: ['docs/legal/**'] };
    const legal = scoreRisk([file('docs/legal/terms.md')], [], config);
    expect(points(legal, 'sensitive')).toBe(0);
    expect(legal.decision).toBe('sign-off');
    expect(scoreRisk([file('.agents/policy.yaml')], [], config).decision).toBe('gates');
  });
});
