import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES, DEFAULT_POLICY, mergePolicies, parsePolicy } from './policy.js';
import { POLICY_TEMPLATE } from './template.js';

const F = '/repo/.agents/policy.yaml';

describe('parsePolicy', () => {
  it('reads every section into rules that remember their place and file', () => {
    const { policy, problems } = parsePolicy(
      [
        'version: 1',
        'default: ask',
        'unparseable: deny',
        'protected_branches: [main, release/*]',
        'disable: [sudo]',
        'commands:',
        '  deny: ["npm publish", "git push * --force*"]',
        '  ask: [docker *]',
        '  allow: ["node -e *"]',
        'paths:',
        '  read: { deny: ["secrets/**"], allow: [".env.test"] }',
        '  write: { allow: ["~/.cache/x/**"], ask: ["migrations/**"] }',
        'network: { default: ask, deny: ["*.pastebin.com"], allow: [github.com] }',
        'tools: { deny: ["mcp__github__delete_*"], ask: [WebSearch] }',
      ].join('\n'),
      F,
    );
    expect(problems).toEqual([]);
    expect(policy.default).toBe('ask');
    expect(policy.unparseable).toBe('deny');
    expect(policy.protectedBranches).toEqual(['main', 'release/*']);
    expect(policy.disable).toEqual(['sudo']);
    expect(policy.commands?.deny).toEqual([
      { pattern: 'npm publish', id: 'commands.deny[0]', file: F },
      { pattern: 'git push * --force*', id: 'commands.deny[1]', file: F },
    ]);
    expect(policy.commands?.allow.map((r) => r.pattern)).toEqual(['node -e *']);
    expect(policy.paths?.read.allow.map((r) => r.id)).toEqual(['paths.read.allow[0]']);
    expect(policy.paths?.write.ask.map((r) => r.pattern)).toEqual(['migrations/**']);
    expect(policy.network?.default).toBe('ask');
    expect(policy.network?.deny.map((r) => r.pattern)).toEqual(['*.pastebin.com']);
    expect(policy.tools?.ask.map((r) => r.pattern)).toEqual(['WebSearch']);
  });

  it('takes an empty file and a file of comments as no changes', () => {
    expect(parsePolicy('', F)).toEqual({ policy: {}, problems: [] });
    expect(parsePolicy('# nothing yet\n', F)).toEqual({ policy: {}, problems: [] });
  });

  it('reports broken YAML with its line and fails closed', () => {
    const { policy, problems } = parsePolicy('commands:\n  deny: [a, b\nnetwork: {', F);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^\/repo\/\.agents\/policy\.yaml:\d+: /);
    expect(policy).toEqual({ default: 'ask' });
  });

  it('reports unknown keys and wrong types at their lines', () => {
    const text = [
      'default: maybe', // 1
      'comands:', // 2
      '  deny: [x]', // 3
      'commands:', // 4
      '  deny: "npm publish"', // 5
      '  allow: [1, ""]', // 6
      '  never: [x]', // 7
      'paths:', // 8
      '  read: { deny: [7] }', // 9
      '  exec: {}', // 10
      'network: []', // 11
      'disable: [protected-file, nope, sudo]', // 12
      'version: 2', // 13
      'tools: { deny: ["{a,b"] }', // 14
    ].join('\n');
    const { problems } = parsePolicy(text, F);
    const at = (line: number, pattern: RegExp): void => {
      expect(
        problems.some((p) => p.startsWith(`${F}:${line}: `) && pattern.test(p)),
        `line ${line} ${pattern}\n${problems.join('\n')}`,
      ).toBe(true);
    };
    at(1, /expected one of allow, ask, deny/);
    at(2, /unknown key 'comands'/);
    at(5, /expected a list of strings/);
    at(6, /expected a non-empty string/);
    at(7, /unknown key 'never'/);
    at(9, /expected a non-empty string/);
    at(10, /unknown key 'exec'/);
    at(11, /expected a mapping/);
    at(12, /protected-file cannot be disabled/);
    at(12, /unknown rule 'nope'/);
    at(13, /expected version: 1/);
    at(14, /unbalanced/);
  });

  it('never widens when a file has problems: allows and disables are dropped, the default asks', () => {
    const { policy, problems } = parsePolicy(
      [
        'default: allow',
        'disable: [sudo]',
        'commands:',
        '  allow: ["rm *"]',
        '  deny: ["npm publish"]',
        'typo: 1',
      ].join('\n'),
      F,
    );
    expect(problems).toHaveLength(1);
    expect(policy.default).toBe('ask');
    expect(policy.disable).toBeUndefined();
    expect(policy.commands?.allow).toEqual([]);
    expect(policy.commands?.deny.map((r) => r.pattern)).toEqual(['npm publish']);
  });

  it('keeps a deny list given as a single string (it narrows) while reporting it', () => {
    const { policy, problems } = parsePolicy('commands:\n  deny: npm publish\n', F);
    expect(problems).toEqual([`${F}:2: expected a list of strings`]);
    expect(policy.commands?.deny.map((r) => r.pattern)).toEqual(['npm publish']);
  });

  it('rejects a top level that is not a mapping', () => {
    const { policy, problems } = parsePolicy('- a\n- b\n', F);
    expect(problems).toEqual([`${F}:1: expected a mapping at the top level (see docs/guard.md)`]);
    expect(policy.default).toBe('ask');
  });

  it('limits YAML aliases (no billion laughs)', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n');
    const { policy, problems } = parsePolicy(bomb, F);
    expect(problems.length).toBeGreaterThan(0);
    expect(policy.default).toBe('ask');
  });

  it('parses the init template without a problem, and it changes nothing', () => {
    const { policy, problems } = parsePolicy(POLICY_TEMPLATE, F);
    expect(problems).toEqual([]);
    expect(mergePolicies(DEFAULT_POLICY, policy)).toEqual(DEFAULT_POLICY);
  });
});

describe('mergePolicies', () => {
  const user = parsePolicy(
    'default: ask\ncommands:\n  deny: [curl]\nprotected_branches: [prod]\n',
    '~/.agents/policy.yaml',
  ).policy;
  const repo = parsePolicy(
    'default: allow\nunparseable: deny\ncommands:\n  deny: [wget]\n  allow: [make]\ndisable: [sudo, opaque-code]\n',
    F,
  ).policy;

  it('adds lists in layer order and keeps where each entry came from', () => {
    const p = mergePolicies(DEFAULT_POLICY, user, repo);
    expect(p.commands.deny.map((r) => [r.pattern, r.file])).toEqual([
      ['curl', '~/.agents/policy.yaml'],
      ['wget', F],
    ]);
    expect(p.commands.allow.map((r) => r.pattern)).toEqual(['make']);
    expect(p.protectedBranches).toEqual(['main', 'master', 'prod']);
    expect(p.disable).toEqual(['sudo', 'opaque-code']);
  });

  it('takes the strictest decision: a repository cannot loosen the user’s default', () => {
    const p = mergePolicies(DEFAULT_POLICY, user, repo);
    expect(p.default).toBe('ask');
    expect(p.unparseable).toBe('deny');
  });

  it('never lets a layer disable protected-file, even one built by hand', () => {
    expect(mergePolicies(DEFAULT_POLICY, { disable: ['protected-file', 'sudo'] }).disable).toEqual(['sudo']);
  });

  it('leaves the base untouched', () => {
    const before = JSON.stringify(DEFAULT_POLICY);
    mergePolicies(DEFAULT_POLICY, user, repo);
    expect(JSON.stringify(DEFAULT_POLICY)).toBe(before);
  });

  it('names every built-in rule once', () => {
    expect(new Set(BUILTIN_RULES).size).toBe(BUILTIN_RULES.length);
  });
});
