import { describe, expect, it } from 'vitest';
import {
  commandMatches,
  expandBraces,
  globAnchor,
  normalizePath,
  pathGlob,
  resolvePath,
  shellGlob,
  splitGlob,
  wordGlob,
} from './match.js';

const places = { root: '/repo', home: '/home/dev', tmp: ['/tmp', '/var/folders/x/T'] };

describe('paths', () => {
  it('normalises and resolves without the disk', () => {
    expect(normalizePath('/a//b/./c/../d/')).toBe('/a/b/d');
    expect(normalizePath('/..')).toBe('/');
    expect(resolvePath('../x', '/repo/src')).toBe('/repo/x');
    expect(resolvePath('/repo/../home/dev/.ssh', '/anything')).toBe('/home/dev/.ssh');
    expect(resolvePath('x', null)).toBeNull();
    expect(resolvePath('', '/repo')).toBe('/repo');
  });

  it('splits a glob into its fixed folder and first glob segment', () => {
    expect(splitGlob('/repo/dist/*.js')).toEqual({ dir: '/repo/dist', segment: '*.js' });
    expect(splitGlob('/*')).toEqual({ dir: '/', segment: '*' });
    expect(splitGlob('/repo/a')).toEqual({ dir: '/repo/a', segment: '' });
  });

  it('finds the fixed anchor of policy globs', () => {
    expect(globAnchor('{root}/.claude/settings.json', places)).toBe('/repo/.claude/settings.json');
    expect(globAnchor('~/.ssh/**', places)).toBe('/home/dev/.ssh');
    expect(globAnchor('{root}/.opencode/plugins/agentops*', places)).toBe('/repo/.opencode/plugins');
    expect(globAnchor('*.pem', places)).toBeNull();
  });
});

describe('pathGlob', () => {
  it.each([
    ['*.pem', '/repo/certs/a.pem', true],
    ['*.pem', '/a.pem', true],
    ['.env', '/repo/sub/.env', true],
    ['.env.*', '/repo/.env.local', true],
    ['.env.*', '/repo/.envrc', false],
    ['secrets/**', '/repo/secrets', true],
    ['secrets/**', '/repo/secrets/a/b', true],
    ['secrets/**', '/repo/x/secrets/a', false],
    ['./docs/*.md', '/repo/docs/a.md', true],
    ['~/.ssh/**', '/home/dev/.ssh/id_rsa', true],
    ['~/.ssh/**', '/home/dev/.sshx', false],
    ['{home}/.aws/**', '/home/dev/.aws/credentials', true],
    ['{root}/.agents/policy.yaml', '/repo/.agents/policy.yaml', true],
    ['{tmp}/**', '/var/folders/x/T/a', true],
    ['**/.ssh/**', '/root/.ssh/id_rsa', true],
    ['/etc/ssh/ssh_host_*_key', '/etc/ssh/ssh_host_rsa_key', true],
    ['/etc/ssh/ssh_host_*_key', '/etc/ssh/ssh_host_rsa_key.pub', false],
    ['src/{a,b}/*.ts', '/repo/src/b/x.ts', true],
    ['id_[rd]sa*', '/home/dev/.ssh/id_dsa', true],
    ['*.{pem,key}', '/x/y.key', true],
  ])('%s on %s: %s', (glob, path, want) => {
    expect(pathGlob(glob, places).test(path)).toBe(want);
  });

  it('lets shell globs skip dot files unless they start with a dot', () => {
    expect(shellGlob('/home/dev/*').test('/home/dev/.ssh')).toBe(false);
    expect(shellGlob('/home/dev/.*').test('/home/dev/.ssh')).toBe(true);
    expect(shellGlob('/home/dev/.s?h/id_rsa').test('/home/dev/.ssh/id_rsa')).toBe(true);
  });
});

describe('wordGlob and commandMatches', () => {
  it('matches words with *, ?, […] and {a,b}', () => {
    expect(wordGlob('--force*').test('--force-with-lease')).toBe(true);
    expect(wordGlob('-?').test('-f')).toBe(true);
    expect(wordGlob('{-f,--force}').test('--force')).toBe(true);
    expect(wordGlob('*.github.com', true).test('API.GitHub.com')).toBe(true);
    expect(wordGlob('a\\*').test('a*')).toBe(true);
    expect(wordGlob('a\\*').test('ab')).toBe(false);
  });

  it.each([
    ['npm publish', ['npm', 'publish'], true],
    ['npm publish', ['npm', '--registry', 'x', 'publish', '--tag', 'beta'], true],
    ['npm publish', ['npm', 'install'], false],
    ['npm publish', ['/usr/local/bin/npm', 'publish'], true],
    ['/usr/bin/npm publish', ['npm', 'publish'], false],
    ['git push * --force*', ['git', 'push', 'origin', 'main', '--force-with-lease'], true],
    ['git push * --force*', ['git', 'push', '--force'], false],
    ['= make test', ['make', 'test'], true],
    ['= make test', ['make', 'test', 'x'], false],
    ['= make **', ['make'], true],
    ['= make ** -j*', ['make', 'a', 'b', '-j4'], true],
    ['docker', ['docker', 'ps'], true],
  ])('%s on %j: %s', (pattern, words, want) => {
    expect(commandMatches(pattern, words)).toBe(want);
  });
});

describe('expandBraces', () => {
  it.each([
    ['a{b,c}d', ['abd', 'acd']],
    ['/{etc,usr}', ['/etc', '/usr']],
    ['{a,b}{1,2}', ['a1', 'a2', 'b1', 'b2']],
    ['x{a,{b,c}}', ['xa', 'xb', 'xc']],
    ['f{1..3}', ['f1', 'f2', 'f3']],
    ['{c..a}', ['c', 'b', 'a']],
    ['{}', ['{}']],
    ['{a}', ['{a}']],
    ['${x}', ['${x}']],
    ['{a,b', ['{a,b']],
  ])('%s', (s, want) => {
    expect(expandBraces(s)).toEqual(want);
  });

  it('stops at 64 results', () => {
    expect(expandBraces('{1..100}{a,b}')).toHaveLength(64);
  });
});
