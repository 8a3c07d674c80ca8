/**
 * Loads the policy for the pre-tool hook: the defaults, the user's `AO_HOME/policy.yaml` and the
 * repository's `.agents/policy.yaml`. The hook runs on every tool call, so the merged result is
 * cached as JSON keyed by each file's path, size, mtime, ctime and inode: a warm load is one
 * read, one JSON.parse and a stat per file, and the YAML library is never loaded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileKey, readFileCache, writeFileCache } from '../lib/file-cache.js';
import { DEFAULT_POLICY, type Policy, mergePolicies, parsePolicy } from './policy.js';

/** Bumped when the policy's shape, the defaults or the parsing change: old caches are ignored. */
export const POLICY_CACHE_VERSION = 1;
/** The cache's file name in `cacheDir`. */
export const POLICY_CACHE_FILE = 'policy.json';

export interface LoadedPolicy {
  policy: Policy;
  /** Problems found in the files, as `file:line: message`; a file with problems only narrows. */
  problems: string[];
  /** The policy files that exist and were read, user's first. */
  sources: string[];
}

/**
 * The merged policy: defaults ← `aoHome/policy.yaml` ← `root/.agents/policy.yaml` (when `root` is
 * not null). With `cacheDir`, the result is cached in `cacheDir/policy.json`. A missing file is no
 * change; a broken one only narrows (see policy.ts). Never throws on file content.
 */
export function loadPolicy(opts: { root: string | null; aoHome: string; cacheDir?: string }): LoadedPolicy {
  const files = [join(opts.aoHome, 'policy.yaml')];
  if (opts.root !== null) {
    const repo = join(opts.root, '.agents', 'policy.yaml');
    if (repo !== files[0]) files.push(repo);
  }
  const keys = files.map(fileKey);
  const cacheFile = opts.cacheDir ? join(opts.cacheDir, POLICY_CACHE_FILE) : null;
  if (cacheFile) {
    const hit = readFileCache<LoadedPolicy>(cacheFile, POLICY_CACHE_VERSION, keys);
    if (hit) return hit;
  }
  const layers: Partial<Policy>[] = [];
  const problems: string[] = [];
  const sources: string[] = [];
  for (const key of keys) {
    if (key.size === undefined) continue;
    let text: string;
    try {
      text = readFileSync(key.path, 'utf8');
    } catch (error) {
      // Present but unreadable: the envelope it would set is unknown, so ask about everything.
      problems.push(`${key.path}:1: cannot read: ${(error as Error).message}`);
      layers.push({ default: 'ask' });
      continue;
    }
    sources.push(key.path);
    const parsed = parsePolicy(text, key.path);
    layers.push(parsed.policy);
    problems.push(...parsed.problems);
  }
  const value: LoadedPolicy = { policy: mergePolicies(DEFAULT_POLICY, ...layers), problems, sources };
  if (cacheFile) writeFileCache(cacheFile, POLICY_CACHE_VERSION, keys, value);
  return value;
}
