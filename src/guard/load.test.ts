import { existsSync, mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../test-support/fixture-files.js';
import { POLICY_CACHE_FILE, POLICY_CACHE_VERSION, loadPolicy } from './load.js';
import { DEFAULT_POLICY } from './policy.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

function setup(repoPolicy?: string, userPolicy?: string) {
  const base = temp.make();
  const root = join(base, 'repo');
  const aoHome = join(base, 'home', '.agents');
  const cacheDir = join(root, '.agents', '.cache');
  mkdirSync(join(root, '.agents'), { recursive: true });
  mkdirSync(aoHome, { recursive: true });
  if (repoPolicy !== undefined) writeFileSync(join(root, '.agents', 'policy.yaml'), repoPolicy);
  if (userPolicy !== undefined) writeFileSync(join(aoHome, 'policy.yaml'), userPolicy);
  return { root, aoHome, cacheDir, cacheFile: join(cacheDir, POLICY_CACHE_FILE) };
}

describe('loadPolicy', () => {
  it('gives the defaults when there is no policy file', () => {
    const s = setup();
    expect(loadPolicy(s)).toEqual({ policy: DEFAULT_POLICY, problems: [], sources: [] });
    expect(loadPolicy({ root: null, aoHome: s.aoHome })).toEqual({ policy: DEFAULT_POLICY, problems: [], sources: [] });
  });

  it('layers the repository over the user and lists both sources', () => {
    const s = setup('commands:\n  deny: [wget]\n', 'commands:\n  deny: [curl]\ndefault: ask\n');
    const r = loadPolicy(s);
    expect(r.problems).toEqual([]);
    expect(r.sources).toEqual([join(s.aoHome, 'policy.yaml'), join(s.root, '.agents', 'policy.yaml')]);
    expect(r.policy.commands.deny.map((x) => x.pattern)).toEqual(['curl', 'wget']);
    expect(r.policy.default).toBe('ask');
  });

  it('writes the cache atomically and reads it back on the next load', () => {
    const s = setup('commands:\n  deny: [wget]\n');
    const first = loadPolicy(s);
    expect(existsSync(s.cacheFile)).toBe(true);
    expect(readdirSync(s.cacheDir).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    const cache = JSON.parse(readFileSync(s.cacheFile, 'utf8')) as { version: number; value: unknown };
    expect(cache.version).toBe(POLICY_CACHE_VERSION);
    expect(cache.value).toEqual(first);
    // Prove the second load comes from the cache: plant a marker only the cache holds.
    const planted = { ...cache, value: { ...first, sources: ['from-cache'] } };
    writeFileSync(s.cacheFile, JSON.stringify(planted));
    expect(loadPolicy(s).sources).toEqual(['from-cache']);
  });

  it('notices an edited, added or removed policy file', () => {
    const s = setup('commands:\n  deny: [wget]\n');
    loadPolicy(s);
    const file = join(s.root, '.agents', 'policy.yaml');
    writeFileSync(file, 'commands:\n  deny: [wget, curl]\n');
    // Same size edits still change the modification time; make sure it moves on coarse clocks.
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    expect(loadPolicy(s).policy.commands.deny.map((x) => x.pattern)).toEqual(['wget', 'curl']);
    writeFileSync(join(s.aoHome, 'policy.yaml'), 'default: deny\n');
    expect(loadPolicy(s).policy.default).toBe('deny');
    writeFileSync(file, '');
    utimesSync(file, new Date(Date.now() + 9000), new Date(Date.now() + 9000));
    expect(loadPolicy(s).policy.commands.deny).toEqual([]);
  });

  it('ignores a cache of another version or a corrupt one', () => {
    const s = setup('commands:\n  deny: [wget]\n');
    mkdirSync(s.cacheDir, { recursive: true });
    writeFileSync(s.cacheFile, '{not json');
    expect(loadPolicy(s).policy.commands.deny).toHaveLength(1);
    const cache = JSON.parse(readFileSync(s.cacheFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(
      s.cacheFile,
      JSON.stringify({ ...cache, version: -1, value: { policy: DEFAULT_POLICY, problems: [], sources: [] } }),
    );
    expect(loadPolicy(s).policy.commands.deny).toHaveLength(1);
  });

  it('reports problems with file and line, and a broken file only narrows', () => {
    const s = setup('commands:\n  allow: ["rm *"]\n  nope: []\n');
    const r = loadPolicy(s);
    expect(r.problems).toEqual([
      `${join(s.root, '.agents', 'policy.yaml')}:3: unknown key 'nope' (known: allow, ask, deny)`,
    ]);
    expect(r.policy.commands.allow).toEqual([]);
    expect(r.policy.default).toBe('ask');
    // The problems come back from the cache too.
    expect(loadPolicy(s).problems).toEqual(r.problems);
  });

  it('treats a policy path that is a folder as no file', () => {
    const s = setup();
    mkdirSync(join(s.root, '.agents', 'policy.yaml'));
    expect(loadPolicy(s).policy).toEqual(DEFAULT_POLICY);
  });

  it('still answers when the cache folder cannot be written', () => {
    const s = setup('default: ask\n');
    writeFileSync(join(s.root, 'file'), '');
    expect(loadPolicy({ ...s, cacheDir: join(s.root, 'file', 'sub') }).policy.default).toBe('ask');
  });
});
