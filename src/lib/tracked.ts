import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { sha256Hex } from './sha256.js';
import { isRecord } from './json.js';

/**
 * Files outside `.agents/` that ao changes for the user (agents' hook settings, managed blocks in
 * AGENTS.md and its siblings, the OpenCode plugin), recorded in `.agents/installed.json` so that
 * `ao hooks uninstall` can put each back exactly as it was: the original text, whether ao created
 * the file, which folders it created for it, and a hash of what it last wrote.
 */
export interface TrackedFile {
  /** The file's text before ao first changed it; null when ao created it. */
  before: string | null;
  /** Folders ao created for it, deepest last, relative to the root. */
  dirs: string[];
  /** SHA-256 of the text ao last wrote. */
  after: string;
}

export interface Manifest {
  version: 1;
  /** What the hooks call, e.g. `ao`. */
  command: string;
  agents: string[];
  files: Record<string, TrackedFile>;
}

/** One planned change of one file, relative to the root; `after: null` deletes it. */
export interface Change {
  path: string;
  before: string | null;
  after: string | null;
}

export const MANIFEST = 'installed.json';

export function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

export function readManifest(agentsDir: string): Manifest | null {
  const text = readText(join(agentsDir, MANIFEST));
  if (text === null) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(doc) || !isRecord(doc.files)) return null;
  const files: Record<string, TrackedFile> = {};
  for (const [path, entry] of Object.entries(doc.files)) {
    if (!isRecord(entry) || typeof entry.after !== 'string') continue;
    files[path] = {
      before: typeof entry.before === 'string' ? entry.before : null,
      dirs: Array.isArray(entry.dirs) ? entry.dirs.filter((d): d is string => typeof d === 'string') : [],
      after: entry.after,
    };
  }
  return {
    version: 1,
    command: typeof doc.command === 'string' ? doc.command : 'ao',
    agents: Array.isArray(doc.agents) ? doc.agents.filter((a): a is string => typeof a === 'string') : [],
    files,
  };
}

export function writeManifest(agentsDir: string, manifest: Manifest): void {
  mkdirSync(agentsDir, { recursive: true });
  writeFileAtomic(join(agentsDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Applies changes under `root` and records them in the manifest: the first original of a file is
 * kept however often it is changed again; a file put back as it was leaves the manifest.
 */
export function applyTracked(root: string, manifest: Manifest, changes: readonly Change[]): void {
  for (const change of changes) {
    const file = join(root, change.path);
    const entry = manifest.files[change.path];
    if (change.after === null) {
      if (existsSync(file)) unlinkSync(file);
      removeEmptyDirs(root, entry?.dirs ?? []);
      delete manifest.files[change.path];
      continue;
    }
    const dirs = entry ? entry.dirs : missingDirs(root, dirname(change.path));
    mkdirSync(dirname(file), { recursive: true });
    writeFileAtomic(file, change.after);
    const before = entry ? entry.before : change.before;
    if (before === change.after) delete manifest.files[change.path];
    else manifest.files[change.path] = { before, dirs, after: sha256Hex(change.after) };
  }
}

/** Writes changes without tracking them (uninstall), removing folders ao had created. */
export function applyUntracked(root: string, changes: readonly Change[], dirsOf: (path: string) => string[]): void {
  for (const change of changes) {
    const file = join(root, change.path);
    if (change.after !== null) {
      writeFileAtomic(file, change.after);
      continue;
    }
    if (existsSync(file)) unlinkSync(file);
    removeEmptyDirs(root, dirsOf(change.path));
  }
}

/** The folders on the way to `dir` (relative to root) that do not exist yet, outermost first. */
function missingDirs(root: string, dir: string): string[] {
  const missing: string[] = [];
  let d = dir;
  while (d !== '.' && d !== '' && !existsSync(join(root, d))) {
    missing.unshift(d);
    d = dirname(d);
  }
  return missing.map((m) => m.split(sep).join('/'));
}

function removeEmptyDirs(root: string, dirs: readonly string[]): void {
  for (const dir of [...dirs].reverse()) {
    const abs = join(root, dir);
    try {
      if (readdirSync(abs).length === 0) rmdirSync(abs);
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}
