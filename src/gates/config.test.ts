import { describe, expect, it } from 'vitest';
import { betterByName, parseGates, stageChecks } from './config.js';

const FILE = '/repo/.agents/gates.yaml';

describe('parseGates', () => {
  it('reads checks, needs, figures, stages and settings', () => {
    const { config, risk, problems } = parseGates(
      `checks:
  build: npm run build
  lint:
    command: npm run lint
    timeout: 120
    parse: eslint
  test:
    command: npm test
    needs: [build]
    env: { CI: 1 }
    figures:
      coverage: { json: total.lines.pct, file: coverage/coverage-summary.json }
      flaky: { count: 'FLAKY' }
stages:
  pre-commit: [lint]
  ci: [lint, test]
settings:
  parallel: 3
  output: 1000
  stop-retries: 2
risk:
  threshold: 50
  sign-off: ['infra/**']
`,
      FILE,
    );
    expect(problems).toEqual([]);
    expect(config.checks.build).toMatchObject({ command: 'npm run build', timeoutMs: 600_000, needs: [] });
    expect(config.checks.lint!.timeoutMs).toBe(120_000);
    expect(config.checks.lint!.figures.map((f) => f.name)).toContain('lint_errors');
    expect(config.checks.test!.env).toEqual({ CI: '1' });
    expect(config.checks.test!.figures).toEqual([
      { name: 'coverage', json: 'total.lines.pct', file: 'coverage/coverage-summary.json', better: 'higher' },
      { name: 'flaky', count: 'FLAKY', better: 'lower' },
    ]);
    expect(config.settings).toEqual({ parallel: 3, outputChars: 1000, stopRetries: 2 });
    expect(risk).toEqual({ threshold: 50, signOff: ['infra/**'] });
    // Needs are pulled into the stage, before the checks that need them.
    expect(stageChecks(config, 'ci').map((c) => c.name)).toEqual(['lint', 'build', 'test']);
  });

  it('reports every problem with its line', () => {
    const { problems } = parseGates(
      `checks:
  lint:
    command: npm run lint
    timeout: soon
    parse: nosuchtool
  test:
    comand: npm test
  cov:
    command: x
    figures:
      a: { pattern: '(unclosed' }
      b: { pattern: 'x', count: 'y' }
      c: { json: a.b, better: up }
  loop1: { command: a, needs: [loop2] }
  loop2: { command: b, needs: [loop1] }
  orphan: { command: c, needs: [ghost] }
stages:
  ci: [lint, tset]
settings:
  parallel: 0
extra: 1
`,
      FILE,
    );
    const at = (fragment: string): string | undefined => problems.find((p) => p.includes(fragment));
    expect(at('expected a number of seconds')).toMatch(/gates\.yaml:4: /);
    expect(at('unknown figure set "nosuchtool"')).toMatch(/gates\.yaml:5: /);
    expect(at('unknown key "comand"')).toMatch(/gates\.yaml:7: /);
    expect(at('a check needs a command')).toMatch(/gates\.yaml:6: /);
    expect(at('not a regular expression')).toMatch(/gates\.yaml:11: /);
    expect(at('reads from one place')).toMatch(/gates\.yaml:12: /);
    expect(at('expected higher or lower')).toMatch(/gates\.yaml:13: /);
    expect(at('circle')).toMatch(/loop1 → loop2 → loop1/);
    expect(at('needs "ghost"')).toMatch(/gates\.yaml:16: /);
    expect(at('"tset" is not a check')).toMatch(/gates\.yaml:18: /);
    expect(at('at least 1')).toMatch(/gates\.yaml:20: /);
    expect(at('unknown key "extra"')).toMatch(/gates\.yaml:21: /);
  });

  it('reports broken YAML at its line, and reads a file of comments as empty', () => {
    const broken = parseGates('checks:\n  a: [unclosed\n', FILE);
    expect(broken.problems.length).toBeGreaterThan(0);
    expect(broken.problems[0]).toMatch(/^\/repo\/\.agents\/gates\.yaml:\d+: /);
    const comments = parseGates('# checks:\n#   test: npm test\n', FILE);
    expect(comments.problems).toEqual([]);
    expect(comments.config.checks).toEqual({});
    expect(parseGates('[1, 2]', FILE).problems[0]).toMatch(/expected a mapping/);
  });

  it('guesses which way a figure improves from its name', () => {
    expect(betterByName('tests_failed')).toBe('lower');
    expect(betterByName('lint_warnings')).toBe('lower');
    expect(betterByName('bundle_kb')).toBe('lower');
    expect(betterByName('tests_passed')).toBe('higher');
    expect(betterByName('coverage_lines')).toBe('higher');
  });
});
